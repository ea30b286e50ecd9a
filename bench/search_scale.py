"""Issue 28's measurement of search at scale: the `search` scenario against the signed-in feed, with
10,000 posts and then 1,000,000 (the full run's tables), in interleaved pairs; then EXPLAIN ANALYZE of
the search statement on the million posts, for each kind of query (bench/FINDINGS.md, "Search").

    .venv/bin/python bench/search_scale.py [--pairs 3] [--seconds 4]

Prints each pair's req/s and ratio, the medians (search_vs_feed at each size, search_1m_vs_10k) for the
scenario as typed and as whole words, and the plans.
"""

import argparse
import secrets
import statistics
import sys
from pathlib import Path

import bench
from bench import PASSWORD, Bench, loopin_environment

# The scenario as typed ("lab exam": its last word a prefix), and as whole words ("lab exam ").
SEARCHES = ("search", "search_words")
# The scenario's query as typed (its last word a prefix) and as whole words, one common word, a rare one.
EXPLAINED = ("lab exam", "lab exam ", "exam ", "zzz ")


def pairs_of(runner, count, search):
    ratios, searches = [], []
    for n in range(count):
        order = ("feed", search) if n % 2 else (search, "feed")
        measured = {scenario: runner.measure(scenario) for scenario in order}
        if any(result["non2xx"] or result["socket_errors"] for result in measured.values()):
            raise SystemExit(f"errors: {measured}")
        ratios.append(measured[search]["rps"] / measured["feed"]["rps"])
        searches.append(measured[search]["rps"])
        print(f"  feed {measured['feed']['rps']:.1f} req/s, {search} {measured[search]['rps']:.1f}: "
              f"{ratios[-1]:.3f}", flush=True)
    return statistics.median(ratios), statistics.median(searches)


def explain(app, q):
    """The plan of the search statement for `q`, as the server runs it (caller: user 2)."""
    from sqlalchemy.dialects import postgresql

    from loopin.core.extensions import db
    from loopin.fulltext.index import match_values
    from loopin.fulltext.params import parsed
    from loopin.posts.search import POST_INDEX, RANKED_MATCHES, matches_statement

    with app.app_context(), app.test_request_context():
        text = parsed(q)
        flags = (False, False, False, False, "user")
        compiled = matches_statement("postgresql", flags, True, True, False).compile(dialect=postgresql.dialect())
        values = {**compiled.params, "viewer_id": 2, "skip": 0, "limit": 20, "candidates": RANKED_MATCHES,
                  **match_values(POST_INDEX, text, db.session)}
        cursor = db.session.connection().connection.driver_connection.cursor()
        for _ in range(3):  # warm: the server's own caches, as a pooled connection has them
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), values)
            plan = [row[0] for row in cursor.fetchall()]
        db.session.rollback()
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    from postgres import PostgresServer
    from seed import BenchDatabase

    out = bench.REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    server = PostgresServer(args.server)
    url = server.create_database("loopin_search_scale")
    key = secrets.token_urlsafe(48)
    runner = None
    try:
        database = BenchDatabase(url, key, out / "search-instance", PASSWORD)
        database.migrate_and_seed(1000)
        database.seed_posts(bench.POSTS)
        environment = loopin_environment(url, key, 4, out / "search-instance")
        runner = Bench(argparse.Namespace(threads=4), database, environment, Path(out), args.seconds)
        runner.start()
        results = {}
        for posts in (bench.POSTS, 1_000_000):
            database.seed_posts(posts)
            for search in SEARCHES:
                print(f"{posts:,} posts, {search}:", flush=True)
                results[posts, search] = pairs_of(runner, args.pairs, search)
        for search in SEARCHES:
            small, large = results[bench.POSTS, search], results[1_000_000, search]
            print(f"{search}_vs_feed: {small[0]:.3f} at 10,000 posts, {large[0]:.3f} at 1,000,000; "
                  f"{search}_1m_vs_10k: {large[1] / small[1]:.3f}")
        for q in EXPLAINED:
            print(f"\nEXPLAIN (ANALYZE, BUFFERS), q={q!r}, 1,000,000 posts:")
            print("\n".join(explain(database.app, q)))
    finally:
        if runner is not None:
            runner.stop()
        server.drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
