"""Access tokens: HS256 JWTs whose `sub` is the user's email, as the original issued them.

Tokens minted by the original (no `jti` or `type` claim) decode as access tokens: flask-jwt-extended
fills in the missing claims, so a switched deployment logs nobody out.
"""

from flask_jwt_extended import create_access_token
from sqlalchemy import select

from ..models import User
from ..extensions import db


def token_response(user):
    """The original's login/register body."""
    return {"access_token": create_access_token(identity=user.email), "token_type": "bearer"}


def load_token_user(_jwt_header, jwt_data):
    """The active user a verified token names; None makes flask-jwt-extended refuse it with 401."""
    user = db.session.scalar(select(User).where(User.email == jwt_data["sub"]))
    if user is None or user.is_active is False:
        return None
    return user


def register_token_loaders(jwt):
    jwt.user_lookup_loader(load_token_user)
