"""An admin's review of a reported target (docs/moderation.md): dismiss (shown again), warn (shown
again, its author told why) or remove (deleted as an author's delete would, its author told why).
Every open report on it is closed, its reporters are told it was handled (not how), and the review is
audited. Flushes; the view's transaction() commits."""

from collections import Counter

from sqlalchemy import select, update

from ..audit.trail import record_action
from ..comments.services import find_comment, remove_comment
from ..core.extensions import db
from ..notifications.events import notify_moderation
from ..posts.services import delete_post, find_post
from .models import DISMISSED, REMOVED, WARNED, Report
from .targets import POST, locked_target, set_hidden

RESOLVE_REPORTS = "RESOLVE_REPORTS"  # the audit action (docs/api.md lists them)
RESOLUTIONS = {"dismiss": DISMISSED, "remove": REMOVED, "warn": WARNED}
REASON_WORDS = {"spam": "spam", "harassment": "harassment", "off_topic": "off topic",
                "personal_data": "personal data", "other": "a breach of the community rules"}
NOTHING_OPEN = "No open reports on this post or comment"


class NothingToResolve(Exception):
    """The target is gone, or nothing about it is open."""


def open_reports(target):
    return db.session.execute(select(Report.reporter_id, Report.reason)
                              .where(target.report_column == target.id, Report.resolved_at.is_(None))).all()


def resolve(admin, kind, target_id, action, note, now):
    """Resolve every open report on the target: (its name, the resolution, how many reports closed)."""
    target = locked_target(kind, target_id)
    reports = open_reports(target) if target is not None else []
    if not reports:
        raise NothingToResolve()
    resolution = RESOLUTIONS[action]
    reasons = Counter(reason for _, reason in reports)
    why = note or REASON_WORDS[reasons.most_common(1)[0][0]]
    db.session.execute(update(Report).where(target.report_column == target.id, Report.resolved_at.is_(None))
                       .values(resolved_at=now, resolution=resolution, resolver_id=admin.id)
                       .execution_options(synchronize_session=False))
    record_action(RESOLVE_REPORTS, admin, kind, target.id, resolution=resolution, reports=len(reports),
                  reasons=dict(reasons), author_id=target.author_id, note=note)
    still_there = target.post_id if resolution != REMOVED or kind != POST else None
    if resolution == REMOVED:
        notify_moderation([target.author_id], f"Your {target.described} was removed by an admin: {why}.", None)
        remove(admin, target)
    else:
        set_hidden(target, None)
        if resolution == WARNED:
            notify_moderation([target.author_id], f"An admin reviewed reports on your {target.described} and kept "
                                                  f"it, with a warning: {why}.", target.post_id)
    notify_moderation([reporter for reporter, _ in reports],
                      "Thank you: an admin reviewed the post or comment you reported.", still_there)
    db.session.flush()
    return target.name, resolution, len(reports)


def remove(admin, target):
    """As its author's delete would: a post with everything under it; a comment, or its placeholder
    where others replied."""
    if target.kind == POST:
        delete_post(admin, find_post(target.id))
    else:
        remove_comment(admin, find_comment(target.post_id, target.id))
