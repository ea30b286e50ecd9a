"""The password policy: at registration and password change, never at login."""

import pytest
from helpers import AuthActions
from sqlalchemy import insert

from loopin.auth.passwords import passwords
from loopin.core.extensions import db
from loopin.models import User


def register(client, password, email="policy@test.edu"):
    return AuthActions(client).register(email, password)


def policy_error(response):
    assert response.status_code == 422
    [error] = response.get_json()["detail"]
    assert error["loc"] == ["body", "password"] and error["input"] == "[redacted]"
    return error


def test_sec_01_seven_characters_refused_eight_accepted(client):
    error = policy_error(register(client, "abcdefg"))
    assert (error["type"], error["msg"]) == ("password_too_short", "Password must be at least 8 characters long")
    assert register(client, "abcdefgh").status_code == 200


def test_sec_01_minimum_is_configurable(app, client):
    app.config["PASSWORD_MIN_LENGTH"] = 12
    assert policy_error(register(client, "elevenchars"))["msg"] == "Password must be at least 12 characters long"
    assert register(client, "twelve chars").status_code == 200


def test_sec_02_sixty_four_accepted_over_maximum_refused(app, client):
    assert register(client, "x" * 64, email="a@test.edu").status_code == 200
    assert register(client, "y" * 128, email="b@test.edu").status_code == 200
    error = policy_error(register(client, "z" * 129, email="c@test.edu"))
    assert (error["type"], error["msg"]) == ("password_too_long", "Password must be at most 128 characters long")
    app.config["PASSWORD_MAX_LENGTH"] = 64
    assert policy_error(register(client, "w" * 65, email="d@test.edu"))["type"] == "password_too_long"


def test_sec_02_bounds_count_characters_not_bytes(client):
    emoji = "🔑" * 128  # 512 bytes in UTF-8, 128 characters
    assert register(client, emoji).status_code == 200
    assert client.post("/auth/login", json={"email": "policy@test.edu", "password": emoji}).status_code == 200
    assert policy_error(register(client, "é" * 7, email="x@test.edu"))["type"] == "password_too_short"


@pytest.mark.parametrize("common", ["password", "12345678", "iloveyou", "Sunshine", "FOOTBALL", "trustno1"])
def test_sec_05_common_passwords_refused(client, common):
    error = policy_error(register(client, common))
    assert error["type"] == "password_too_common"
    assert error["msg"] == "This password is too common; choose one that is harder to guess"


@pytest.mark.parametrize("uncommon", ["dragon,123123", ",password,", "passwordx1"])
def test_only_whole_entries_of_the_list_are_common(client, uncommon):
    """Two listed passwords joined by a comma, or a listed one inside a longer one, are not listed."""
    assert register(client, uncommon).status_code == 200


def test_sec_04_no_composition_rules(client):
    assert register(client, "all lowercase words here").status_code == 200


def test_policy_applies_to_password_change_and_changes_nothing(client):
    tokens = register(client, "correct horse battery").get_json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = client.post("/auth/password", json={"current_password": "correct horse battery",
                                                   "new_password": "short"}, headers=headers)
    assert response.status_code == 422
    [error] = response.get_json()["detail"]
    assert (error["loc"], error["type"], error["input"]) == (["body", "new_password"], "password_too_short",
                                                             "[redacted]")
    assert client.post("/auth/login", json={"email": "policy@test.edu", "password": "correct horse battery"}) \
        .status_code == 200


def test_login_is_not_subject_to_the_policy(app, client):
    """Accounts from the original may have 7-character passwords: they still sign in."""
    with app.app_context():
        db.session.execute(insert(User).values(email="old@test.edu", hashed_password=passwords().hash("pass123"),
                                               is_active=True))
        db.session.commit()
    assert client.post("/auth/login", json={"email": "old@test.edu", "password": "pass123"}).status_code == 200
