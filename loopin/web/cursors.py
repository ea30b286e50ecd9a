"""Keyset pagination: a list answers a full page with `X-Next-Cursor`, an opaque token that names where
the page ended, and the next request sends it back as `cursor`: the database seeks to that place in the
list's index instead of counting past `skip` rows, so page 500 costs what page 1 does. `skip` stays for
the original's frontend, bounded to what a person scrolls (MAX_SCROLL_SKIP).

A cursor is the ordering key of the page's last row (base64url JSON), not a secret: a client that makes
one up only chooses where its own list starts."""

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated

from flask import after_this_request
from pydantic import AfterValidator, BaseModel, Field, StringConstraints, field_validator

from ..core.clock import as_utc
from .params import DEFAULT_LIMIT, MAX_LIMIT, MAX_ROW_ID

NEXT_CURSOR = "X-Next-Cursor"
MAX_SCROLL_SKIP = 1_000  # params.MAX_SKIP bounds the other lists (admins')
BAD_CURSOR = "cursor must be an X-Next-Cursor this API sent"
SKIP_TOO_FAR = f"skip is at most {MAX_SCROLL_SKIP}; to read further, send the X-Next-Cursor of the last page as cursor"


def encode(*values):
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decoded(text):
    """The cursor's values (ints and strings), or ValueError."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError(BAD_CURSOR) from None
    if not isinstance(values, list) or not all(type(value) in (int, str) for value in values):
        raise ValueError(BAD_CURSOR)
    return values


def shaped(*kinds):
    """A `cursor` query parameter of these kinds ("id", "int", "time"), as a tuple of Python values."""
    def check(text):
        values = decoded(text)
        if len(values) != len(kinds):
            raise ValueError(BAD_CURSOR)
        try:
            return tuple(parse(kind, value) for kind, value in zip(kinds, values))
        except (TypeError, ValueError):
            raise ValueError(BAD_CURSOR) from None

    return Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(check)]


def parse(kind, value):
    if kind == "time":
        return as_utc(datetime.fromisoformat(value))
    if not isinstance(value, int) or (kind == "id" and not 1 <= value <= MAX_ROW_ID) or abs(value) > 2**62:
        raise ValueError(BAD_CURSOR)
    return value


class CursorPage(BaseModel):
    """`skip` (at most MAX_SCROLL_SKIP) or `cursor` (what X-Next-Cursor said), and `limit`."""

    skip: int = Field(0, ge=0)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)

    @field_validator("skip")
    @classmethod
    def near(cls, skip):
        if skip > MAX_SCROLL_SKIP:
            raise ValueError(SKIP_TOO_FAR)
        return skip


def as_stored(moment, dialect):
    """A cursor's time as the database compares it. SQLite keeps times as text, whole seconds when the
    database stamped them (CURRENT_TIMESTAMP) and with microseconds when Python did: the same text
    compares equal, so rows of one second are told apart by their ids, not skipped or repeated."""
    if dialect != "sqlite":
        return moment
    moment = as_utc(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "")


def offer_next(rows, limit, key):
    """A full page says where the next one starts (`key(last row)`: its ordering values)."""
    if len(rows) == limit:
        cursor = encode(*key(rows[-1]))

        @after_this_request
        def tell(response):
            response.headers[NEXT_CURSOR] = cursor
            return response
