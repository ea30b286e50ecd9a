"""Votes' and reactions' input and answers (docs/api.md, "Comments, votes and reactions")."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from ..web.params import RowId

# The names the original's API took for reactions (GitHub's), still found in adopted boards.
ORIGINAL_NAMES = frozenset({"+1", "-1", "heart", "rocket", "laugh", "hooray", "confused", "eyes"})


def one_emoji(value):
    """Exactly one emoji as Unicode lists them (skin tones, flags, keycaps and joined sequences
    included; never text, white space or invisible characters around it), or one of the original's
    names. The `emoji` package's list is loaded at the first reaction (8 MiB), not with the app."""
    import emoji  # noqa: PLC0415

    if value not in ORIGINAL_NAMES and not emoji.is_emoji(value):
        raise PydanticCustomError("emoji", "emoji must be one emoji")
    return value


class VoteIn(BaseModel):
    """`post_id` or `comment_id` (exactly one) and `vote_type` 1 or -1; checked in the view, so the
    answers are the original's 400s."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"post_id": 1, "vote_type": 1}]})

    post_id: RowId | None = None
    comment_id: RowId | None = None
    vote_type: int


class VoteOut(BaseModel):
    status: Literal["added", "removed", "switched"]
    upvotes: int
    downvotes: int


class ReactionIn(BaseModel):
    """The reacting user is the token's; a `user_id` in the body is ignored, like any unknown field."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"emoji": "👍", "target_type": "post", "target_id": 1}]})

    emoji: Annotated[str, StringConstraints(min_length=1, max_length=16), AfterValidator(one_emoji)]
    target_type: Literal["post", "comment"]
    target_id: RowId


class ReactionOut(BaseModel):
    status: Literal["added", "removed"]
    emoji: str
    count: int


class ReactionSummary(BaseModel):
    emoji: str
    count: int
    user_reacted: bool
