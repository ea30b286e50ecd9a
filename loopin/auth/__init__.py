"""Authentication: registration, sign-in, tokens and sessions under `/auth`, the authenticator behind
every `@endpoint(auth=True)` (and its VERIFIED_ADDRESS requirement), the last-admin rule, an account's
public shape, and the `loopin sessions` commands."""

from ..mail import register_template
from ..web.api import AUTHENTICATOR
from ..web.openapi import OAUTH2_TOKEN_URL
from . import cli, email_routes, routes, session_routes  # noqa: F401  (their views and commands register on bp)
from .blueprint import bp
from .firebase import init_firebase
from .mails import PASSWORD_RESET, compose_password_reset
from .passwords import init_passwords
from .tokens import authenticate_request


def init_app(app):
    init_passwords(app)
    init_firebase(app)
    app.extensions[AUTHENTICATOR] = authenticate_request
    app.register_blueprint(bp)
    register_template(PASSWORD_RESET, compose_password_reset)
    app.extensions[OAUTH2_TOKEN_URL] = "/auth/login"  # Swagger UI's Authorize dialog signs in there
