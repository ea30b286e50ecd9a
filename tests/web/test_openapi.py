"""The OpenAPI document: one source (the pydantic models), served where the original served it, diffed
against a checked-in snapshot, and proven by schemathesis against the live app."""

import json
import os
import re
from pathlib import Path

import schemathesis
from helpers import DATABASE_DOWN, free_port, make_app
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from loopin.core.extensions import db
from loopin.models import User
from loopin.web.openapi import openapi_path

SNAPSHOT = Path(__file__).parent / "openapi_snapshot.json"
UPDATE_HINT = "if the change is intended: LOOPIN_UPDATE_OPENAPI_SNAPSHOT=1 python -m pytest tests/test_openapi.py"


def test_spec_is_served_at_every_address(client):
    documents = [client.get(path) for path in ("/api/v1/openapi.json", "/openapi.json", "/docs/openapi.json")]
    assert all(response.status_code == 200 and response.is_json for response in documents)
    spec = documents[0].get_json()
    assert all(response.get_json() == spec for response in documents)
    assert spec["openapi"] == "3.1.0" and spec["info"]["title"] == "Loop.in API"


def test_every_api_route_is_documented_and_nothing_else(app, client):
    spec = client.get("/openapi.json").get_json()
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routed = {(openapi_path(rule.rule), method) for rule in app.url_map.iter_rules()
              if not rule.rule.startswith(("/docs", "/static", "/openapi.json", "/api/v1/openapi.json"))
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed and len(routed) == 55


def test_errors_and_examples_are_documented(client):
    spec = client.get("/openapi.json").get_json()
    register = spec["paths"]["/auth/register"]["post"]
    assert set(register["responses"]) == {"200", "400", "413", "415", "422", "429", "503"}
    assert register["responses"]["400"]["description"] == \
        "Email already registered / Registration is limited to addresses at: <the list>"
    assert spec["components"]["schemas"]["Credentials"]["examples"][0]["email"] == "test@test.edu"
    assert spec["paths"]["/auth/me"]["get"]["security"] == [{"bearer": []}, {"oauth2": []}]
    assert spec["components"]["securitySchemes"]["oauth2"]["flows"]["password"]["tokenUrl"] == "/auth/login"
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer",
                                                               "bearerFormat": "JWT"}


def test_spec_matches_snapshot(client):
    """A change to the contract shows up in review as a change to tests/openapi_snapshot.json."""
    spec = client.get("/openapi.json").get_json()
    if os.environ.get("LOOPIN_UPDATE_OPENAPI_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(spec["paths"]) == sorted(expected["paths"]), UPDATE_HINT
    for path, item in expected["paths"].items():
        assert sorted(spec["paths"][path]) == sorted(item), f"{path}: methods changed; {UPDATE_HINT}"
        for method, operation in item.items():
            assert spec["paths"][path][method] == operation, f"{method.upper()} {path} changed; {UPDATE_HINT}"
    assert spec["components"] == expected["components"], f"schemas changed; {UPDATE_HINT}"


def test_docs_page_is_self_contained(client):
    page = client.get("/docs/")
    assert page.status_code == 200 and b"swagger-ui" in page.data
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html  # every asset comes from this server
    assert "validatorUrl: null" in html  # and no validator badge fetched from the internet
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert client.get(f"/docs/static/{asset}").status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    assert client.get("/health").headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_docs_serve_only_the_files_the_page_loads(client):
    """swagger-ui-py ships Swagger Editor and source maps too (25 MB); only the page's own files are served."""
    from loopin.web.docs import PAGE_FILES

    html = client.get("/docs/").get_data(as_text=True)
    loaded = {ref.rsplit("/", 1)[1] for ref in re.findall(r'(?:src|href)="(/docs/static/[^"]+)"', html)}
    assert loaded == set(PAGE_FILES)
    for name in loaded:
        answer = client.get(f"/docs/static/{name}")
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "public, max-age=86400"
    for unused in ("swagger-editor-bundle.js", "swagger-ui-bundle.js.map", "swagger-editor.css", "index.html",
                   "oauth2-redirect.html", "../core.py", "..%2Fcore.py"):
        assert (client.get(f"/docs/static/{unused}").status_code, client.get(f"/docs/static/{unused}").get_json()) \
            == (404, {"detail": "Not Found"}), unused


def test_docs_can_be_turned_off(app, database_url, tmp_path):
    private = make_app(database_url, tmp_path / "private", DOCS_ENABLED=False)
    client = private.test_client()
    for path in ("/docs/", "/docs", "/openapi.json", "/api/v1/openapi.json"):
        assert client.get(path).status_code == 404
    assert client.post("/auth/register", json={"email": "d@test.edu", "password": "x"}).status_code == 422
    with private.app_context():
        db.engine.dispose()


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_conforms_to_its_spec(app):
    """schemathesis generates requests for every operation, valid and not: never a 5xx, and every
    answer's status, content type and body are the ones the spec documents. (Driven through Hypothesis
    directly: schemathesis's pytest plugin does not run under pytest 9.)"""
    credentials = {"email": "fuzz@test.edu", "password": "correct horse battery"}
    token = app.test_client().post("/auth/register", json=credentials).get_json()["access_token"]
    with app.app_context():  # an admin, so the admin endpoints are exercised past their 403
        db.session.execute(update(User).values(role="admin"))
        db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 55

    for operation in operations:
        headers = {"Authorization": f"Bearer {token}"}  # public endpoints take one too

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate(headers=headers, checks=CHECKS)  # noqa: B023 (runs within this iteration)

        conforms()


def test_health_503_conforms_to_its_documented_answer(tmp_path):
    """The one answer schemathesis cannot provoke on a healthy app: /health with the database down."""
    down = make_app(f"postgresql://loopin@127.0.0.1:{free_port()}/loopin", tmp_path)
    operation = schemathesis.openapi.from_wsgi("/openapi.json", down)["/health"]["GET"]
    # Every check but not_a_server_error: a documented 503 is the point here.
    response = operation.Case().call_and_validate(checks=CHECKS[1:])
    assert (response.status_code, response.json()) == (503, DATABASE_DOWN)
