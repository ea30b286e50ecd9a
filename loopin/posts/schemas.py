"""Posts' input and answers: the original's wire contract (docs/api.md, "Posts and the feed")."""

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    model_validator,
)

from ..auth.public import AuthorOut
from ..fulltext.params import SearchText
from ..media.rules import hosted_media_url, hosted_public_id
from ..web.cursors import CursorPage, shaped
from ..web.params import RowId, UtcDateTime, trimmed
from ..web.params import trimmed_text as text
from .models import MEDIA_TYPES, POST_TYPES
from .tags import normalize_tags

PostType = Literal[POST_TYPES]
DEPARTMENT_LENGTH = 64


def folded_department_fits(department):
    """The department's key is its casefold() (services.department_key), stored in as many characters
    as the department: "ß" folds to "ss", so the key of a long enough name would not fit."""
    if len(department.casefold()) > DEPARTMENT_LENGTH:
        raise ValueError(f"department has at most {DEPARTMENT_LENGTH} characters, counted in lower case "
                         "(where ß counts as ss)")
    return department


class PostCreate(BaseModel):
    """A new post. Unknown fields are ignored, as the original ignored them."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [
        {"title": "Lab viva moved to Friday", "content": "Same room.", "department": "CSE", "type": "discussion",
         "tags": "Academic"}]})

    title: text(1, 200)
    content: Annotated[str, StringConstraints(max_length=20_000)] = ""
    department: Annotated[text(1, DEPARTMENT_LENGTH), AfterValidator(folded_department_fits)]
    type: PostType = "discussion"
    # "Academic,Event" as the original's clients send it, or a list; either way a list once validated.
    tags: Annotated[str | list[str] | None, AfterValidator(normalize_tags)] = Field(None, validate_default=True)
    is_anonymous: bool = False
    # An upload to this server's Cloudinary folder only (media/rules.py), as GET /media/signature signs it.
    media_url: Annotated[str, BeforeValidator(trimmed), StringConstraints(max_length=2048),
                         AfterValidator(hosted_media_url)] | None = None
    media_public_id: Annotated[text(1, 255), AfterValidator(hosted_public_id)] | None = None
    media_type: Literal[MEDIA_TYPES] | None = None


class PostEdit(BaseModel):
    """What an edit may change, as PostCreate takes it; anything else (`is_anonymous` too) is a 422."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"title": "Lab viva moved to Monday"}]})

    title: text(1, 200) | None = None
    content: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    department: Annotated[text(1, DEPARTMENT_LENGTH), AfterValidator(folded_department_fits)] | None = None
    type: PostType | None = None
    tags: Annotated[str | list[str], AfterValidator(normalize_tags)] | None = None

    @model_validator(mode="after")
    def changes_something(self):
        if not self.changes():
            raise ValueError("send at least one of title, content, department, type, tags")
        return self

    def changes(self):
        """The fields sent (tags as a list), for posts.edits.edit_post."""
        return {name: getattr(self, name) for name in self.model_fields_set if getattr(self, name) is not None}


class PostRevisionOut(BaseModel):
    """A version an edit replaced; `replaced_at`: when, `editor_id`: by whom (the author or an admin)."""

    id: int
    title: str
    content: str
    department: str
    type: str
    tags: str | None
    editor_id: int | None
    replaced_at: UtcDateTime


class PostRevisionList(RootModel[list[PostRevisionOut]]):
    """Newest first."""


class PostOut(BaseModel):
    id: int
    title: str
    content: str
    department: str
    type: str
    tags: str | None
    is_anonymous: bool
    is_pinned: bool
    pinned_until: UtcDateTime | None
    created_at: UtcDateTime
    author_id: int | None
    author: AuthorOut | None
    upvotes: int
    downvotes: int
    comments_count: int
    share_count: int
    user_vote: Literal[1, -1] | None
    media_url: str | None
    media_public_id: str | None
    media_type: str | None
    edited_at: UtcDateTime | None
    is_hidden: bool = Field(description="hidden by reports until an admin reviews it; only its author and "
                                        "admins see such a post (docs/moderation.md)")


class PostList(RootModel[list[PostOut]]):
    """A page of posts."""


class FeedQuery(CursorPage):
    """`department` (any case; ALL or absent: every one), `tags` (any of these whole tags), `type`, `author`
    (a username), `q` (words to find: docs/search.md); `skip` or `cursor` (X-Next-Cursor of the last page)."""

    cursor: shaped("int", "time", "id") | None = None  # the last row's pin_rank, created_at, id
    q: SearchText | None = None

    department: text(0, 64) | None = None
    tags: text(0, 400) | None = None
    type: PostType | None = None
    author: text(0, 64) | None = None


class PopularQuery(CursorPage):
    timeframe: Literal["today", "week", "month", "all"] = "today"
    cursor: shaped("int", "time", "id") | None = None  # the last row's score, created_at, id


class PinQuery(BaseModel):
    duration: Literal["24h", "7d", "30d", "infinite"] = "infinite"


class PostId(BaseModel):
    post_id: RowId


class ShareOut(BaseModel):
    share_count: int
    message: str
