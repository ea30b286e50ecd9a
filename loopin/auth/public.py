"""What anyone may see of an account when it signs something: its public columns and the author object
built from them. Never the email or the enrollment number. Posts and comments join these columns into
their own statements and show the author this way; notifications name their sender from the same
columns."""

from pydantic import BaseModel

from .models import User

USERS = User.__table__
# The author's public columns, labelled as a post's or a comment's row carries them.
AUTHOR_COLUMNS = [USERS.c.username.label("author_username"), USERS.c.full_name.label("author_full_name"),
                  USERS.c.profile_photo_url.label("author_profile_photo_url"), USERS.c.role.label("author_role")]


class AuthorOut(BaseModel):
    """Who wrote it: never the email or the enrollment number."""

    id: int
    username: str | None
    full_name: str | None
    profile_photo_url: str | None
    role: str


def author_fields(fields):
    """The public author of a row's `author_id` and AUTHOR_COLUMNS, or None (a deleted comment has none)."""
    if fields["author_id"] is None:
        return None
    return {"id": fields["author_id"], "username": fields["author_username"], "full_name": fields["author_full_name"],
            "profile_photo_url": fields["author_profile_photo_url"], "role": fields["author_role"]}
