"""Login timing by account kind (issue 18, item 3): is there a timing oracle while the original's
bcrypt hashes remain? 200 wrong-password logins each for an unknown email, an Argon2id account and an
account still on the original's bcrypt (cost 12), at production hashing cost, through the app in
process (no network noise). Prints the medians and their spread; run: .venv/bin/python bench/login_timing.py
"""

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

from original_era import original_hash  # noqa: E402
from timing_app import migrated_app  # noqa: E402

from loopin.core.extensions import db  # noqa: E402
from loopin.models import User  # noqa: E402

SAMPLES = 200


def main():
    folder = Path(tempfile.mkdtemp())
    app = migrated_app(f"sqlite:///{folder / 't.db'}", folder)
    client = app.test_client()
    client.post("/auth/register", json={"email": "argon@bench.edu", "password": "correct horse battery"})
    with app.app_context():
        db.session.add(User(email="legacy@bench.edu", hashed_password=original_hash("old password"), is_active=True))
        db.session.commit()
    kinds = {"unknown": "nobody@bench.edu", "argon2": "argon@bench.edu", "bcrypt": "legacy@bench.edu"}
    samples = {kind: [] for kind in kinds}
    for _ in range(SAMPLES):  # interleaved, so drift of the machine hits every kind alike
        for kind, email in kinds.items():
            started = time.perf_counter()
            status = client.post("/auth/login", json={"email": email, "password": "a wrong password"}).status_code
            samples[kind].append(1000 * (time.perf_counter() - started))
            assert status == 401
    medians = {kind: round(statistics.median(values), 2) for kind, values in samples.items()}
    spread = round(100 * (max(medians.values()) - min(medians.values())) / min(medians.values()), 1)
    print(json.dumps({"samples_each": SAMPLES, "median_ms": medians, "largest_difference_pct": spread}, indent=2))


if __name__ == "__main__":
    main()
