"""Issue 26: the caller's lookup is parsed and planned once per PostgreSQL connection (core/prepared.py):
PREPARE travels with the first EXECUTE on a connection, in the same message, and each request after
sends EXECUTE alone, still one round trip. A server that keeps no prepared statements (a transaction
pooler) gets the statement as written, and the request its answer."""

import pytest
from pg_wire import sent_by
from platform_helpers import signed_in
from sqlalchemy import text

from loopin.auth.tokens import prepared_session_user_read, session_user_row_query
from loopin.core.extensions import db
from loopin.core.prepared import PREPARED
from loopin.notifications.inbox import callers_unread

pytestmark = pytest.mark.postgresql


def test_the_callers_lookup_is_prepared_once_per_connection_in_the_message_that_executes_it(wired_app, wire):
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    first, response = wire.during(lambda: client.get("/auth/me", headers=ann))
    assert response.status_code == 200
    assert len(first) == 1 and first[0].startswith("PREPARE loopin_caller AS SELECT users.id"), first
    assert "; EXECUTE loopin_caller('" in first[0]
    sent, response = sent_by(wire, lambda: client.get("/auth/me", headers=ann))
    assert response.status_code == 200 and response.get_json()["email"] == "ann@test.edu"
    assert len(sent) == 1 and sent[0].startswith("EXECUTE loopin_caller('"), sent
    for _ in range(5):
        assert client.get("/notifications/unread-count", headers=ann).status_code == 200
    prepares = [(number, query.split(" AS ")[0]) for number, _, query in wire.messages
                if query and query.startswith("PREPARE")]
    assert len(prepares) == len(set(prepares)), prepares  # each statement once per connection
    assert {name for _, name in prepares} == {"PREPARE loopin_caller", "PREPARE loopin_caller_callers_unread"}


def test_a_connection_that_replaces_a_lost_one_prepares_again(wired_app, wire, caplog):
    """What a connection holds is forgotten with it: the retried request's new connection is sent the
    PREPARE again, and nothing is refused."""
    client = wired_app.test_client()
    ann = signed_in(wired_app, client, "ann@test.edu")
    client.get("/auth/me", headers=ann)
    wire.drop_next("EXECUTE loopin_caller(")
    sent, response = wire.during(lambda: client.get("/auth/me", headers=ann))
    assert response.status_code == 200 and len(wire.dropped) == 1
    assert any(query.startswith("PREPARE loopin_caller AS") for query in sent), sent
    assert prepared_session_user_read(None, "postgresql").kept and "did not keep" not in caplog.text


@pytest.mark.parametrize("extra", [None, callers_unread])
def test_a_prepared_lookup_returns_the_statements_own_rows(pg_app, extra):
    client = pg_app.test_client()
    signed_in(pg_app, client, "ann@test.edu")
    with pg_app.test_request_context("/auth/me"), db.engine.connect() as connection:
        sid = connection.execute(text("SELECT id FROM sessions")).scalar_one()
        as_written = connection.execute(session_user_row_query(extra, "postgresql"), {"sid": sid}).all()
        prepared = prepared_session_user_read(extra, "postgresql")
        for _ in range(2):  # PREPARE with EXECUTE, then EXECUTE alone
            rows = prepared.execute(connection, {"sid": sid}).all()
            assert rows == as_written and rows[0]._fields == as_written[0]._fields
        assert prepared.name in connection.info[PREPARED]


@pytest.mark.parametrize("server_state", ["forgot it", "already has one"])
def test_a_server_that_keeps_no_prepared_statements_is_sent_the_statement_as_written(
        pg_app, monkeypatch, caplog, server_state):
    """Behind a transaction pooler a connection's statements land on any server connection: one that
    never saw the PREPARE (26000), or one that already holds it (42P05). The read still answers, and
    the process stops preparing instead of failing again."""
    prepared = prepared_session_user_read(None, "postgresql")
    monkeypatch.setattr(prepared, "kept", True)  # restored after: the verdict is the process's
    client = pg_app.test_client()
    ann = signed_in(pg_app, client, "ann@test.edu")
    with pg_app.test_request_context("/auth/me"), db.engine.connect() as connection:
        if server_state == "forgot it":
            connection.info[PREPARED] = {prepared.name}
        else:
            connection.exec_driver_sql(f"PREPARE {prepared.name} AS SELECT 1")
        sid = connection.execute(text("SELECT id FROM sessions")).scalar_one()
        row = prepared.execute(connection, {"sid": sid}).one()
        assert row.email == "ann@test.edu"
    assert prepared.kept is False
    assert "did not keep the prepared statement loopin_caller (SQLSTATE" in caplog.text
    assert sid not in caplog.text
    response = client.get("/auth/me", headers=ann)
    assert response.status_code == 200 and response.get_json()["email"] == "ann@test.edu"
