"""Your account as data: take it with you (`GET /users/me/export`), or delete it (`DELETE /users/me`)."""

from flask import current_app

from ..auth.admins import LastActiveAdmin
from ..auth.firebase import signed_in_recently
from ..auth.limits import PASSWORD_CHANGE_LIMITS
from ..auth.users import WrongPassword, confirm_password
from ..core.database import transaction
from ..web.api import endpoint
from ..web.errors import error_response
from ..web.security_log import security_event
from .blueprint import bp
from .deletion import delete_account
from .export import export_account
from .schemas import AccountDeletion, AccountExport

WRONG_PASSWORD = "Incorrect password"
LAST_ADMIN = "The last active admin cannot delete their account"


@bp.get("/me/export")
@endpoint(ok=AccountExport, auth=True, tags=["users"])
def export_my_account(caller):
    """Download everything Loopin holds about you, as a JSON attachment. Never a password hash or a token."""
    document = AccountExport.model_validate(export_account(caller.user))
    response = current_app.response_class(document.model_dump_json(), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="loopin-account-{caller.user.id}.json"'
    security_event("account_export", "success", caller.user.id)
    return response


@bp.delete("/me")
@endpoint(body=AccountDeletion, ok=None, status=204, auth=True, limits=PASSWORD_CHANGE_LIMITS, tags=["users"],
          errors={400: WRONG_PASSWORD, 409: LAST_ADMIN})
def delete_my_account(body, caller):
    """Delete your account: sessions, votes, reactions and notifications go; your posts and comments stay
    without an author, or go too (ACCOUNT_DELETION_CONTENT). The address can register again.

    Wrong passwords count as failed logins of this account from this client, like a password change. An
    account with no password (made from Firebase) proves itself by a Firebase sign-in of the last five
    minutes instead (send any `password`)."""
    user = caller.user
    try:
        if not (user.hashed_password is None and signed_in_recently(caller.claims)):
            confirm_password(user, body.password)
    except WrongPassword:
        security_event("account_deletion", "failure", user.id, reason="wrong_password")
        return error_response(400, WRONG_PASSWORD)
    user_id = user.id
    try:
        with transaction():
            delete_account(user, current_app.config["ACCOUNT_DELETION_CONTENT"])
    except LastActiveAdmin:
        return error_response(409, LAST_ADMIN)
    security_event("account_deletion", "success", user_id)
    return None
