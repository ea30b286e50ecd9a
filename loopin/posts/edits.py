"""Editing a post: the version it replaces is kept (post_revisions), the tags and auto-tags are made
again from the new words, and an admin's edit of someone else's post is audited. The post's row is
locked first, so two edits at once each keep the version the other replaced. Whether it is anonymous
never changes: an edit can neither name an anonymous post nor hide a named one's author."""

from sqlalchemy import delete, select, update

from ..audit.trail import record_action
from ..core.extensions import db
from .models import Post, PostRevision, PostTag
from .services import department_key
from .tags import tag_key, with_auto_tags

EDIT_POST = "EDIT_POST"  # audit action (docs/api.md lists them)
EDITABLE = ("title", "content", "department", "type", "tags")


def locked_post(post_id):
    """The post's editable columns and author, its row locked until the transaction ends; or None."""
    return db.session.execute(select(Post.id, Post.author_id, *(getattr(Post, name) for name in EDITABLE))
                              .where(Post.id == post_id).with_for_update()).first()


def edit_post(editor, post, changes, now):
    """Apply `changes` (field -> new value, tags as a list) to `post` (locked_post's row). Returns False
    when they change nothing (no version is kept then)."""
    tags = with_auto_tags(changes.get("tags", split_tags(post.tags)), changes.get("title", post.title),
                          changes.get("content", post.content))
    wanted = {name: getattr(post, name) for name in EDITABLE} | changes | {"tags": ",".join(tags) or None}
    if all(wanted[name] == getattr(post, name) for name in EDITABLE):
        return False
    db.session.add(PostRevision(post_id=post.id, editor_id=editor.id, replaced_at=now,
                                **{name: getattr(post, name) for name in EDITABLE}))
    db.session.execute(update(Post).where(Post.id == post.id).values(
        **wanted, department_key=department_key(wanted["department"]), edited_at=now))
    db.session.execute(delete(PostTag).where(PostTag.post_id == post.id))
    db.session.add_all(PostTag(post_id=post.id, tag_key=key) for key in dict.fromkeys(map(tag_key, tags)))
    if editor.id != post.author_id:
        record_action(EDIT_POST, editor, "post", post.id, author_id=post.author_id,
                      fields=sorted(name for name in EDITABLE if wanted[name] != getattr(post, name)))
    db.session.flush()
    return True


def split_tags(stored):
    return stored.split(",") if stored else []


def revisions_of(post_id, skip, limit):
    """The versions edits replaced, newest first: one statement per page."""
    return db.session.execute(select(PostRevision).where(PostRevision.post_id == post_id)
                              .order_by(PostRevision.id.desc()).offset(skip).limit(limit)).scalars().all()
