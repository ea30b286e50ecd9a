"""Reports' input and answers (docs/moderation.md)."""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel, StringConstraints, model_validator

from ..auth.public import AuthorOut
from ..web.params import MAX_ROW_ID, Page, RowId, UtcDateTime
from ..web.params import trimmed_text as text
from .models import REASONS

Reason = Literal[REASONS]
TARGET = re.compile(r"(post|comment)-([1-9][0-9]{0,9})")
ONE_TARGET = "Report either a post_id or a comment_id"
BAD_TARGET = "target is post-<id> or comment-<id>"


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"post_id": 12, "reason": "harassment", "details": "Names a student in the title"}]})

    post_id: RowId | None = None
    comment_id: RowId | None = None
    reason: Reason
    details: text(1, 1000) | None = None

    @model_validator(mode="after")
    def one_target(self):
        if (self.post_id is None) == (self.comment_id is None):
            raise ValueError(ONE_TARGET)
        return self


class ReportOut(BaseModel):
    """Your report: nothing of anyone else's."""

    id: int
    post_id: int | None
    comment_id: int | None
    reason: Reason
    details: str | None
    status: Literal["open"] = "open"
    created_at: UtcDateTime


def target_of(value):
    """("post" | "comment", id) of `post-12` / `comment-34`."""
    found = TARGET.fullmatch(value)
    if found is None or int(found[2]) > MAX_ROW_ID:
        raise ValueError(BAD_TARGET)
    return found[1], int(found[2])


class TargetPath(BaseModel):
    target: Annotated[str, StringConstraints(max_length=20), AfterValidator(target_of)]


class QueueQuery(Page):
    """`status`: open (default: targets with open reports), closed (reviewed) or all (open first)."""

    status: Literal["open", "closed", "all"] = "open"


class QueueItem(BaseModel):
    """One reported post or comment with its reports counted (open ones, or all for closed targets)."""

    target: str
    target_type: Literal["post", "comment"]
    post_id: int | None
    comment_id: int | None
    open_reports: int
    total_reports: int
    reasons: dict[Reason, int]
    first_reported_at: UtcDateTime
    last_reported_at: UtcDateTime
    is_hidden: bool
    post_title: str | None
    content: str | None
    is_anonymous: bool
    author: AuthorOut | None


class Queue(RootModel[list[QueueItem]]):
    """Reported posts and comments, those with open reports first, the latest reported first."""


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"action": "remove", "note": "Personal data of another student"}]})

    action: Literal["dismiss", "remove", "warn"]
    note: text(1, 500) | None = None


class Resolved(BaseModel):
    target: str
    resolution: Literal["dismissed", "removed", "warned"]
    reports_closed: int
