"""The `/auth` blueprint, shared by the account routes and the session routes."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
