"""Concurrent registrations of one email, on SQLite and PostgreSQL: exactly one account, every other
answer a 400; and PostgreSQL's race at the unique index, made deterministic."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from loopin.core.extensions import db
from loopin.models import User

RACE_EMAIL = "race@test.edu"


def count_accounts(app, email=RACE_EMAIL):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.email == email))


def register(app, email=RACE_EMAIL):
    response = app.test_client().post("/auth/register", json={"email": email, "password": "correct horse battery"})
    return response.status_code, response.get_json()


def test_sec_31_concurrent_registrations_create_one_account(app):
    threads = 8
    start_together = threading.Barrier(threads)

    def register_at_once(_):
        start_together.wait()
        return register(app)

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(register_at_once, range(threads)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [400] * (threads - 1)
    assert all(body == {"detail": "Email already registered"} for status, body in answers if status == 400)
    assert count_accounts(app) == 1


@pytest.mark.postgresql
def test_sec_31_lost_race_at_the_unique_index_is_a_clean_400(pg_app):
    """Deterministic race: another transaction has inserted the address but not committed. The request's
    existence check sees nothing, its INSERT waits on the unique index, and when the other transaction
    commits the INSERT fails; the answer must be the contract's 400, not a 500."""
    with pg_app.app_context(), db.engine.connect() as holder, db.engine.connect() as observer:
        holder_transaction = holder.begin()
        holder.execute(text("INSERT INTO users (email, hashed_password, is_active) VALUES (:e, 'x', true)"),
                       {"e": RACE_EMAIL})
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(register, pg_app)
            try:
                wait_for_lock_wait(observer, exclude=(holder, observer))
            finally:
                holder_transaction.commit()
            status, body = pending.result(timeout=30)
    assert (status, body) == (400, {"detail": "Email already registered"})
    assert count_accounts(pg_app) == 1


def backend_pid(connection):
    return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def wait_for_lock_wait(observer, exclude, attempts=300):
    """Until another Loopin connection is blocked on a lock (the INSERT behind the unique index)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'loopin' "
                 "AND wait_event_type = 'Lock' AND NOT (pid = ANY(:excluded))")
    excluded = [backend_pid(connection) for connection in exclude]
    for _ in range(attempts):
        observer.execute(text("SELECT pg_stat_clear_snapshot()"))  # activity is snapshotted per transaction
        if observer.execute(query, {"excluded": excluded}).scalar():
            observer.rollback()
            return
        observer.rollback()
        time.sleep(0.05)
    raise AssertionError("the registration never reached the unique index")
