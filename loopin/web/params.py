"""Parameters every feature's endpoints share, bounded so that no value reaches the database as
something it cannot hold: pagination (`skip`, `limit`), row ids, trimmed text."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
MAX_SKIP = 100_000  # a huge skip would overflow the database's integer and scan without end
MAX_ROW_ID = 2**31 - 1  # PostgreSQL's INTEGER; larger ids exist nowhere, so they answer 404 or 422

RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


def trimmed(value):
    """A before-validator: text without surrounding white space (anything else as given, for the
    type check to refuse)."""
    return value.strip() if isinstance(value, str) else value


def trimmed_text(min_length, max_length):
    """Text trimmed of surrounding white space, then held to these lengths."""
    limits = StringConstraints(min_length=min_length or None, max_length=max_length)  # 0: no minimum to state
    return Annotated[str, BeforeValidator(trimmed), limits]


class Page(BaseModel):
    skip: int = Field(0, ge=0, le=MAX_SKIP)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
