"""Account endpoints: the original's register, login and me. Views stay thin: validated input in, one
transaction around the services, audit after the commit, a model out."""

from flask import current_app

from ..core.database import transaction
from ..web.api import endpoint
from ..web.errors import INVALID_CREDENTIALS, error_response, unauthorized
from ..web.security_log import security_event
from .addresses import allowed_domains, in_allowed_domain
from .blueprint import bp
from .firebase import is_firebase
from .identities import DOMAIN_REFUSED as FIREBASE_DOMAIN_REFUSED
from .identities import NO_ADDRESS, UNVERIFIED_IDENTITY, firebase_user
from .limits import FIREBASE_LIMITS, LOGIN_LIMITS, REGISTER_LIMITS, remember_client
from .mails import send_verification
from .schemas import Credentials, FirebaseSignIn, PasswordForm, Registration, TokenPair, UserOut
from .sessions import start_session
from .tokens import claims_of, issue_tokens
from .users import EmailAlreadyRegistered, authenticate, create_user, retry_username_race

DOMAIN_REFUSED = "Registration is limited to addresses at: "


@bp.post("/register")
@endpoint(body=Registration, ok=TokenPair, limits=REGISTER_LIMITS, tags=["auth"],
          errors={400: f"Email already registered / {DOMAIN_REFUSED}<the list>"})
def register(body):
    """Create an account and sign it in. 200 (not 201), as the original answered. With
    EMAIL_VERIFICATION on, a verification link is mailed (ALLOWED_EMAIL_DOMAINS: only those domains)."""
    allowed = allowed_domains(current_app.config["ALLOWED_EMAIL_DOMAINS"])
    if not in_allowed_domain(body.email, allowed):
        security_event("signup", "failure", reason="domain_not_allowed")
        return error_response(400, DOMAIN_REFUSED + ", ".join(allowed))

    def sign_up():
        with transaction():
            user = create_user(body.email, body.password)
            session = start_session(user)
            if current_app.config["EMAIL_VERIFICATION"] != "off":
                send_verification(user)
        return user, session

    try:
        user, session = retry_username_race(sign_up)
    except EmailAlreadyRegistered:
        security_event("signup", "failure", reason="email_taken")
        return error_response(400, "Email already registered")
    security_event("signup", "success", user.id)
    remember_client(user.email)
    return issue_tokens(user, session)


@bp.post("/login")
@endpoint(body=Credentials, form=PasswordForm, ok=TokenPair, limits=LOGIN_LIMITS, tags=["auth"],
          errors={400: "Inactive user (right password)", 401: "Incorrect email or password"})
def login(body):
    """Exchange email and password for tokens. Unknown email and wrong password get the same 401.

    JSON `{"email", "password"}`, or OAuth2's password form (`username` = the email)."""
    if isinstance(body, PasswordForm):
        body = body.credentials()
    with transaction():
        user = authenticate(body.email, body.password)
        session = start_session(user) if user is not None and user.can_sign_in else None
    if user is None:
        security_event("login", "failure", reason="bad_credentials")
        return unauthorized("Incorrect email or password")
    if session is None:
        # Only the right password reaches here, so this reveals nothing to a guesser.
        security_event("login", "failure", user.id, reason="inactive")
        return error_response(400, "Inactive user")
    security_event("login", "success", user.id)
    remember_client(body.email)
    return issue_tokens(user, session)


@bp.post("/firebase")
@endpoint(body=FirebaseSignIn, ok=TokenPair, limits=FIREBASE_LIMITS, tags=["auth"],
          errors={400: "Inactive user", 401: "Could not validate credentials",
                  403: f"{UNVERIFIED_IDENTITY} / {NO_ADDRESS} / {FIREBASE_DOMAIN_REFUSED}<the list>"})
def firebase_sign_in(body):
    """Exchange a Firebase ID token for Loopin's own tokens and session (revocable, listed in
    /auth/sessions). A Firebase token also works as the bearer of any request, without this."""
    claims = claims_of(body.id_token)
    if not is_firebase(claims):
        return unauthorized(INVALID_CREDENTIALS)
    user = firebase_user(claims)
    if not user.can_sign_in:
        security_event("login", "failure", user.id, reason="inactive", method="firebase")
        return error_response(400, "Inactive user")
    with transaction():
        session = start_session(user)
    security_event("login", "success", user.id, method="firebase")
    return issue_tokens(user, session)


@bp.get("/me")
@endpoint(ok=UserOut, auth=True, tags=["auth"])
def me(caller):
    """The signed-in user."""
    return UserOut.model_validate(caller.user, from_attributes=True)
