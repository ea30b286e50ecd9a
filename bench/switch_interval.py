"""Issue 26's measurement of the GIL switch interval: Loopin at 16 and 64 connections, with CPython's
default (5 ms) and with what serving processes set (loopin/core/serving.py), interleaved rounds.

    .venv/bin/python bench/switch_interval.py [--rounds 5] [--seconds 4] [--app-dir DIR]

`--app-dir` serves another checkout (a `git worktree` of an older commit) to compare builds. Prints
req/s, p99 and server CPU per request for each cell, then the medians and the 64/16 ratios.
"""

import argparse
import itertools
import os
import statistics
import tempfile
from pathlib import Path

from bench import REPO, run_wrk, start_waitress
from loopin.core.serving import SWITCH_INTERVAL_SECONDS

DEFAULT_INTERVAL = 0.005
PATHS = ("/auth/me", "/health")
# waitress serving `wsgi:app` of the chosen checkout, the interval set after the app set its own.
SERVE = ("import os, sys; sys.path.insert(0, os.environ['APP_DIR']); import wsgi; "
         "sys.setswitchinterval(float(os.environ['SWITCH_INTERVAL'])); app = wsgi.app")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--app-dir", default=str(REPO))
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    from helpers import migrate_to_head  # the tests' helpers, on the path once bench is imported
    from postgres import PostgresServer
    from servers import request

    server = PostgresServer(args.server)
    url = server.create_database("loopin_switch")
    scratch = Path(tempfile.mkdtemp())
    processes = []
    try:
        migrate_to_head(url, scratch)
        (scratch / "serve_app.py").write_text(SERVE + "\n", encoding="utf-8")
        servers = {}
        for interval in (DEFAULT_INTERVAL, SWITCH_INTERVAL_SECONDS):
            env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "k" * 64, "RATELIMIT_ENABLED": "false",
                   "LOG_LEVEL": "WARNING", "INSTANCE_PATH": str(scratch / "instance"), "APP_DIR": args.app_dir,
                   "SWITCH_INTERVAL": str(interval), "PYTHONPATH": f"{scratch}{os.pathsep}{args.app_dir}"}
            base, process = start_waitress("serve_app:app", env, 4, scratch / f"{interval}.log", "/health/live")
            servers[interval] = (base, process)
            processes.append(process)
        body = {"email": "switch@bench.edu", "password": "correct horse battery staple"}
        token = request(servers[DEFAULT_INTERVAL][0], "POST", "/auth/register", body)[2]["access_token"]
        env = {**os.environ, "BENCH_ACCESS_TOKEN": token}
        cells = {}
        for round_number in range(args.rounds):
            for path, connections, interval in itertools.product(PATHS, (16, 64), servers):
                base, process = servers[interval]
                result = run_wrk(base, path, "bench/wrk/me.lua", connections, args.seconds, env, process.pid)
                cells.setdefault((path, interval, connections), []).append(result)
                print(f"round {round_number} {path} interval={interval} c={connections} rps={result['rps']:.0f} "
                      f"p99={result['p99_ms']:.1f} cpu_ms={result['cpu_s_per_1000']}", flush=True)
        for path, interval in itertools.product(PATHS, servers):
            rps = {c: statistics.median(r["rps"] for r in cells[(path, interval, c)]) for c in (16, 64)}
            print(f"{path} interval={interval}: {rps[16]:.0f} -> {rps[64]:.0f} req/s, 64/16 = {rps[64] / rps[16]:.2f}")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        server.drop_database(url)


if __name__ == "__main__":
    main()
