"""Redis for the tests: the machine's own (shared_redis_url), or a server of the test's own, which the
test can stop and restart (outages for real)."""

import os
import shutil
import subprocess
import time

import pytest
import redis
from helpers import free_port
from postgres import in_ci

SHARED_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def shared_redis_url():
    """The machine's Redis, as the `redis_url` fixture gives it: skipped when unreachable, failing in CI."""
    try:
        redis.Redis.from_url(SHARED_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if in_ci():
            pytest.fail(f"CI=true but Redis at {SHARED_REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {SHARED_REDIS_URL} is unreachable ({error}); start it to run this test")
    return SHARED_REDIS_URL


class OwnRedis:
    def __init__(self, tmp_path):
        binary = shutil.which("redis-server")
        if binary is None:
            if in_ci():
                pytest.fail("CI=true but redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.binary, self.port, self.dir, self.process = binary, free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.dir)], stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def keys(self):
        return redis.Redis.from_url(self.url).keys("*")
