"""Reporting a post or a comment, and hiding it once enough people did (docs/moderation.md). Flushes;
the view's transaction() commits. The target's row is locked before the report is counted, so of
reports arriving at once exactly one finds the threshold reached and hides the target, once."""

from flask import current_app
from sqlalchemy import func, select

from ..auth.models import ADMIN, User
from ..core.database import insert_or_merge
from ..core.extensions import db
from ..notifications.events import notify_moderation
from ..posts.visibility import hidden_from
from .models import Report
from .targets import COMMENT, NOUNS, POST, locked_target, set_hidden

REPORTS, USERS = Report.__table__, User.__table__
NOT_FOUND = {POST: "Post not found", COMMENT: "Comment not found"}
OWN = {kind: f"You cannot report your own {noun}" for kind, noun in NOUNS.items()}
ALREADY = {kind: f"You have already reported this {noun}; an admin will review it" for kind, noun in NOUNS.items()}


class ReportRefused(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def counting_reporters(target):
    """How many different people's open reports on the target count toward hiding it: active accounts
    with a verified address (any active account while EMAIL_VERIFICATION=off, where none can verify)."""
    statement = (select(func.count()).select_from(REPORTS).join(USERS, USERS.c.id == REPORTS.c.reporter_id)
                 .where(target.report_column == target.id, REPORTS.c.resolved_at.is_(None),
                        USERS.c.is_active.isnot(False)))
    if current_app.config["EMAIL_VERIFICATION"] != "off":
        statement = statement.where(USERS.c.email_verified_at.isnot(None))
    return db.session.scalar(statement)


def report(caller, body, now):
    """The new report's row. Raises ReportRefused: 404 (no such target, or hidden from the caller), 422
    (their own), 409 (they already have an open report on it)."""
    kind, target_id = (POST, body.post_id) if body.post_id is not None else (COMMENT, body.comment_id)
    target = locked_target(kind, target_id)
    if target is None or hidden_from(target, caller):
        raise ReportRefused(404, NOT_FOUND[kind])
    reporter = caller.user
    if target.author_id == reporter.id:
        raise ReportRefused(422, OWN[kind])
    row = db.session.execute(
        insert_or_merge(REPORTS).values(reporter_id=reporter.id, post_id=body.post_id, comment_id=body.comment_id,
                                        reason=body.reason, details=body.details, created_at=now)
        .on_conflict_do_nothing().returning(*REPORTS.c)).first()
    if row is None:  # the open report of this reporter and target is already there
        raise ReportRefused(409, ALREADY[kind])
    if target.hidden_at is None and (reporter.role == ADMIN
                                     or counting_reporters(target) >= current_app.config["REPORT_HIDE_THRESHOLD"]):
        hide(target, now)
    return row


def hide(target, now):
    if set_hidden(target, now):
        message = (f"Your {target.described} was hidden after reports; an admin will review it. Until then "
                   "only you and admins see it.")
        notify_moderation([target.author_id], message, target.post_id)
