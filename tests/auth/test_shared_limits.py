"""Rate limits shared by two waitress processes through the real Redis (RATELIMIT_STORAGE_URI)."""

import uuid

from servers import request, server_environment, waitress


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
