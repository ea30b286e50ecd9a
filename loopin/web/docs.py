"""The OpenAPI document at /openapi.json (and the original's /api/v1/openapi.json) and the Swagger UI
at /docs, whose files swagger-ui-py ships, so the page works on a machine with no internet.

swagger-ui-py is the maintained PyPI package with Swagger UI 5 (OpenAPI 3.1 needs it; swagger-ui-bundle
stops at 4.15). It also ships Swagger Editor and source maps (25 MB in all) and its own blueprint
serves every file of that folder; Loopin serves the page and the six files it loads, nothing else.
"""

import base64
import hashlib
import re

from flask import Blueprint, abort, current_app, send_from_directory
from swagger_ui.core import ApplicationDocument

from .openapi import TITLE, build_openapi

DOCS_PREFIX = "/docs"
DOCS_BLUEPRINT = "bp_docs"  # swagger-ui-py names its blueprint after the prefix
SPEC_ADDRESSES = {"/api/v1/openapi.json": "openapi_spec", "/openapi.json": "openapi_json",
                  f"{DOCS_PREFIX}/openapi.json": "docs_openapi_json"}
SPEC_KEY = "loopin.openapi"
# What the page loads (its <script src> and <link href>); tests/test_openapi.py holds the two together.
PAGE_FILES = ("swagger-ui.css", "index.css", "favicon-32x32.png", "favicon-16x16.png", "swagger-ui-bundle.js",
              "swagger-ui-standalone-preset.js")
FILE_MAX_AGE = 24 * 3600  # the files change only with the package


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
    app.register_blueprint(docs_blueprint(ui))
    csp = docs_csp(ui.doc_html)

    def allow_the_page_its_scripts(response):
        # The page runs its own (hashed) scripts and calls the API from the page; the app-wide hook
        # keeps a CSP that is already set.
        response.headers["Content-Security-Policy"] = csp
        return response

    # Runs before the app-wide hooks, for the docs blueprint's answers only.
    app.after_request_funcs.setdefault(DOCS_BLUEPRINT, []).append(allow_the_page_its_scripts)


def docs_blueprint(ui):
    """The page at /docs and its files at /docs/static/NAME: PAGE_FILES only (no editor, no maps)."""
    bp = Blueprint(DOCS_BLUEPRINT, __name__, url_prefix=DOCS_PREFIX)

    @bp.get("")
    @bp.get("/")
    def page():
        return ui.doc_html

    @bp.get(f"/{ui.static_uri_relative.strip('/')}/<name>")
    def page_file(name):
        if name not in PAGE_FILES:
            abort(404)
        return send_from_directory(ui.static_dir, name, max_age=FILE_MAX_AGE)

    return bp
