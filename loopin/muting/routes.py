"""Mute endpoints (docs/moderation.md, "Mute"): mute, unmute, and the list of whom you mute."""

from ..core.database import as_dicts, transaction
from ..web.api import endpoint
from ..web.errors import error_response
from ..web.params import Page
from .blueprint import bp
from .schemas import MutedList, MutedOut, MutedPath
from .services import ADMIN_REFUSED, NOT_FOUND, SELF, TOO_MANY, MuteRefused, mute, muted_list, unmute

REFUSALS = f"{SELF} / {ADMIN_REFUSED} / {TOO_MANY}"


@bp.get("/", strict_slashes=False)
@endpoint(query=Page, ok=MutedList, auth=True, tags=["users"])
def list_muted(query, caller):
    """The accounts you mute, the latest first. Only you see this list."""
    return MutedList.model_validate(as_dicts(muted_list(caller.user, query.skip, query.limit)))


@bp.put("/<username>")
@endpoint(path=MutedPath, ok=MutedOut, auth=True, tags=["users"], errors={404: NOT_FOUND, 422: REFUSALS})
def mute_user(path, caller):
    """Mute an account: its posts and comments leave your feed, popular list, search and threads (a
    comment others replied to stays, its text collapsed), and its comments, replies and upvotes stop
    notifying you. It is never told. Admins cannot be muted; announcements and anonymous posts stay."""
    try:
        with transaction():
            row = mute(caller.user, path.username)
    except MuteRefused as refused:
        return error_response(refused.status, refused.detail)
    return MutedOut.model_validate(as_dicts([row])[0])


@bp.delete("/<username>")
@endpoint(path=MutedPath, ok=None, status=204, auth=True, tags=["users"], errors={404: NOT_FOUND})
def unmute_user(path, caller):
    """Unmute an account (unmuting one you do not mute changes nothing)."""
    try:
        with transaction():
            unmute(caller.user, path.username)
    except MuteRefused as refused:
        return error_response(refused.status, refused.detail)
    return None
