"""The rules settings are checked with: each returns None for an allowed value, else what is allowed,
in words, for the line that reports it."""

from limits import parse_many
from limits.storage import SCHEMES as LIMIT_STORAGE_SCHEMES
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def at_least(minimum):
    def rule(value):
        return None if value >= minimum else f"a whole number >= {minimum}"
    return rule


def one_of(*choices):
    def rule(value):
        return None if value.upper() in choices else "one of " + ", ".join(choices)
    return rule


def rate_limits(value):
    try:
        parse_many(value)
    except ValueError:
        return "limits like '600 per minute' or '5 per minute;50 per hour'"
    return None


def limit_storage(value):
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme in ("memory", "redis", "rediss", "redis+unix") and scheme in LIMIT_STORAGE_SCHEMES:
        return None
    return "memory:// or a Redis URL (redis://host:6379/0, rediss://..., redis+unix://...)"


def database_url(value):
    if not value:
        return None
    try:
        backend = make_url(value).get_backend_name()
    except ArgumentError:
        backend = None
    if backend in ("postgresql", "postgres", "sqlite"):
        return None
    return "empty (embedded SQLite), a PostgreSQL URL (postgresql://host:5432/db, with user and password) or sqlite:///path"


MIN_SECRET_LENGTH = 32
# Placeholders published with the original; a deployment that copied one signs with a public key.
KNOWN_PLACEHOLDERS = {"changethis", "your-production-secret-key-min-32-chars"}
HOW_TO_MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def secret_key(value):
    if not value:
        return None
    if value.strip().lower() in KNOWN_PLACEHOLDERS:
        return f"not a published placeholder (anyone could forge tokens); make one with: {HOW_TO_MAKE_ONE}"
    if len(value) < MIN_SECRET_LENGTH:
        return (f"at least {MIN_SECRET_LENGTH} characters (it has {len(value)}); "
                f"make one with: {HOW_TO_MAKE_ONE}")
    return None


def origins(value):
    listed = [origin.strip() for origin in value.split(",") if origin.strip()]
    if listed == ["*"] or (listed and all(origin.startswith(("http://", "https://")) and
                                          origin.count("/") == 2 for origin in listed)):
        return None
    return "* or comma-separated origins like https://app.example.edu (no path)"
