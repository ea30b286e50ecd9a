"""Rate limits shared by two waitress processes through the real Redis (RATELIMIT_STORAGE_URI)."""

import os
import uuid

import pytest
import redis
from postgres import in_ci
from servers import request, server_environment, waitress

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if in_ci():
            pytest.fail(f"CI=true but Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({error}); start it to run this test")
    return REDIS_URL


def test_sec_12_two_processes_share_one_account_limit(app, database_url, redis_url, tmp_path):
    env = server_environment(database_url, tmp_path / "instance", RATELIMIT_ENABLED="true",
                             RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_LOGIN_PER_ACCOUNT="4 per minute",
                             RATELIMIT_LOGIN_PER_IP="100 per minute")
    email = f"shared-{uuid.uuid4().hex[:8]}@test.edu"  # Redis outlives the test: a fresh counter
    with waitress(env, tmp_path / "a.log") as (server_a, _), waitress(env, tmp_path / "b.log") as (server_b, _):
        credentials = {"email": email, "password": "correct horse battery"}
        assert request(server_a, "POST", "/auth/register", credentials)[0] == 200
        wrong = {"email": email, "password": "a wrong guess"}
        statuses = [request(server, "POST", "/auth/login", wrong)[0] for server in (server_a, server_b) * 2]
        assert statuses == [401, 401, 401, 401]
        for server in (server_a, server_b):  # both processes see the four failures of both
            status, headers, body = request(server, "POST", "/auth/login", wrong)
            assert (status, body) == (429, {"detail": "Too many failed login attempts; try again later"})
            assert int(headers["Retry-After"]) > 0
