"""The endpoint declaration: one decorator says what an endpoint takes, answers and requires, and the
same object enforces it and documents it (web/openapi.py), so the document cannot drift from the bytes.

    @bp.post("/login")
    @endpoint(body=Credentials, ok=TokenPair, errors={401: "Incorrect email or password"})
    def login(body): ...

The view receives what was declared, already validated: `body`, `query`, `path` (models) and `caller`
(with `auth=True`), and returns an instance of its `ok` model (or `(model, status)` for a declared
alternative, or an error answer). Order of refusals: rate limit (429), authentication (401), role
(403), then input (413/415/422), so an anonymous caller learns nothing about the input a route takes.
"""

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Response, current_app, request
from pydantic import BaseModel

from ..core.reconnect import once_more_if_connection_lost
from .client import bearer_token
from .errors import ApiError
from .validation import FORM, parse_body, parse_form, parse_parameters, parse_query

AUTHENTICATOR = "loopin.authenticator"  # app.extensions key: the feature that verifies callers sets it
# `auth=PUBLIC_READ`: anyone may call it while the PUBLIC_READ setting is on (the view then gets
# `caller=None` unless a token was sent); with it off, a token is required.
PUBLIC_READ = "public_read"


class ErrorDetail(BaseModel):
    """Every error but validation: `{"detail": "<message>"}`."""

    detail: str


class ValidationErrorItem(BaseModel):
    type: str
    loc: list[str | int]
    msg: str
    input: Any = None
    ctx: dict[str, Any] | None = None
    url: str | None = None


class ValidationErrors(BaseModel):
    """422: FastAPI's list of pydantic errors, `loc` starting with "body", "query" or "path"."""

    detail: list[ValidationErrorItem]


@dataclass(frozen=True)
class Limit:
    """A rate limit of one endpoint, in flask-limiter's `limit()` terms. `limit_value` may be a callable
    that reads a setting, so each app's configuration decides."""

    limit_value: str | Callable[[], str]
    key_func: Callable[[], str]
    scope: str
    error_message: str
    deduct_when: Callable[[Response], bool] | None = None
    on_breach: Callable | None = None
    exempt_when: Callable[[], bool] | None = None
    shared: bool = False  # one counter for every endpoint that declares this scope


@dataclass(frozen=True)
class Requirement:
    """A condition on the caller beyond its role, defined and enforced by the authenticator's feature
    (auth's VERIFIED_ADDRESS): an endpoint lists it in `requires`, and `refusal` is the 403 it answers,
    documented with the endpoint. The plumbing knows nothing of what it checks."""

    refusal: str


@dataclass(frozen=True)
class Endpoint:
    """What one endpoint takes, answers and requires. `errors` maps a status to its description, or to
    `(model, description)` when the answer is not `{"detail"}`."""

    body: type[BaseModel] | None = None
    body_optional: bool = False  # an absent body reaches the view as None
    form: type[BaseModel] | None = None  # also accepted as application/x-www-form-urlencoded, as this model
    query: type[BaseModel] | None = None
    path: type[BaseModel] | None = None
    ok: type[BaseModel] | None = None  # None with status 204: no content
    status: int = 200
    errors: dict = field(default_factory=dict)
    auth: bool | str = False  # True, False or PUBLIC_READ
    roles: tuple[str, ...] = ()  # any of these roles may call it; implies auth
    limits: tuple[Limit, ...] = ()
    rate_limited: bool = True  # False: not even the per-IP ceiling (health probes)
    database: bool = True  # False: touches no database, so it never answers 503
    etag: bool = False  # True: an ETag of the body, and 304 to a matching If-None-Match (cheap polling)
    # A value read in the same statement that finds the caller, for tiny hot endpoints (a poll): one
    # round trip instead of two. A function of the database's dialect name giving a SQL expression
    # over the users row; the view reads it as `caller.extra`.
    caller_extra: Callable[[str], Any] | None = None
    # Conditions on the caller the authenticator checks after the role (403 with their refusal).
    requires: tuple[Requirement, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def needs_caller(self):
        return self.auth or bool(self.roles)

    def responses(self):
        """Every status this endpoint can answer: status -> (model or None, description)."""
        return self.answers

    @functools.cached_property
    def answers(self):
        # Computed once per endpoint: render() checks every answer against it.
        answers = {self.status: (self.ok, "Success")}
        if self.etag:
            answers[304] = (None, "Not modified: the answer still has the ETag sent in If-None-Match")
        if self.needs_caller:
            answers[401] = (ErrorDetail, "Missing, invalid, expired or revoked token")
        refusals = [f"Requires the role {' or '.join(self.roles)}"] if self.roles else []
        refusals += [requirement.refusal for requirement in self.requires]
        if refusals:
            answers[403] = (ErrorDetail, " / ".join(refusals))
        if self.body:
            answers[413] = (ErrorDetail, "Body larger than MAX_BODY_BYTES")
            answers[415] = (ErrorDetail, "Body is not application/json")
        if self.body or self.query or self.path:
            answers[422] = (ValidationErrors, "Input failed validation (FastAPI's error list)")
        if self.rate_limited:
            answers[429] = (ErrorDetail, "Rate limit reached (see Retry-After)")
        if self.database:
            answers[503] = (ErrorDetail, "Database unavailable or busy")
        for status, declared in self.errors.items():
            model, description = declared if isinstance(declared, tuple) else (ErrorDetail, declared)
            if status == 403 and refusals:  # the view's own 403 beside the declaration's
                description = f"{answers[403][1]} / {description}"
            answers[status] = (model, description)
        return dict(sorted(answers.items()))


def declaration_of(view):
    """The Endpoint a view was declared with, or None for routes outside the API (the docs page)."""
    return getattr(view, "api_doc", None)


def endpoint(**declared):
    """Declare and enforce an endpoint (see Endpoint for the options)."""
    declaration = Endpoint(**{k: tuple(v) if k in ("roles", "limits", "requires", "tags") else v
                              for k, v in declared.items()})

    def decorate(view):
        @functools.wraps(view)
        def handle(**path_values):
            if not declaration.database:
                return respond(path_values)
            return once_more_if_connection_lost(lambda: respond(path_values))

        def respond(path_values):
            arguments = {} if declaration.path else dict(path_values)
            if declaration.needs_caller:
                arguments["caller"] = authorize(declaration)
            if declaration.path:
                arguments["path"] = parse_parameters(declaration.path, path_values, "path")
            if declaration.query:
                arguments["query"] = parse_query(declaration.query)
            if declaration.form is not None and request.mimetype == FORM:
                arguments["body"] = parse_form(declaration.form)
            elif declaration.body:
                arguments["body"] = parse_body(declaration.body, declaration.body_optional)
            return render(declaration, view(**arguments))

        handle.api_doc = declaration
        return handle

    return decorate


def authorize(declaration):
    """The verified caller, from the authenticator the app registered (None for an anonymous reader of
    a PUBLIC_READ endpoint); 403 when a role is required and the caller has none of them (nobody's role
    comes from the request itself)."""
    if declaration.auth == PUBLIC_READ and current_app.config["PUBLIC_READ"] and bearer_token() is None:
        return None
    caller = current_app.extensions[AUTHENTICATOR](declaration)
    roles = declaration.roles
    if roles and getattr(caller.user, "role", None) not in roles:
        raise ApiError(403, f"Requires the role {' or '.join(roles)}")
    return caller


def render(declaration, result):
    """The view's result as bytes, through the model declared for its status. A status or a model the
    declaration does not list is a bug in the view, so it fails loudly instead of drifting from the docs."""
    responses = declaration.responses()
    if isinstance(result, Response):
        if result.status_code not in responses:
            raise TypeError(f"{request.endpoint} answered {result.status_code}, which it does not declare")
        return result
    result, status = result if isinstance(result, tuple) else (result, declaration.status)
    model = responses.get(status, (None, ""))[0]
    if status not in responses or (model is None) != (result is None) or (model and type(result) is not model):
        raise TypeError(f"{request.endpoint} answered {status} with {type(result).__name__}, "
                        f"but declares {model.__name__ if model else 'no content'}")
    if result is None:
        return current_app.response_class(status=status)
    # pydantic writes the JSON itself (in Rust, 2-3 times faster than dump then json.dumps), in the
    # same bytes FastAPIStyleJSON writes: compact, keys in declared order, non-ASCII as is.
    response = current_app.response_class(result.model_dump_json(), status=status, mimetype="application/json")
    return conditional(response) if declaration.etag else response


def conditional(response):
    """The answer with an ETag of its bytes, or 304 without them when the client holds the same
    (werkzeug compares If-None-Match). The answer is the caller's own: no shared cache keeps it, and a
    browser asks again each time (`no-cache` revalidates, unlike `no-store`)."""
    response.add_etag()
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    return response.make_conditional(request)
