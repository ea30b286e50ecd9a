"""The wire fixtures of issue 26's round-trip tests: an app whose every PostgreSQL connection goes
through a proxy that logs what the client sends (tests/pg_wire.py)."""

import pytest
from helpers import make_app
from pg_wire import WireLog
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy

from loopin.core.extensions import db


@pytest.fixture
def wire():
    return WireLog()


@pytest.fixture
def wired_app(postgres_url, tmp_path, wire):
    target = make_url(postgres_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432, wire)
    proxy.restore()
    # No TLS between the app and the proxy, or there would be nothing to read.
    url = target.set(host="127.0.0.1", port=proxy.port, query={"sslmode": "disable"})
    app = make_app(url.render_as_string(hide_password=False), tmp_path)
    yield app
    with app.app_context():
        tables = ", ".join(table.name for table in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.engine.dispose()
    proxy.cut()
