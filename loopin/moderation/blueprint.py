"""The `/reports` blueprint (anyone signed in reports) and `/admin/reports` (admins review)."""

from flask import Blueprint

from ..web.http import no_store

reports_bp = Blueprint("reports", __name__, url_prefix="/reports")
review_bp = Blueprint("moderation", __name__, url_prefix="/admin/reports")
review_bp.after_request(no_store)  # who wrote an anonymous post under review
