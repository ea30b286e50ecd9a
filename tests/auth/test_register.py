"""POST /auth/register: the original's contract, Argon2id storage, one account per address."""

import re
from datetime import datetime, timezone
from importlib.metadata import version

import jwt as pyjwt
from helpers import TEST_SECRET_KEY
from sqlalchemy import select

from loopin import create_app
from loopin.auth.passwords import passwords
from loopin.core.extensions import db
from loopin.models import User


def stored_users(app):
    with app.app_context():
        return db.session.scalars(select(User).order_by(User.id)).all()


def test_register_answers_200_with_bearer_token(client, auth):
    response = auth.register()
    assert response.status_code == 200  # FastAPI's default, not 201
    body = response.get_json()
    assert list(body) == ["access_token", "token_type", "refresh_token", "expires_in"]  # the original's first
    assert body["token_type"] == "bearer"
    claims = pyjwt.decode(body["access_token"], TEST_SECRET_KEY, algorithms=["HS256"])
    assert claims["sub"] == "test@test.edu"
    lifetime = claims["exp"] - datetime.now(timezone.utc).timestamp()
    assert 29 * 60 < lifetime <= 30 * 60
    assert pyjwt.get_unverified_header(body["access_token"])["alg"] == "HS256"


def test_register_stores_email_trimmed_and_lowercased(app, auth):
    assert auth.register(email="  Mixed.Case@Example.EDU ").status_code == 200
    [user] = stored_users(app)
    assert user.email == "mixed.case@example.edu"
    assert user.is_active is True
    assert user.created_at is not None


def test_duplicate_email_is_400_whatever_its_case(app, auth):
    assert auth.register(email="dup@test.edu").status_code == 200
    for again in ("dup@test.edu", "DUP@Test.edu", " dup@TEST.EDU"):
        response = auth.register(email=again, password="another password")
        assert response.status_code == 400
        assert response.get_json() == {"detail": "Email already registered"}
    assert len(stored_users(app)) == 1


def test_sec_24_password_stored_as_argon2id(app, auth):
    auth.register(password="correct horse battery")
    [user] = stored_users(app)
    assert user.hashed_password.startswith("$argon2id$")
    assert "correct horse battery" not in user.hashed_password


def test_sec_24_default_hash_parameters_are_owasp_minimum(tmp_path):
    """Without the suite's cheap overrides, hashes carry Argon2id m=19 MiB, t=2, p=1."""
    app = create_app({"LOAD_DOTENV": False, "SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": "sqlite://",
                      "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        assert passwords().hash("any password").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_sec_03_long_and_unicode_passwords_round_trip_untruncated(auth):
    long_password = "p" * 100
    assert auth.register(email="long@test.edu", password=long_password).status_code == 200
    assert auth.login(email="long@test.edu", password=long_password).status_code == 200
    assert auth.login(email="long@test.edu", password=long_password[:72]).status_code == 401
    assert auth.login(email="long@test.edu", password=long_password.upper()).status_code == 401


def test_sec_04_unicode_spaces_and_emoji_accepted(auth):
    password = "  пароль with spaces 🔑🎓 "
    assert auth.register(email="uni@test.edu", password=password).status_code == 200
    assert auth.login(email="uni@test.edu", password=password).status_code == 200
    assert auth.login(email="uni@test.edu", password=password.strip()).status_code == 401


def test_register_works_with_current_bcrypt_release(auth):
    """The original answered 500 here: passlib 1.7.4 breaks on bcrypt >= 4.1."""
    major, minor = (int(part) for part in version("bcrypt").split(".")[:2])
    assert (major, minor) >= (4, 1)
    assert auth.register().status_code == 200


def test_sec_11_registration_reveals_nothing_beyond_the_contract(client, auth):
    """A taken address answers only the original's 400. A body that fails validation answers the same 422
    whether or not the address is taken, so validation never reveals an account."""
    auth.register(email="taken@test.edu")
    taken = auth.register(email="taken@test.edu", password="another good one")
    free = auth.register(email="free@test.edu", password="another good one")
    assert (taken.status_code, taken.get_json()) == (400, {"detail": "Email already registered"})
    assert free.status_code == 200
    weak_taken = auth.register(email="taken@test.edu", password="short")
    weak_free = auth.register(email="never@test.edu", password="short")
    assert weak_taken.status_code == weak_free.status_code == 422
    assert weak_taken.get_json() == weak_free.get_json()
    assert set(taken.headers.keys()) - {"Content-Length"} == set(free.headers.keys()) - {"Content-Length"}


def test_registrations_at_once_with_one_local_part_get_distinct_usernames(app):
    """Each new account's generated username is unique: two requests picking the same name in the same
    instant meet the unique index, and the loser's transaction runs again with the next free name."""
    from helpers import at_once

    def register(domain):
        client = app.test_client()
        return client.post("/auth/register", json={"email": f"sam@{domain}.edu", "password": "correct horse battery"})

    answers = at_once(register, [f"college{number}" for number in range(6)])
    assert [answer.status_code for answer in answers] == [200] * 6
    names = set()
    for answer in answers:
        me = app.test_client().get("/auth/me", headers={"Authorization": f"Bearer {answer.get_json()['access_token']}"})
        names.add(me.get_json()["username"].lower())
    assert len(names) == 6 and "sam" in names
    assert all(re.fullmatch(r"sam\d{4}", name) for name in names - {"sam"})
