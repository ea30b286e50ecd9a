"""Password reset request timing (issue 17): does `POST /auth/password/forgot` take comparable time for
an address with an account and one without? 300 requests each, interleaved, through the app in process
(no network noise), on SQLite (a temporary file) and on PostgreSQL when BENCH_DATABASE_URL or
--server names a server. Prints the medians and their difference; run:
.venv/bin/python bench/forgot_timing.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from postgres import PostgresServer  # noqa: E402
from timing_app import migrated_app  # noqa: E402

from loopin.core.extensions import db  # noqa: E402

SAMPLES = 300


def measure(database_url, folder):
    app = migrated_app(database_url, folder)
    client = app.test_client()
    client.post("/auth/register", json={"email": "known@bench.edu", "password": "correct horse battery"})
    kinds = {"unknown": "nobody@bench.edu", "known": "known@bench.edu"}
    samples = {kind: [] for kind in kinds}
    for _ in range(SAMPLES):  # interleaved, so drift of the machine hits both alike
        for kind, email in kinds.items():
            started = time.perf_counter()
            response = client.post("/auth/password/forgot", json={"email": email})
            samples[kind].append(1000 * (time.perf_counter() - started))
            assert response.status_code == 202
    with app.app_context():
        db.engine.dispose()
    medians = {kind: round(statistics.median(values), 3) for kind, values in samples.items()}
    return {"median_ms": medians,
            "difference_ms": round(medians["known"] - medians["unknown"], 3),
            "difference_pct": round(100 * (medians["known"] - medians["unknown"]) / medians["unknown"], 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="a PostgreSQL server to measure on as well")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    results = {"samples_each": SAMPLES, "sqlite": measure(f"sqlite:///{folder / 'f.db'}", folder / "sqlite")}
    if args.server:
        server = PostgresServer(args.server)
        url = server.create_database("loopin_forgot_timing")
        try:
            results["postgresql"] = measure(url, folder / "postgresql")
        finally:
            server.drop_database(url)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
