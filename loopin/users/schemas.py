"""Profile input and the public profile. Text is stored as given (trimmed) and never rendered as HTML
by the API: clients escape it where they display it."""

from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from ..auth.usernames import USERNAME_PATTERN
from ..web.params import UtcDateTime, trimmed


def web_address(value):
    """An http(s) address with a host, or 422: never `javascript:` or `data:`."""
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PydanticCustomError("url_scheme", "URL must start with http:// or https:// and name a host")
    return value


def text(limit):
    return Annotated[str, BeforeValidator(trimmed), StringConstraints(max_length=limit)]


# Shown as given; unique whatever the letter case (`Alice` and `alice` are one username).
Username = Annotated[str, BeforeValidator(trimmed), StringConstraints(pattern=USERNAME_PATTERN)]
EnrollmentNumber = Annotated[str, BeforeValidator(trimmed), StringConstraints(min_length=1, max_length=32)]
PhotoUrl = Annotated[str, BeforeValidator(trimmed), StringConstraints(max_length=2048), AfterValidator(web_address)]


class ProfileUpdate(BaseModel):
    """Every field optional: absent or null leaves it unchanged, "" clears a text field. `role`, `email`,
    `is_active` and any other field are refused (422)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"username": "ada_l", "full_name": "Ada Lovelace", "department": "CSE", "bio": "Analytical engines"}]})

    username: Username | None = None
    full_name: text(100) | None = None
    department: text(64) | None = None
    bio: text(500) | None = None
    profile_photo_url: PhotoUrl | None = None
    enrollment_number: EnrollmentNumber | None = None


class PublicProfile(BaseModel):
    """What anyone may see of a user: never the email or the enrollment number."""

    id: int
    username: str | None
    full_name: str | None
    department: str | None
    role: str
    bio: str | None
    profile_photo_url: str | None
    created_at: UtcDateTime


class UsernamePath(BaseModel):
    username: Annotated[str, StringConstraints(max_length=64)]




class AccountDeletion(BaseModel):
    """The account's password, proving the request is its owner's (a stolen token alone is not enough)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"password": "correct horse battery"}]})

    password: str


class AccountExport(BaseModel):
    """Everything Loopin holds about the caller, as `GET /users/me/export` attaches it."""

    exported_at: str
    account: dict[str, Any]
    sessions: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    post_revisions: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    comment_revisions: list[dict[str, Any]]
    votes: list[dict[str, Any]]
    reactions: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    mutes: list[dict[str, Any]]
