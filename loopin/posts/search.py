"""Posts found by their words (docs/search.md): the posts' text index, the feed filtered by a query
(`GET /posts/?q=`, newest first) and the ranked matches `/search/` shows, each one statement with the
authors, the feed's filters and the caller's votes, whatever the page's size."""

from functools import cache

from sqlalchemy import bindparam, literal

from ..core.extensions import db
from ..fulltext.index import TextIndex, match_values, newest_matches, page_of
from .services import POSTS, UNPINNED, USERS, filter_conditions, with_authors, with_caller_vote
from .visibility import visible_posts

# Title, then tags, then the text: a title that says it outranks a post that mentions it.
POST_INDEX = TextIndex("post_search", POSTS, "post_id", ("title", "tags", "content"), (10.0, 5.0, 1.0),
                       "loopin_search")
RANKED_MATCHES = 200  # /search/ ranks the newest this many matches (fulltext/index.py says why)


def with_text_tags(tags, text):
    """The `tags` parameter with the query's #tags (any of them, as the parameter's)."""
    return ",".join(filter(None, [tags, *text.tags])) or None


@cache
def matches_statement(dialect, flags, ranked, has_text, after_id):
    """Posts matching the query (match_values) and the filters (filter_conditions' `flags`), best first
    (`ranked`) or newest first; without words to match (only #tags or an @author), the filters alone,
    newest first. `after_id`: below the cursor's post id."""
    conditions = [*filter_conditions(*flags), *visible_posts(flags[-1], mutes=not flags[3])]
    if after_id:
        conditions.append(POSTS.c.id < bindparam("cursor_id"))
    pin_rank = literal(UNPINNED).label("pin_rank")  # a search forces no pin to the top
    if has_text:
        by_author = flags[3]

        def joined(statement):
            return statement.outerjoin(USERS, USERS.c.id == POSTS.c.author_id) if by_author else statement

        page = page_of(newest_matches(POST_INDEX, dialect, bindparam("candidates"), conditions, joined), ranked)
        statement = with_authors(page.c.rank, pin_rank).join(page, page.c.id == POSTS.c.id)
        order = (page.c.rank.desc(), POSTS.c.id.desc()) if ranked else (POSTS.c.id.desc(),)
    else:
        statement = (with_authors(literal(0).label("rank"), pin_rank).where(*conditions)
                     .offset(bindparam("skip")).limit(bindparam("limit")))
        order = (POSTS.c.id.desc(),)
    if flags[-1] != "anonymous":
        statement = with_caller_vote(statement)
    return statement.order_by(*order)


def post_matches(text, filters, skip, limit, ranked, after_id=None):
    """A page of posts matching `text` (a TextQuery) and `filters` (services.filters_of)."""
    dialect = db.session.get_bind().dialect.name
    values = {**filters.values, "skip": skip, "limit": limit,
              "candidates": RANKED_MATCHES if ranked else skip + limit}
    if text.has_text:
        values.update(match_values(POST_INDEX, text, db.session))
    if after_id is not None:
        values["cursor_id"] = after_id
    statement = matches_statement(dialect, filters.flags, ranked, text.has_text, after_id is not None)
    return db.session.execute(statement, values).all()
