"""The `/votes` and `/reactions` blueprints: collections at `/votes/` and `/reactions/` (and without
the slash, no redirect)."""

from flask import Blueprint

votes_bp = Blueprint("votes", __name__, url_prefix="/votes")
reactions_bp = Blueprint("reactions", __name__, url_prefix="/reactions")
