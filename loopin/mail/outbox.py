"""Queueing mail: a row in the caller's transaction. The process's sender is woken after the commit
(never before: a rolled-back action must send nothing), so no request waits on SMTP."""

from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import event

from ..core.extensions import db
from .models import OutboxMessage

QUEUED = "loopin.mail_queued"  # session.info key: this transaction queued mail
SENDER = "loopin.mail_sender"  # app.extensions key: this process's background sender, if any


def queue_mail(recipient, subject, body):
    """Add a message to the outbox in the current transaction."""
    sender_domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2]
    db.session.add(OutboxMessage(recipient=recipient, subject=subject, body=body,
                                 message_id=make_msgid(domain=sender_domain)))
    db.session.info[QUEUED] = True


def wake_sender_after_commit(session):
    if session.info.pop(QUEUED, False):
        sender = current_app.extensions.get(SENDER)
        if sender is not None:
            sender.wake()


def forget_after_rollback(session, _previous_transaction):
    session.info.pop(QUEUED, None)


def listen_for_commits():
    """Once per process: every Flask-SQLAlchemy session reports its commits and rollbacks."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", wake_sender_after_commit):
        event.listen(session_class, "after_commit", wake_sender_after_commit)
        event.listen(session_class, "after_soft_rollback", forget_after_rollback)
