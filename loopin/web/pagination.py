"""The one pagination every list endpoint takes: `skip` and `limit`, both bounded (a huge `skip` would
overflow the database's integer and scan without end; a huge `limit` would answer without end)."""

from pydantic import BaseModel, Field

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
MAX_SKIP = 100_000


class Page(BaseModel):
    skip: int = Field(0, ge=0, le=MAX_SKIP)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
