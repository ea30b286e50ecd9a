"""Every setting in one place: read from the environment (and `.env`), with its default and why.

Precedence, lowest first: the defaults below, the process environment, `.env` (fills only what the
environment left unset, as python-dotenv does), then the `config` mapping given to `create_app`.
"""

import logging
import os
import secrets
from datetime import timedelta

from dotenv import find_dotenv, load_dotenv
from sqlalchemy.engine import make_url

from .database import database_uri, engine_options

log = logging.getLogger("loopin")

# name -> (default, why). The type of the default is the type the value is parsed to.
SETTINGS = {
    "DATABASE_URL": ("", "unset: an embedded SQLite file in the instance folder"),
    "SECRET_KEY": ("", "unset: a random key generated once and kept in the instance folder"),
    "ACCESS_TOKEN_EXPIRE_MINUTES": (30, "the original's lifetime; short-lived by design"),
    "REFRESH_TOKEN_EXPIRE_DAYS": (14, "how long a session lasts without signing in again"),
    "REFRESH_REUSE_GRACE_SECONDS": (10, "a just-spent refresh token still works this long (two tabs refreshing)"),
    "SESSIONS_PER_USER": (20, "live sessions a user may have; a new sign-in beyond it ends the least recently used"),
    "DB_POOL_SIZE": (5, "the original's pool; server databases only"),
    "DB_MAX_OVERFLOW": (10, "extra connections above the pool under bursts"),
    "DB_POOL_TIMEOUT": (10, "seconds to wait for a free connection before answering 503"),
    "DB_POOL_RECYCLE": (1800, "seconds before a connection is replaced (idle firewalls drop old ones)"),
    "DB_CONNECT_TIMEOUT": (3, "seconds; an unreachable database fails fast instead of hanging"),
    "DB_STATEMENT_TIMEOUT_MS": (5000, "PostgreSQL statement_timeout; bounds a slow query"),
    "DB_ECHO": (False, "log every SQL statement (development), never its parameter values"),
    "PASSWORD_MIN_LENGTH": (8, "new passwords; counted in characters (ASVS 6.2.1)"),
    "PASSWORD_MAX_LENGTH": (128, "new passwords; long passphrases welcome, unbounded input not (ASVS 6.2.9)"),
    "MAX_BODY_BYTES": (1024 * 1024, "request bodies above this are refused with 413 before parsing"),
    "ARGON2_TIME_COST": (2, "OWASP minimum for Argon2id"),
    "ARGON2_MEMORY_KIB": (19456, "OWASP minimum for Argon2id: 19 MiB"),
    "ARGON2_PARALLELISM": (1, "OWASP minimum for Argon2id"),
    "RATELIMIT_ENABLED": (True, "false switches every limit off (tests, benchmarks)"),
    "RATELIMIT_STORAGE_URI": ("memory://", "redis://host:6379 to share limits between processes"),
    "RATELIMIT_PER_IP": ("600 per minute", "every endpoint but health, per client IP"),
    "RATELIMIT_LOGIN_PER_IP": ("20 per minute;200 per hour", "failed logins per client IP"),
    "RATELIMIT_LOGIN_PER_ACCOUNT": ("5 per minute;50 per hour", "failed logins per (account, client IP)"),
    "RATELIMIT_LOGIN_ACCOUNT_CAP": ("100 per hour", "failed logins per account from unknown clients (ASVS)"),
    "RATELIMIT_REGISTER_PER_IP": ("10 per minute;100 per hour", "registrations per client IP"),
    "RATELIMIT_REFRESH_PER_SESSION": ("30 per minute", "refreshes per session"),
    "TRUSTED_PROXIES": (0, "how many proxies in front set X-Forwarded-For/-Proto; 0 ignores them"),
    "PUBLIC_READ": (True, "anonymous callers may read the feed, posts, comments and public profiles"),
    "DOCS_ENABLED": (True, "false: no /docs and no OpenAPI document (deployments that keep them private)"),
    "CORS_ORIGINS": ("*", "comma-separated allowlist; '*' as the original (bearer tokens, no cookies)"),
    "LOG_LEVEL": ("INFO", "level of the 'loopin' logger"),
    "INSTANCE_PATH": ("", "unset: ./instance beside the package (SQLite file, generated key)"),
    "WAITRESS_THREADS": (4, "threads you give waitress-serve --threads; warned about when above the pool"),
}

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A setting that must be fixed before the application can start."""


def parse_setting(name, raw, default):
    """Parse `raw` (a string from the environment) to the type of `default`."""
    if isinstance(default, bool):
        word = raw.strip().lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ConfigError(f"{name} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    return raw.strip()


def settings_from_env(environ):
    """The settings as the given environment mapping defines them, defaults filled in."""
    settings = {}
    for name, (default, _why) in SETTINGS.items():
        raw = environ.get(name)
        settings[name] = default if raw is None else parse_setting(name, raw, default)
    return settings


# Keys create_app takes besides the settings: Flask's own switches, and whether to read `.env`.
FLASK_KEYS = {"TESTING", "DEBUG", "LOAD_DOTENV"}


def refuse_unknown_keys(overrides):
    """Every key given to create_app is honoured, so one it would not honour is refused: derived keys
    (SQLALCHEMY_DATABASE_URI, JWT_ACCESS_TOKEN_EXPIRES, RATELIMIT_DEFAULT, ...) have one name each,
    the setting they come from."""
    unknown = sorted(set(overrides) - set(SETTINGS) - FLASK_KEYS)
    if unknown:
        raise ConfigError(f"create_app does not take {', '.join(unknown)}: pass Loopin's settings instead "
                          "(DATABASE_URL, ACCESS_TOKEN_EXPIRE_MINUTES, RATELIMIT_PER_IP, ...; README: Settings)")


def project_dotenv():
    """`.env` in the directory Loopin is started in, or None."""
    own = os.path.join(os.getcwd(), ".env")
    return own if os.path.isfile(own) else None


def load_project_dotenv():
    """Read `.env` from the directory Loopin is started in, never from a parent: a writable parent
    directory must not be able to set the signing key or switch the limits off."""
    own = project_dotenv()
    if own:
        load_dotenv(own)
        return
    found = find_dotenv(usecwd=True)  # what python-dotenv (and `flask`'s own loader) would walk up to
    if found:
        log.warning("Ignoring %s: Loopin reads .env only from the directory it starts in. `flask` itself "
                    "loads the nearest .env upward; set FLASK_SKIP_DOTENV=1 so it does not.", found)


def load_settings(overrides=None):
    """Defaults < environment < `.env` < overrides. `LOAD_DOTENV: False` in overrides skips `.env`
    (the test suite does, so a developer's `.env` never leaks into it)."""
    overrides = dict(overrides or {})
    refuse_unknown_keys(overrides)
    if overrides.get("LOAD_DOTENV", True):
        load_project_dotenv()
    settings = settings_from_env(os.environ)
    settings.update(overrides)
    return settings


# --- The signing key: strong, or the application does not start. ---------------------------------

MIN_SECRET_LENGTH = 32
# Placeholders published with the original; a deployment that copied one signs with a public key.
KNOWN_PLACEHOLDERS = {"changethis", "your-production-secret-key-min-32-chars"}
HOW_TO_MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
SECRET_KEY_FILE = "secret_key"


def check_secret_key(key):
    """Raise ConfigError when `key` is a known placeholder or shorter than 32 characters."""
    if key.strip().lower() in KNOWN_PLACEHOLDERS:
        raise ConfigError(
            "SECRET_KEY is a published placeholder, so anyone could forge tokens. "
            f"Set SECRET_KEY to a random value; generate one with: {HOW_TO_MAKE_ONE}"
        )
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is {len(key)} characters long; it must be at least {MIN_SECRET_LENGTH}. "
            f"Generate one with: {HOW_TO_MAKE_ONE}"
        )


def private_instance_folder(instance_path):
    """The instance folder, created if missing, readable by its owner only (0700): it holds the
    generated key and the SQLite file, i.e. every email and password hash. (Windows: ACLs apply.)"""
    os.makedirs(instance_path, mode=0o700, exist_ok=True)
    os.chmod(instance_path, 0o700)


def private_sqlite_file(uri):
    """Create the SQLite file 0600 before SQLite would create it 0644 (umask permitting)."""
    path = make_url(uri).database
    if path and path != ":memory:" and not os.path.exists(path):
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:  # another process made it first
            pass


def instance_secret_key(instance_path):
    """The generated key kept in the instance folder, created on first use.

    Kept, not regenerated, so `flask run --debug` reloads and restarts keep issued tokens valid."""
    path = os.path.join(instance_path, SECRET_KEY_FILE)
    private_instance_folder(instance_path)
    try:
        # O_EXCL: when two processes start at once, exactly one writes and both read the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="utf-8") as existing:
            key = existing.read().strip()
        check_secret_key(key)
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as new:
        new.write(key)
    log.warning("SECRET_KEY is not set: generated one in %s (set SECRET_KEY in production)", path)
    return key


def resolve_secret_key(configured, instance_path):
    """The configured key if it is strong, else the instance folder's generated one."""
    if configured:
        check_secret_key(configured)
        return configured
    return instance_secret_key(instance_path)


# --- Settings to Flask config. --------------------------------------------------------------------


def configure(app, settings):
    """Fill `app.config` from `load_settings()`: the extensions' keys are derived here, nowhere else."""
    app.config.update(settings)
    uri = database_uri(settings["DATABASE_URL"], app.instance_path)
    if not settings["DATABASE_URL"]:  # the embedded default lives in the instance folder
        private_instance_folder(app.instance_path)
        private_sqlite_file(uri)
    key = resolve_secret_key(settings["SECRET_KEY"], app.instance_path)
    app.config.update(
        SECRET_KEY=key,
        SECRET_KEY_SOURCE="environment" if settings["SECRET_KEY"] else "instance folder",
        SQLALCHEMY_DATABASE_URI=uri,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(uri, settings),
        JWT_SECRET_KEY=key,
        JWT_ALGORITHM="HS256",
        JWT_DECODE_ALGORITHMS=["HS256"],  # alg:none, HS512 and RS256 tokens are refused
        JWT_TOKEN_LOCATION=["headers"],  # never in URLs or cookies
        JWT_COOKIE_CSRF_PROTECT=False,  # no cookies, so no csrf claim in tokens
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=settings["ACCESS_TOKEN_EXPIRE_MINUTES"]),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=settings["REFRESH_TOKEN_EXPIRE_DAYS"]),
        MAX_CONTENT_LENGTH=settings["MAX_BODY_BYTES"],  # also caps chunked bodies while they are read
    )
