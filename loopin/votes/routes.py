"""POST /votes/ and POST /reactions/: toggles for the signed-in caller."""

from ..auth.tokens import VERIFIED_ADDRESS
from ..core.database import transaction
from ..web.api import endpoint
from ..web.errors import error_response
from .blueprint import reactions_bp, votes_bp
from .schemas import ReactionIn, ReactionOut, VoteIn, VoteOut
from .services import TOO_MANY_REACTIONS, TooManyReactions, toggle_reaction, toggle_vote
from .targets import TARGET_NOT_FOUND

NO_TARGET = "Must provide post_id or comment_id"
TWO_TARGETS = "Cannot vote on both post and comment at once"
BAD_VOTE_TYPE = "Invalid vote type. Use 1 for upvote, -1 for downvote"


@votes_bp.post("/", strict_slashes=False)
@endpoint(body=VoteIn, ok=VoteOut, auth=True, requires=[VERIFIED_ADDRESS], tags=["votes"],
          errors={400: f"{NO_TARGET} / {TWO_TARGETS} / {BAD_VOTE_TYPE}", 404: TARGET_NOT_FOUND})
def vote(body, caller):
    """Vote on a post or a comment: the same vote again removes it, the opposite switches it."""
    if body.post_id is None and body.comment_id is None:
        return error_response(400, NO_TARGET)
    if body.post_id is not None and body.comment_id is not None:
        return error_response(400, TWO_TARGETS)
    if body.vote_type not in (1, -1):
        return error_response(400, BAD_VOTE_TYPE)
    kind, target_id = ("post", body.post_id) if body.post_id is not None else ("comment", body.comment_id)
    with transaction():
        toggled = toggle_vote(caller.user, kind, target_id, body.vote_type)
    if toggled is None:
        return error_response(404, TARGET_NOT_FOUND)
    status, upvotes, downvotes = toggled
    return VoteOut(status=status, upvotes=upvotes, downvotes=downvotes)


@reactions_bp.post("/", strict_slashes=False)
@endpoint(body=ReactionIn, ok=ReactionOut, auth=True, requires=[VERIFIED_ADDRESS], tags=["reactions"],
          errors={400: TOO_MANY_REACTIONS, 404: TARGET_NOT_FOUND})
def react(body, caller):
    """Add your reaction to a post or comment, or take it back (the same emoji again)."""
    try:
        with transaction():
            toggled = toggle_reaction(caller.user, body.target_type, body.target_id, body.emoji)
    except TooManyReactions:
        return error_response(400, TOO_MANY_REACTIONS)
    if toggled is None:
        return error_response(404, TARGET_NOT_FOUND)
    status, count = toggled
    return ReactionOut(status=status, emoji=body.emoji, count=count)
