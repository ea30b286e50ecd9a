"""Search results as the API shows them: each in its usual shape (a post, a comment, a person), with
its kind and its highlights."""

from ..comments.views import comment_fields
from ..fulltext.highlights import highlights
from ..fulltext.params import words_marker
from ..posts.views import post_fields
from .schemas import SearchResults


def post_hits(rows, caller, now, text):
    votes = {row.id: row.user_vote for row in rows} if rows and "user_vote" in rows[0]._fields else {}
    page = post_fields(rows, caller, now, votes)
    marks = words_marker(text)
    for fields in page:
        fields.update(kind="post", highlights=highlights({"title": fields["title"], "content": fields["content"]},
                                                         marks))
    return SearchResults.model_validate(page)


def comment_hits(rows, caller, text):
    page = comment_fields(rows, caller)
    marks = words_marker(text)
    for fields in page:
        fields.update(kind="comment", highlights=highlights({"content": fields["content"]}, marks))
    return SearchResults.model_validate(page)


def user_hits(rows, text):
    marks = words_marker(text, stemmed=False)
    page = [{"id": row.id, "username": row.username, "full_name": row.full_name,
             "profile_photo_url": row.profile_photo_url, "role": row.role, "kind": "user",
             "highlights": highlights({"username": row.username, "full_name": row.full_name}, marks)}
            for row in rows]
    return SearchResults.model_validate(page)
