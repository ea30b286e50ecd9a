"""Editing posts (docs/api.md, "Editing and earlier versions"): PATCH /posts/{id} and the versions
edits replaced, which only the author and admins read."""

from ..auth.admins import author_or_admin
from ..auth.tokens import VERIFIED_ADDRESS
from ..core import clock
from ..core.database import transaction
from ..web.api import endpoint
from ..web.errors import ApiError, error_response
from ..web.params import Page
from .blueprint import bp
from .edits import edit_post, locked_post, revisions_of
from .models import ANNOUNCEMENT
from .routes import ANNOUNCEMENT_REFUSED, ANNOUNCERS, NOT_FOUND, one_post, post_or_404
from .schemas import PostEdit, PostId, PostOut, PostRevisionList
from .services import find_post

EDIT_REFUSED = "You are not allowed to edit this post"
REVISIONS_REFUSED = "Only the author and admins can read a post's earlier versions"


@bp.patch("/<post_id>")
@endpoint(path=PostId, body=PostEdit, ok=PostOut, auth=True, requires=[VERIFIED_ADDRESS], tags=["posts"],
          errors={403: f"{EDIT_REFUSED} / {ANNOUNCEMENT_REFUSED}", 404: NOT_FOUND})
def update_post(path, body, caller):
    """Edit your post (admins: any post, audited): `title`, `content`, `department`, `type` (an
    announcement only if its author may post one), `tags`. The version it replaces is kept; `edited_at`
    says when. Whether it is anonymous never changes."""
    found = post_or_404(path.post_id, caller)
    if not author_or_admin(found.author_id, caller):
        return error_response(403, EDIT_REFUSED)
    changes = body.changes()
    if changes.get("type") == ANNOUNCEMENT and found.author_role not in ANNOUNCERS:
        return error_response(403, ANNOUNCEMENT_REFUSED)
    now = clock.utcnow()
    with transaction():
        post = locked_post(found.id)
        if post is None:  # deleted meanwhile
            raise ApiError(404, NOT_FOUND)
        edit_post(caller.user, post, changes, now)
    return one_post(find_post(found.id), caller, now)


@bp.get("/<post_id>/revisions")
@endpoint(path=PostId, query=Page, ok=PostRevisionList, auth=True, tags=["posts"],
          errors={403: REVISIONS_REFUSED, 404: NOT_FOUND})
def list_post_revisions(path, query, caller):
    """The versions your post's edits replaced, newest first (admins: any post's)."""
    found = post_or_404(path.post_id, caller)
    if not author_or_admin(found.author_id, caller):
        return error_response(403, REVISIONS_REFUSED)
    return PostRevisionList.model_validate(revisions_of(found.id, query.skip, query.limit), from_attributes=True)
