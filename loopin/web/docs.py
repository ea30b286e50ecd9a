"""The OpenAPI document at /openapi.json (and the original's /api/v1/openapi.json) and the Swagger UI
at /docs, whose files swagger-ui-py ships, so the page works on a machine with no internet."""

import base64
import hashlib
import re

from flask import current_app
from swagger_ui.core import ApplicationDocument

from .openapi import TITLE, build_openapi

DOCS_PREFIX = "/docs"
DOCS_BLUEPRINT = "bp_docs"  # swagger-ui-py names its blueprint after the prefix
SPEC_ADDRESSES = {"/api/v1/openapi.json": "openapi_spec", "/openapi.json": "openapi_json",
                  f"{DOCS_PREFIX}/openapi.json": "docs_openapi_json"}
SPEC_KEY = "loopin.openapi"


def inline_script_hashes(html):
    """CSP hashes of the page's inline scripts: /docs runs them without allowing 'unsafe-inline'."""
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)


def docs_csp(html):
    return ("default-src 'none'; script-src 'self' " + inline_script_hashes(html) + "; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def serve_spec():
    """The OpenAPI document, built on the first request (after every blueprint is registered), then kept."""
    document = current_app.extensions.get(SPEC_KEY)
    if document is None:
        document = current_app.extensions[SPEC_KEY] = build_openapi(current_app)
    return current_app.json.response(document)


def register_docs(app):
    """The spec at its three addresses and Swagger UI at /docs (unless DOCS_ENABLED=false)."""
    if not app.config["DOCS_ENABLED"]:
        return
    for rule, name in SPEC_ADDRESSES.items():
        app.add_url_rule(rule, name, serve_spec)
    ui = ApplicationDocument(app, config_rel_url="/openapi.json", url_prefix=DOCS_PREFIX, title=TITLE,
                             # validatorUrl null: the page never calls out to a validator badge on a real host.
                             parameters={"persistAuthorization": "true", "validatorUrl": "null"})
    ui.match_handler()(ui)  # swagger-ui-py's Flask blueprint: the page and its static files
    csp = docs_csp(ui.doc_html)

    def allow_the_page_its_scripts(response):
        # The page runs its own (hashed) scripts and calls the API from the page; the app-wide hook
        # keeps a CSP that is already set.
        response.headers["Content-Security-Policy"] = csp
        return response

    # Runs before the app-wide hooks, for the docs blueprint's answers only.
    app.after_request_funcs.setdefault(DOCS_BLUEPRINT, []).append(allow_the_page_its_scripts)
