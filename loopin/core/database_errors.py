"""What went wrong reaching the database, and how to fix it: for `flask check`.

In order of trust: the SQLSTATE the server sent (language-independent); then, for a connection that
failed before any server answered, a probe of the network path (refused, no such host, no answer),
which no locale changes; last, the text of a server's refusal at connect time, which psycopg2 gives
without a SQLSTATE and a server configured for another language words differently (then the first
line of the message is shown as it is).
"""

import socket

from sqlalchemy.engine import make_url

START_POSTGRES = ("start PostgreSQL (Linux: sudo systemctl start postgresql; macOS: brew services start "
                  "postgresql; Windows: Services -> PostgreSQL -> Start)")


def by_sqlstate(sqlstate, url):
    name, user = make_url(url).database, make_url(url).username
    return {
        "28P01": ("wrong password", "fix the password in DATABASE_URL"),
        "28000": ("sign-in refused", "fix the user in DATABASE_URL, or allow it in pg_hba.conf"),
        "3D000": ("database does not exist", f'psql -U postgres -c "CREATE DATABASE {name}"'),
        "42501": ("permission denied", f"grant {user} rights on Loopin's tables, or connect as their owner"),
        "53300": ("too many connections", "lower DB_POOL_SIZE/DB_MAX_OVERFLOW or raise max_connections"),
        "57P03": ("server is starting up or shutting down", "wait, then run the check again"),
        "57014": ("statement timed out", "raise DB_STATEMENT_TIMEOUT_MS, or find what holds a lock"),
    }.get(sqlstate)


def by_network(url, timeout):
    """(problem, fix) when the server cannot be reached at all; None when something answers there."""
    parsed = make_url(url)
    if not parsed.host or parsed.host.startswith("/"):
        return None  # a Unix socket: nothing to probe by host and port
    try:
        with socket.create_connection((parsed.host, parsed.port or 5432), timeout=timeout):
            return None
    except socket.gaierror:
        return "unknown host", "fix the host in DATABASE_URL"
    except ConnectionRefusedError:
        return "server not running / connection refused", START_POSTGRES
    except TimeoutError:
        return "timeout", "the host did not answer in DB_CONNECT_TIMEOUT seconds: check host, port and firewall"
    except OSError as error:
        return "cannot reach the server", str(error)


def by_server_message(message, url):
    """A refusal the server worded (psycopg2 gives no SQLSTATE for failures while connecting)."""
    lowered = message.lower()
    name = make_url(url).database
    if "password authentication failed" in lowered:
        return "wrong password", "fix the password in DATABASE_URL"
    if "role" in lowered and "does not exist" in lowered:
        return "unknown user", "fix the user in DATABASE_URL, or create it: CREATE ROLE ... LOGIN PASSWORD ..."
    if "database" in lowered and "does not exist" in lowered:
        return "database does not exist", f'psql -U postgres -c "CREATE DATABASE {name}"'
    if "timeout expired" in lowered:  # libpq's own: the server accepted TCP but never answered
        return "timeout", "the server did not answer in DB_CONNECT_TIMEOUT seconds: check host, port and load"
    if "unable to open database file" in lowered:
        return "cannot open the SQLite file", "check that the folder of the SQLite path exists and is writable"
    return "cannot connect", (message.strip().splitlines() or ["(no message)"])[0]


def classify_database_error(error, url, timeout=3):
    """(problem, fix) for an SQLAlchemy error raised while using `url`."""
    original = getattr(error, "orig", error)
    sqlstate = getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)
    known = sqlstate and by_sqlstate(sqlstate, url)
    if known:
        return known
    if make_url(url).get_backend_name() == "postgresql":
        unreachable = by_network(url, timeout)
        if unreachable:
            return unreachable
    return by_server_message(str(original), url)
