"""Parameters and field types every feature's endpoints share, bounded so that no value reaches the
database as something it cannot hold: pagination (`skip`, `limit`), row ids, trimmed text; and the
moments every answer writes in UTC."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from ..core.clock import as_utc

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


# A moment in UTC with its offset (`2026-02-05T10:00:00+00:00`), whatever zone the database hands back.
UtcDateTime = Annotated[datetime, PlainSerializer(lambda moment: as_utc(moment).isoformat(), return_type=str),
                        WithJsonSchema({"type": "string", "format": "date-time"})]
