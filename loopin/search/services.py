"""Comments and people found by their words, best first: one statement per page with everything the
answer shows (authors, the comment's post title, the caller's votes). Posts: posts/search.py."""

from functools import cache

from sqlalchemy import and_, bindparam, func, literal, select

from ..auth.models import User
from ..comments.services import COMMENT_COLUMNS, COMMENTS, VOTES
from ..core.extensions import db
from ..fulltext.index import match_values, newest_matches, page_of
from ..muting.conditions import not_muted
from ..posts.search import RANKED_MATCHES
from ..posts.services import POSTS, filter_conditions
from ..posts.visibility import shown
from .indexes import COMMENT_INDEX, USER_INDEX

USERS = User.__table__
USER_COLUMNS = [USERS.c.id, USERS.c.username, USERS.c.full_name, USERS.c.profile_photo_url, USERS.c.role]


def dialect_name():
    return db.session.get_bind().dialect.name


def page_values(index, text, skip, limit):
    values = {"skip": skip, "limit": limit, "candidates": RANKED_MATCHES}
    if text.has_text:
        values.update(match_values(index, text, db.session))
    return values


@cache
def comments_statement(dialect, flags, has_text):
    """Comments matching the query and the filters: the post's department, type and tags (`flags` as
    posts' filter_conditions takes them) and the comment's author. No placeholders ("[deleted]")."""
    department, type_, tags, by_author, viewer = flags
    conditions = [COMMENTS.c.is_deleted.is_(False), *filter_conditions(department, type_, tags, False, viewer),
                  *shown(POSTS, viewer), *shown(COMMENTS, viewer)]
    if viewer != "anonymous" and not by_author:  # asking for someone's comments by name shows them
        conditions.append(not_muted(COMMENTS.c.author_id, bindparam("viewer_id")))
    if by_author:
        conditions.append(func.lower(USERS.c.username) == bindparam("author"))

    def joined(statement):
        statement = statement.join(POSTS, POSTS.c.id == COMMENTS.c.post_id)
        return statement.join(USERS, USERS.c.id == COMMENTS.c.author_id) if by_author else statement

    columns = [*COMMENT_COLUMNS, POSTS.c.title.label("post_title")]
    rows = (COMMENTS.join(POSTS, POSTS.c.id == COMMENTS.c.post_id)
            .join(USERS, USERS.c.id == COMMENTS.c.author_id, isouter=True))
    if viewer != "anonymous":
        columns.append(VOTES.c.vote_type.label("user_vote"))
        rows = rows.join(VOTES, and_(VOTES.c.comment_id == COMMENTS.c.id, VOTES.c.user_id == bindparam("viewer_id")),
                         isouter=True)
    if has_text:
        page = page_of(newest_matches(COMMENT_INDEX, dialect, bindparam("candidates"), conditions, joined),
                       ranked=True)
        statement = select(*columns, page.c.rank).select_from(rows.join(page, page.c.id == COMMENTS.c.id))
        return statement.order_by(page.c.rank.desc(), COMMENTS.c.id.desc())
    # An @author or #tags alone: their comments, newest first.
    statement = select(*columns, literal(0).label("rank")).select_from(rows).where(*conditions)
    return statement.order_by(COMMENTS.c.id.desc()).offset(bindparam("skip")).limit(bindparam("limit"))


def comment_matches(text, filters, skip, limit):
    values = {**filters.values, **page_values(COMMENT_INDEX, text, skip, limit)}
    return db.session.execute(comments_statement(dialect_name(), filters.flags, text.has_text), values).all()


@cache
def users_statement(dialect):
    """Active accounts whose username or name matches, best first, then the newest."""
    found = newest_matches(USER_INDEX, dialect, bindparam("candidates"), [USERS.c.is_active.is_(True)])
    page = page_of(found, ranked=True)
    return (select(*USER_COLUMNS, page.c.rank).join_from(USERS, page, page.c.id == USERS.c.id)
            .order_by(page.c.rank.desc(), USERS.c.id.desc()))


def user_matches(text, skip, limit):
    return db.session.execute(users_statement(dialect_name()), page_values(USER_INDEX, text, skip, limit)).all()
