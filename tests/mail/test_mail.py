"""Mail (issue 17): the outbox is written in the action's transaction and delivered after it commits,
by `flask mail deliver` and by a background sender per server; a real SMTP server (aiosmtpd) that is
down and comes back; files in development; exactly once from two processes on PostgreSQL."""

import logging
import os
import stat
from datetime import timedelta

from helpers import AuthActions, make_app
from mail_server import MailServer, token_in
from servers import request, server_environment, waitress
from sqlalchemy import func, select, update

from loopin.core.clock import utcnow
from loopin.core.database import transaction
from loopin.core.extensions import db
from loopin.mail import queue_mail
from loopin.models import OutboxMessage, User

VERIFYING = {"EMAIL_VERIFICATION": "optional", "PUBLIC_BASE_URL": "https://loopin.college.edu/app/"}


def deliver(app):
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def outbox(app):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_message_is_queued_with_its_action_and_sent_after_it(mail_app, mail_server, caplog):
    app = mail_app(**VERIFYING)
    AuthActions(app.test_client(), email="ann@test.edu").register()
    [queued] = outbox(app)
    assert (queued.recipient, queued.sent_at, mail_server.messages) == ("ann@test.edu", None, [])  # nobody waited
    caplog.set_level(logging.INFO)
    assert deliver(app) == "Delivered 1 message(s); 0 postponed for a retry; 0 refused for good."
    [message] = mail_server.messages
    assert (message["To"], message["Subject"]) == ("ann@test.edu", "Verify your Loop.in email address")
    assert message["From"] == "Loop.in <no-reply@localhost>" and message["Message-ID"] == queued.message_id
    body = message.get_payload(decode=True).decode()
    assert "https://loopin.college.edu/app/verify-email?token=" in body
    [sent] = outbox(app)
    assert sent.sent_at is not None and sent.body == ""  # the link's token is not kept once delivered
    assert token_in(message) not in caplog.text
    assert deliver(app).startswith("Delivered 0 message(s)")  # once


def test_a_rolled_back_action_sends_nothing(mail_app, mail_server, monkeypatch):
    from loopin.auth import routes

    app = mail_app(**VERIFYING)
    real = routes.send_verification
    monkeypatch.setattr(routes, "send_verification", lambda user: (real(user), 1 / 0))
    assert AuthActions(app.test_client(), email="ann@test.edu").register().status_code == 500
    assert outbox(app) == []
    deliver(app)
    assert mail_server.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_nothing_is_lost_while_the_smtp_server_is_down(mail_app, caplog):
    down = MailServer()  # its port is chosen, nothing listens on it yet
    app = mail_app(**VERIFYING, **down.settings)
    AuthActions(app.test_client(), email="ann@test.edu").register()
    caplog.set_level(logging.WARNING, "loopin.mail")
    assert deliver(app) == "Delivered 0 message(s); 1 postponed for a retry; 0 refused for good."
    [waiting] = outbox(app)
    assert waiting.attempts == 1 and waiting.sent_at is None and "ConnectionRefusedError" in waiting.last_error
    assert "not delivered (attempt 1)" in caplog.text and "next attempt in 30 s" in caplog.text
    assert deliver(app).startswith("Delivered 0")  # not due yet: backoff
    down.start()
    try:
        with app.app_context(), transaction():  # 30 seconds later
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        assert deliver(app).startswith("Delivered 1 message(s)")
        assert [m["To"] for m in down.messages] == ["ann@test.edu"]
    finally:
        down.stop()


def test_retries_back_off_to_an_hour():
    from loopin.mail.delivery import retry_delay

    assert [int(retry_delay(n).total_seconds()) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_a_recipient_refused_for_good_is_not_retried(mail_app, mail_server, caplog):
    mail_server.inbox.refused.add("gone@test.edu")
    app = mail_app()
    with app.app_context(), transaction():
        queue_mail("gone@test.edu", "Hello", "Body")
        queue_mail("ann@test.edu", "Hello", "Body")
    assert deliver(app) == "Delivered 1 message(s); 0 postponed for a retry; 1 refused for good."
    refused, sent = outbox(app)
    assert refused.failed_at is not None and refused.last_error == "recipient refused (550)"
    assert "gone@test.edu" not in caplog.text  # the address is personal data
    assert deliver(app).startswith("Delivered 0 message(s); 0 postponed for a retry; 0 refused")


def test_without_a_mail_server_messages_become_files(app, database_url, tmp_path, caplog):
    files = make_app(database_url, tmp_path / "files", **VERIFYING)
    caplog.set_level(logging.INFO, "loopin.mail")
    AuthActions(files.test_client(), email="ann@test.edu").register()
    deliver(files)
    [path] = list((tmp_path / "files" / "instance" / "outbox").glob("*.eml"))
    assert "Verify your Loop.in email address" in path.read_text(encoding="utf-8")
    assert str(path) in caplog.text
    if os.name != "nt":  # a live verification link: its owner's only (POSIX bits; Windows uses ACLs)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    with files.app_context():
        db.engine.dispose()


def test_a_server_delivers_in_the_background(app, database_url, tmp_path, mail_server):
    env = server_environment(database_url, tmp_path / "instance", MAIL_SEND_INTERVAL=60, **VERIFYING,
                             **mail_server.settings)
    with waitress(env, tmp_path / "waitress.log") as (base, _process):
        status, _headers, _body = request(base, "POST", "/auth/register",
                                          {"email": "ann@test.edu", "password": AuthActions.PASSWORD})
        assert status == 200
        # Woken by the commit, not by the 60 s interval.
        assert [m["To"] for m in mail_server.wait_for(1, seconds=10)] == ["ann@test.edu"]


def test_two_server_processes_deliver_each_message_exactly_once(app, database_url, tmp_path, mail_server):
    """The claim: FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock taken first on SQLite."""
    with app.app_context(), transaction():
        for n in range(60):
            queue_mail(f"student{n}@test.edu", f"Notice {n}", "Body")
    env = server_environment(database_url, tmp_path / "instance", MAIL_SEND_INTERVAL=1, **mail_server.settings)
    with waitress(env, tmp_path / "a.log") as _a, waitress(env, tmp_path / "b.log") as _b:
        received = mail_server.wait_for(60, seconds=30)
    ids = [message["Message-ID"] for message in received]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert all(row.sent_at is not None for row in outbox(app))


def test_a_senders_thread_ends_with_its_app(tmp_path):
    """An app that is gone (a script's, a test's) takes its background sender with it."""
    import gc

    from loopin.mail.outbox import SENDER

    app = make_app("sqlite://", tmp_path, MAIL_SEND_INTERVAL=60)
    sender = app.extensions[SENDER]
    assert sender.thread.is_alive()
    del app
    gc.collect()
    sender.wake()
    sender.thread.join(timeout=10)
    assert not sender.thread.is_alive()


def test_sent_and_refused_mail_leaves_the_outbox_after_the_retention(app, runner):
    now = utcnow()
    with app.app_context(), transaction():
        for address in ("old-sent@test.edu", "old-refused@test.edu", "new-sent@test.edu", "queued@test.edu"):
            queue_mail(address, "Hello", "Body")
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "old-sent@test.edu")
                           .values(sent_at=now - timedelta(days=8)))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "old-refused@test.edu")
                           .values(failed_at=now - timedelta(days=8)))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "new-sent@test.edu")
                           .values(sent_at=now - timedelta(days=6)))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "queued@test.edu")
                           .values(created_at=now - timedelta(days=30)))  # still waiting: never purged
    result = runner.invoke(args=["mail", "purge"])  # MAIL_RETENTION_DAYS: 7
    assert result.exit_code == 0 and "Deleted 2 sent or refused message(s) older than 7 days." in result.output
    assert sorted(row.recipient for row in outbox(app)) == ["new-sent@test.edu", "queued@test.edu"]
    assert runner.invoke(args=["mail", "purge", "--older-than", "5d"]).output.startswith("Deleted 1 ")


def test_a_deleted_account_leaves_no_mail_with_its_address(mail_app, mail_server):
    app = mail_app(**VERIFYING)
    client = app.test_client()
    AuthActions(client, email="Ann@test.edu").register()  # a verification mail, queued
    other = AuthActions(client, email="bob@test.edu")
    other.register()
    headers = AuthActions(client, email="Ann@test.edu").headers()
    assert client.delete("/users/me", json={"password": AuthActions.PASSWORD}, headers=headers).status_code == 204
    assert [row.recipient for row in outbox(app)] == ["bob@test.edu"]


def test_mail_to_one_address_is_limited_whatever_account_it_has(limited_app, mail_server, caplog):
    """Register, delete, register again: each registration queues a verification mail, and deleting
    the account freed the address, so a per-account limit never built up (ten mails in 5 s)."""
    app = limited_app(**mail_server.settings, **VERIFYING, RATELIMIT_MAIL_PER_ADDRESS="3 per hour")
    client = app.test_client()
    caplog.set_level(logging.INFO, "loopin.audit")
    for _ in range(5):
        actions = AuthActions(client, email="victim@test.edu")
        assert actions.register().status_code == 200
        deliver(app)
        assert client.delete("/users/me", json={"password": AuthActions.PASSWORD},
                             headers=actions.headers()).status_code == 204
    AuthActions(client, email="Victim@Test.edu").register()  # the same address, however it is spelt
    assert client.post("/auth/password/forgot", json={"email": "victim@test.edu"}).status_code == 202
    deliver(app)
    assert len(mail_server.messages) == 3
    assert [m for m in mail_server.messages if "victim@test.edu" not in str(m["To"]).lower()] == []
    assert '"mail_suppressed"' in caplog.text
