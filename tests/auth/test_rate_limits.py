"""Rate limits: failed logins per account and per IP, registrations, refreshes, the per-IP ceiling;
429 with Retry-After; X-Forwarded-For trusted only when configured."""

import json
import logging

from helpers import AuthActions

PASSWORD = AuthActions.PASSWORD
VICTIM_IP = "192.0.2.1"
LOCKED = {"detail": "Too many failed login attempts; try again later"}


def victim(client, ip=VICTIM_IP):
    """AuthActions for the account these tests attack, from one client IP."""
    return AuthActions(client, email="victim@test.edu", ip=ip)


def test_sec_12_failures_counted_per_account_across_ips(limited_app):
    client = limited_app(RATELIMIT_LOGIN_ACCOUNT_CAP="5 per hour").test_client()
    victim(client).register()
    for attempt in range(5):
        assert victim(client).login(password="wrong guess", ip=f"198.51.100.{attempt}").status_code == 401
    locked = victim(client).login(password="wrong guess", ip="198.51.100.99")
    assert (locked.status_code, locked.get_json()) == (429, LOCKED)
    assert int(locked.headers["Retry-After"]) > 0
    other = victim(client).login(email="someone.else@test.edu", password="wrong guess", ip="203.0.113.7")
    assert other.status_code == 401


def test_sec_13_locked_account_answers_the_same_to_right_and_wrong_password(limited_app):
    client = limited_app().test_client()
    victim(client).register()
    for _ in range(5):
        victim(client).login(password="wrong guess")
    right, wrong = victim(client).login(), victim(client).login(password="wrong guess")
    assert right.status_code == wrong.status_code == 429
    assert right.get_json() == wrong.get_json() == LOCKED
    assert right.headers["Retry-After"] == wrong.headers["Retry-After"]


def test_sec_13_failures_for_unknown_email_do_not_block_registering_it(limited_app):
    client = limited_app().test_client()
    for _ in range(8):
        victim(client).login(email="future@test.edu", password="wrong guess")
    assert victim(client).register(email="future@test.edu").status_code == 200


def test_successful_logins_are_not_counted(limited_app):
    client = limited_app().test_client()
    victim(client).register()
    for _ in range(12):
        assert victim(client).login().status_code == 200


def test_sec_14_failures_counted_per_ip(limited_app):
    client = limited_app(RATELIMIT_LOGIN_PER_IP="3 per minute").test_client()
    for n in range(3):
        assert victim(client).login(email=f"user{n}@test.edu", password="wrong guess").status_code == 401
    response = victim(client).login(email="user9@test.edu", password="wrong guess")
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert victim(client).login(email="user9@test.edu", password="wrong guess", ip="192.0.2.200").status_code == 401


def test_sec_14_forwarded_for_ignored_unless_proxies_trusted(limited_app):
    client = limited_app(RATELIMIT_LOGIN_PER_IP="3 per minute").test_client()
    for n in range(3):
        victim(client).login(email=f"u{n}@test.edu", password="x", headers={"X-Forwarded-For": f"203.0.113.{n}"})
    spoofed = victim(client).login(email="u9@test.edu", password="x", headers={"X-Forwarded-For": "203.0.113.50"})
    assert spoofed.status_code == 429  # the header did not buy a fresh counter


def test_sec_14_forwarded_for_used_behind_one_trusted_proxy(limited_app):
    client = limited_app(RATELIMIT_LOGIN_PER_IP="3 per minute", TRUSTED_PROXIES=1).test_client()
    for n in range(3):
        victim(client).login(email=f"u{n}@test.edu", password="x", headers={"X-Forwarded-For": "203.0.113.1"})
    forwarded = {"X-Forwarded-For": "203.0.113.1"}
    assert victim(client).login(email="u9@test.edu", password="x", headers=forwarded).status_code == 429
    # Another client behind the same proxy has its own counter.
    forwarded = {"X-Forwarded-For": "203.0.113.2"}
    assert victim(client).login(email="u9@test.edu", password="x", headers=forwarded).status_code == 401
    tokens = victim(client).register(email="seen@test.edu").get_json()
    sessions = client.get("/auth/sessions", headers={"Authorization": f"Bearer {tokens['access_token']}",
                                                    "X-Forwarded-For": "203.0.113.9"}).get_json()["sessions"]
    assert sessions[0]["ip"] == "192.0.2.1"  # registered with no proxy header: the peer itself


def test_registrations_limited_per_ip(limited_app):
    client = limited_app(RATELIMIT_REGISTER_PER_IP="2 per minute").test_client()
    assert victim(client).register(email="a@test.edu").status_code == 200
    assert victim(client).register(email="b@test.edu").status_code == 200
    response = victim(client).register(email="c@test.edu")
    assert (response.status_code, response.get_json()) == (429, {"detail": "Too many requests; try again later"})
    assert victim(client).register(email="c@test.edu", ip="192.0.2.77").status_code == 200


def test_refresh_limited_per_session(limited_app):
    client = limited_app(RATELIMIT_REFRESH_PER_SESSION="2 per minute").test_client()
    first = victim(client).register().get_json()
    other = victim(client).register(email="other@test.edu", ip="192.0.2.2").get_json()
    token = first["refresh_token"]
    for _ in range(2):
        response = client.post("/auth/refresh", json={"refresh_token": token})
        assert response.status_code == 200
        token = response.get_json()["refresh_token"]
    assert client.post("/auth/refresh", json={"refresh_token": token}).status_code == 429
    assert client.post("/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_sec_33_every_request_has_a_per_ip_ceiling_but_health_is_exempt(limited_app):
    client = limited_app(RATELIMIT_PER_IP="3 per minute").test_client()
    for _ in range(10):
        assert client.get("/health/live").status_code == 200
        assert client.get("/health").status_code == 200
    statuses = [client.get("/auth/me").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_limits_can_be_switched_off(client):
    """The suite's own config has RATELIMIT_ENABLED=false."""
    for _ in range(30):
        assert victim(client).login(password="wrong guess").status_code == 401


def test_lockout_is_audited(limited_app, caplog):
    caplog.set_level(logging.INFO, "loopin.audit")
    client = limited_app().test_client()
    for _ in range(6):
        victim(client).login(password="wrong guess")
    events = [json.loads(record.getMessage()) for record in caplog.records if record.name == "loopin.audit"]
    assert any(event["event"] == "lockout" and event["ip"] == "192.0.2.1" for event in events)


def test_account_limit_is_counted_on_the_canonical_email(limited_app):
    """One home for canonicalisation: letter case and spaces do not buy an attacker a fresh counter."""
    client = limited_app(RATELIMIT_LOGIN_ACCOUNT_CAP="5 per hour").test_client()
    victim(client).register()
    variants = ["VICTIM@test.edu", " victim@TEST.edu", "Victim@Test.Edu", "victim@test.EDU ", "vIcTiM@test.edu"]
    for n, email in enumerate(variants):
        assert victim(client, ip=f"198.51.100.{n}").login(email=email, password="wrong guess").status_code == 401
    assert victim(client, ip="198.51.100.99").login().get_json() == LOCKED
