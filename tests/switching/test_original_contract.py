"""The original FastAPI backend's contract (../shared/ORIGINAL.md), pinned endpoint by endpoint.

Error bodies are compared byte for byte with what FastAPI 0.109 sent for the same request (compact JSON,
keys in FastAPI's order), so a client that parses or even string-matches them keeps working. Loopin
only ever adds: new fields beside the original's, never a changed one.
"""

import jwt as pyjwt
import pytest
from helpers import TEST_SECRET_KEY
from original_era import original_token

CREDENTIALS = {"email": "test@test.edu", "password": "pass1234x"}


def test_health_keeps_the_original_body(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"  # the original's only field; "database" is an addition


def test_register_200_body(client):
    response = client.post("/auth/register", json=CREDENTIALS)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["token_type"] == "bearer"
    claims = pyjwt.decode(body["access_token"], TEST_SECRET_KEY, algorithms=["HS256"])
    assert claims["sub"] == CREDENTIALS["email"]


def test_register_duplicate_400_bytes(client):
    client.post("/auth/register", json=CREDENTIALS)
    response = client.post("/auth/register", json=CREDENTIALS)
    assert (response.status_code, response.data) == (400, b'{"detail":"Email already registered"}')


def test_login_200_body(client):
    client.post("/auth/register", json=CREDENTIALS)
    response = client.post("/auth/login", json=CREDENTIALS)
    assert response.status_code == 200
    assert response.get_json()["token_type"] == "bearer"


@pytest.mark.parametrize("credentials", [{**CREDENTIALS, "password": "wrong password"},
                                         {**CREDENTIALS, "email": "unknown@test.edu"}])
def test_login_401_bytes_and_challenge(client, credentials):
    client.post("/auth/register", json=CREDENTIALS)
    response = client.post("/auth/login", json=credentials)
    assert (response.status_code, response.data) == (401, b'{"detail":"Incorrect email or password"}')
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_login_takes_json_and_the_later_originals_form(client):
    """Day 1 took JSON only; the original's later versions (PLATFORM.md) also take OAuth2's password form."""
    client.post("/auth/register", json=CREDENTIALS)
    form = client.post("/auth/login", data={"username": CREDENTIALS["email"], "password": CREDENTIALS["password"]})
    assert form.status_code == 200
    assert client.post("/auth/login", json=CREDENTIALS).status_code == 200


def test_me_401s_bytes_and_challenge(client):
    missing = client.get("/auth/me")
    assert (missing.status_code, missing.data) == (401, b'{"detail":"Not authenticated"}')
    bad = client.get("/auth/me", headers={"Authorization": "Bearer not.a.token"})
    assert (bad.status_code, bad.data) == (401, b'{"detail":"Could not validate credentials"}')
    assert missing.headers["WWW-Authenticate"] == bad.headers["WWW-Authenticate"] == "Bearer"


def test_me_accepts_original_tokens(client):
    client.post("/auth/register", json=CREDENTIALS)
    token = original_token(CREDENTIALS['email'], TEST_SECRET_KEY)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_validation_422_bytes(client):
    # Login: register adds Loopin's password policy errors beside the original's for a short password.
    response = client.post("/auth/login", json={"password": "x"})
    assert response.status_code == 422
    assert response.data == (b'{"detail":[{"type":"missing","loc":["body","email"],"msg":"Field required",'
                             b'"input":{"password":"[redacted]"},"url":"https://errors.pydantic.dev/2.14/v/missing"}]}')
    malformed = client.post("/auth/register", data=b'{"email":', content_type="application/json")
    assert malformed.data == (b'{"detail":[{"type":"json_invalid","loc":["body",9],"msg":"JSON decode error",'
                              b'"input":{},"ctx":{"error":"Expecting value"}}]}')


def test_unknown_path_and_method_bytes(client):
    assert client.get("/nope").data == b'{"detail":"Not Found"}'
    assert client.get("/auth/login").data == b'{"detail":"Method Not Allowed"}'


def test_cors_allows_any_origin_like_the_original(client):
    response = client.options("/auth/login", headers={"Origin": "https://frontend.example",
                                                      "Access-Control-Request-Method": "POST",
                                                      "Access-Control-Request-Headers": "content-type"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
