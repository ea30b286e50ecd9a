"""Notifications as the API shows them, from the inbox's rows: validated in one call for the page."""

from ..core.database import as_dicts
from .models import ANNOUNCEMENT
from .schemas import Inbox


def sender_fields(fields):
    if fields["sender_id"] is None:
        return None
    return {"id": fields["sender_id"], "name": fields["sender_full_name"] or fields["sender_username"],
            "profile_photo": fields["sender_profile_photo_url"]}


def notifications_out(rows):
    page = as_dicts(rows)
    for fields in page:
        announced = fields["type"] == ANNOUNCEMENT
        # An event points at its post (a moderation notice about a removed post points nowhere); an
        # announcement is its own reference.
        reference_type = "announcement" if announced else ("post" if fields["post_id"] is not None else None)
        fields.update(is_read=bool(fields["read"]), sender=sender_fields(fields),
                      reference_id=fields["id"] if announced else fields["post_id"], reference_type=reference_type)
    return Inbox.model_validate(page)
