"""What can be voted on and reacted to. Votes know no other feature's table: each feature whose rows
take votes and reactions (posts, comments) describes them as a Target and registers it when the app
is built, and the toggles go through it. Votes sit below posts and comments in the layers
(docs/architecture.md); the features above tell votes what they are, votes never asks."""

from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app

TARGETS = "loopin.vote_targets"  # app.extensions key: {kind: Target}
TARGET_NOT_FOUND = "Target not found"


@dataclass(frozen=True)
class Target:
    """One kind of row that takes votes and reactions.

    `lock(id)`: the row, locked until the transaction ends (FOR UPDATE), or None when there is no
    such row to vote on. Every toggle updates or counts on that row anyway, so taking the lock first
    costs no extra waiting and makes each toggle see the one before it: ten identical votes at once
    are ten toggles in a row, never a conflict. The row carries `author_id` and `title` when
    `notify_upvotes` is set (its author hears of each voter's first upvote).
    `move_votes(id, up, down)`: add to the counters in one UPDATE; (upvotes, downvotes) after it.
    `count_reaction(id, step)`: move a reactions counter, or None where the kind keeps none.
    """

    lock: Callable[[int], Any]
    move_votes: Callable[[int, int, int], tuple[int, int]]
    count_reaction: Callable[[int, int], None] | None = None
    notify_upvotes: bool = False


def register_target(app, kind, target):
    app.extensions.setdefault(TARGETS, {})[kind] = target


def target(kind):
    return current_app.extensions[TARGETS][kind]
