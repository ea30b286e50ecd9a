"""Request bodies and answers of the auth endpoints, as pydantic v2 models (the original's engine)."""

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    StringConstraints,
)

from ..web.params import UtcDateTime, trimmed
from .addresses import refuse_lookalike_address
from .policy import enforce_password_policy

# email-validator with deliverability (DNS) checks off, as pydantic configures it: no network per request.
# The result is the original's stored form: the domain lower-cased, the local part as typed.
Email = Annotated[EmailStr, BeforeValidator(trimmed)]
# A new account's address: refused when it could pass for another (mixed scripts, combining marks).
NewEmail = Annotated[Email, AfterValidator(refuse_lookalike_address)]
# A password being set: the policy applies (length, common passwords). Never stripped or folded.
NewPassword = Annotated[str, AfterValidator(enforce_password_policy)]


# The seed document's request (with a password today's policy accepts).
EXAMPLE_CREDENTIALS = {"email": "test@test.edu", "password": "correct horse battery"}


class Credentials(BaseModel):
    """`{"email", "password"}`: the body of login, as in the original. No policy: existing passwords log in."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_CREDENTIALS]})

    email: Email
    password: str


class PasswordForm(BaseModel):
    """OAuth2's password form (`application/x-www-form-urlencoded`), as the original's later frontend and
    Swagger UI's Authorize dialog send it: `username` is the email. Other OAuth2 fields are ignored."""

    username: Email
    password: str

    def credentials(self):
        return Credentials(email=self.username, password=self.password)


class Registration(Credentials):
    """`{"email", "password"}`: the body of register; the password must meet the policy, and the address
    must not pass for another."""

    email: NewEmail
    password: NewPassword


class RefreshRequest(BaseModel):
    """`{"refresh_token"}`; optional: the token may come as `Authorization: Bearer …` instead, with no body."""

    refresh_token: str


class FirebaseSignIn(BaseModel):
    """A Firebase ID token (what the Firebase SDK's `getIdToken()` gives a signed-in client)."""

    id_token: Annotated[str, StringConstraints(min_length=1, max_length=8192)]


class LogoutRequest(BaseModel):
    """Which sessions to end: this one (default), every other one, or all of them. Optional: no body
    means `{"scope": "current"}`."""

    scope: Literal["current", "others", "all"] = "current"


class PasswordChange(BaseModel):
    current_password: str
    new_password: NewPassword


# A token from a mailed link: opaque to clients, bounded so no one posts megabytes of it.
MailedToken = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"token": "the token from the link"}]})

    token: MailedToken


class ForgotPassword(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "test@test.edu"}]})

    email: Email


class PasswordReset(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"token": "the token from the link", "new_password": "a new long passphrase"}]})

    token: MailedToken
    new_password: NewPassword


# --- Answers ---------------------------------------------------------------------------------------


class TokenPair(BaseModel):
    """The original's `access_token` and `token_type`, with the session's refresh token beside them."""

    access_token: str
    token_type: Literal["bearer"]
    refresh_token: str
    expires_in: int


class UserOut(BaseModel):
    """The signed-in user: the day-1 fields, then the profile (null where unset). Personal: only the
    user themselves (and admins, elsewhere) ever see it."""

    id: int
    email: str
    is_active: bool | None
    created_at: UtcDateTime
    username: str | None
    full_name: str | None
    enrollment_number: str | None
    department: str | None
    role: str
    bio: str | None
    profile_photo_url: str | None
    email_verified: bool


class Detail(BaseModel):
    """A 2xx answer that only says what happened, in FastAPI's error-body shape."""

    detail: str


class Verified(BaseModel):
    email_verified: bool


class SessionOut(BaseModel):
    id: str
    created_at: UtcDateTime
    last_used_at: UtcDateTime
    expires_at: UtcDateTime
    user_agent: str | None
    ip: str | None
    current: bool


class SessionList(BaseModel):
    sessions: list[SessionOut]


class LogoutOut(BaseModel):
    status: Literal["ok"]
    scope: Literal["current", "others", "all"]
    revoked_sessions: int


class RevokedOut(BaseModel):
    status: Literal["ok"]
    revoked_sessions: int
