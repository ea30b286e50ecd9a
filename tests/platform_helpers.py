"""Shared by the platform's tests (posts, comments, votes): accounts with a role and a profile, and
posts made through the API."""

from helpers import AuthActions

POST = {"title": "Study group", "content": "Tonight in the library", "department": "CSE"}


def signed_in(app, client, email, role=None, username=None):
    """Bearer headers of a new account; `role` set the README's way (the users command)."""
    headers = AuthActions(client, email=email).headers()
    if role:
        assert app.test_cli_runner().invoke(args=["users", "set-role", email, role]).exit_code == 0
    profile = {"username": username or email.split("@")[0].replace(".", "_"), "enrollment_number": f"EN-{email}"}
    assert client.put("/users/me", json=profile, headers=headers).status_code == 200
    return headers


def create(client, headers, **fields):
    response = client.post("/posts/", json={**POST, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
