"""Search's input and answers (docs/search.md): the usual shapes of posts, comments and people, each
with what kind of result it is and where it matched."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, RootModel, ValidationInfo, field_validator

from ..auth.public import AuthorOut
from ..comments.schemas import CommentOut
from ..fulltext.params import QueryText, parsed
from ..posts.schemas import PostOut, PostType
from ..posts.search import RANKED_MATCHES
from ..web.params import DEFAULT_LIMIT, MAX_LIMIT
from ..web.params import trimmed_text as text

PAST_RANKED = (f"skip + limit is at most {RANKED_MATCHES}: a search shows its best {RANKED_MATCHES} results; "
               "add a word to narrow it")


class SearchQuery(BaseModel):
    """`q` in the search language; `type` of result; the feed's filters (`post_type` is the post's type,
    as `type` names the kind of result); `skip` and `limit` within the best RANKED_MATCHES."""

    # `type` first: validated before `q`, whose words depend on it (names keep "Will").
    type: Literal["posts", "comments", "users"] = "posts"
    q: QueryText
    department: text(0, 64) | None = None
    tags: text(0, 400) | None = None
    post_type: PostType | None = None
    author: text(0, 64) | None = None
    skip: int = Field(0, ge=0)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)

    @field_validator("q")
    @classmethod
    def parsed_query(cls, q, info: ValidationInfo):
        return parsed(q, common_words_matter=info.data.get("type") != "users")

    @field_validator("limit")
    @classmethod
    def within_ranked(cls, limit, info: ValidationInfo):
        if info.data.get("skip", 0) + limit > RANKED_MATCHES:
            raise ValueError(PAST_RANKED)
        return limit


class Highlight(BaseModel):
    """A field that matched: `text` is a plain-text fragment of it starting `offset` into the field;
    `matches` are [start, end) spans of the fragment. Offsets count UTF-16 code units (JavaScript's)."""

    field: str
    text: str
    offset: int
    matches: list[tuple[int, int]]


class PostHit(PostOut):
    kind: Literal["post"] = "post"
    highlights: list[Highlight]


class CommentHit(CommentOut):
    kind: Literal["comment"] = "comment"
    post_title: str
    highlights: list[Highlight]


class UserHit(AuthorOut):
    kind: Literal["user"] = "user"
    highlights: list[Highlight]


Hit = Annotated[PostHit | CommentHit | UserHit, Field(discriminator="kind")]


class SearchResults(RootModel[list[Hit]]):
    """Best match first, then newest."""
