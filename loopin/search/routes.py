"""`GET /search/`: posts, comments or people by their words (docs/search.md)."""

from ..core import clock
from ..fulltext.language import Term, TextQuery, tokens_of
from ..posts.search import post_matches, with_text_tags
from ..posts.services import filters_of
from ..web.api import PUBLIC_READ, endpoint
from .blueprint import bp
from .schemas import SearchQuery, SearchResults
from .services import comment_matches, user_matches
from .views import comment_hits, post_hits, user_hits


@bp.get("/", strict_slashes=False)
@endpoint(query=SearchQuery, ok=SearchResults, auth=PUBLIC_READ, tags=["search"])
def find(query, caller):
    """Posts (default), comments or people whose words match `q`, best match first, then newest, each with
    `highlights`. `q`: words (all must match), `"a phrase"`, `-excluded`, `OR`, `#tag`, `@username`; the
    last word matches as a prefix. Posts and comments: `department`, `tags`, `post_type`, `author`."""
    text = query.q
    if query.type == "users":
        people = people_text(text)
        rows = user_matches(people, query.skip, query.limit) if people.has_text else []
        return user_hits(rows, people)
    filters = filters_of(query.department, query.post_type, with_text_tags(query.tags, text),
                         text.author or query.author, caller)
    if query.type == "comments":
        return comment_hits(comment_matches(text, filters, query.skip, query.limit), caller, text)
    rows = post_matches(text, filters, query.skip, query.limit, ranked=True)
    return post_hits(rows, caller, clock.utcnow(), text)


def people_text(text):
    """For people, `@ann` is a name being typed, not a filter: a word that matches as a prefix."""
    tokens = tokens_of(text.author or "")
    if not tokens:
        return text
    return TextQuery((*text.clauses, (Term(tokens, prefix=True),)), text.excluded)
