"""Pre-flight checks behind `flask --app loopin check`, the successor of the original's validate.py.

Each check answers ok, warn or fail, with what was found and, when it is not ok, the fix. Nothing here
prints a password: the database is described as `host:port/dbname`.
"""

import smtplib
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from .database import POOL_ADVICE, describe_database, pool_capacity, threads_beyond_pool
from .database_errors import classify_database_error
from .extensions import db
from .schema import FOREIGN_SCHEMAS, head_revision
from .settings import project_dotenv
from .smtp import open_smtp

INSTALL_COMMAND = "pip install -r requirements.txt"

# Import names, with the distributions that may provide each: psycopg2 is psycopg2-binary from the
# lock, or psycopg2 built from source against the system's libpq; either serves.
REQUIRED_MODULES = {
    "flask": "Flask", "flask_sqlalchemy": "Flask-SQLAlchemy", "sqlalchemy": "SQLAlchemy",
    "flask_migrate": "Flask-Migrate", "alembic": "alembic", "psycopg2": "psycopg2-binary or psycopg2",
    "flask_jwt_extended": "Flask-JWT-Extended", "jwt": "PyJWT", "pydantic": "pydantic",
    "email_validator": "email-validator", "argon2": "argon2-cffi", "bcrypt": "bcrypt", "flask_cors": "flask-cors",
    "dotenv": "python-dotenv", "waitress": "waitress", "flask_limiter": "Flask-Limiter",
    "redis": "redis", "emoji": "emoji", "prometheus_client": "prometheus-client", "snowballstemmer": "snowballstemmer",
}
# app.extensions key: checks a feature adds (each `check(app)` -> Check), run once the database answers.
FEATURE_CHECKS = "loopin.feature_checks"
ADOPT_COMMANDS = "flask --app loopin db stamp 0001_original_users && flask --app loopin db upgrade"


@dataclass
class Check:
    name: str
    status: str  # "ok", "warn" or "fail"
    detail: str
    fix: str = ""


def check_packages(providers=None):
    """Each module by its import name, with the version of whichever distribution provides it."""
    providers = packages_distributions() if providers is None else providers
    for module, wanted in REQUIRED_MODULES.items():
        installed = [name for name in providers.get(module, []) if installed_version(name)]
        if installed:
            yield Check(f"package {installed[0]}", "ok", installed_version(installed[0]))
        else:
            yield Check(f"package {wanted}", "fail", "not installed", INSTALL_COMMAND)


def installed_version(distribution):
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def check_settings(problems):
    if not problems:
        return [Check("settings", "ok", "every setting is valid")]
    # "NAME=value: allowed is ..." -> name, and the rest as the detail.
    return [Check(f"setting {problem.split('=', 1)[0].split(':', 1)[0]}", "fail", problem,
                  "fix it in the environment or .env (docs/operations.md: Settings)") for problem in problems]


def check_dotenv():
    path = project_dotenv()
    if path:
        return Check(".env", "ok", f"found at {path}")
    return Check(".env", "warn", "not found; settings come from the environment only",
                 "copy .env.example to .env if you keep settings in a file")


def check_secret_key(app):
    # A weak key never gets here: create_app refuses to build the app and says how to make one.
    if app.config["SECRET_KEY_SOURCE"] == "environment":
        return Check("SECRET_KEY", "ok", f"set, {len(app.config['SECRET_KEY'])} characters")
    return Check("SECRET_KEY", "warn", "not set; using the generated key in the instance folder",
                 "set SECRET_KEY in production (the same on every server process)")


def check_database(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        problem, fix = classify_database_error(error, url, app.config["DB_CONNECT_TIMEOUT"])
        return Check("database", "fail", f"{describe_database(url)}: {problem}", fix)
    return Check("database", "ok", f"{describe_database(url)} reachable")


def check_rate_limit_store(app):
    uri = app.config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith(("redis", "rediss")):
        return Check("rate limits", "ok", f"kept in each process's memory ({uri})")
    from redis import Redis  # here, not at import: a server that never runs `check` never loads it
    from redis.exceptions import RedisError

    parts = urlsplit(uri)
    described = f"{parts.hostname or parts.path}:{parts.port or 6379}"  # never the password
    try:
        client = Redis.from_url(uri, socket_connect_timeout=app.config["DB_CONNECT_TIMEOUT"],
                                socket_timeout=app.config["DB_CONNECT_TIMEOUT"])
        client.ping()
    except RedisError as error:
        return Check("rate limits", "fail", f"Redis {described} unreachable ({type(error).__name__}); limits "
                     "would fall back to each process's memory", "start Redis, or fix RATELIMIT_STORAGE_URI")
    return Check("rate limits", "ok", f"Redis {described} reachable, shared by every process")


def reading(app, name, check):
    """`check()`, or a failure named `name` when the database refuses to be read (a role without rights)."""
    try:
        return check()
    except SQLAlchemyError as error:
        problem, fix = classify_database_error(error, app.config["SQLALCHEMY_DATABASE_URI"])
        return Check(name, "fail", f"cannot read it: {problem}", fix)


def check_schema():
    from alembic.migration import MigrationContext  # a command's import: servers never load Alembic

    head = head_revision()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if current == head:
        return Check("schema", "ok", f"at head ({head})")
    if current is None:
        for recognise in current_app.extensions.get(FOREIGN_SCHEMAS, ()):
            with db.engine.connect() as connection:
                found = recognise(connection)
            if found:
                return found
    if current is None and "users" in tables:
        return Check("schema", "fail", "a users table with no migration history: the FastAPI original's database",
                     f"adopt it: {ADOPT_COMMANDS}")
    where = "empty database" if current is None else f"at {current}, head is {head}"
    return Check("schema", "fail", where, "run `flask --app loopin db upgrade`")


CASE_DUPLICATES = text("SELECT lower(email) AS address, count(*) AS accounts FROM users "
                       "GROUP BY lower(email) HAVING count(*) > 1 ORDER BY lower(email)")


def check_case_duplicates():
    with db.engine.connect() as connection:
        if "users" not in inspect(connection).get_table_names():
            return None
        duplicates = connection.execute(CASE_DUPLICATES).all()
    if not duplicates:
        return Check("emails", "ok", "no two accounts differ only by letter case")
    listed = ", ".join(f"{row.address} ({row.accounts})" for row in duplicates)
    return Check("emails", "fail", f"accounts that differ only by letter case: {listed}",
                 "keep one account per address and rename the others "
                 "(docs/switching.md: 'Emails that differ only by case')")


def check_mail(app):
    """The SMTP server answers and takes the login, as the outbox's sender will need (port, TLS and
    credentials as configured). Without MAIL_SERVER, mail goes to files: fine unless mail matters."""
    config = app.config
    if not config["MAIL_SERVER"]:
        status = "ok" if config["EMAIL_VERIFICATION"] == "off" else "warn"
        return Check("mail", status, "no MAIL_SERVER: messages are written to instance/outbox/ as .eml files",
                     "" if status == "ok" else "set MAIL_SERVER (and MAIL_USERNAME/MAIL_PASSWORD) to send them")
    where = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    try:
        open_smtp(config, config["DB_CONNECT_TIMEOUT"]).quit()
    except (smtplib.SMTPException, OSError) as error:
        return Check("mail", "fail", f"SMTP {where}: {type(error).__name__}", "check MAIL_SERVER, MAIL_PORT, "
                     "MAIL_USE_TLS/MAIL_USE_SSL and the login; mail waits in the outbox meanwhile")
    return Check("mail", "ok", f"SMTP {where} answers{' and accepts the login' if config['MAIL_USERNAME'] else ''}")


def check_threads(app):
    threads, capacity = app.config["WAITRESS_THREADS"], pool_capacity(app.config)
    if capacity is None:
        return Check("threads", "ok", f"waitress threads {threads}; SQLite has no pool limit")
    if threads_beyond_pool(app.config):
        return Check("threads", "warn", f"waitress threads {threads} > pool {capacity} (pool_size + max_overflow)",
                     POOL_ADVICE)
    return Check("threads", "ok", f"waitress threads {threads} <= pool {capacity}")


def run_checks(app, problems=()):
    """Every check, in the order a newcomer fixes things. With bad settings, nothing that would use
    them: the database a bad DATABASE_URL names cannot be checked."""
    checks = [*check_packages(), Check("app", "ok", "loopin imports and create_app builds the app"),
              check_dotenv(), *check_settings(problems)]
    if problems:
        return [*checks, Check("database", "warn", "not checked until the settings are fixed")]
    checks += [check_secret_key(app), check_threads(app), check_rate_limit_store(app), check_mail(app)]
    database = check_database(app)
    checks.append(database)
    if database.status == "ok":
        checks.append(reading(app, "schema", check_schema))
        duplicates = reading(app, "emails", check_case_duplicates)
        if duplicates:
            checks.append(duplicates)
        checks += [reading(app, name, lambda check=check: check(app))
                   for name, check in app.extensions.get(FEATURE_CHECKS, ())]
    return checks


def register_check(app, name, check):
    """Add a feature's check (`check(app)` -> Check) to `check`, named `name` when the database refuses it."""
    app.extensions.setdefault(FEATURE_CHECKS, []).append((name, check))


def as_json(checks):
    return {"ok": all(check.status != "fail" for check in checks), "checks": [asdict(check) for check in checks]}
