"""Delivering the outbox: claim due messages, send them after the claim commits, record each outcome.

A claim is an UPDATE that stamps `claimed_until` on up to a batch of due, unclaimed messages; on
PostgreSQL its subquery takes them FOR UPDATE SKIP LOCKED, so senders in other processes pass over
them instead of waiting, and once it commits they see the claim. SQLite runs one writer at a time. A
message is sent at least once and, unless a sender dies between sending and recording, exactly once.
Failures wait longer each time (30 s doubling, at most an hour) and are logged; a 5xx refusal is final.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..core.clock import utcnow
from ..core.database import transaction
from ..core.extensions import db
from .models import OutboxMessage as Outbox
from .outbox import TEMPLATES
from .transports import PermanentFailure, build, transport_for

log = logging.getLogger("loopin.mail")
BATCH = 20
CLAIM = timedelta(minutes=5)  # far longer than a batch takes (SMTP_TIMEOUT per step)
FIRST_RETRY, LAST_RETRY = 30, 3600  # seconds


def retry_delay(attempts):
    return timedelta(seconds=min(FIRST_RETRY * 2 ** (attempts - 1), LAST_RETRY))


def describe(error):
    """What went wrong, without the server's text (it may repeat the recipient's address)."""
    if isinstance(error, PermanentFailure):
        return str(error)
    code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
    return f"{type(error).__name__} ({code})" if code else type(error).__name__


@dataclass
class Claimed:
    id: int
    recipient: str
    subject: str
    body: str
    message_id: str
    attempts: int
    template: str | None


def claim_due(now):
    due = (select(Outbox.id)
           .where(Outbox.sent_at.is_(None), Outbox.failed_at.is_(None), Outbox.next_attempt_at <= now,
                  or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now))
           .order_by(Outbox.id).limit(BATCH))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with transaction():
        claimed = (update(Outbox).where(Outbox.id.in_(due.scalar_subquery())).values(claimed_until=now + CLAIM)
                   .returning(Outbox.id, Outbox.recipient, Outbox.subject, Outbox.body, Outbox.message_id,
                              Outbox.attempts, Outbox.template))
        return sorted((Claimed(*row) for row in db.session.execute(claimed)), key=lambda row: row.id)


def record(row_id, **values):
    with transaction():
        db.session.execute(update(Outbox).where(Outbox.id == row_id).values(claimed_until=None, **values))


def sent(row, now):
    record(row.id, sent_at=now, body="", attempts=row.attempts + 1, last_error=None)


def mark_failed(row, now, error):
    log.error("Mail %s refused for good, not retried: %s", row.id, describe(error))
    record(row.id, failed_at=now, body="", attempts=row.attempts + 1, last_error=describe(error)[:500])


def postponed(row, now, error):
    attempts = row.attempts + 1
    delay = retry_delay(attempts)
    log.warning("Mail %s not delivered (attempt %s): %s; next attempt in %s s", row.id, attempts, describe(error),
                int(delay.total_seconds()))
    record(row.id, attempts=attempts, next_attempt_at=now + delay, last_error=describe(error)[:500])


def composed(rows, now):
    """The claimed messages ready to send: templated ones composed now (their text saved, so a retry
    sends the same), and those with nothing to send set aside (logged by id only)."""
    ready = []
    for row in rows:
        if row.template is not None:
            with transaction():
                message = TEMPLATES[row.template](row.recipient)
                if message is None:
                    db.session.execute(update(Outbox).where(Outbox.id == row.id).values(
                        claimed_until=None, failed_at=now, recipient="", last_error="nothing to send"))
                    log.info("Mail %s (%s): nothing to send", row.id, row.template)
                    continue
                row.recipient, row.subject, row.body = message
                row.template = None
                db.session.execute(update(Outbox).where(Outbox.id == row.id).values(
                    recipient=row.recipient, subject=row.subject, body=row.body, template=None))
        ready.append(row)
    return ready


def deliver_batch(rows, now):
    """Send one claimed batch over one connection: (sent, refused, postponed) counts."""
    config = current_app.config
    counts = [0, 0, 0]
    if not rows:  # every one had nothing to send: no connection
        return tuple(counts)
    try:
        with transport_for(config, current_app.instance_path) as transport:
            for row in rows:
                try:
                    transport.send(build(config, row, now), row)
                except PermanentFailure as error:
                    mark_failed(row, now, error)
                    counts[1] += 1
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    postponed(row, now, error)
                    counts[2] += 1
                    continue
                sent(row, now)
                counts[0] += 1
    except (smtplib.SMTPException, OSError) as error:  # no connection, TLS or login: the whole rest waits
        done = {row.id for row in rows[:sum(counts)]}
        for row in rows:
            if row.id not in done:
                postponed(row, now, error)
                counts[2] += 1
    return tuple(counts)


def deliver_due():
    """Deliver everything due now, batch after batch, until a batch is postponed or nothing is due:
    (sent, refused, postponed)."""
    totals = [0, 0, 0]
    while True:
        now = utcnow()
        rows = claim_due(now)
        if not rows:
            return tuple(totals)
        counts = deliver_batch(composed(rows, now), now)
        totals = [total + count for total, count in zip(totals, counts)]
        if counts[2]:
            return tuple(totals)
