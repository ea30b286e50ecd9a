"""Every setting in one place: its default, why, and what is allowed; read from the environment and
`.env`, and validated all at once.

Precedence, lowest first: the defaults below, the process environment, `.env` (fills only what the
environment left unset, as python-dotenv does), then the `config` mapping given to `create_app`.

Not pydantic-settings: the table below is also the source of truth of docs/operations.md's settings
table and of `.env.example` (tests hold them together), each rule says in words what it allows, and a
bad value is reported with every other bad value rather than at the first one.
"""

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any, Callable

import click
from dotenv import find_dotenv, load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import setting_rules as rule

log = logging.getLogger("loopin")


@dataclass(frozen=True)
class Setting:
    default: Any  # its type is the type the value is parsed to
    why: str
    rule: Callable[[Any], str | None] | None = None


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

SETTINGS = {
    "DATABASE_URL": Setting("", "unset: an embedded SQLite file in the instance folder", rule.database_url),
    "SECRET_KEY": Setting("", "unset: a random key generated once and kept in the instance folder", rule.secret_key),
    "ACCESS_TOKEN_EXPIRE_MINUTES": Setting(30, "the original's lifetime; short-lived by design", rule.at_least(1)),
    "REFRESH_TOKEN_EXPIRE_DAYS": Setting(14, "how long a session lasts without signing in again", rule.at_least(1)),
    "REFRESH_REUSE_GRACE_SECONDS": Setting(
        10, "a just-spent refresh token still works this long (two tabs refreshing)", rule.at_least(0)),
    "SESSIONS_PER_USER": Setting(
        20, "live sessions a user may have; a new sign-in beyond it ends the least recently used", rule.at_least(1)),
    "DB_POOL_SIZE": Setting(5, "the original's pool; server databases only", rule.at_least(1)),
    "DB_MAX_OVERFLOW": Setting(10, "extra connections above the pool under bursts", rule.at_least(0)),
    "DB_POOL_TIMEOUT": Setting(10, "seconds to wait for a free connection before answering 503", rule.at_least(1)),
    "DB_POOL_RECYCLE": Setting(
        200, "seconds a connection lives: below the idle timeouts of proxies and load balancers (Azure's 4 "
        "minutes, AWS NLB's 350 s), which drop a connection silently", rule.at_least(1)),
    "DB_CONNECT_TIMEOUT": Setting(
        3, "seconds; an unreachable database fails fast instead of hanging", rule.at_least(1)),
    "DB_STATEMENT_TIMEOUT_MS": Setting(
        5000, "PostgreSQL statement_timeout; bounds a slow query (0: no bound)", rule.at_least(0)),
    "DB_ECHO": Setting(False, "log every SQL statement (development), never its parameter values"),
    "PASSWORD_MIN_LENGTH": Setting(8, "new passwords; counted in characters (ASVS 6.2.1)", rule.at_least(8)),
    "PASSWORD_MAX_LENGTH": Setting(
        128, "new passwords; long passphrases welcome, unbounded input not (ASVS 6.2.9)", rule.at_least(64)),
    "MAX_BODY_BYTES": Setting(
        1024 * 1024, "request bodies above this are refused with 413 before parsing", rule.at_least(1024)),
    "ARGON2_TIME_COST": Setting(2, "OWASP minimum for Argon2id", rule.at_least(1)),
    "ARGON2_MEMORY_KIB": Setting(19456, "OWASP minimum for Argon2id: 19 MiB", rule.at_least(8)),
    "ARGON2_PARALLELISM": Setting(1, "OWASP minimum for Argon2id", rule.at_least(1)),
    "RATELIMIT_ENABLED": Setting(True, "false switches every limit off (tests, benchmarks)"),
    "RATELIMIT_STORAGE_URI": Setting(
        "memory://", "redis://host:6379 to share limits between processes", rule.limit_storage),
    "RATELIMIT_PER_IP": Setting("600 per minute", "every endpoint but health, per client IP", rule.rate_limits),
    "RATELIMIT_LOGIN_PER_IP": Setting("20 per minute;200 per hour", "failed logins per client IP", rule.rate_limits),
    "RATELIMIT_LOGIN_PER_ACCOUNT": Setting(
        "5 per minute;50 per hour", "failed logins per (account, client IP)", rule.rate_limits),
    "RATELIMIT_LOGIN_ACCOUNT_CAP": Setting(
        "100 per hour", "failed logins per account from unknown clients (ASVS)", rule.rate_limits),
    "RATELIMIT_REGISTER_PER_IP": Setting(
        "10 per minute;100 per hour", "registrations per client IP", rule.rate_limits),
    "RATELIMIT_REFRESH_PER_SESSION": Setting("30 per minute", "refreshes per session", rule.rate_limits),
    "TRUSTED_PROXIES": Setting(
        0, "how many proxies in front set X-Forwarded-For/-Proto; 0 ignores them", rule.at_least(0)),
    "METRICS_ENABLED": Setting(False, "GET /metrics in Prometheus' text format, for the addresses in METRICS_ALLOW"),
    "METRICS_ALLOW": Setting("127.0.0.1,::1", "comma-separated addresses or networks that may read /metrics "
                             "(the connecting peer, never X-Forwarded-For)", rule.networks),
    "PUBLIC_READ": Setting(True, "anonymous callers may read the feed, posts, comments and public profiles"),
    "DOCS_ENABLED": Setting(True, "false: no /docs and no OpenAPI document (deployments that keep them private)"),
    "CORS_ORIGINS": Setting("*", "comma-separated allowlist; '*' as the original (bearer tokens, no cookies)",
                            rule.origins),
    "LOG_LEVEL": Setting("INFO", "level of Loopin's log lines", rule.one_of(*LOG_LEVELS)),
    "LOG_FORMAT": Setting("text", "text: one readable line each; json: one JSON object each (log shippers)",
                          rule.one_of("TEXT", "JSON")),
    "ACCESS_LOG": Setting(False, "one log line per request (method, path without query, status, time)"),
    "INSTANCE_PATH": Setting("", "unset: ./instance beside the package (SQLite file, generated key)"),
    "WAITRESS_THREADS": Setting(4, "threads `loopin serve` gives waitress; warned about when above the pool",
                                rule.at_least(1)),
    "MAIL_SERVER": Setting("", "SMTP host; unset: each message is written to instance/outbox/ as an .eml file",
                           rule.host_name),
    "MAIL_PORT": Setting(587, "SMTP port (587 submission with STARTTLS, 465 with MAIL_USE_SSL)", rule.at_least(1)),
    "MAIL_USE_TLS": Setting(True, "STARTTLS after connecting (port 587)"),
    "MAIL_USE_SSL": Setting(False, "TLS from the first byte (port 465); not with MAIL_USE_TLS"),
    "MAIL_USERNAME": Setting("", "SMTP login; unset: no login"),
    "MAIL_PASSWORD": Setting("", "SMTP password (never logged or shown)"),
    "MAIL_FROM": Setting("Loop.in <no-reply@localhost>", "the From of every message", rule.mail_address),
    "MAIL_SEND_INTERVAL": Setting(
        10, "seconds between a server's background deliveries (retries, other processes' mail); 0: none, "
        "deliver with `flask mail deliver`", rule.at_least(0)),
    "MAIL_RETENTION_DAYS": Setting(
        7, "days a sent or refused message stays in the outbox (its address, for support) before it is "
        "deleted", rule.at_least(1)),
    "PUBLIC_BASE_URL": Setting("http://localhost:5173", "the frontend's address, for links in mail", rule.base_url),
    "EMAIL_VERIFICATION": Setting(
        "off", "off: the original's; optional: mail a link; required: unverified users only read",
        rule.one_of("OFF", "OPTIONAL", "REQUIRED")),
    "ALLOWED_EMAIL_DOMAINS": Setting(
        "", "comma-separated domains registration accepts (subdomains too); empty: any", rule.domains),
    "RATELIMIT_FORGOT_PER_IP": Setting("5 per minute;20 per hour", "password reset requests per client IP",
                                       rule.rate_limits),
    "RATELIMIT_FORGOT_PER_ADDRESS": Setting(
        "3 per hour", "password reset requests per email address", rule.rate_limits),
    "RATELIMIT_MAIL_PER_ADDRESS": Setting(
        "5 per hour;20 per day", "mail of any kind to one address (keyed hash), whatever account it has had; "
        "beyond it the mail is not queued", rule.rate_limits),
    "RATELIMIT_RESET_PER_IP": Setting(
        "10 per minute;50 per hour", "password resets (a link's token used) per client IP", rule.rate_limits),
    "RATELIMIT_VERIFY_PER_USER": Setting("3 per hour", "verification mails a user may ask for", rule.rate_limits),
    "FIREBASE_PROJECT_ID": Setting(
        "", "the Firebase project whose ID tokens sign students in; unset: Firebase tokens are refused",
        rule.firebase_project),
    "FIREBASE_JWKS_URL": Setting(
        "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
        "Google's published keys of Firebase ID tokens (a JWK set)", rule.https_url),
    "CLOUDINARY_URL": Setting(
        "", "cloudinary://key:secret@cloud for signed uploads (the secret is never shown); unset: mock uploads",
        rule.cloudinary_url),
    "CLOUDINARY_FOLDER": Setting("loopin", "the Cloudinary folder uploads go to; posts accept media from it only",
                                 rule.folder_name),
    "SEARCH_LANGUAGE": Setting(
        "english", "how PostgreSQL stems and which words it drops when searching posts and comments (a Snowball "
        "language, or simple: no stemming); after a change, `loopin search reindex`; SQLite stems English",
        rule.search_language),
    "ACCOUNT_DELETION_CONTENT": Setting(
        "anonymize", "a deleted account's posts and comments: anonymize (kept, no author) or delete",
        rule.one_of("ANONYMIZE", "DELETE")),
    "REPORT_HIDE_THRESHOLD": Setting(
        3, "open reports from this many different users hide a post or comment until an admin reviews it "
        "(an admin's report hides at once)", rule.at_least(1)),
    "RATELIMIT_REPORTS_PER_USER": Setting("20 per hour", "reports one user may make", rule.rate_limits),
}

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class ConfigError(click.ClickException):
    """Settings that must be fixed before Loopin can start. A ClickException, so a command line
    prints it as one message, with no traceback, and exits with status 2."""

    exit_code = 2


class SettingsError(ConfigError):
    """Every bad setting at once, one line each."""

    def __init__(self, problems):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        count = f"{len(problems)} setting{'s' if len(problems) > 1 else ''}"
        super().__init__(f"Loopin cannot start: {count} must be fixed (docs/operations.md: Settings):\n{lines}")


def shown(name, raw):
    """The value as a problem line shows it: never a secret, and never a password inside a URL."""
    if name in ("SECRET_KEY", "MAIL_PASSWORD", "CLOUDINARY_URL"):  # the last holds the API secret
        return "<hidden>"
    if name in ("DATABASE_URL", "RATELIMIT_STORAGE_URI"):
        try:
            return repr(make_url(raw).render_as_string(hide_password=True))
        except ArgumentError:
            return "<not a URL>"
    return repr(raw)


def parse_value(name, raw, setting):
    """(value, None) or (None, what is allowed). Strings from the environment are parsed to the type
    of the default; values given to create_app in that type pass through."""
    default = setting.default
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw, None
        word = str(raw).strip().lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS, None
        return None, "true or false (also 1/0, yes/no, on/off); empty is not allowed"
    if isinstance(default, int):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw, None
        try:
            return int(str(raw).strip()), None
        except ValueError:
            return None, "a whole number"
    return str(raw).strip(), None


def in_defaults_case(value, setting):
    """A word setting (EMAIL_VERIFICATION=Required) as its default is written ("required"), so code
    compares it once, in one case."""
    if not hasattr(setting.rule, "choices"):
        return value
    return value.lower() if setting.default.islower() else value.upper()


def validate(raw_values):
    """(settings, problems): every setting parsed and checked. A bad value is reported and replaced by
    its default, so the caller can still show help and run `check`."""
    settings, problems = {}, []
    for name, setting in SETTINGS.items():
        raw = raw_values.get(name)
        if raw is None:
            settings[name] = setting.default
            continue
        value, allowed = parse_value(name, raw, setting)
        if allowed is None and setting.rule:
            allowed = setting.rule(value)
        if allowed is None:
            settings[name] = in_defaults_case(value, setting)
        else:
            # The default stands in, so the app can still be built to list commands and run `check`
            # (nothing else runs); for the signing key a throwaway, so no key file is written.
            settings[name] = secrets.token_urlsafe(48) if name == "SECRET_KEY" else setting.default
            problems.append(f"{name}={shown(name, raw)}: allowed is {allowed}")
    if not problems and settings["PASSWORD_MAX_LENGTH"] < settings["PASSWORD_MIN_LENGTH"]:
        problems.append("PASSWORD_MAX_LENGTH: allowed is a number >= PASSWORD_MIN_LENGTH")
    if not problems and settings["MAIL_USE_TLS"] and settings["MAIL_USE_SSL"]:
        problems.append("MAIL_USE_SSL: allowed is false while MAIL_USE_TLS is true (one or the other)")
    return settings, problems


# Keys create_app takes besides the settings: Flask's own switches, and whether to read `.env`.
FLASK_KEYS = {"TESTING", "DEBUG", "LOAD_DOTENV"}


def refuse_unknown_keys(overrides):
    """Every key given to create_app is honoured, so one it would not honour is refused: derived keys
    (SQLALCHEMY_DATABASE_URI, JWT_ACCESS_TOKEN_EXPIRES, RATELIMIT_DEFAULT, ...) have one name each,
    the setting they come from."""
    unknown = sorted(set(overrides) - set(SETTINGS) - FLASK_KEYS)
    if unknown:
        raise ConfigError(f"create_app does not take {', '.join(unknown)}: pass Loopin's settings instead "
                          "(DATABASE_URL, ACCESS_TOKEN_EXPIRE_MINUTES, RATELIMIT_PER_IP, ...; "
                          "docs/operations.md: Settings)")


def project_dotenv():
    """`.env` in the directory Loopin is started in, or None."""
    own = os.path.join(os.getcwd(), ".env")
    return own if os.path.isfile(own) else None


def load_project_dotenv():
    """Read `.env` from the directory Loopin is started in, never from a parent: a writable parent
    directory must not be able to set the signing key or switch the limits off."""
    own = project_dotenv()
    if own:
        load_dotenv(own, encoding="utf-8")
        return
    found = find_dotenv(usecwd=True)  # what python-dotenv (and `flask`'s own loader) would walk up to
    if found:
        log.warning("Ignoring %s: Loopin reads .env only from the directory it starts in. `flask` itself "
                    "loads the nearest .env upward; set FLASK_SKIP_DOTENV=1 so it does not.", found)


def load_settings(overrides=None):
    """(settings, problems): defaults < environment < `.env` < overrides. `LOAD_DOTENV: False` in
    overrides skips `.env` (the test suite does, so a developer's `.env` never leaks into it)."""
    overrides = dict(overrides or {})
    refuse_unknown_keys(overrides)
    if overrides.get("LOAD_DOTENV", True):
        load_project_dotenv()
    raw_values = {name: os.environ[name] for name in SETTINGS if name in os.environ}
    raw_values.update({name: value for name, value in overrides.items() if name in SETTINGS})
    settings, problems = validate(raw_values)
    settings.update({name: value for name, value in overrides.items() if name in FLASK_KEYS})
    return settings, problems


def settings_from_env(environ):
    """The settings an environment mapping defines, defaults filled in; SettingsError if any is bad."""
    settings, problems = validate(environ)
    if problems:
        raise SettingsError(problems)
    return settings
