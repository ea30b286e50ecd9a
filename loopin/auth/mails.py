"""The messages the account lifecycle sends, queued in the caller's transaction. Links point at the
frontend (PUBLIC_BASE_URL), which posts the token back to the API."""

from urllib.parse import urlencode

from flask import current_app

from ..core.clock import utcnow
from ..mail import queue_mail
from .email_tokens import LIFETIMES, RESET_PASSWORD, VERIFY_EMAIL, issue_token


def link(path, token):
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/{path}?{urlencode({'token': token})}"


def send_verification(user):
    token = issue_token(user, VERIFY_EMAIL, utcnow())
    hours = int(LIFETIMES[VERIFY_EMAIL].total_seconds() // 3600)
    queue_mail(user.email, "Verify your Loop.in email address",
               "Welcome to Loop.in.\n\n"
               f"Confirm that this address is yours by opening this link within {hours} hours:\n\n"
               f"{link('verify-email', token)}\n\n"
               "If you did not create an account, ignore this message.\n")


def send_password_reset(user):
    token = issue_token(user, RESET_PASSWORD, utcnow())
    minutes = int(LIFETIMES[RESET_PASSWORD].total_seconds() // 60)
    queue_mail(user.email, "Reset your Loop.in password",
               "Someone (hopefully you) asked to reset the password of your Loop.in account.\n\n"
               f"Choose a new password by opening this link within {minutes} minutes; it works once:\n\n"
               f"{link('reset-password', token)}\n\n"
               "If you did not ask, ignore this message: your password stays as it is.\n")
