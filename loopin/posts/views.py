"""Posts as every post endpoint returns them (docs/api.md), from their rows: the pin as it stands now,
the author only to those who may see it, the caller's vote.

A page is built as plain dicts from the rows' columns (named as the answer's fields; extra columns are
ignored) and validated in one call: pydantic's loop runs in Rust, where a model per post and per
author, built from Python, costs about twice as much.
"""

from ..auth.public import author_fields
from ..core.clock import as_utc
from ..core.database import as_dicts
from .schemas import PostList
from .services import sees_author


def posts_out(rows, caller, now, votes):
    """A PostList of `rows`; `votes` maps post ids to the caller's vote."""
    return PostList.model_validate(post_fields(rows, caller, now, votes))


def post_fields(rows, caller, now, votes):
    """The answer's fields of each row, as dicts (for a PostList, or a search's page)."""
    page = as_dicts(rows)
    for row, fields in zip(rows, page):
        pinned = fields["pinned_at"] is not None and (fields["pinned_until"] is None
                                                     or as_utc(fields["pinned_until"]) > now)
        shown = sees_author(row, caller)
        fields.update(is_pinned=pinned, pinned_until=fields["pinned_until"] if pinned else None,
                      is_hidden=fields["hidden_at"] is not None,
                      author=author_fields(fields) if shown else None, user_vote=votes.get(fields["id"]))
        if not shown:
            fields["author_id"] = None
    return page
