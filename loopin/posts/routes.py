"""Post endpoints (docs/api.md, "Posts and the feed"): the feed, the popular list, one post; create, delete, pin,
unpin, share."""

from ..auth.admins import author_or_admin
from ..auth.models import ADMIN, FACULTY
from ..auth.tokens import VERIFIED_ADDRESS
from ..core import clock
from ..core.database import transaction
from ..votes.services import votes_of
from ..web.api import PUBLIC_READ, endpoint
from ..web.cursors import offer_next
from ..web.errors import ApiError, error_response
from .blueprint import bp
from .counters import count_share
from .limits import SHARE_LIMITS, TOO_MANY_SHARES
from .models import ANNOUNCEMENT
from .schemas import FeedQuery, PinQuery, PopularQuery, PostCreate, PostId, PostList, PostOut, ShareOut
from .search import post_matches, with_text_tags
from .services import create_post, delete_post, feed, filters_of, find_post, pin, popular, unpin
from .views import posts_out
from .visibility import hidden_from

NOT_FOUND = "Post not found"
ANNOUNCERS = (FACULTY, ADMIN)
ANNOUNCEMENT_REFUSED = "Only faculty and admins can post announcements"
DELETE_REFUSED = "You are not allowed to delete this post"
SHARED = "Share counted!"


def post_or_404(post_id, caller):
    """The post's row, or the declared 404 "Post not found" (also when reports hid it from `caller`)."""
    found = find_post(post_id)
    if found is None or hidden_from(found, caller):
        raise ApiError(404, NOT_FOUND)
    return found


def matching_feed(query, caller):
    text = query.q
    filters = filters_of(query.department, query.type, with_text_tags(query.tags, text), text.author or query.author,
                         caller)
    return post_matches(text, filters, query.skip, query.limit, ranked=False,
                        after_id=query.cursor[2] if query.cursor else None)


def page_of(rows, caller, now):
    """The feed's rows carry the caller's vote (joined in); other lists look it up for the page."""
    if rows and "user_vote" in rows[0]._fields:
        votes = {row.id: row.user_vote for row in rows}
    else:
        votes = votes_of(caller.user if caller else None, "post", [row.id for row in rows])
    return posts_out(rows, caller, now, votes)


def one_post(row, caller, now):
    return page_of([row], caller, now).root[0]


# The collection answers at "/posts/" and "/posts": strict_slashes=False, so no redirect drops a token.
@bp.get("/", strict_slashes=False)
@endpoint(query=FeedQuery, ok=PostList, auth=PUBLIC_READ, tags=["posts"])
def list_posts(query, caller):
    """The feed: pins in force first, then newest first. Filters: `department` (any letter case;
    `ALL` for every one), `tags` (any of these whole tags, any case), `type`, `author` (a username), and
    `q`: only posts with these words, newest first, no pin put first (the search language: /search/)."""
    now = clock.utcnow()
    if query.q is not None:
        rows = matching_feed(query, caller)
    else:
        rows = feed(query, caller, now)
    offer_next(rows, query.limit, lambda row: (row.pin_rank, row.created_at, row.id))
    return page_of(rows, caller, now)


@bp.get("/popular")
@endpoint(query=PopularQuery, ok=PostList, auth=PUBLIC_READ, tags=["posts"])
def popular_posts(query, caller):
    """By score, (upvotes - downvotes) + 2 comments + 3 shares, newest first on ties, within `timeframe`."""
    now = clock.utcnow()
    rows = popular(query, caller, now)
    offer_next(rows, query.limit, lambda row: (row.score, row.created_at, row.id))
    return page_of(rows, caller, now)


@bp.post("/", strict_slashes=False)
@endpoint(body=PostCreate, ok=PostOut, status=201, auth=True, requires=[VERIFIED_ADDRESS], tags=["posts"],
          errors={403: ANNOUNCEMENT_REFUSED})
def new_post(body, caller):
    """Post a discussion or a question (anyone signed in) or an announcement (faculty and admins)."""
    if body.type == ANNOUNCEMENT and caller.user.role not in ANNOUNCERS:
        return error_response(403, ANNOUNCEMENT_REFUSED)
    with transaction():
        post_id = create_post(caller.user, body)
    return one_post(find_post(post_id), caller, clock.utcnow()), 201


@bp.get("/<post_id>")
@endpoint(path=PostId, ok=PostOut, auth=PUBLIC_READ, tags=["posts"], errors={404: NOT_FOUND})
def get_post(path, caller):
    found = post_or_404(path.post_id, caller)
    return one_post(found, caller, clock.utcnow())


@bp.delete("/<post_id>")
@endpoint(path=PostId, ok=None, status=204, auth=True, tags=["posts"], errors={403: DELETE_REFUSED, 404: NOT_FOUND})
def remove_post(path, caller):
    """Delete your post (admins: any post, audited), with its comments, votes and reactions."""
    found = post_or_404(path.post_id, caller)
    if not author_or_admin(found.author_id, caller):
        return error_response(403, DELETE_REFUSED)
    with transaction():
        delete_post(caller.user, found)
    return None


@bp.put("/<post_id>/pin")
@endpoint(path=PostId, query=PinQuery, ok=PostOut, roles=[ADMIN], tags=["posts"], errors={404: NOT_FOUND})
def pin_post(path, query, caller):
    """Pin a post to the top of the feed for `duration` (24h, 7d, 30d or infinite). Audited."""
    found = post_or_404(path.post_id, caller)
    now = clock.utcnow()
    with transaction():
        pin(caller.user, found.id, query.duration, now)
    return one_post(find_post(found.id), caller, now)


@bp.put("/<post_id>/unpin")
@endpoint(path=PostId, ok=PostOut, roles=[ADMIN], tags=["posts"], errors={404: NOT_FOUND})
def unpin_post(path, caller):
    """Unpin a post. Audited."""
    found = post_or_404(path.post_id, caller)
    with transaction():
        unpin(caller.user, found.id)
    return one_post(find_post(found.id), caller, clock.utcnow())


@bp.patch("/<post_id>/share")
@endpoint(path=PostId, ok=ShareOut, auth=PUBLIC_READ, limits=SHARE_LIMITS, tags=["posts"],
          errors={404: NOT_FOUND, 429: TOO_MANY_SHARES})
def share_post(path, caller):
    """Count a share: 5 a minute per user (per client IP when anonymous)."""
    with transaction():
        count = count_share(path.post_id)
    if count is None:
        return error_response(404, NOT_FOUND)
    return ShareOut(share_count=count, message=SHARED)
