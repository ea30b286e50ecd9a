"""Settings to Flask config: the instance folder, the signing key, and the extensions' keys derived
from the settings (`settings.py` reads and validates them)."""

import logging
import os
import secrets
from datetime import timedelta

from sqlalchemy.engine import make_url

from .database import database_uri, engine_options
from .setting_rules import MIN_SECRET_LENGTH, secret_key
from .settings import ConfigError

log = logging.getLogger("loopin")
SECRET_KEY_FILE = "secret_key"


def check_secret_key(key):
    """Raise ConfigError when `key` is a known placeholder or too short."""
    allowed = secret_key(key) if key else f"at least {MIN_SECRET_LENGTH} characters"
    if allowed:
        raise ConfigError(f"SECRET_KEY: allowed is {allowed}")


def private_instance_folder(instance_path):
    """The instance folder, created if missing, readable by its owner only (0700): it holds the
    generated key and the SQLite file, i.e. every email and password hash. (Windows: ACLs apply.)"""
    os.makedirs(instance_path, mode=0o700, exist_ok=True)
    os.chmod(instance_path, 0o700)


def private_sqlite_file(uri):
    """Create the SQLite file 0600 before SQLite would create it 0644 (umask permitting): the default
    one, and one a `DATABASE_URL=sqlite:///…` names, when its folder exists (else SQLite says so)."""
    url = make_url(uri)
    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.exists(path) and os.path.isdir(os.path.dirname(os.path.abspath(path))):
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
