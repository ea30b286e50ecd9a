"""Votes' and reactions' input and answers (docs/api.md, "Comments, votes and reactions")."""

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from ..web.params import RowId

# What an emoji is built of besides its symbols: joiners, variation selectors, skin-tone modifiers,
# keycap marks, tag characters.
EMOJI_PARTS = {"Cf", "Mn", "Me", "Sk"}


def one_emoji(value):
    """Symbols (So) with their modifiers and joiners only: never text, digits alone or white space."""
    categories = {unicodedata.category(character) for character in value}
    if not categories & {"So"} or categories - {"So"} - EMOJI_PARTS - {"Nd"} - {"Po"}:
        raise PydanticCustomError("emoji", "emoji must be one emoji")
    if any(character.isascii() and not character.isdigit() and character not in "#*" for character in value):
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
