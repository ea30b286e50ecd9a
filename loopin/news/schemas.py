"""The campus-news widget's shape (the original's `NewsItem`)."""

from typing import Literal

from pydantic import BaseModel, Field, RootModel


class NewsQuery(BaseModel):
    limit: int = Field(4, ge=1, le=20)


class NewsItem(BaseModel):
    id: int = Field(description="the announcement post's id")
    title: str
    date: str = Field(description="its day, as the widget shows it: `Oct 15` (UTC)")
    type: Literal["Academic", "Event", "Notice"]
    color: str = Field(description="the widget's Tailwind classes for the type")


class NewsList(RootModel[list[NewsItem]]):
    """The newest announcements, newest first."""
