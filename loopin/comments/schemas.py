"""Comments' input and answers (docs/api.md, "Comments, votes and reactions")."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, StringConstraints

from ..auth.public import AuthorOut
from ..votes.schemas import ReactionSummary
from ..web.cursors import CursorPage, shaped
from ..web.params import RowId, UtcDateTime, trimmed

MAX_COMMENTS_PAGE, DEFAULT_COMMENTS_PAGE = 500, 200


class CommentIn(BaseModel):
    """`parent_id` here or as a query parameter, as the original took it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"content": "Same room as last week?"}]})

    content: Annotated[str, BeforeValidator(trimmed), StringConstraints(min_length=1, max_length=5000)]
    parent_id: RowId | None = None


class CommentEdit(BaseModel):
    """A comment's new text; anything else is a 422 (a comment's post and parent never change)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"content": "Room 204, not 203"}]})

    content: Annotated[str, BeforeValidator(trimmed), StringConstraints(min_length=1, max_length=5000)]


class CommentRevisionOut(BaseModel):
    """A text an edit replaced; `replaced_at`: when, `editor_id`: by whom (the author or an admin)."""

    id: int
    content: str
    editor_id: int | None
    replaced_at: UtcDateTime


class CommentRevisionList(RootModel[list[CommentRevisionOut]]):
    """Newest first."""


class ParentQuery(BaseModel):
    parent_id: RowId | None = None


class CommentPage(CursorPage):
    """`skip` or `cursor` (X-Next-Cursor of the last page), and `limit` 1-500 (default 200)."""

    limit: int = Field(DEFAULT_COMMENTS_PAGE, ge=1, le=MAX_COMMENTS_PAGE)
    cursor: shaped("id") | None = None


class CommentOut(BaseModel):
    id: int
    post_id: int
    author_id: int | None
    author: AuthorOut | None
    parent_id: int | None
    content: str
    created_at: UtcDateTime
    replies: list = Field(default_factory=list, description="always []: clients thread by parent_id")
    reactions: list[ReactionSummary]
    upvotes: int
    downvotes: int
    user_vote: Literal[1, -1] | None
    edited_at: UtcDateTime | None
    is_hidden: bool = Field(description="hidden by reports until an admin reviews it: its author and admins "
                                        "read it, others see a placeholder where it has replies")


class CommentList(RootModel[list[CommentOut]]):
    """A page of a post's comments, oldest first."""


class PostPath(BaseModel):
    post_id: RowId


class CommentPath(BaseModel):
    post_id: RowId
    comment_id: RowId
