"""Queueing mail: a row in the caller's transaction. The process's sender is woken after the commit
(never before: a rolled-back action must send nothing), so no request waits on SMTP."""

from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import event

from ..core.extensions import db
from .models import OutboxMessage

QUEUED = "loopin.mail_queued"  # session.info key: this transaction queued mail
SENDER = "loopin.mail_sender"  # app.extensions key: this process's background sender, if any


# template name -> compose(recipient): (recipient, subject, body), or None when there is nothing to send.
# Features register theirs at startup; compose runs at delivery, inside a transaction of its own.
TEMPLATES = {}


def register_template(name, compose):
    TEMPLATES[name] = compose


def queue_mail(recipient, subject="", body="", template=None):
    """Add a message to the outbox in the current transaction: composed now, or by `template` when it
    is delivered."""
    sender_domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2]
    db.session.add(OutboxMessage(recipient=recipient, subject=subject, body=body, template=template,
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
