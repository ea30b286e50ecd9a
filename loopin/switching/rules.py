"""What of the original's later database Loopin keeps, as SQL conditions over its tables: one place
for the rules, read by the copy (transfer.py) and by the counts of what it repairs (repairs.py).

`o` is how the original's tables are named (later_schema.prefix): `""` before the upgrade,
`"loopin_original."` during it. The same text runs on PostgreSQL and SQLite."""

from ..auth.models import ROLES
from ..posts.models import MEDIA_TYPES, POST_TYPES

KEPT_NOTIFICATION_TYPES = ("comment", "upvote")  # events; announcements are folded (transfer.py)
ANNOUNCEMENT = "announcement"
# Rows of one announcement were written by one request, one per user: consecutive rows of the same
# sender, title and message at most this far apart belong to it.
FAN_OUT_GAP_SECONDS = 1
MAX_EMOJI, MAX_ENROLLMENT, MAX_PHOTO, MAX_MEDIA_URL, MAX_PUBLIC_ID = 64, 32, 2048, 2048, 255

# Text longer than Loopin's column: shortened (free text) or dropped (an identifier or a link cut
# short would point elsewhere).
SHORTENED = {("users", "full_name"): 100, ("users", "department"): 64, ("users", "bio"): 500,
             ("posts", "title"): 200, ("posts", "department"): 64, ("notifications", "title"): 200,
             ("audit_logs", "action"): 32, ("audit_logs", "target_type"): 32}
DROPPED = {("users", "enrollment_number"): MAX_ENROLLMENT, ("users", "profile_photo_url"): MAX_PHOTO}


def sql_list(values):
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def user_exists(o, column):
    return f"{column} IN (SELECT id FROM {o}users)"


def post_exists(o, column):
    return f"{column} IN (SELECT id FROM {o}posts)"


def comment_kept(o, column):
    """A comment is kept when its post is: the original's SQLite could delete a post under its comments."""
    return f"{column} IN (SELECT id FROM {o}comments WHERE {post_exists(o, 'post_id')})"


def one_target(alias):
    return f"(({alias}.post_id IS NULL) <> ({alias}.comment_id IS NULL))"


def target_kept(o, alias):
    return (f"({alias}.post_id IS NOT NULL AND {post_exists(o, alias + '.post_id')}"
            f" OR {alias}.comment_id IS NOT NULL AND {comment_kept(o, alias + '.comment_id')})")


def vote_well_formed(alias):
    return f"({alias}.vote_type IN (1, -1) AND {one_target(alias)})"


def vote_kept(o, alias):
    return f"({vote_well_formed(alias)} AND {user_exists(o, alias + '.user_id')} AND {target_kept(o, alias)})"


def reaction_well_formed(alias):
    return f"({alias}.user_id IS NOT NULL AND {one_target(alias)} AND length({alias}.emoji) <= {MAX_EMOJI})"


def reaction_kept(o, alias):
    return f"({reaction_well_formed(alias)} AND {user_exists(o, alias + '.user_id')} AND {target_kept(o, alias)})"


def enrollment_kept(o, alias):
    """The first account (lowest id) keeps an enrollment number; a later one whose number differs only
    by letter case loses it (Loopin's numbers are unique whatever the case; the original's were not)."""
    return (f"({alias}.enrollment_number IS NOT NULL AND length({alias}.enrollment_number) <= {MAX_ENROLLMENT}"
            f" AND {alias}.id IN (SELECT min(id) FROM {o}users WHERE enrollment_number IS NOT NULL"
            f" AND length(enrollment_number) <= {MAX_ENROLLMENT} GROUP BY lower(enrollment_number)))")


def known_post_type(alias):
    return f"{alias}.type IN {sql_list(POST_TYPES)}"


def known_role(alias):
    return f"{alias}.role IN {sql_list(ROLES)}"


def media_kept(alias):
    """Media Loopin can show: an https link and a type it knows. `blob:` links (the original saved the
    browser's local preview) and anything else are dropped with their type and public id."""
    return (f"({alias}.media_url LIKE 'https://%' AND length({alias}.media_url) <= {MAX_MEDIA_URL}"
            f" AND {alias}.media_type IN {sql_list(MEDIA_TYPES)}"
            f" AND coalesce(length({alias}.media_public_id), 0) <= {MAX_PUBLIC_ID})")


def has_media(alias):
    return f"({alias}.media_url IS NOT NULL OR {alias}.media_type IS NOT NULL OR {alias}.media_public_id IS NOT NULL)"


def event_kept(o, alias):
    """A comment or upvote notification about a post that is still there, for a user who is."""
    return (f"({alias}.type IN {sql_list(KEPT_NOTIFICATION_TYPES)} AND {user_exists(o, alias + '.recipient_id')}"
            f" AND {alias}.reference_type = 'post' AND {post_exists(o, alias + '.reference_id')})")


def first_of_repeated_upvotes(o, alias):
    """Loopin notifies a post's first upvote by each voter once; the original notified every re-vote.
    (GROUP BY puts the NULL senders together, as one sender.)"""
    return (f"({alias}.type <> 'upvote' OR {alias}.id IN (SELECT min(id) FROM {o}notifications"
            " WHERE type = 'upvote' AND reference_type = 'post' GROUP BY recipient_id, reference_id, sender_id))")
