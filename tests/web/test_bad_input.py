"""Bad input gets a clear JSON error and changes nothing; never a 500. Expected 422 bodies are what
FastAPI 0.109 with the same pydantic answered for the same requests (captured from a reference app)."""

import pytest
from sqlalchemy import func, select

from loopin.core.extensions import db
from loopin.models import User

ENDPOINTS = ["/auth/register", "/auth/login"]
PYDANTIC_URL = "https://errors.pydantic.dev/2.14/v/"


def missing(loc, given):
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": given, "url": PYDANTIC_URL + "missing"}


def not_an_object(given):
    return {"type": "model_attributes_type", "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": given, "url": PYDANTIC_URL + "model_attributes_type"}


def account_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def post_raw(client, path, data, content_type="application/json"):
    return client.post(path, data=data, headers={"Content-Type": content_type} if content_type else {})


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("data, expected", [
    (b'{"password": "long enough pw"}', [missing(["body", "email"], {"password": "[redacted]"})]),
    (b'{"email": "a@b.edu"}', [missing(["body", "password"], {"email": "a@b.edu"})]),
    (b"{}", [missing(["body", "email"], {}), missing(["body", "password"], {})]),
    (b"", [missing(["body"], None)]),
    (b"null", [missing(["body"], None)]),
    (b"[1, 2]", [not_an_object([1, 2])]),
    (b'"abc"', [not_an_object("abc")]),
    (b"42", [not_an_object(42)]),
])
def test_sec_08_missing_fields_and_shapes_match_fastapi(app, client, path, data, expected):
    response = post_raw(client, path, data)
    assert response.status_code == 422
    assert response.get_json() == {"detail": expected}
    assert account_count(app) == 0


@pytest.mark.parametrize("path", ENDPOINTS)
def test_sec_08_wrong_types_match_fastapi(client, path):
    response = client.post(path, json={"email": 5, "password": 6})
    assert response.status_code == 422
    assert response.get_json()["detail"] == [
        {"type": "string_type", "loc": ["body", "email"], "msg": "Input should be a valid string", "input": 5,
         "url": PYDANTIC_URL + "string_type"},
        {"type": "string_type", "loc": ["body", "password"], "msg": "Input should be a valid string",
         "input": "[redacted]", "url": PYDANTIC_URL + "string_type"},
    ]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("body", [{"email": None, "password": "x"}, {"email": ["a@b.edu"], "password": "x"},
                                  {"email": {"a": 1}, "password": "x"}, {"email": "a@b.edu", "password": None},
                                  {"email": "a@b.edu", "password": ["x"]}, {"email": True, "password": 1.5}])
def test_sec_08_null_arrays_objects_are_422(app, client, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert all(error["loc"][0] == "body" for error in response.get_json()["detail"])
    assert account_count(app) == 0


def test_invalid_email_matches_fastapi(app, client):
    response = client.post("/auth/register", json={"email": "not-an-email", "password": "pass12345"})
    assert response.status_code == 422
    assert response.get_json() == {"detail": [{
        "type": "value_error", "loc": ["body", "email"],
        "msg": "value is not a valid email address: An email address must have an @-sign.",
        "input": "not-an-email", "ctx": {"reason": "An email address must have an @-sign."}}]}
    assert account_count(app) == 0


@pytest.mark.parametrize("email", ["a@b", "a b@c.edu", "@c.edu", "a@", "a@@b.edu", "a@b..edu"])
def test_invalid_email_forms_are_422(client, email):
    response = client.post("/auth/register", json={"email": email, "password": "pass12345"})
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"] == ["body", "email"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_sec_07_malformed_json_matches_fastapi(app, client, path):
    response = post_raw(client, path, b'{"email":')
    assert response.status_code == 422
    assert response.get_json() == {"detail": [{"type": "json_invalid", "loc": ["body", 9],
                                               "msg": "JSON decode error", "input": {},
                                               "ctx": {"error": "Expecting value"}}]}
    assert account_count(app) == 0


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"email": NaN, "password": "x"}', b"\xff\xfe{}",
                                  b'{"email": "a@b.edu", "password": "x"} trailing', b"9" * 5000])
def test_sec_08_hostile_json_is_422_not_500(client, data):
    response = post_raw(client, "/auth/register", data)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_sec_07_wrong_or_missing_content_type_is_415(app, client, path, content_type):
    response = post_raw(client, path, b'{"email": "a@b.edu", "password": "pass12345"}', content_type)
    if path == "/auth/login" and content_type == "application/x-www-form-urlencoded":
        # Login also takes OAuth2's password form (PLATFORM.md): this one lacks its fields.
        assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][0] == "body"
    else:
        assert response.status_code == 415
        assert response.get_json() == {"detail": "Content-Type must be application/json"}
    assert account_count(app) == 0


def test_json_content_type_with_charset_is_accepted(client):
    response = post_raw(client, "/auth/register", b'{"email": "cs@b.edu", "password": "pass12345"}',
                        "application/json; charset=utf-8")
    assert response.status_code == 200


def test_extra_fields_are_ignored_like_fastapi(client):
    response = client.post("/auth/register", json={"email": "x@b.edu", "password": "pass12345", "is_active": False,
                                                   "id": 1})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_sec_06_oversized_body_is_413_before_parsing(app, client, path):
    big = b'{"email": "a@b.edu", "password": "' + b"x" * (1024 * 1024) + b'"}'
    response = post_raw(client, path, big)
    assert response.status_code == 413
    assert response.get_json() == {"detail": "Request body too large: the limit is 1048576 bytes"}
    assert account_count(app) == 0


def test_sec_06_body_limit_is_configurable(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 64
    response = client.post("/auth/register", json={"email": "a@b.edu", "password": "p" * 80})
    assert response.status_code == 413


def test_unknown_url_and_method_are_json(client):
    response = client.get("/no/such/path")
    assert (response.status_code, response.get_json()) == (404, {"detail": "Not Found"})
    response = client.get("/auth/register")
    assert (response.status_code, response.get_json()) == (405, {"detail": "Method Not Allowed"})
    assert "POST" in response.headers["Allow"]
    response = client.delete("/health")
    assert response.status_code == 405 and response.is_json


def test_sec_25_unexpected_error_is_500_without_traceback(app):
    @app.get("/test/explode")
    def explode():
        raise ValueError("internal detail: SELECT secret FROM somewhere")

    response = app.test_client().get("/test/explode")
    assert response.status_code == 500
    assert response.get_json() == {"detail": "Internal Server Error"}
    assert b"Traceback" not in response.data and b"secret" not in response.data
