"""How long `loopin db upgrade` takes on the original's later database at a college's size (issue 24):
100,000 posts, 1,000,000 votes, 20,000 users, 300,000 comments, 200,000 reactions and 200,000
notifications (half of them five announcements fanned out to every user), built with set-based SQL in
that version's own schema (tests/later_era.py), then upgraded by the real command in a subprocess.
PostgreSQL always (a database of its own on the server), SQLite too unless --postgresql-only. Run:
.venv/bin/python bench/later_upgrade.py [--server postgresql://postgres@127.0.0.1:5432/postgres] [--scale 0.1]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import sqlalchemy as sa  # noqa: E402
from later_era import statements  # noqa: E402
from postgres import PostgresServer  # noqa: E402

SIZES = {"users": 20_000, "posts": 100_000, "comments": 300_000, "votes": 1_000_000, "reactions": 200_000,
         "events": 100_000, "announcements": 5}
HASH = "$2b$12$" + "a" * 53  # a bcrypt-shaped hash: nobody signs in here


def numbers(dialect, count):
    """A row source of i = 1..count."""
    if dialect == "postgresql":
        return f"generate_series(1, {count}) AS n(i)"
    return f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) SELECT i FROM n) n"


def fill(connection, sizes):
    d = connection.dialect.name
    users, posts, comments = sizes["users"], sizes["posts"], sizes["comments"]
    now = "now()" if d == "postgresql" else "CURRENT_TIMESTAMP"
    run = lambda sql: connection.execute(sa.text(sql))  # noqa: E731
    # Every 100th account registered with a password and no username: the upgrade names it.
    run(f"INSERT INTO users (id, email, hashed_password, is_active, auth_provider, username, full_name, department, "
        f"role, created_at) SELECT i, 'user' || i || '@college.edu', CASE WHEN i % 100 = 0 THEN '{HASH}' END, true, "
        f"CASE WHEN i % 100 = 0 THEN 'local' ELSE 'firebase' END, CASE WHEN i % 100 <> 0 THEN 'user' || i END, "
        f"'User ' || i, 'Dept' || (i % 12), CASE WHEN i % 500 = 0 THEN 'faculty' ELSE 'student' END, {now} "
        f"FROM {numbers(d, users)}")
    run(f"INSERT INTO posts (id, title, content, created_at, is_anonymous, upvotes, downvotes, comments_count, "
        f"share_count, author_id, department, tags, type, is_pinned) SELECT i, 'Post ' || i, 'Body of post ' || i, "
        f"{now}, i % 20 = 0, 0, 0, 0, i % 3, 1 + i % {users}, 'Dept' || (i % 12), "
        f"CASE WHEN i % 2 = 0 THEN 'Academic,Event' END, CASE WHEN i % 10 = 0 THEN 'question' ELSE 'discussion' END, "
        f"i % 10000 = 0 FROM {numbers(d, posts)}")
    # Three comments per post; every third a reply to the one before it.
    run(f"INSERT INTO comments (id, content, created_at, upvotes, downvotes, post_id, author_id, parent_id) "
        f"SELECT i, 'Comment ' || i, {now}, 0, 0, 1 + (i - 1) / 3, 1 + i % {users}, "
        f"CASE WHEN i % 3 = 0 THEN i - 1 END FROM {numbers(d, comments)}")
    # Ten votes per post from ten different users, one in four down.
    run(f"INSERT INTO votes (id, user_id, post_id, vote_type) SELECT i, 1 + (i * 7) % {users}, 1 + (i - 1) / 10, "
        f"CASE WHEN i % 4 = 0 THEN -1 ELSE 1 END FROM {numbers(d, sizes['votes'])}")
    run(f"INSERT INTO reactions (id, user_id, comment_id, emoji, created_at) SELECT i, 1 + i % {users}, i, "
        f"CASE WHEN i % 2 = 0 THEN 'heart' ELSE '+1' END, {now} FROM {numbers(d, sizes['reactions'])}")
    run(f"INSERT INTO notifications (id, recipient_id, sender_id, type, title, message, reference_id, "
        f"reference_type, is_read, created_at) SELECT i, 1 + i % {users}, 1 + (i + 1) % {users}, "
        f"CASE WHEN i % 2 = 0 THEN 'comment' ELSE 'upvote' END, 'New activity', 'On your post', 1 + i % {posts}, "
        f"'post', i % 3 = 0, {now} FROM {numbers(d, sizes['events'])}")
    for a in range(sizes["announcements"]):
        start = sizes["events"] + a * users
        run(f"INSERT INTO notifications (id, recipient_id, sender_id, type, title, message, reference_type, is_read, "
            f"created_at) SELECT {start} + i, i, 1, 'announcement', 'Announcement {a}', 'Read me', 'announcement', "
            f"i % 2 = 0, {now} FROM {numbers(d, users)}")


def build(url, sizes):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for statement in statements(engine.dialect.name):
            connection.exec_driver_sql(statement)
        fill(connection, sizes)
    engine.dispose()


def loopin(url, instance, *command, expect=0):
    """Run `flask --app loopin <command>` as an operator would; (seconds, what it printed)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-signing-key-that-is-long-enough-0123456789",
           "INSTANCE_PATH": instance, "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "loopin", *command], env=env, cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - started
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of the sizes, for a quick look")
    parser.add_argument("--postgresql-only", action="store_true")
    args = parser.parse_args()
    sizes = {name: max(1, int(size * args.scale)) if name != "announcements" else size for name, size in SIZES.items()}
    results = {"sizes": sizes}
    server = PostgresServer(args.server)
    targets = [("postgresql", server.create_database("loopin_bench_upgrade"))]
    folder = tempfile.mkdtemp(prefix="loopin-upgrade-")
    if not args.postgresql_only:
        targets.append(("sqlite", f"sqlite:///{folder}/later.db"))
    try:
        for name, url in targets:
            started = time.perf_counter()
            build(url, sizes)
            built = time.perf_counter() - started
            instance = os.path.join(folder, f"instance-{name}")
            checked, _ = loopin(url, instance, "check", expect=1)  # it fails: the schema is not Loopin's yet
            seconds, output = loopin(url, instance, "db", "upgrade")
            results[name] = {"build_s": round(built, 1), "check_s": round(checked, 1), "upgrade_s": round(seconds, 1)}
            print(f"{name}: built in {built:.1f} s, checked in {checked:.1f} s, upgraded in {seconds:.1f} s\n{output}",
                  flush=True)
    finally:
        server.drop_database(targets[0][1])
    print(json.dumps(results))


if __name__ == "__main__":
    main()
