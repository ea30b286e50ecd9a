"""GET /news/: the newest announcement posts as campus news (the original served a fixed list)."""

from sqlalchemy import select

from ..core.clock import as_utc
from ..core.extensions import db
from ..posts.models import ANNOUNCEMENT, Post
from ..web.api import PUBLIC_READ, endpoint
from .blueprint import bp
from .schemas import NewsItem, NewsList, NewsQuery

# The original's widget: its type labels and their colours.
COLORS = {"Academic": "bg-red-100 text-red-700", "Event": "bg-blue-100 text-blue-700",
          "Notice": "bg-yellow-100 text-yellow-700"}


def news_type(tags):
    """Academic or Event when the post is tagged so (auto-tags included), else Notice."""
    named = {tag.strip().casefold() for tag in (tags or "").split(",")}
    return next((kind for kind in ("Academic", "Event") if kind.casefold() in named), "Notice")


@bp.get("/", strict_slashes=False)
@endpoint(query=NewsQuery, ok=NewsList, auth=PUBLIC_READ, tags=["news"])
def campus_news(query, caller):
    """The newest announcements (`limit` 1-20, default 4): one indexed statement."""
    rows = db.session.execute(select(Post.id, Post.title, Post.tags, Post.created_at)
                              .where(Post.type == ANNOUNCEMENT, Post.hidden_at.is_(None))
                              .order_by(Post.created_at.desc(), Post.id.desc()).limit(query.limit))
    items = []
    for row in rows:
        day, kind = as_utc(row.created_at), news_type(row.tags)
        items.append(NewsItem(id=row.id, title=row.title, date=f"{day:%b} {day.day}", type=kind, color=COLORS[kind]))
    return NewsList(items)
