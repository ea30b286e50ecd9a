"""Request bodies of the auth endpoints, as pydantic v2 models (the original's engine)."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, EmailStr

from .policy import enforce_password_policy


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


# email-validator with deliverability (DNS) checks off, as pydantic configures it: no network per request.
# The result is the original's stored form: the domain lower-cased, the local part as typed.
Email = Annotated[EmailStr, BeforeValidator(strip_text)]
# A password being set: the policy applies (length, common passwords). Never stripped or folded.
NewPassword = Annotated[str, AfterValidator(enforce_password_policy)]


class Credentials(BaseModel):
    """`{"email", "password"}`: the body of login, as in the original. No policy: existing passwords log in."""

    email: Email
    password: str


class Registration(Credentials):
    """`{"email", "password"}`: the body of register; the password must meet the policy."""

    password: NewPassword


class RefreshRequest(BaseModel):
    """`{"refresh_token"}`; the token may come as `Authorization: Bearer …` instead, with no body."""

    refresh_token: str


class LogoutRequest(BaseModel):
    """Which sessions to end: this one (default), every other one, or all of them."""

    scope: Literal["current", "others", "all"] = "current"


class PasswordChange(BaseModel):
    current_password: str
    new_password: NewPassword
