"""Authentication: register, login, tokens."""

from .routes import bp

__all__ = ["bp"]
