"""Notifications as the API shows them, from the inbox's rows: validated in one call for the page."""

from .models import ANNOUNCEMENT
from .schemas import Inbox


def sender_fields(fields):
    if fields["sender_id"] is None:
        return None
    return {"id": fields["sender_id"], "name": fields["sender_full_name"] or fields["sender_username"],
            "profile_photo": fields["sender_profile_photo_url"]}


def notifications_out(rows):
    page, names = [], rows[0]._fields if rows else ()
    for row in rows:
        fields = dict(zip(names, row))
        announced = fields["type"] == ANNOUNCEMENT
        # An event points at its post; an announcement is its own reference.
        fields.update(is_read=bool(fields["read"]), sender=sender_fields(fields),
                      reference_id=fields["id"] if announced else fields["post_id"],
                      reference_type="announcement" if announced else "post")
        page.append(fields)
    return Inbox.model_validate(page)
