"""Redis outages: with RATELIMIT_STORAGE_URI on Redis and Redis down, Loopin keeps serving (limits
counted in memory meanwhile) and goes back to Redis when it returns. A Redis of the test's own,
stopped and restarted by the test."""

import logging
import time

from helpers import AuthActions

LOCKED = {"detail": "Too many failed login attempts; try again later"}


def test_redis_down_keeps_serving_and_redis_back_is_used_again(limited_app, own_redis, monkeypatch, caplog):
    import flask_limiter._extension as extension

    caplog.set_level(logging.INFO, "flask-limiter")

    app = limited_app(RATELIMIT_STORAGE_URI=own_redis.url)
    client = app.test_client()
    victim = AuthActions(client, email="victim@test.edu", ip="192.0.2.1")
    assert victim.register().status_code == 200 and own_redis.keys()

    own_redis.stop()
    assert victim.login().status_code == 200  # no 500: limits fall back to memory
    assert client.get("/auth/me", headers=victim.headers()).status_code == 200
    statuses = [victim.login(password="wrong guess").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429  # and they still hold
    assert "falling back to in-memory storage" in caplog.text

    own_redis.start()
    monkeypatch.setattr(extension, "MAX_BACKEND_CHECKS", 0)  # check again at once, not in 2**n seconds
    time.sleep(1.1)
    before = set(own_redis.keys())
    AuthActions(client, email="other@test.edu", ip="198.51.100.5").register()
    assert set(own_redis.keys()) - before  # counted in Redis again
    assert "Rate limit storage recovered" in caplog.text
