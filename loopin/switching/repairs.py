"""What the upgrade repairs, by kind, counted over the original's tables with the rules the copy
applies (rules.py): `loopin check` prints these counts before anything changes, the upgrade after.

Reactions without a user are dropped, not kept as bare counts: the original's endpoint ignored the
token, so anyone could add them without limit, nobody can take one back, and Loopin's reactions are a
user's each (one per user, target and emoji)."""

from dataclasses import dataclass

from sqlalchemy import text

from . import rules
from .post_tags import read_tags
from .usernames import planned_renames


@dataclass(frozen=True)
class Repair:
    kind: str
    rule: str
    table: str
    where: object  # o -> SQL condition over the table, aliased by its first letter


def sql_repairs():
    r = rules
    return [
        Repair("votes pointing at nothing", "dropped", "votes",
               lambda o: f"{r.vote_well_formed('v')} AND NOT {r.vote_kept(o, 'v')}"),
        Repair("votes with no target, two targets or a value other than 1 and -1", "dropped", "votes",
               lambda o: f"NOT {r.vote_well_formed('v')}"),
        Repair("reactions with no user", "dropped", "reactions", lambda o: "r.user_id IS NULL"),
        Repair("reactions pointing at nothing", "dropped", "reactions",
               lambda o: f"{r.reaction_well_formed('r')} AND NOT {r.reaction_kept(o, 'r')}"),
        Repair("reactions with no target, two targets or an emoji over 64 characters", "dropped", "reactions",
               lambda o: f"r.user_id IS NOT NULL AND NOT {r.reaction_well_formed('r')}"),
        Repair("comments on posts that no longer exist", "dropped", "comments",
               lambda o: f"NOT {r.post_exists(o, 'c.post_id')}"),
        Repair("replies whose parent comment no longer exists", "parent restored as a [deleted] placeholder",
               "comments", lambda o: f"{r.post_exists(o, 'c.post_id')} AND c.parent_id IS NOT NULL "
                                     f"AND NOT {r.comment_kept(o, 'c.parent_id')}"),
        Repair("comments whose author no longer exists", "author left empty", "comments",
               lambda o: f"c.author_id IS NOT NULL AND NOT {r.user_exists(o, 'c.author_id')}"),
        Repair("posts whose author no longer exists", "author left empty", "posts",
               lambda o: f"p.author_id IS NOT NULL AND NOT {r.user_exists(o, 'p.author_id')}"),
        Repair("posts of no known type", "made discussions", "posts",
               lambda o: f"NOT coalesce({r.known_post_type('p')}, false)"),
        Repair("media Loopin cannot show (blob: or non-https links, unknown types)", "dropped from the post",
               "posts", lambda o: f"{r.has_media('p')} AND NOT coalesce({r.media_kept('p')}, false)"),
        Repair("accounts of no known role", "made students", "users",
               lambda o: f"NOT coalesce({r.known_role('u')}, false)"),
        Repair("notifications of no known type", "dropped", "notifications",
               lambda o: f"coalesce(n.type NOT IN {r.sql_list((*r.KEPT_NOTIFICATION_TYPES, r.ANNOUNCEMENT))}, true)"),
        Repair("notifications about posts or for users that no longer exist", "dropped", "notifications",
               lambda o: f"n.type IN {r.sql_list(r.KEPT_NOTIFICATION_TYPES)} AND NOT {r.event_kept(o, 'n')}"),
        Repair("upvote notifications repeated by a re-vote", "the first kept", "notifications",
               lambda o: f"{r.event_kept(o, 'n')} AND NOT {r.first_of_repeated_upvotes(o, 'n')}"),
        Repair("enrollment numbers an earlier account holds in another letter case", "left empty", "users",
               lambda o: f"u.enrollment_number IS NOT NULL AND length(u.enrollment_number) <= {r.MAX_ENROLLMENT}"
                         f" AND NOT {r.enrollment_kept(o, 'u')}"),
        Repair("audit entries by admins who no longer exist", "admin left empty", "audit_logs",
               lambda o: f"a.admin_id IS NOT NULL AND NOT {r.user_exists(o, 'a.admin_id')}"),
        *[Repair(f"{table}.{column} over {limit} characters", "shortened", table,
                 lambda o, column=column, limit=limit: f"length({column}) > {limit}")
          for (table, column), limit in rules.SHORTENED.items()],
        *[Repair(f"{table}.{column} over {limit} characters", "dropped", table,
                 lambda o, column=column, limit=limit: f"length({column}) > {limit}")
          for (table, column), limit in rules.DROPPED.items()],
    ]


def count_repairs(connection, o):
    """{kind: (rule, count)} for every repair that applies (count > 0), the username renames and the
    tags as Loopin keeps them: the copy applies these two as they were counted (transfer.py)."""
    found = {}
    for repair in sql_repairs():
        sql = f"SELECT count(*) FROM {o}{repair.table} {repair.table[0]} WHERE {repair.where(o)}"
        count = connection.execute(text(sql)).scalar()
        if count:
            found[repair.kind] = (repair.rule, count)
    tags = read_tags(connection, o)
    if tags.cut:
        found["posts with more than 10 tags, or tags over 32 characters"] = ("cut to Loopin's limits", tags.cut)
    renames = planned_renames(connection, o)
    if renames:
        found["usernames missing, outside Loopin's rule or taken in another letter case"] = ("renamed", len(renames))
    return found, renames, tags
