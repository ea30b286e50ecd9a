"""What comments do: list a post's thread, add one (a reply must be in the same post), delete one
(a placeholder when it has replies). The post's comments_count and the notifications a new comment
makes are written in the same transaction."""

from functools import cache

from sqlalchemy import and_, bindparam, case, delete, exists, literal, null, or_, select, update

from ..audit.trail import record_action
from ..auth.models import ADMIN, User
from ..auth.public import AUTHOR_COLUMNS
from ..core.extensions import db
from ..notifications.events import notify_comment
from ..posts.counters import count_comment
from ..posts.services import POSTS, viewer_kind
from ..posts.visibility import concealed_comments, shown
from ..votes.models import Reaction, Vote
from .models import DELETED_CONTENT, HIDDEN_CONTENT, MAX_DEPTH, MUTED_CONTENT, Comment, CommentRevision

DELETE_COMMENT, EDIT_COMMENT = "DELETE_COMMENT", "EDIT_COMMENT"  # audit actions (docs/api.md lists them)
COMMENTS, USERS, VOTES = Comment.__table__, User.__table__, Vote.__table__
COMMENT_COLUMNS = [*COMMENTS.c, *AUTHOR_COLUMNS]


def with_authors():
    return select(*COMMENT_COLUMNS).join_from(COMMENTS, USERS, USERS.c.id == COMMENTS.c.author_id, isouter=True)


@cache
def thread_statement(viewer):
    """A page of a post's comments, oldest first (ids grow in the order comments are written), with
    the author's public columns and, for a signed-in caller, their vote: one statement. Nothing when
    reports hid the post from `viewer` (a viewer kind); a comment they may not read (hidden by reports,
    or by someone they mute) is left out, or shown as a placeholder where others replied to it."""
    columns = [*COMMENT_COLUMNS]
    joined = COMMENTS.join(USERS, USERS.c.id == COMMENTS.c.author_id, isouter=True)
    if viewer != "anonymous":
        columns.append(VOTES.c.vote_type.label("user_vote"))
        joined = joined.join(VOTES, and_(VOTES.c.comment_id == COMMENTS.c.id,
                                         VOTES.c.user_id == bindparam("viewer_id")), isouter=True)
    post_shown = exists().where(POSTS.c.id == COMMENTS.c.post_id, *shown(POSTS, viewer))
    # `after`: the cursor's comment id (0 from the start), an index seek on ix_comments_post.
    statement = (select(*columns).select_from(joined)
                 .where(COMMENTS.c.post_id == bindparam("post_id"), COMMENTS.c.id > bindparam("after"), post_shown)
                 .order_by(COMMENTS.c.id).offset(bindparam("skip")).limit(bindparam("limit")))
    return with_placeholders(statement, *concealed_comments(COMMENTS, viewer))


def with_placeholders(statement, hidden, muted):
    """`statement` (a thread's page) with what `hidden` and `muted` (conditions, or None) conceal: left
    out, or a placeholder without author where someone replied."""
    cases = [(condition, text) for condition, text in ((hidden, HIDDEN_CONTENT), (muted, MUTED_CONTENT)) if
             condition is not None]
    if not cases:
        return statement
    concealed = or_(*(condition for condition, _ in cases))
    reply = COMMENTS.alias("reply")
    statement = statement.where(or_(~concealed, exists().where(reply.c.parent_id == COMMENTS.c.id)))
    return statement.with_only_columns(*(
        case(*cases, else_=column).label("content") if column is COMMENTS.c.content else
        case((concealed, null()), else_=column).label("author_id") if column is COMMENTS.c.author_id else column
        for column in statement.selected_columns), maintain_column_froms=True)


def thread(post_id, skip, limit, caller, after=0):
    values = {"post_id": post_id, "skip": skip, "limit": limit, "after": after}
    if caller is not None:
        values["viewer_id"] = caller.user.id
    return db.session.execute(thread_statement(viewer_kind(caller)), values).all()


def find_comment(post_id, comment_id, lock=False):
    """The comment's row if it is in that post and not a deleted placeholder, else None. With `lock`,
    the row stays locked until the transaction ends (two deletes at once count one comment fewer, once)."""
    statement = with_authors().where(COMMENTS.c.id == comment_id, COMMENTS.c.post_id == post_id,
                                     COMMENTS.c.is_deleted.is_(False))
    return db.session.execute(statement.with_for_update(of=COMMENTS) if lock else statement).first()


def attach_point(parent_id):
    """The comment a reply to `parent_id` hangs under: the parent, while the thread there is less than
    MAX_DEPTH comments deep; else the parent's ancestor at depth MAX_DEPTH - 1, so the reply sits at the
    deepest allowed level (as forums cap nesting). One statement: the parent's ancestors, nearest first."""
    up = (select(Comment.id, Comment.parent_id, literal(1).label("distance")).where(Comment.id == parent_id)
          .cte("ancestors", recursive=True))
    up = up.union_all(select(Comment.id, Comment.parent_id, up.c.distance + 1).join(up, Comment.id == up.c.parent_id))
    chain = db.session.scalars(select(up.c.id).order_by(up.c.distance)).all()
    depth = len(chain)  # the parent's own depth: a top-level comment is 1
    return parent_id if depth < MAX_DEPTH else chain[depth - MAX_DEPTH + 1]


def add_comment(author, post_id, content, parent_id):
    """The new comment's id; the post counts it, and its author and the parent's hear of it."""
    if parent_id is not None:
        parent_id = attach_point(parent_id)
    comment = Comment(post_id=post_id, author_id=author.id, parent_id=parent_id, content=content)
    db.session.add(comment)
    db.session.flush()
    post = count_comment(post_id, +1)
    parent_author = (db.session.scalar(select(Comment.author_id).where(Comment.id == parent_id))
                     if parent_id is not None else None)
    notify_comment(author, post_id, post.author_id, post.title, parent_author)
    return comment.id


def leave_placeholders(comment_ids):
    """Turn these comments (a list of ids, or a SELECT of them) into "[deleted]" placeholders: their
    place in the thread stays, so the replies under them do too, and nothing else of them: no author,
    no text, no earlier texts, no votes, no reactions. Those go first, while the SELECT still finds them."""
    db.session.execute(delete(Vote).where(Vote.comment_id.in_(comment_ids)))
    db.session.execute(delete(Reaction).where(Reaction.comment_id.in_(comment_ids)))
    db.session.execute(delete(CommentRevision).where(CommentRevision.comment_id.in_(comment_ids)))
    db.session.execute(update(Comment).where(Comment.id.in_(comment_ids))
                       .values(is_deleted=True, content=DELETED_CONTENT, author_id=None, upvotes=0, downvotes=0,
                               reactions_count=0, hidden_at=None), execution_options={"synchronize_session": False})


def remove_comment(actor, row):
    """A comment with replies becomes a placeholder; one without is deleted with its votes and
    reactions. Either way the post counts one comment fewer (a hidden one it counts no more already)."""
    if actor.id != row.author_id and actor.role == ADMIN:
        record_action(DELETE_COMMENT, actor, "comment", row.id, post_id=row.post_id, author_id=row.author_id)
    has_replies = db.session.scalar(select(exists().where(Comment.parent_id == row.id)))
    if has_replies:
        leave_placeholders([row.id])
    else:
        db.session.execute(delete(Comment).where(Comment.id == row.id))
    if row.hidden_at is None:  # a hidden comment was counted out when it was hidden
        count_comment(row.post_id, -1)


def edit_comment(editor, row, content, now):
    """`row` (find_comment's, locked) gets `content`; the text it replaces is kept. An admin's edit of
    someone else's comment is audited. False when the text is the same (no version kept)."""
    if content == row.content:
        return False
    db.session.add(CommentRevision(comment_id=row.id, editor_id=editor.id, content=row.content, replaced_at=now))
    db.session.execute(update(Comment).where(Comment.id == row.id).values(content=content, edited_at=now))
    if editor.id != row.author_id:
        record_action(EDIT_COMMENT, editor, "comment", row.id, post_id=row.post_id, author_id=row.author_id)
    db.session.flush()
    return True


def comment_revisions(comment_id, skip, limit):
    """The texts edits replaced, newest first: one statement per page."""
    return db.session.execute(select(CommentRevision).where(CommentRevision.comment_id == comment_id)
                              .order_by(CommentRevision.id.desc()).offset(skip).limit(limit)).scalars().all()
