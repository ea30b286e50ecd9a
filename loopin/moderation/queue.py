"""The review queue (`GET /admin/reports`): reported posts and comments, one row per target with its
reports counted by reason, targets with open reports first, the latest reported first. One statement
per page: the reports are grouped and the page is cut, then its targets' text and authors are joined."""

from functools import cache

from sqlalchemy import bindparam, case, false, func, select

from ..auth.public import AUTHOR_COLUMNS, USERS, author_fields
from ..comments.models import Comment
from ..core.database import as_dicts
from ..core.extensions import db
from ..posts.models import Post
from .models import REASONS, Report

REPORTS, POSTS, COMMENTS = Report.__table__, Post.__table__, Comment.__table__
EXCERPT = 280  # characters of the reported text the queue shows


@cache
def queue_statement(status):
    """`status`: open (only open reports are counted), closed (targets with none open) or all."""
    is_open = REPORTS.c.resolved_at.is_(None)
    open_reports = func.sum(case((is_open, 1), else_=0))
    open_last = case((open_reports > 0, 0), else_=1)
    reasons = [func.sum(case((REPORTS.c.reason == reason, 1), else_=0)).label(f"reason_{reason}")
               for reason in REASONS]
    grouped = (select(REPORTS.c.post_id, REPORTS.c.comment_id, open_reports.label("open_reports"),
                      func.count().label("total_reports"), *reasons,
                      func.min(REPORTS.c.created_at).label("first_reported_at"),
                      func.max(REPORTS.c.created_at).label("last_reported_at"),
                      open_last.label("open_last"))
               .group_by(REPORTS.c.post_id, REPORTS.c.comment_id))
    if status == "open":
        grouped = grouped.where(is_open)
    elif status == "closed":
        grouped = grouped.having(open_reports == 0)
    page = (grouped.order_by(open_last, func.max(REPORTS.c.created_at).desc(), REPORTS.c.post_id.desc(),
                             REPORTS.c.comment_id.desc())
            .offset(bindparam("skip")).limit(bindparam("limit")).subquery("page"))
    is_comment = page.c.comment_id.isnot(None)

    def of_target(comment_column, post_column):
        return case((is_comment, comment_column), else_=post_column)

    author_id = of_target(COMMENTS.c.author_id, POSTS.c.author_id)
    joined = (page.outerjoin(COMMENTS, COMMENTS.c.id == page.c.comment_id)
              .outerjoin(POSTS, POSTS.c.id == func.coalesce(page.c.post_id, COMMENTS.c.post_id))
              .outerjoin(USERS, USERS.c.id == author_id))
    return (select(*page.c, POSTS.c.title.label("post_title"),
                   func.substr(of_target(COMMENTS.c.content, POSTS.c.content), 1, EXCERPT).label("content"),
                   of_target(COMMENTS.c.hidden_at, POSTS.c.hidden_at).label("hidden_at"),
                   of_target(false(), POSTS.c.is_anonymous).label("is_anonymous"),
                   author_id.label("author_id"), *AUTHOR_COLUMNS)
            .select_from(joined)
            .order_by(page.c.open_last, page.c.last_reported_at.desc(), page.c.post_id.desc(),
                      page.c.comment_id.desc()))


def review_queue(status, skip, limit):
    return db.session.execute(queue_statement(status), {"skip": skip, "limit": limit}).all()


def queue_items(rows):
    """The queue's rows as its answer's fields: the target's name, the reasons that were given."""
    page = as_dicts(rows)
    for fields in page:
        kind = "comment" if fields["comment_id"] is not None else "post"
        fields.update(target=f"{kind}-{fields['comment_id'] or fields['post_id']}", target_type=kind,
                      is_hidden=fields["hidden_at"] is not None, author=author_fields(fields),
                      reasons={reason: fields[f"reason_{reason}"] for reason in REASONS if fields[f"reason_{reason}"]})
    return page
