"""Every feature's models, imported in one place: Alembic (migrations/env.py) reads this module, so
`flask db migrate` sees every table. A new feature adds its models here."""

from .admin.models import AuditLog
from .auth.models import AuthSession, User

__all__ = ["AuditLog", "AuthSession", "User"]
