"""Comment endpoints under a post: the thread, a new comment or reply, a delete."""

from ..auth.admins import author_or_admin
from ..auth.tokens import VERIFIED_ADDRESS
from ..core import clock
from ..core.database import transaction
from ..posts.services import post_exists
from ..web.api import PUBLIC_READ, endpoint
from ..web.cursors import offer_next
from ..web.errors import error_response
from ..web.params import Page
from .blueprint import bp
from .schemas import (
    CommentEdit,
    CommentIn,
    CommentList,
    CommentOut,
    CommentPage,
    CommentPath,
    CommentRevisionList,
    ParentQuery,
    PostPath,
)
from .services import add_comment, comment_revisions, edit_comment, find_comment, remove_comment, thread
from .views import comments_out

POST_NOT_FOUND = "Post not found"
PARENT_NOT_FOUND = "Parent comment not found"
COMMENT_NOT_FOUND = "Comment not found"
DELETE_REFUSED = "Not authorized to delete this comment"
EDIT_REFUSED = "Not authorized to edit this comment"
REVISIONS_REFUSED = "Only the author and admins can read a comment's earlier versions"


@bp.get("/<post_id>/comments/", strict_slashes=False)
@endpoint(path=PostPath, query=CommentPage, ok=CommentList, auth=PUBLIC_READ, tags=["comments"],
          errors={404: POST_NOT_FOUND})
def list_comments(path, query, caller):
    """A post's comments, oldest first, flat (thread them by `parent_id`); placeholders included."""
    after = query.cursor[0] if query.cursor else 0
    rows = thread(path.post_id, query.skip, query.limit, caller, after)
    if not rows and not post_exists(path.post_id, caller):  # asked only when there is nothing to show
        return error_response(404, POST_NOT_FOUND)
    offer_next(rows, query.limit, lambda row: (row.id,))
    return comments_out(rows, caller)


@bp.post("/<post_id>/comments/", strict_slashes=False)
@endpoint(path=PostPath, query=ParentQuery, body=CommentIn, ok=CommentOut, status=201, auth=True,
          requires=[VERIFIED_ADDRESS], tags=["comments"], errors={404: f"{POST_NOT_FOUND} / {PARENT_NOT_FOUND}"})
def new_comment(path, query, body, caller):
    """Comment on a post, or reply to one of its comments (`parent_id` in the body or the query)."""
    parent_id = body.parent_id if body.parent_id is not None else query.parent_id
    if not post_exists(path.post_id, caller):
        return error_response(404, POST_NOT_FOUND)
    if parent_id is not None and find_comment(path.post_id, parent_id) is None:
        return error_response(404, PARENT_NOT_FOUND)
    with transaction():
        comment_id = add_comment(caller.user, path.post_id, body.content, parent_id)
    return comments_out([find_comment(path.post_id, comment_id)], caller).root[0], 201


@bp.delete("/<post_id>/comments/<comment_id>")
@endpoint(path=CommentPath, ok=None, status=204, auth=True, tags=["comments"],
          errors={403: DELETE_REFUSED, 404: COMMENT_NOT_FOUND})
def delete_comment(path, caller):
    """Delete your comment (admins: any, audited). One with replies stays as "[deleted]"."""
    with transaction():
        row = find_comment(path.post_id, path.comment_id, lock=True)
        refusal = None if row is None or author_or_admin(row.author_id, caller) else 403
        if row is not None and refusal is None:
            remove_comment(caller.user, row)
    if row is None:
        return error_response(404, COMMENT_NOT_FOUND)
    if refusal:
        return error_response(403, DELETE_REFUSED)
    return None


@bp.patch("/<post_id>/comments/<comment_id>")
@endpoint(path=CommentPath, body=CommentEdit, ok=CommentOut, auth=True, requires=[VERIFIED_ADDRESS], tags=["comments"],
          errors={403: EDIT_REFUSED, 404: COMMENT_NOT_FOUND})
def update_comment(path, body, caller):
    """Edit your comment (admins: any, audited). The text it replaces is kept; `edited_at` says when."""
    now = clock.utcnow()
    with transaction():
        row = find_comment(path.post_id, path.comment_id, lock=True)
        allowed = row is not None and author_or_admin(row.author_id, caller)
        if allowed:
            edit_comment(caller.user, row, body.content, now)
    if row is None:
        return error_response(404, COMMENT_NOT_FOUND)
    if not allowed:
        return error_response(403, EDIT_REFUSED)
    return comments_out([find_comment(path.post_id, path.comment_id)], caller).root[0]


@bp.get("/<post_id>/comments/<comment_id>/revisions")
@endpoint(path=CommentPath, query=Page, ok=CommentRevisionList, auth=True, tags=["comments"],
          errors={403: REVISIONS_REFUSED, 404: COMMENT_NOT_FOUND})
def list_comment_revisions(path, query, caller):
    """The texts your comment's edits replaced, newest first (admins: any comment's)."""
    row = find_comment(path.post_id, path.comment_id)
    if row is None:
        return error_response(404, COMMENT_NOT_FOUND)
    if not author_or_admin(row.author_id, caller):
        return error_response(403, REVISIONS_REFUSED)
    return CommentRevisionList.model_validate(comment_revisions(row.id, query.skip, query.limit), from_attributes=True)

