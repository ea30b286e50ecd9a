"""Account endpoints: the original's register, login and me. Views stay thin: parse, call a service, answer."""

from flask_jwt_extended import current_user, jwt_required

from ..audit import audit
from ..clock import as_utc
from ..docs import endpoint
from ..errors import error_response, unauthorized
from ..validation import parse_json_body
from .blueprint import bp
from .schemas import Credentials, Registration, TokenPair, UserOut
from .sessions import start_session
from .tokens import token_response
from .users import EmailAlreadyRegistered, authenticate, create_user


@bp.post("/register")
@endpoint(body=Registration, ok=TokenPair, errors={400: "Email already registered"}, tags=["auth"])
def register():
    """Create an account and sign it in. 200 (not 201), as the original answered."""
    credentials = parse_json_body()
    try:
        user = create_user(credentials.email, credentials.password)
    except EmailAlreadyRegistered:
        audit("signup", "failure", reason="email_taken")
        return error_response(400, "Email already registered")
    audit("signup", "success", user.id)
    return token_response(user, start_session(user))


@bp.post("/login")
@endpoint(body=Credentials, ok=TokenPair, tags=["auth"],
          errors={400: "Inactive user (right password)", 401: "Incorrect email or password"})
def login():
    """Exchange email and password for tokens. Unknown email and wrong password get the same 401."""
    credentials = parse_json_body()
    user = authenticate(credentials.email, credentials.password)
    if user is None:
        audit("login", "failure", reason="bad_credentials")
        return unauthorized("Incorrect email or password")
    if user.is_active is False:
        # Only the right password reaches here, so this reveals nothing to a guesser.
        audit("login", "failure", user.id, reason="inactive")
        return error_response(400, "Inactive user")
    audit("login", "success", user.id)
    return token_response(user, start_session(user))


@bp.get("/me")
@endpoint(ok=UserOut, auth=True, tags=["auth"])
@jwt_required()
def me():
    """The signed-in user."""
    return {
        "id": current_user.id,
        "email": current_user.email,
        "is_active": current_user.is_active,
        "created_at": as_utc(current_user.created_at).isoformat(),
    }
