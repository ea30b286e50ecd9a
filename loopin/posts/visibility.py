"""What moderation holds back from a reader, as SQL (docs/moderation.md): a hidden post or comment is
shown to its author and admins only; a muted author's posts leave the muter's lists, except what
names no author to them (anonymous posts: leaving them out would tell who wrote them) and
announcements. `viewer` is a feed's viewer kind ("anonymous", "user", "admin"), its id the bound
parameter `viewer_id`."""

from sqlalchemy import and_, bindparam, or_

from ..auth.models import ADMIN
from ..muting.conditions import muted_by, not_muted
from .models import ANNOUNCEMENT, Post

POSTS = Post.__table__


def shown(table, viewer):
    """The conditions under which `viewer` sees rows of `table` (posts or comments) that reports hid."""
    if viewer == ADMIN:
        return []
    if viewer == "anonymous":
        return [table.c.hidden_at.is_(None)]
    return [or_(table.c.hidden_at.is_(None), table.c.author_id == bindparam("viewer_id"))]


def unmuted_posts(viewer):
    if viewer == "anonymous":
        return []
    return [or_(POSTS.c.is_anonymous, POSTS.c.type == ANNOUNCEMENT, not_muted(POSTS.c.author_id,
                                                                             bindparam("viewer_id")))]


def visible_posts(viewer, mutes=True):
    """A list's conditions: what reports hid and, with `mutes`, what the viewer muted, left out."""
    return [*shown(POSTS, viewer), *(unmuted_posts(viewer) if mutes else ())]


def hidden_from(row, caller):
    """Whether a post's or comment's row is hidden from `caller` (None: anonymous)."""
    if row.hidden_at is None:
        return False
    return caller is None or (caller.user.id != row.author_id and caller.user.role != ADMIN)


def concealed_comments(comments, viewer):
    """The comments of a thread `viewer` sees only as placeholders, as two conditions (None: no such
    comment): (hidden by reports and not their own, written by someone they mute)."""
    hidden = comments.c.hidden_at.isnot(None)
    if viewer != "anonymous":
        hidden = and_(hidden, or_(comments.c.author_id.is_(None), comments.c.author_id != bindparam("viewer_id")))
        muted = and_(comments.c.author_id.isnot(None), comments.c.author_id.in_(muted_by(bindparam("viewer_id"))))
        return (None if viewer == ADMIN else hidden), muted
    return hidden, None
