"""The original's tags (one comma-separated string per post) as Loopin keeps them: the string as shown,
normalised (trimmed, no empties, one spelling per tag whatever its case), and one `post_tags` row per
tag for the whole-tag filter. In Python, a batch of posts per query: the key is `str.casefold()`
(posts/tags.py), which neither database's lower() matches for every letter."""

from dataclasses import dataclass, field

from sqlalchemy import text

from ..posts.tags import MAX_TAG_LENGTH, MAX_TAGS, tag_key

BATCH = 5000


@dataclass
class Tags:
    shown: dict = field(default_factory=dict)  # post id -> "Academic,Event"
    rows: list = field(default_factory=list)  # {"post_id", "tag_key"}
    cut: int = 0  # posts that had more tags, or longer ones, than Loopin keeps


def normalised(value):
    """(tags kept, whether any was shortened or dropped for Loopin's limits)."""
    tags, keys, cut = [], set(), False
    for tag in (part.strip() for part in value.split(",")):
        while len(tag_key(tag)) > MAX_TAG_LENGTH:  # the key, too: "ß" casefolds to two letters
            tag, cut = tag[:-1].strip(), True
        if tag and tag_key(tag) not in keys:
            if len(tags) == MAX_TAGS:
                return tags, True
            keys.add(tag_key(tag))
            tags.append(tag)
    return tags, cut


def read_tags(connection, o):
    found, last = Tags(), 0
    query = text(f"SELECT id, tags FROM {o}posts WHERE tags IS NOT NULL AND id > :last ORDER BY id LIMIT {BATCH}")
    while batch := connection.execute(query, {"last": last}).all():
        for post_id, value in batch:
            tags, cut = normalised(value)
            found.cut += cut
            if tags:
                found.shown[post_id] = ",".join(tags)
                found.rows.extend({"post_id": post_id, "tag_key": tag_key(tag)} for tag in tags)
        last = batch[-1].id
    return found
