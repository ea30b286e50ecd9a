"""POST /auth/login: the same 401 for unknown email and wrong password, case-insensitive emails."""

from helpers import AuthActions
from sqlalchemy import update

from loopin.auth.passwords import PasswordService
from loopin.core.extensions import db
from loopin.models import User

INCORRECT = {"detail": "Incorrect email or password"}


def comparable_headers(response):
    return {k: v for k, v in response.headers.items() if k != "Date"}


def test_login_answers_like_register(auth):
    auth.register()
    response = auth.login()
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["access_token", "token_type", "refresh_token", "expires_in"]  # the original's first
    assert body["token_type"] == "bearer"


def test_login_email_is_case_insensitive_and_trimmed(auth):
    auth.register(email="case@test.edu")
    assert auth.login(email=" CASE@Test.EDU ").status_code == 200


def test_sec_09_unknown_email_and_wrong_password_are_indistinguishable(auth):
    auth.register()
    wrong_password = auth.login(password="not the password")
    unknown_email = auth.login(email="nobody@test.edu")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json() == INCORRECT
    assert comparable_headers(wrong_password) == comparable_headers(unknown_email)
    assert wrong_password.headers["WWW-Authenticate"] == "Bearer"


def test_sec_10_unknown_email_costs_one_hash_missing_field_none(client, auth, monkeypatch):
    """Counted, not timed (Django's test_authentication_timing): every failed login verifies one hash."""
    auth.register()
    calls = []
    real_verify = PasswordService.verify

    def counting_verify(self, stored_hash, password):
        calls.append(stored_hash)
        return real_verify(self, stored_hash, password)

    monkeypatch.setattr(PasswordService, "verify", counting_verify)
    auth.login(password="not the password")
    assert len(calls) == 1
    auth.login(email="nobody@test.edu")
    assert len(calls) == 2
    assert calls[1].startswith("$argon2id$")  # a real Argon2id verify at the configured cost
    response = client.post("/auth/login", json={"email": "nobody@test.edu"})
    assert response.status_code == 422
    assert len(calls) == 2


def test_inactive_user_cannot_log_in(app, auth):
    auth.register()
    with app.app_context():
        db.session.execute(update(User).values(is_active=False))
        db.session.commit()
    assert auth.login(password="not the password").get_json() == INCORRECT
    response = auth.login()
    assert response.status_code == 400
    assert response.get_json() == {"detail": "Inactive user"}


def test_hash_is_upgraded_when_parameters_change(app, auth, tmp_path, database_url):
    from helpers import make_app

    auth.register()
    stronger = make_app(database_url, tmp_path / "stronger", ARGON2_TIME_COST=3)
    assert stronger.test_client().post("/auth/login", json={"email": auth.EMAIL, "password": auth.PASSWORD}) \
        .status_code == 200
    with stronger.app_context():
        assert ",t=3," in db.session.scalar(db.select(User.hashed_password))
        db.engine.dispose()
    assert auth.login().status_code == 200


def test_login_takes_the_oauth2_password_form(client, auth):
    """The original's later frontend and Swagger's Authorize send a form: `username` is the email."""
    auth.register()
    form = client.post("/auth/login",
                       data={"username": auth.EMAIL, "password": auth.PASSWORD, "grant_type": "password"})
    assert form.status_code == 200 and list(form.get_json()) == ["access_token", "token_type", "refresh_token",
                                                                  "expires_in"]
    wrong = client.post("/auth/login", data={"username": auth.EMAIL, "password": "not it"})
    assert (wrong.status_code, wrong.get_json()) == (401, {"detail": "Incorrect email or password"})
    missing = client.post("/auth/login", data={"username": auth.EMAIL})
    assert missing.status_code == 422 and missing.get_json()["detail"][0]["loc"] == ["body", "password"]
    assert client.post("/auth/login", data="plain", content_type="text/plain").status_code == 415


def test_form_logins_count_against_the_same_account_limit(limited_app):
    client = limited_app().test_client()
    actions = AuthActions(client, email="formed@test.edu", ip="203.0.113.9")
    actions.register()
    for _ in range(5):
        client.post("/auth/login", data={"username": "Formed@test.edu", "password": "wrong"},
                    environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert actions.login().status_code == 429


def test_hashes_run_at_most_one_per_cpu_at_once(monkeypatch):
    """More threads than CPUs wait for a slot: the same throughput, a fraction of the memory."""
    import threading
    import time

    service = PasswordService(time_cost=1, memory_kib=64, parallelism=1, concurrency=2)
    stored = service.hash("a password")
    running, peak, lock = [0], [0], threading.Lock()
    hasher_class = type(service.hasher)
    real_verify = hasher_class.verify

    def slow_verify(self, *args):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        try:
            return real_verify(self, *args)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(hasher_class, "verify", slow_verify)
    threads = [threading.Thread(target=service.verify, args=(stored, "a password")) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2
