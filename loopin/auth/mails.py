"""The messages the account lifecycle sends, queued in the caller's transaction. Links point at the
frontend (PUBLIC_BASE_URL), which posts the token back to the API."""

from urllib.parse import urlencode

from flask import current_app

from ..core.clock import utcnow
from ..mail import queue_mail
from .email_tokens import LIFETIMES, RESET_PASSWORD, VERIFY_EMAIL, issue_token


def link(path, token):
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/{path}?{urlencode({'token': token})}"


def send_link(user, purpose, subject, path, text):
    """Queue `text` to the user with a new token's link in place of {link} and its lifetime in words in
    place of {lifetime}."""
    token = issue_token(user, purpose, utcnow())
    minutes = int(LIFETIMES[purpose].total_seconds() // 60)
    lifetime = f"{minutes // 60} hours" if minutes >= 120 else f"{minutes} minutes"
    queue_mail(user.email, subject, text.format(link=link(path, token), lifetime=lifetime))


def send_verification(user):
    send_link(user, VERIFY_EMAIL, "Verify your Loop.in email address", "verify-email",
              "Welcome to Loop.in.\n\nConfirm that this address is yours by opening this link within {lifetime}:\n\n"
              "{link}\n\nIf you did not create an account, ignore this message.\n")


def send_password_reset(user):
    send_link(user, RESET_PASSWORD, "Reset your Loop.in password", "reset-password",
              "Someone (hopefully you) asked to reset the password of your Loop.in account.\n\n"
              "Choose a new password by opening this link within {lifetime}; it works once:\n\n"
              "{link}\n\nIf you did not ask, ignore this message: your password stays as it is.\n")
