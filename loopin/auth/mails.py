"""The messages the account lifecycle sends. Links point at the frontend (PUBLIC_BASE_URL), which posts
the token back to the API.

A verification mail is queued with its text in the registering transaction. A password reset is queued
as the template PASSWORD_RESET, whatever the address: the request writes the same row for an address
with an account and one without, and the outbox composes it when it is delivered (or sends nothing)."""

from urllib.parse import urlencode

from flask import current_app

from ..core.clock import utcnow
from ..mail import queue_mail
from ..web.security_log import security_event
from .email_tokens import LIFETIMES, RESET_PASSWORD, VERIFY_EMAIL, issue_token
from .limits import mail_allowed
from .users import find_login_user

PASSWORD_RESET = "password_reset"  # the outbox template
VERIFICATION = ("Verify your Loop.in email address", "verify-email",
                "Welcome to Loop.in.\n\nConfirm that this address is yours by opening this link within {lifetime}:"
                "\n\n{link}\n\nIf you did not create an account, ignore this message.\n")
RESET = ("Reset your Loop.in password", "reset-password",
         "Someone (hopefully you) asked to reset the password of your Loop.in account.\n\n"
         "Choose a new password by opening this link within {lifetime}; it works once:\n\n"
         "{link}\n\nIf you did not ask, ignore this message: your password stays as it is.\n")


def link(path, token):
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/{path}?{urlencode({'token': token})}"


def with_link(user, purpose, message):
    """(subject, body) of `message` with a new token's link and its lifetime in words."""
    subject, path, text = message
    token = issue_token(user, purpose, utcnow())
    minutes = int(LIFETIMES[purpose].total_seconds() // 60)
    lifetime = f"{minutes // 60} hours" if minutes >= 120 else f"{minutes} minutes"
    return subject, text.format(link=link(path, token), lifetime=lifetime)


def send_verification(user):
    """Queued, unless the address had its share of mail (auth/limits.mail_allowed): then nothing, and
    the security log says so. Whoever asked gets the same answer either way."""
    if mail_allowed(user.email):
        queue_mail(user.email, *with_link(user, VERIFY_EMAIL, VERIFICATION))
    else:
        security_event("mail_suppressed", "failure", user.id, reason="address_limit")


def request_password_reset(address):
    if mail_allowed(address):
        queue_mail(address, template=PASSWORD_RESET)
    else:
        security_event("mail_suppressed", "failure", reason="address_limit")


def compose_password_reset(address):
    """At delivery: the reset mail for the active account this address means, or None (no account, or
    one that cannot sign in)."""
    user = find_login_user(address)
    if user is None or not user.can_sign_in:
        return None
    return (user.email, *with_link(user, RESET_PASSWORD, RESET))
