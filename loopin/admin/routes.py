"""Admin endpoints: users, roles and standing; the audit log. Admins only (the declaration enforces it)."""

from sqlalchemy import select

from ..audit.models import AuditLog
from ..auth.admins import LastActiveAdmin
from ..auth.models import ADMIN, User
from ..core.database import transaction
from ..core.extensions import db
from ..web.api import endpoint
from ..web.errors import error_response
from ..web.params import Page
from .blueprint import bp
from .schemas import AdminUserList, AdminUserOut, AuditList, AuditOut, UserChange, UserFilter, UserId
from .services import LAST_ADMIN, change_user, find_users


@bp.get("/users")
@endpoint(query=UserFilter, ok=AdminUserList, roles=[ADMIN], tags=["admin"])
def list_users(query, caller):
    """Users, newest first: filter by `role` and by text `q` over email, username and name."""
    users = find_users(query.role, query.q, query.skip, query.limit)
    return AdminUserList([AdminUserOut.model_validate(user, from_attributes=True) for user in users])


@bp.patch("/users/<user_id>")
@endpoint(path=UserId, body=UserChange, ok=AdminUserOut, roles=[ADMIN], tags=["admin"],
          errors={404: "User not found", 409: LAST_ADMIN})
def update_user(path, body, caller):
    """Change a user's `role` or `is_active`. Deactivating ends every session of theirs at once."""
    target = db.session.get(User, path.user_id)
    if target is None:
        return error_response(404, "User not found")
    try:
        with transaction():
            change_user(caller.user, target, body.role, body.is_active)
    except LastActiveAdmin:
        return error_response(409, LAST_ADMIN)
    return AdminUserOut.model_validate(target, from_attributes=True)


@bp.get("/audit")
@endpoint(query=Page, ok=AuditList, roles=[ADMIN], tags=["admin"])
def audit_log(query, caller):
    """The audit log, newest first."""
    rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).offset(query.skip).limit(query.limit))
    return AuditList([AuditOut.model_validate(row, from_attributes=True) for row in rows])
