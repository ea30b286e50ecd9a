"""Comments as the API shows them: authors (none on a placeholder), reactions and the caller's vote
for the whole page in one query each."""

from ..auth.public import author_fields
from ..core.database import as_dicts
from ..votes.services import reactions_on
from .schemas import CommentList


def comments_out(rows, caller):
    """The page as a CommentList, validated in one call (pydantic's loop runs in Rust; a model per
    comment and per author costs twice as much for 200 comments)."""
    return CommentList.model_validate(comment_fields(rows, caller))


def comment_fields(rows, caller):
    """Each row's columns (named as the answer's fields; extra columns are ignored) plus its author,
    reactions and the caller's vote, as dicts."""
    user = caller.user if caller is not None else None
    # Reactions are looked up only for comments that have some; the caller's vote came with the rows.
    reacted = [row.id for row in rows if row.reactions_count]
    reactions = reactions_on(user, "comment", reacted) if reacted else {}
    page = as_dicts(rows)
    for fields in page:
        fields.update(author=author_fields(fields), replies=[], user_vote=fields.get("user_vote"),
                      is_hidden=fields["hidden_at"] is not None,
                      reactions=[{"emoji": emoji, "count": count, "user_reacted": mine}
                                 for emoji, count, mine in reactions.get(fields["id"], ())])
    return page
