"""The OpenAPI 3.1 document and the Swagger UI at /docs, generated from the same pydantic models that
validate requests.

Each view declares its body and answers once, with `@endpoint(...)`. `parse_json_body()` reads the
body model from that declaration, and `register_docs` hands the same declarations to spectree, which
only documents (`skip_validation`): validation stays Loopin's own, FastAPI-exact. Nothing can drift.

spectree generates the spec (OpenAPI 3.1 from pydantic v2, per app, no I/O); swagger-ui-py ships the
Swagger UI files, so /docs works on a machine with no internet.
"""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData
from swagger_ui.core import ApplicationDocument

TITLE = "Loop.in API"
SPEC_PATH = "api/v1"  # spectree serves /api/v1/openapi.json, the original's spec URL
DOCS_PREFIX = "/docs"
DOCS_BLUEPRINT = "bp_docs"  # swagger-ui-py names its blueprint after the prefix
BEARER = "bearer"
API_VERSION = "1.0.0"


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
    """422: FastAPI's list of pydantic errors, `loc` starting with "body"."""

    detail: list[ValidationErrorItem]


BODY_ERRORS = {413: "Body larger than MAX_BODY_BYTES", 415: "Body is not application/json",
               422: "Body failed validation (FastAPI's error list)"}
ALWAYS = {429: "Rate limit reached (see Retry-After)", 503: "Database unavailable or busy"}


@dataclass
class EndpointDoc:
    body: type[BaseModel] | None = None
    ok: type[BaseModel] | None = None
    errors: dict[int, str] = field(default_factory=dict)
    auth: bool = False
    tags: tuple[str, ...] = ()


def endpoint(body=None, ok=None, errors=None, auth=False, tags=()):
    """Declare a view's request body, its 200 answer and its errors (status -> when)."""
    def declare(view):
        view.api_doc = EndpointDoc(body=body, ok=ok, errors=errors or {}, auth=auth, tags=tuple(tags))
        return view
    return declare


def spectree_response(doc):
    answers = {**doc.errors, **(BODY_ERRORS if doc.body else {}), **ALWAYS}
    if doc.auth:
        answers.setdefault(401, "Missing, invalid, expired or revoked token")
    codes = {"HTTP_200": doc.ok} if doc.ok else {}
    for status, when in sorted(answers.items()):
        model = ValidationErrors if status == 422 else ErrorDetail
        codes[f"HTTP_{status}"] = (model, when)
    return Response(**codes)


def inline_script_hashes(html):
    """CSP hashes of the page's inline scripts: /docs runs them without allowing 'unsafe-inline'."""
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)


def docs_csp(html):
    return ("default-src 'none'; script-src 'self' " + inline_script_hashes(html) + "; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def model_name(model):
    return model.__name__  # Loopin's model names are unique; spectree would add a module hash


def nested_model_name(_parent, child):
    return child


def documented_routes(app, spec):
    """A mirror of the app's declared routes for spectree to document: spectree wraps the views it
    documents, and the real app's views stay unwrapped, so documentation costs no request any time."""
    mirror = Flask(__name__)
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        doc = getattr(view, "api_doc", None)
        if doc is not None:
            documented = spec.validate(json=doc.body, resp=spectree_response(doc), tags=doc.tags,
                                       skip_validation=True, security={BEARER: []} if doc.auth else None)(view)
            mirror.add_url_rule(rule.rule, rule.endpoint, documented, methods=rule.methods)
    return mirror


def register_docs(app):
    """The spec at /openapi.json and /api/v1/openapi.json, Swagger UI at /docs (unless DOCS_ENABLED=false)."""
    if not app.config["DOCS_ENABLED"]:
        return
    spec = SpecTree("flask", title=TITLE, version=API_VERSION, path=SPEC_PATH, page_templates={},
                    mode="strict",  # only the endpoints declared with @endpoint, not /docs itself
                    annotations=False, validation_error_model=ValidationErrors,
                    naming_strategy=model_name, nested_naming_strategy=nested_model_name,
                    security_schemes=[SecurityScheme(name=BEARER, data=SecuritySchemeData(
                        type=SecureType.HTTP, scheme="bearer", bearer_format="JWT"))])
    mirror = documented_routes(app, spec)
    spec.register(mirror)

    def serve_spec():
        with mirror.app_context():  # spectree reads the routes of current_app: the mirror's
            document = spec.spec  # generated on first request, then kept
        return current_app.json.response(document)

    for rule, name in ((f"/{SPEC_PATH}/openapi.json", "openapi_spec"), ("/openapi.json", "openapi_json"),
                       (f"{DOCS_PREFIX}/openapi.json", "docs_openapi_json")):
        app.add_url_rule(rule, name, serve_spec)
    ui = ApplicationDocument(app, config_rel_url="/openapi.json", url_prefix=DOCS_PREFIX, title=TITLE,
                             parameters={"persistAuthorization": "true"})
    ui.match_handler()(ui)  # swagger-ui-py's Flask blueprint: the page and its static files
    app.config["DOCS_CSP"] = docs_csp(ui.doc_html)
