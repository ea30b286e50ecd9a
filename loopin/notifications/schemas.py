"""Notifications' input and answers (docs/api.md, "Notifications and polling")."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, RootModel

from ..web.cursors import CursorPage, shaped
from ..web.params import RowId, UtcDateTime, trimmed_text

Title, Message, Department = trimmed_text(1, 200), trimmed_text(1, 5000), trimmed_text(1, 64)


class AnnouncementIn(BaseModel):
    """As JSON, or as query parameters (the original took them there). Without `department` it reaches
    everyone."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"title": "Exam schedule", "message": "Mid-terms start on Monday.", "department": "CSE"}]})

    title: Title
    message: Message
    department: Department | None = None


class AnnouncementQuery(BaseModel):
    """The same fields as query parameters, for clients written against the original."""

    title: Title | None = None
    message: Message | None = None
    department: Department | None = None


class Sent(BaseModel):
    status: Literal["sent"] = "sent"
    count: int


class NotificationId(BaseModel):
    notification_id: RowId


class SenderOut(BaseModel):
    """Public profile fields only."""

    id: int
    name: str | None
    profile_photo: str | None


class NotificationOut(BaseModel):
    id: int
    type: Literal["comment", "reply", "upvote", "announcement", "moderation"]
    title: str
    message: str
    reference_id: int | None
    reference_type: Literal["post", "announcement"] | None
    is_read: bool
    created_at: UtcDateTime
    sender: SenderOut | None


class Inbox(RootModel[list[NotificationOut]]):
    """A page of the caller's notifications, newest first."""


class InboxPage(CursorPage):
    """`skip` or `cursor` (X-Next-Cursor of the last page), and `limit` 1-100 (default 20)."""

    cursor: shaped("id") | None = None


class UnreadCount(BaseModel):
    count: int


class Done(BaseModel):
    status: Literal["success"] = "success"
