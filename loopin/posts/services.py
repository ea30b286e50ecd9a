"""What posts do: create, find (the feed, the popular list, one post), pin, delete (a share is a
counter: counters.py). Services only flush; the view's transaction() commits.

Reads are Core statements over the posts and users tables (no ORM objects to build per row), one per
page whatever its size, with the author's public columns joined in. The feed's statement is built once
per combination of filters and cached; the values travel as bound parameters.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import and_, bindparam, delete, false, func, literal, or_, select, tuple_, union_all, update

from ..audit.trail import record_action
from ..auth.models import ADMIN, User
from ..auth.public import AUTHOR_COLUMNS
from ..core.extensions import db
from ..votes.models import Vote
from ..web.cursors import as_stored
from .models import Post, PostTag
from .tags import filter_keys, tag_key, with_auto_tags
from .visibility import hidden_from, visible_posts

PIN_DURATIONS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30), "infinite": None}
TIMEFRAMES = {"today": timedelta(hours=24), "week": timedelta(days=7), "month": timedelta(days=30), "all": None}
# Audit actions (docs/api.md lists them).
PIN_POST, UNPIN_POST, DELETE_POST = "PIN_POST", "UNPIN_POST", "DELETE_POST"
ALL_DEPARTMENTS = "all"

POSTS, USERS, VOTES = Post.__table__, User.__table__, Vote.__table__
POST_COLUMNS = [*POSTS.c, *AUTHOR_COLUMNS]


def department_key(department):
    return department.casefold()


def with_authors(*extra_columns):
    # An outer join: a deleted account's anonymized posts have no author and still show.
    return select(*POST_COLUMNS, *extra_columns).join_from(POSTS, USERS, USERS.c.id == POSTS.c.author_id,
                                                           isouter=True)


def create_post(author, body):
    """The new post's id."""
    tags = with_auto_tags(body.tags, body.title, body.content)
    post = Post(author_id=author.id, title=body.title, content=body.content, department=body.department,
                department_key=department_key(body.department), type=body.type, tags=",".join(tags) or None,
                is_anonymous=body.is_anonymous, media_url=body.media_url, media_public_id=body.media_public_id,
                media_type=body.media_type)
    db.session.add(post)
    db.session.flush()  # its id, for the tag rows
    db.session.add_all(PostTag(post_id=post.id, tag_key=key) for key in dict.fromkeys(map(tag_key, tags)))
    db.session.flush()
    return post.id


def sees_author(post, caller):
    """The author of an anonymous post is shown to that author and to admins only."""
    if not post.is_anonymous or caller is None:
        return not post.is_anonymous
    return caller.user.id == post.author_id or caller.user.role == ADMIN


def pin_in_force(now):
    return and_(POSTS.c.pinned_at.isnot(None), or_(POSTS.c.pinned_until.is_(None), POSTS.c.pinned_until > now))


def no_pin_in_force(now):
    return or_(POSTS.c.pinned_at.is_(None), and_(POSTS.c.pinned_until.isnot(None), POSTS.c.pinned_until <= now))


def viewer_kind(caller):
    return "anonymous" if caller is None else ("admin" if caller.user.role == ADMIN else "user")


def filter_conditions(department, type_, tags, author, viewer):
    """The WHERE conditions for a combination of filters, values as bound parameters."""
    conditions = []
    if department:
        conditions.append(POSTS.c.department_key == bindparam("department_key"))
    if type_:
        conditions.append(POSTS.c.type == bindparam("type"))
    if tags:
        tagged = select(PostTag.post_id).where(PostTag.tag_key.in_(bindparam("tag_keys", expanding=True)))
        conditions.append(POSTS.c.id.in_(tagged))
    if author:
        conditions.append(func.lower(USERS.c.username) == bindparam("author"))  # uq_users_username_lower
        # Listing someone's posts must not unmask their anonymous ones.
        if viewer == "anonymous":
            conditions.append(POSTS.c.is_anonymous == false())
        elif viewer == "user":
            conditions.append(or_(POSTS.c.is_anonymous == false(), POSTS.c.author_id == bindparam("viewer_id")))
    return conditions


def with_caller_vote(statement):
    """The signed-in caller's vote on each post, joined in (NULL: none)."""
    mine = and_(VOTES.c.post_id == POSTS.c.id, VOTES.c.user_id == bindparam("viewer_id"))
    return statement.add_columns(VOTES.c.vote_type.label("user_vote")).outerjoin(VOTES, mine)


PINNED, UNPINNED = 1, 0  # a feed row's pin_rank


@cache
def feed_statement(department, type_, tags, author, viewer, after_rank=None):
    """Pins in force first (newest first), then every other post, newest first, in one statement: each
    half is an index-ordered scan cut at skip + limit, so a page costs the same at a thousand posts or
    a million. A signed-in caller's votes come in the same statement. With a cursor (`after_rank`: the
    pin_rank of the last row shown), each half seeks past (cursor_at, cursor_id) in its index, and the
    pins are done with once the cursor is past them."""
    # Asking for someone's posts by name shows them even if the caller mutes them.
    conditions = [*filter_conditions(department, type_, tags, author, viewer), *visible_posts(viewer, mutes=not author)]
    now, end = bindparam("now"), bindparam("end")
    past_cursor = tuple_(POSTS.c.created_at, POSTS.c.id) < tuple_(bindparam("cursor_at"), bindparam("cursor_id"))

    def half(pin_condition, rank):
        ordered = with_authors(literal(rank).label("pin_rank")).where(*conditions, pin_condition)
        if after_rank == rank:
            ordered = ordered.where(past_cursor)
        if viewer != "anonymous":
            ordered = with_caller_vote(ordered)
        return select(ordered.order_by(POSTS.c.created_at.desc(), POSTS.c.id.desc()).limit(end).subquery())

    halves = [half(no_pin_in_force(now), UNPINNED)]
    if after_rank != UNPINNED:
        halves.insert(0, half(pin_in_force(now), PINNED))
    both = union_all(*halves).subquery()
    return (select(both).order_by(both.c.pin_rank.desc(), both.c.created_at.desc(), both.c.id.desc())
            .offset(bindparam("skip")).limit(bindparam("limit")))


@dataclass(frozen=True)
class Filters:
    """The feed's filters as filter_conditions takes them (which are set: `flags`) and their bound values."""

    flags: tuple  # (department, type, tags, author, viewer)
    values: dict

    @property
    def viewer(self):
        return self.flags[-1]


def filters_of(department, type_, tags, author, caller):
    """`department` (ALL or None: any), `type`, `tags` (a comma-separated string), `author` (a username)."""
    wanted_department = department if department and department.casefold() != ALL_DEPARTMENTS else None
    keys = filter_keys(tags)
    viewer = viewer_kind(caller)
    values = {}
    if wanted_department:
        values["department_key"] = department_key(wanted_department)
    if type_:
        values["type"] = type_
    if keys:
        values["tag_keys"] = keys
    if author:
        values["author"] = author.lower()
    if viewer != "anonymous":
        values["viewer_id"] = caller.user.id
    return Filters((bool(wanted_department), bool(type_), bool(keys), bool(author), viewer), values)


def feed(query, caller, now):
    filters = filters_of(query.department, query.type, query.tags, query.author, caller)
    after_rank = None
    values = {"now": now, "end": query.skip + query.limit, "skip": query.skip, "limit": query.limit,
              **filters.values}
    if query.cursor:
        rank, cursor_at, values["cursor_id"] = query.cursor
        after_rank = PINNED if rank == PINNED else UNPINNED  # two statements cached, whatever a cursor says
        values["cursor_at"] = as_stored(cursor_at, db.session.get_bind().dialect.name)
    return db.session.execute(feed_statement(*filters.flags, after_rank), values).all()


def popular(query, caller, now):
    viewer = viewer_kind(caller)
    statement = with_authors().where(*visible_posts(viewer))
    window = TIMEFRAMES[query.timeframe]
    if window is not None:
        statement = statement.where(POSTS.c.created_at >= now - window)
    if query.cursor:  # the last row shown: (score, created_at, id)
        score, at, post_id = query.cursor
        at = as_stored(at, db.session.get_bind().dialect.name)
        statement = statement.where(tuple_(POSTS.c.score, POSTS.c.created_at, POSTS.c.id) < tuple_(score, at, post_id))
    statement = statement.order_by(POSTS.c.score.desc(), POSTS.c.created_at.desc(), POSTS.c.id.desc())
    values = {} if caller is None else {"viewer_id": caller.user.id}
    return db.session.execute(statement.offset(query.skip).limit(query.limit), values).all()


def find_post(post_id):
    """The post's row (with its author's public columns), or None."""
    return db.session.execute(with_authors().where(POSTS.c.id == post_id)).first()


def post_exists(post_id, caller):
    """Whether the post exists and `caller` may see it (reports may have hidden it)."""
    found = db.session.execute(select(Post.author_id, Post.hidden_at).where(Post.id == post_id)).first()
    return found is not None and not hidden_from(found, caller)


def pin(actor, post_id, duration, now):
    span = PIN_DURATIONS[duration]
    db.session.execute(update(Post).where(Post.id == post_id)
                       .values(pinned_at=now, pinned_until=now + span if span else None))
    record_action(PIN_POST, actor, "post", post_id, duration=duration)
    db.session.flush()


def unpin(actor, post_id):
    db.session.execute(update(Post).where(Post.id == post_id).values(pinned_at=None, pinned_until=None))
    record_action(UNPIN_POST, actor, "post", post_id)
    db.session.flush()


def delete_post(actor, post):
    """Its tags, comments, votes and reactions go with it (ON DELETE CASCADE, on both databases).
    An admin removing someone else's post is audited."""
    if actor.id != post.author_id:
        record_action(DELETE_POST, actor, "post", post.id, author_id=post.author_id, title=post.title[:80])
    db.session.execute(delete(Post).where(Post.id == post.id))

