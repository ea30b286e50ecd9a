"""Authentication: accounts, tokens and sessions under `/auth`."""

from . import routes, session_routes  # noqa: F401  (their views register on bp)
from .blueprint import bp

__all__ = ["bp"]
