"""Administration's input and answers. Admins see personal data (email, enrollment number)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, RootModel, StringConstraints

from ..auth.models import ROLES
from ..web.params import Page, RowId, UtcDateTime

Role = Literal[ROLES]


class UserFilter(Page):
    role: Role | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None


class UserId(BaseModel):
    user_id: RowId


class UserChange(BaseModel):
    """`role` and/or `is_active`; nothing else."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    is_active: bool | None = None


class AdminUserOut(BaseModel):
    id: int
    email: str
    username: str | None
    full_name: str | None
    department: str | None
    enrollment_number: str | None
    role: str
    is_active: bool | None
    created_at: UtcDateTime


class AdminUserList(RootModel[list[AdminUserOut]]):
    """A page of users, newest first."""


class AuditOut(BaseModel):
    id: int
    action: str
    actor_id: int | None
    target_type: str
    target_id: str
    details: dict[str, Any] | None
    created_at: UtcDateTime


class AuditList(RootModel[list[AuditOut]]):
    """A page of the audit log, newest first."""
