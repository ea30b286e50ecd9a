"""Pre-flight checks behind `flask --app loopin check`, the successor of the original's validate.py.

Each check answers ok, warn or fail, with what was found and, when it is not ok, the fix. Nothing here
prints a password: the database is described as `host:port/dbname`.
"""

from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version

from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.engine import make_url

from .config import project_dotenv
from .database import POOL_ADVICE, describe_database, pool_capacity, threads_beyond_pool
from .extensions import db
from .schema import head_revision

REQUIRED_PACKAGES = ["Flask", "Flask-SQLAlchemy", "SQLAlchemy", "Flask-Migrate", "alembic", "psycopg2-binary",
                     "Flask-JWT-Extended", "PyJWT", "pydantic", "email-validator", "argon2-cffi", "bcrypt",
                     "flask-cors", "python-dotenv", "waitress"]
ADOPT_COMMANDS = "flask --app loopin db stamp 0001_original_users && flask --app loopin db upgrade"
START_POSTGRES = ("start PostgreSQL (Linux: sudo systemctl start postgresql; macOS: brew services start "
                  "postgresql; Windows: Services -> PostgreSQL -> Start)")


@dataclass
class Check:
    name: str
    status: str  # "ok", "warn" or "fail"
    detail: str
    fix: str = ""


def check_packages():
    for package in REQUIRED_PACKAGES:
        try:
            yield Check(f"package {package}", "ok", version(package))
        except PackageNotFoundError:
            yield Check(f"package {package}", "fail", "not installed", "pip install -r requirements.txt")


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


def classify_connection_error(message, url):
    """(what is wrong, how to fix it) for a failed connection, from the driver's message."""
    lowered = message.lower()
    name = make_url(url).database
    if "password authentication failed" in lowered:
        return "wrong password", "fix the password in DATABASE_URL"
    if "role" in lowered and "does not exist" in lowered:
        return "unknown user", "fix the user in DATABASE_URL, or create it: CREATE ROLE … LOGIN PASSWORD …"
    if "database" in lowered and "does not exist" in lowered:
        return "database does not exist", f'psql -U postgres -c "CREATE DATABASE {name}"'
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return "unknown host", "fix the host in DATABASE_URL"
    if "timeout expired" in lowered or "timed out" in lowered:
        return "timeout", "the host did not answer in DB_CONNECT_TIMEOUT seconds: check host, port and firewall"
    if "connection refused" in lowered:
        return "server not running / connection refused", START_POSTGRES
    if "unable to open database file" in lowered:
        return "cannot open the SQLite file", "check that the folder of the SQLite path exists and is writable"
    return "cannot connect", message.strip().splitlines()[0]


def check_database(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        problem, fix = classify_connection_error(str(getattr(error, "orig", error)), url)
        return Check("database", "fail", f"{describe_database(url)}: {problem}", fix)
    return Check("database", "ok", f"{describe_database(url)} reachable")


def check_schema():
    head = head_revision()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if current == head:
        return Check("schema", "ok", f"at head ({head})")
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
                 "keep one account per address and rename the others (README: 'Emails that differ only by case')")


def check_threads(app):
    threads, capacity = app.config["WAITRESS_THREADS"], pool_capacity(app.config)
    if capacity is None:
        return Check("threads", "ok", f"waitress threads {threads}; SQLite has no pool limit")
    if threads_beyond_pool(app.config):
        return Check("threads", "warn", f"waitress threads {threads} > pool {capacity} (pool_size + max_overflow)",
                     POOL_ADVICE)
    return Check("threads", "ok", f"waitress threads {threads} <= pool {capacity}")


def run_checks(app):
    """Every check, in the order a newcomer fixes things."""
    checks = [*check_packages(), Check("app", "ok", "loopin imports and create_app builds the app"),
              check_dotenv(), check_secret_key(app), check_threads(app)]
    database = check_database(app)
    checks.append(database)
    if database.status == "ok":
        checks.append(check_schema())
        duplicates = check_case_duplicates()
        if duplicates:
            checks.append(duplicates)
    return checks


def as_json(checks):
    return {"ok": all(check.status != "fail" for check in checks), "checks": [asdict(check) for check in checks]}
