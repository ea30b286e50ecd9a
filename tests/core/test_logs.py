"""Logs stay readable under load (issue 26, "Quiet under load"): waitress's "Task queue depth" warning,
once per request that waits for a thread, is summarised to one line per interval with the deepest queue
and how many waited; in process with a clock of the test's own, and under a real waitress."""

import logging

from helpers import AuthActions, at_once
from servers import request, server_environment, waitress

from loopin.core.logs import QueueDepthSummary


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_queue_warnings_become_one_line_per_interval_with_the_deepest_queue():
    now = [100.0]
    logger = logging.getLogger("test.waitress.queue")
    logger.propagate = False
    lines = Lines()
    logger.addHandler(lines)
    logger.addFilter(QueueDepthSummary(interval=10, clock=lambda: now[0]))
    try:
        for second, depth in [(0, 1), (1, 5), (2, 9), (3, 2), (11, 3), (12, 4), (30, 1)]:
            now[0] = 100.0 + second
            logger.warning("Task queue depth is %d", depth)
    finally:
        logger.removeHandler(lines)
        logger.filters.clear()
    assert lines.lines == [
        "Task queue depth up to 1; 1 request(s) waited for a thread since the last such line",  # at once
        "Task queue depth up to 9; 4 request(s) waited for a thread since the last such line",  # 10 s later
        "Task queue depth up to 4; 2 request(s) waited for a thread since the last such line",
    ]


def test_a_busy_waitress_writes_one_queue_line_not_one_per_request(database_url, tmp_path):
    """One thread, sixteen logins at once at production hashing cost: fifteen waited for the thread,
    and waitress warned fifteen times before."""
    env = server_environment(database_url, tmp_path / "instance", ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=19456)
    with waitress(env, tmp_path / "waitress.log", threads=1) as (base, _process):
        credentials = {"email": "nobody@test.edu", "password": AuthActions.PASSWORD}
        answers = at_once(lambda _: request(base, "POST", "/auth/login", credentials)[0], range(16))
    assert answers == [401] * 16
    text = (tmp_path / "waitress.log").read_text(encoding="utf-8")
    queue_lines = [line for line in text.splitlines() if "Task queue depth" in line]
    assert len(queue_lines) == 1, text
    assert "request(s) waited for a thread" in queue_lines[0]
