"""A post as every post endpoint returns it (PLATFORM.md), from its row: the pin as it stands now, the
author only to those who may see it, the caller's vote (looked up for a whole page at once)."""

from ..core.clock import as_utc
from .schemas import AuthorOut, PostOut
from .services import sees_author


def is_pinned(row, now):
    return row.pinned_at is not None and (row.pinned_until is None or as_utc(row.pinned_until) > now)


def author_out(row):
    return AuthorOut(id=row.author_id, username=row.author_username, full_name=row.author_full_name,
                     profile_photo_url=row.author_profile_photo_url, role=row.author_role)


def post_out(row, caller, now, vote=None):
    shown = sees_author(row, caller)
    pinned = is_pinned(row, now)
    return PostOut(
        id=row.id, title=row.title, content=row.content, department=row.department, type=row.type,
        tags=row.tags, is_anonymous=row.is_anonymous, is_pinned=pinned,
        pinned_until=row.pinned_until if pinned else None, created_at=row.created_at,
        author_id=row.author_id if shown else None, author=author_out(row) if shown else None,
        upvotes=row.upvotes, downvotes=row.downvotes, comments_count=row.comments_count,
        share_count=row.share_count, user_vote=vote,
        media_url=row.media_url, media_public_id=row.media_public_id, media_type=row.media_type,
    )
