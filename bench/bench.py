"""Loopin's benchmark driver (run it through bench/run). Every number is also a ratio against a
baseline measured in the same run on the same machine: these machines are shared and noisy.

Steps: a scratch PostgreSQL database at the migrations' head, users seeded in bulk, Loopin under
waitress (production settings, rate limits off), wrk over each scenario and concurrency, the bare
WSGI app and the raw Argon2id verify rate as baselines, then 1,000,000 users for the scale check.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from servers import free_port, wait_until_answering  # noqa: E402  (the tests' server helpers)
from postgres import PostgresServer  # noqa: E402

import report  # noqa: E402

PASSWORD = "correct horse battery staple"
SCENARIOS = {  # name -> (path, wrk script)
    "live": ("/health/live", "get"), "health": ("/health", "get"), "register": ("/auth/register", "register"),
    "login": ("/auth/login", "login"), "me": ("/auth/me", "me"), "refresh": ("/auth/refresh", "refresh"),
}
WRK_THREADS = 2  # one per core of these machines


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per scenario, 16 connections, 1,000 users")
    parser.add_argument("--out", type=Path, help="also write the run's JSON here")
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="PostgreSQL server to create the scratch database on")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads (its default)")
    return parser.parse_args()


def loopin_environment(database_url, secret_key, threads, instance):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "RATELIMIT"))}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret_key, RATELIMIT_ENABLED="false", LOG_LEVEL="WARNING",
               WAITRESS_THREADS=str(threads), INSTANCE_PATH=str(instance), PYTHONPATH=str(REPO))
    return env


def start_waitress(target, env, threads, log_path):
    port = free_port()
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={threads}", target]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(base, process, log_path, path="/health/live" if target == "wsgi:app" else "/")
    return base, process


def process_usage(pid):
    """(CPU seconds so far, peak RSS in MiB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    peak_kib = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmHWM"))
    return cpu, peak_kib / 1024


def run_wrk(base, path, script, connections, seconds, env, pid):
    cpu_before, _ = process_usage(pid)
    threads = min(WRK_THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script, base + path]
    output = subprocess.run(command, cwd=REPO, env={**env, "BENCH_WRK_THREADS": str(threads)},
                            capture_output=True, text=True, check=True).stdout
    result = json.loads(next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))[11:])
    cpu_after, peak_rss = process_usage(pid)
    result.update(connections=connections, peak_rss_mib=round(peak_rss, 1),
                  cpu_s_per_1000=round(1000 * (cpu_after - cpu_before) / max(result["requests"], 1), 3))
    return result


def hash_limit(hashed, threads, seconds):
    """Argon2id verifies per second with `threads` threads, in-process, no HTTP: the login ceiling."""
    from argon2 import PasswordHasher

    hasher, counts, stop = PasswordHasher(), [0] * threads, threading.Event()

    def verify(slot):
        while not stop.is_set():
            hasher.verify(hashed, PASSWORD)
            counts[slot] += 1

    workers = [threading.Thread(target=verify, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


def main():
    args = parse_args()
    from seed import BenchDatabase

    seconds = 3 if args.quick else 8
    levels = [16] if args.quick else [1, 4, 16, 64]
    out_dir = REPO / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    secret_key = secrets.token_urlsafe(48)
    server = PostgresServer(args.server)
    database_url = server.create_database("loopin_bench")
    run = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": args.quick,
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                    text=True).stdout.strip(),
           "settings": {"waitress_threads": args.threads, "wrk_threads": WRK_THREADS, "seconds": seconds,
                        "argon2": "m=19456,t=2,p=1", "rate_limits": "off", "database": "PostgreSQL (local)"},
           "results": {}, "scale": {}}
    processes = []
    try:
        bench_db = BenchDatabase(database_url, secret_key, out_dir / "instance", PASSWORD)
        bench_db.migrate_and_seed(1000)
        env = loopin_environment(database_url, secret_key, args.threads, out_dir / "instance")
        print(f"hash-bound limit: Argon2id verify with {args.threads} threads …", flush=True)
        run["hash_limit_rps"] = round(hash_limit(bench_db.user_hash, args.threads, seconds), 2)

        bare, bare_process = start_waitress("bare_app:app", {**env, "PYTHONPATH": str(REPO / "bench")},
                                            args.threads, out_dir / "bare.log")
        processes.append(bare_process)
        run["results"]["bare"] = [run_wrk(bare, "/", "bench/wrk/get.lua", c, seconds, env, bare_process.pid)
                                  for c in levels]
        base, loopin = start_waitress("wsgi:app", env, args.threads, out_dir / "loopin.log")
        processes.append(loopin)
        scenario_env = {**env, "BENCH_EMAIL": "user1@bench.edu", "BENCH_PASSWORD": PASSWORD,
                        "BENCH_ACCESS_TOKEN": bench_db.access_token("user1@bench.edu"),
                        "BENCH_RUN_ID": uuid.uuid4().hex[:8]}
        for scenario, (path, script) in SCENARIOS.items():
            print(f"{scenario} …", flush=True)
            run["results"][scenario] = []
            for connections in levels:
                scenario_env["BENCH_RUN_ID"] = uuid.uuid4().hex[:8]  # register: new emails for every wrk run
                if scenario == "refresh":  # single-use tokens: enough for the level, minted fresh
                    scenario_env["BENCH_REFRESH_TOKENS"] = str(bench_db.refresh_tokens(
                        out_dir / "refresh_tokens.txt", 2000 * seconds))
                run["results"][scenario].append(run_wrk(base, path, f"bench/wrk/{script}.lua", connections,
                                                        seconds, scenario_env, loopin.pid))
        if not args.quick:
            print("scale: 1,000,000 users …", flush=True)
            run["scale"]["1000"] = {s: next(r for r in run["results"][s] if r["connections"] == 16)
                                    for s in ("login", "me")}
            bench_db.seed_users(1_000_000)
            scale_env = {**scenario_env, "BENCH_EMAIL": "user999999@bench.edu",
                         "BENCH_ACCESS_TOKEN": bench_db.access_token("user999999@bench.edu")}
            run["scale"]["1000000"] = {s: run_wrk(base, SCENARIOS[s][0], f"bench/wrk/{s}.lua", 16, seconds, scale_env,
                                                  loopin.pid) for s in ("login", "me")}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        server.drop_database(database_url)

    run["ratios"] = report.ratios(run)
    (out_dir / "latest.json").write_text(json.dumps(run, indent=2))
    if args.out:
        args.out.write_text(json.dumps(run, indent=2))
    if not args.quick:
        (REPO / "bench" / "results.json").write_text(json.dumps(run, indent=2))
        report.write_results(run, REPO / "bench" / "RESULTS.md", REPO / "bench" / "chart.png")
    print(json.dumps(run["ratios"], indent=2))


if __name__ == "__main__":
    main()
