"""The rules settings are checked with: each returns None for an allowed value, else what is allowed,
in words, for the line that reports it."""

import ipaddress
import re
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import urlsplit

import snowballstemmer
from limits import parse_many
from limits.storage import SCHEMES as LIMIT_STORAGE_SCHEMES
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def at_least(minimum):
    def rule(value):
        return None if value >= minimum else f"a whole number >= {minimum}"
    return rule


def one_of(*choices):
    """One of a few words, in any letter case; settings.validate stores it in its default's case."""
    def rule(value):
        return None if value.upper() in choices else "one of " + ", ".join(choices)
    rule.choices = choices
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


DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.IGNORECASE)


def host_name(value):
    if not value or re.fullmatch(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]", value):
        return None
    return "a host name or address, without scheme or port (MAIL_PORT)"


def mail_address(value):
    _name, address = parseaddr(value)
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        address = ""
    if "@" in address:
        return None
    return "an address, with or without a name: no-reply@college.edu or Loop.in <no-reply@college.edu>"


def base_url(value):
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not parts.query and not parts.fragment:
        return None
    return "an http(s) address such as https://loopin.college.edu (a path is allowed, no query)"


def firebase_project(value):
    if not value or re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", value):
        return None
    return "a Firebase project id (6-30 of a-z, 0-9 and -), as the Firebase console shows it"


def https_url(value):
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.netloc or parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return "an https:// address (http:// only on this machine)"


def cloudinary_url(value):
    parts = urlsplit(value)
    if not value or (parts.scheme == "cloudinary" and parts.username and parts.password and parts.hostname):
        return None
    return "cloudinary://<api_key>:<api_secret>@<cloud_name>, as the Cloudinary console shows it"


def folder_name(value):
    if re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*", value):
        return None
    return "a Cloudinary folder: letters, digits, _ and -, parts separated by /"


def domains(value):
    listed = [domain.strip() for domain in value.split(",") if domain.strip()]
    if all(DOMAIN.fullmatch(domain) for domain in listed):
        return None
    return "comma-separated domains like college.edu,cs.college.edu"


def networks(value):
    try:
        listed = [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]
    except ValueError:
        listed = []
    return None if listed else "comma-separated addresses or networks like 127.0.0.1,::1,10.0.0.0/8"


def search_language(value):
    """A language both PostgreSQL's text search and the highlights' stemmer know (or simple: none)."""
    known = sorted({*snowballstemmer.algorithms(), "simple"} - {"porter"})
    return None if value in known else "one of " + ", ".join(known)
