"""Mutes' paths and answers (docs/moderation.md, "Mute")."""

from typing import Annotated

from pydantic import BaseModel, RootModel, StringConstraints

from ..web.params import UtcDateTime


class MutedPath(BaseModel):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class MutedOut(BaseModel):
    """An account you mute, as an author is shown (never the email or the enrollment number)."""

    id: int
    username: str | None
    full_name: str | None
    profile_photo_url: str | None
    role: str
    muted_at: UtcDateTime


class MutedList(RootModel[list[MutedOut]]):
    """The accounts you mute, the latest muted first."""
