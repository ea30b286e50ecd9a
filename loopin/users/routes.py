"""Profile endpoints: your own (`/users/me`) and anyone's public one."""

from sqlalchemy import func, select

from ..auth.models import User
from ..auth.schemas import UserOut
from ..core.database import transaction
from ..core.extensions import db
from ..web.api import PUBLIC_READ, endpoint
from ..web.errors import error_response
from .blueprint import bp
from .schemas import ProfileUpdate, PublicProfile, UsernamePath
from .services import ENROLLMENT_LOCKED, ENROLLMENT_TAKEN, USERNAME_TAKEN, ProfileRefused, update_profile


@bp.get("/me")
@endpoint(ok=UserOut, auth=True, tags=["users"])
def my_profile(caller):
    """Your account and profile (the same as `GET /auth/me`)."""
    return UserOut.model_validate(caller.user, from_attributes=True)


@bp.put("/me")
@endpoint(body=ProfileUpdate, ok=UserOut, auth=True, tags=["users"],
          errors={400: f"{USERNAME_TAKEN} / {ENROLLMENT_TAKEN}", 403: ENROLLMENT_LOCKED})
def update_my_profile(body, caller):
    """Change your profile. Absent or null fields stay as they are; "" clears a text field.

    The enrollment number can be set while it is empty; after that only an admin changes it."""
    changes = {field: value for field, value in body.model_dump(exclude_unset=True).items() if value is not None}
    try:
        with transaction():
            update_profile(caller.user, changes, caller.user.role)
    except ProfileRefused as refused:
        return error_response(refused.status, refused.detail)
    return UserOut.model_validate(caller.user, from_attributes=True)


@bp.get("/<username>")
@endpoint(path=UsernamePath, ok=PublicProfile, auth=PUBLIC_READ, tags=["users"], errors={404: "User not found"})
def public_profile(path, caller):
    """Anyone's public profile: no email, no enrollment number."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == path.username.strip().lower()))
    if user is None or not user.can_sign_in:
        return error_response(404, "User not found")
    return PublicProfile.model_validate(user, from_attributes=True)
