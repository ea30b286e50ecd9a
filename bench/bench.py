"""Loopin's benchmark driver (run it through bench/run). Every number is also a ratio against a
baseline measured in the same run on the same machine: these machines are shared and noisy.

Steps: a scratch PostgreSQL database at the migrations' head, users seeded in bulk, Loopin under
waitress (production settings, rate limits off), the bare WSGI app and the raw Argon2id verify rate
as baselines. Each ratio is measured as interleaved pairs (baseline, scenario; then scenario,
baseline; ...) at 16 connections and reported as the median with its spread, so that drift of the
shared machine hits both sides alike. The full run then sweeps every scenario over 1, 4, 16 and 64
connections and repeats login and /auth/me with 1,000,000 users.
"""

import argparse
import json
import os
import platform
import secrets
import statistics
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

import report  # noqa: E402
from helpers import run_together  # noqa: E402
from postgres import PostgresServer  # noqa: E402
from servers import free_port, wait_until_answering  # noqa: E402  (the tests' server helpers)

from loopin.core.serving import SWITCH_INTERVAL_SECONDS  # noqa: E402

PASSWORD = "correct horse battery staple"
SCENARIOS = {  # name -> (path, wrk script)
    "live": ("/health/live", "get"), "health": ("/health", "get"), "register": ("/auth/register", "register"),
    "login": ("/auth/login", "login"), "me": ("/auth/me", "me"), "refresh": ("/auth/refresh", "refresh"),
    # Signed in (me.lua sends the token): a first page of 20 with authors, pins and the caller's votes.
    "feed": ("/posts/?limit=20", "me"), "feed_filtered": ("/posts/?limit=20&department=cse&tags=event", "me"),
    "post_create": ("/posts/", "post_create"),
    # A post with 200 comments (the default page), authors, reactions and the caller's votes; and votes
    # toggled on ten hot posts.
    "comments_list": ("/posts/2/comments/", "me"), "vote": ("/votes/", "vote"),
    # The poll (events and announcements unread), and an announcement to BENCH_DEPARTMENT.
    "unread": ("/notifications/unread-count", "me"), "announce": ("/notifications/announcement", "announce"),
    # Two words in ~1 % of the posts (bench/seed.py), signed in, the last one typed (a prefix): a first
    # page of 20 of the best, with highlights.
    "search": ("/search/?q=lab%20exam&limit=20", "me"),
    "search_words": ("/search/?q=lab%20exam%20&limit=20", "me"),  # whole words: no prefix to expand
    # The same feed for a caller who mutes 50 authors (about 5 % of the posts), with 1 % of the posts
    # hidden by reports (bench/seed.py, seed_moderation): what moderation costs a read.
    "feed_muted": ("/posts/?limit=20", "me"),
}
MUTER = "user4@bench.edu"  # feed_muted's caller
MUTES, HIDDEN_EVERY = 50, 100
# An announcement's cost with 100 and with 100,000 recipients, measured last (its 100,100 users would
# change every other scenario's table).
AUDIENCES = {"small": 100, "large": 100_000}
POSTS = 10_000  # the feed's table at the start of a run; the full run grows it to 1,000,000
WRK_THREADS = 2  # one per core of these machines
# ratio -> (scenario, baseline). flask_vs_bare and floor_vs_bare are references, not targets: the most a
# Flask endpoint reaches here, and the most one that makes one database round trip reaches.
PAIRS = {
    "login_vs_hash_limit": ("login", "hash"), "register_vs_hash_limit": ("register", "hash"),
    "live_vs_bare": ("live", "bare"), "me_vs_bare": ("me", "bare"),
    "flask_vs_bare": ("flask", "bare"), "floor_vs_bare": ("floor", "bare"), "health_vs_bare": ("health", "bare"),
    "me_vs_floor": ("me", "floor"), "health_vs_floor": ("health", "floor"),
    "feed_vs_me": ("feed", "me"), "comments_vs_me": ("comments_list", "me"), "unread_vs_me": ("unread", "me"),
    "search_vs_feed": ("search", "feed"), "feed_muted_vs_me": ("feed_muted", "me"),
}
# `<scenario>_64_vs_16`: the same scenario at 64 connections against 16, interleaved: throughput must
# hold when a class arrives at once.
UNDER_LOAD = ("health", "me", "feed", "comments_list", "refresh")
REFERENCES = {"bare": "bare_app:app", "flask": "flask_app:app", "floor": "floor_app:app"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per scenario, 16 connections, 1,000 users")
    parser.add_argument("--out", type=Path, help="also write the run's JSON here")
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="PostgreSQL server to create the scratch database on")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads (its default)")
    parser.add_argument("--pairs", type=int, help="interleaved pairs per ratio (default: 3 quick, 5 full)")
    return parser.parse_args()


def loopin_environment(database_url, secret_key, threads, instance):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "RATELIMIT"))}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret_key, RATELIMIT_ENABLED="false", LOG_LEVEL="WARNING",
               WAITRESS_THREADS=str(threads), INSTANCE_PATH=str(instance), PYTHONPATH=str(REPO))
    return env


def start_waitress(target, env, threads, log_path, ready_path=None):
    port = free_port()
    # waitress's flags, on the server `loopin serve` runs (bench/serve.py), for every app alike
    command = [sys.executable, str(REPO / "bench" / "serve.py"), f"--listen=127.0.0.1:{port}", f"--threads={threads}",
               target]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(base, process, log_path, path=ready_path or ("/health/live" if target == "wsgi:app" else "/"))
    return base, process


def process_usage(pid):
    """(CPU seconds so far, peak RSS in MiB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding='utf-8').rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines()
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    return cpu, peak_kib / 1024


def run_wrk(base, path, script, connections, seconds, env, pid):
    cpu_before, _ = process_usage(pid)
    threads = min(WRK_THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script,
               base + path]
    output = subprocess.run(command, cwd=REPO, env={**env, "BENCH_WRK_THREADS": str(threads)},
                            capture_output=True, text=True, encoding="utf-8", check=True).stdout
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
    started, cpu_started = time.perf_counter(), time.process_time()
    run_together(workers, seconds, stop)
    # CPU per verify: what a login's hash costs the server, to tell the rest of a login's CPU apart.
    return sum(counts) / (time.perf_counter() - started), 1000 * (time.process_time() - cpu_started) / sum(counts)


class Bench:
    """The servers of one run and how to drive each scenario once."""

    def __init__(self, args, bench_db, env, out_dir, seconds):
        self.args, self.bench_db, self.env, self.out_dir, self.seconds = args, bench_db, env, out_dir, seconds
        self.processes, self.servers = [], {}
        self.scenario_env = None

    def start(self):
        like_loopin = {"PYTHONPATH": str(REPO / "bench"), "BENCH_SWITCH_INTERVAL": str(SWITCH_INTERVAL_SECONDS)}
        references = [(name, target, like_loopin) for name, target in REFERENCES.items()]
        for name, target, extra in (*references, ("loopin", "wsgi:app", {})):
            base, process = start_waitress(target, {**self.env, **extra}, self.args.threads,
                                           self.out_dir / f"{name}.log")
            self.processes.append(process)
            self.servers[name] = (base, process)
        # /auth/me signs in as user2: the login scenario signs user1 in thousands of times, and
        # SESSIONS_PER_USER ends user1's oldest sessions, the one of a token minted here included.
        self.scenario_env = {**self.env, "BENCH_EMAIL": "user1@bench.edu", "BENCH_PASSWORD": PASSWORD,
                             "BENCH_ACCESS_TOKEN": self.bench_db.access_token("user2@bench.edu")}
        self.callers = {"feed_muted": {"BENCH_ACCESS_TOKEN": self.bench_db.access_token(MUTER)}}

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)

    def measure(self, scenario, connections=16, env=None):
        """One wrk run of `scenario` (or the in-process hash rate for "hash"): its result dict."""
        if scenario == "hash":
            rps, cpu_ms = hash_limit(self.bench_db.user_hash, self.args.threads, self.seconds)
            return {"rps": round(rps, 2), "cpu_ms_per_hash": round(cpu_ms, 2)}
        if scenario in REFERENCES:
            base, process = self.servers[scenario]
            return run_wrk(base, "/", "bench/wrk/get.lua", connections, self.seconds, self.env, process.pid)
        path, script = SCENARIOS[scenario]
        environment = {**self.scenario_env, **self.callers.get(scenario, {}), **(env or {}),
                       "BENCH_RUN_ID": uuid.uuid4().hex[:8]}
        if scenario == "refresh":  # single-use tokens: enough for the run, minted fresh
            environment["BENCH_REFRESH_TOKENS"] = str(self.bench_db.refresh_tokens(
                self.out_dir / "refresh_tokens.txt", 2000 * self.seconds))
        base, process = self.servers["loopin"]
        return run_wrk(base, path, f"bench/wrk/{script}.lua", connections, self.seconds, environment, process.pid)


def median_run(runs):
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def paired_ratio(ratio, pairs, measure_scenario, measure_baseline, runs, names):
    """One ratio as `pairs` interleaved measurements: (median, spread, samples); every run is kept in
    `runs` under the `names` of the scenario and the baseline."""
    print(f"{ratio}: {pairs} interleaved pairs …", flush=True)
    samples, sides = [], dict(zip(names, (measure_scenario, measure_baseline)))
    for n in range(pairs):
        order = names[::-1] if n % 2 == 0 else names
        measured = {name: sides[name]() for name in order}
        for name, result in measured.items():
            if result.get("non2xx") or result.get("socket_errors"):
                raise SystemExit(f"{ratio}: {name} answered {result.get('non2xx')} non-2xx and "
                                 f"{result.get('socket_errors')} socket errors; a ratio over errors means nothing")
            runs.setdefault(name, []).append(result)
        samples.append(measured[names[0]]["rps"] / measured[names[1]]["rps"])
    middle = statistics.median(samples)
    return {"median": round(middle, 3), "min": round(min(samples), 3), "max": round(max(samples), 3),
            "spread_pct": round(100 * (max(samples) - min(samples)) / middle, 1),
            "samples": [round(sample, 3) for sample in samples]}


def paired_ratios(bench, pairs):
    """Every ratio of PAIRS, plus every run."""
    ratios, runs = {}, {}
    for ratio, (scenario, baseline) in PAIRS.items():
        ratios[ratio] = paired_ratio(ratio, pairs, lambda s=scenario: bench.measure(s),
                                     lambda b=baseline: bench.measure(b), runs, (scenario, baseline))
    for scenario in UNDER_LOAD:
        ratios[f"{scenario}_64_vs_16"] = paired_ratio(
            f"{scenario}_64_vs_16", pairs, lambda s=scenario: bench.measure(s, 64),
            lambda s=scenario: bench.measure(s, 16), runs, (f"{scenario}@64", f"{scenario}@16"))
    return ratios, runs


def announce_ratio(bench, bench_db, pairs):
    """announce_100k_vs_100: an announcement to a department of 100,000 users vs one of 100, same table."""
    for department, members in AUDIENCES.items():
        bench_db.seed_department(department, members)
    token = bench_db.faculty_token("user3@bench.edu")
    runs = {}
    ratio = paired_ratio(
        "announce_100k_vs_100", pairs,
        lambda: bench.measure("announce", env={"BENCH_ACCESS_TOKEN": token, "BENCH_DEPARTMENT": "Large"}),
        lambda: bench.measure("announce", env={"BENCH_ACCESS_TOKEN": token, "BENCH_DEPARTMENT": "Small"}),
        runs, ("announce_100k", "announce_100"))
    return ratio, {name: median_run(results) for name, results in runs.items()}


def main():
    args = parse_args()
    from seed import BenchDatabase

    seconds = 2 if args.quick else 5
    pairs = args.pairs or 5
    out_dir = REPO / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    secret_key = secrets.token_urlsafe(48)
    server = PostgresServer(args.server)
    database_url = server.create_database("loopin_bench")
    run = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": args.quick,
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                    text=True, encoding="utf-8").stdout.strip(),
           "settings": {"waitress_threads": args.threads, "wrk_threads": WRK_THREADS, "seconds": seconds,
                        "pairs": pairs, "argon2": "m=19456,t=2,p=1", "rate_limits": "off",
                        "database": "PostgreSQL (local)"},
           "results": {}, "scale": {}}
    bench = None
    try:
        bench_db = BenchDatabase(database_url, secret_key, out_dir / "instance", PASSWORD)
        bench_db.migrate_and_seed(1000)
        bench_db.seed_posts(POSTS)
        bench_db.seed_comments(2, 200)
        bench_db.seed_notifications("user2@bench.edu", 200, 50)  # /auth/me's user polls its inbox
        bench_db.seed_moderation(MUTER, MUTES, HIDDEN_EVERY)
        env = loopin_environment(database_url, secret_key, args.threads, out_dir / "instance")
        bench = Bench(args, bench_db, env, out_dir, seconds)
        bench.start()
        run["ratio_samples"], runs = paired_ratios(bench, pairs)
        run["hash_limit_rps"] = median_run(runs["hash"])["rps"]
        # Server CPU per login (ms) and the hash's share: what a login costs beyond Argon2id.
        run["login_cpu_ms"] = statistics.median(result["cpu_s_per_1000"] for result in runs["login"])
        run["hash_cpu_ms"] = statistics.median(result["cpu_ms_per_hash"] for result in runs["hash"])
        # login's pairs run first, so the server's high-water mark then is login's own (later scenarios
        # only raise it): the memory target.
        run["login_peak_rss_mib"] = max(result["peak_rss_mib"] for result in runs["login"])
        if args.quick:  # the table shows the median run of each paired scenario, and refresh once
            run["results"] = {name: [median_run(results)] for name, results in runs.items()
                              if name != "hash" and "@" not in name}
            for scenario in ("refresh", "feed_filtered", "post_create", "vote"):
                run["results"][scenario] = [bench.measure(scenario)]
        else:
            for scenario in (*REFERENCES, *(name for name in SCENARIOS if name != "announce")):
                print(f"{scenario}: 1, 4, 16, 64 connections …", flush=True)
                run["results"][scenario] = [bench.measure(scenario, connections) for connections in (1, 4, 16, 64)]
            print("scale: 1,000,000 posts …", flush=True)
            run["posts_scale"] = {"10000": median_run([bench.measure("feed") for _ in range(3)])}
            run["search_scale"] = {"10000": median_run([bench.measure("search") for _ in range(3)])}
            bench_db.seed_posts(1_000_000)
            run["posts_scale"]["1000000"] = median_run([bench.measure("feed") for _ in range(3)])
            run["search_scale"]["1000000"] = median_run([bench.measure("search") for _ in range(3)])
            print("scale: 1,000,000 users …", flush=True)
            run["scale"]["1000"] = {s: bench.measure(s) for s in ("login", "me")}
            bench_db.seed_users(1_000_000)
            # Two users at the far end of the table: one signs in, the other's session calls /auth/me.
            far = {"BENCH_EMAIL": "user999999@bench.edu",
                   "BENCH_ACCESS_TOKEN": bench_db.access_token("user999998@bench.edu")}
            run["scale"]["1000000"] = {s: bench.measure(s, env=far) for s in ("login", "me")}
            for users, results in run["scale"].items():
                for scenario, result in results.items():
                    if result["non2xx"] or result["socket_errors"]:
                        raise SystemExit(f"scale {users}: {scenario} answered errors; its ratio means nothing")
        run["ratio_samples"]["announce_100k_vs_100"], announce_runs = announce_ratio(bench, bench_db, pairs)
        run["results"].update({name: [result] for name, result in announce_runs.items()})
    finally:
        if bench is not None:
            bench.stop()
        server.drop_database(database_url)

    run["ratios"] = report.ratios(run)
    (out_dir / "latest.json").write_text(json.dumps(run, indent=2), encoding="utf-8")
    if args.out:
        args.out.write_text(json.dumps(run, indent=2), encoding="utf-8")
    if not args.quick:
        (REPO / "bench" / "results.json").write_text(json.dumps(run, indent=2), encoding="utf-8")
        report.write_results(run, REPO / "bench" / "RESULTS.md", REPO / "bench" / "chart.png")
    print(json.dumps(run["ratios"], indent=2))


if __name__ == "__main__":
    main()
