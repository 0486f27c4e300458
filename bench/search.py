"""Time `/search` and the inbox's text search with 50,000 contributions and 2,000 published
items, served by gunicorn in the production configuration, beside a bare Flask page served the
same way (the framework's ceiling), and print the median and 90th percentile.

    .venv/bin/python bench/search.py [--contributions 50000] [--published 2000] [--requests 200]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/search.py

It builds a fresh database (migrations, demo seed, then contributions, "You said, we did"
responses, events and surveys inserted in bulk; the search index follows them in the same
transactions), prints the SQL queries each page runs (in-process), then loads each page with
a bounded number of concurrent requests. Nothing leaves this machine. Target: under 100 ms at
the median on SQLite and on PostgreSQL.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import (  # noqa: E402
    BENCH_ENV,
    as_after_autovacuum,
    bench_env,
    free_port,
    measure,
    query_counts,
    serve,
    sign_in,
    wait_for,
)
from bench.volume import SENTENCES, WE_DID, add_contributions  # noqa: E402

TOPICS = [
    "EHC plans",
    "speech and language therapy",
    "school transport",
    "annual reviews",
    "autism assessment",
    "short breaks",
    "mental health support",
    "specialist places",
]

PUBLIC_QUERIES = [
    ("one common word", "/search?q=EHC"),
    ("three words", "/search?q=speech+language+therapy"),
    ("a phrase with a typo", "/search?q=autism+assesment"),
    ("page 5 of a common word", "/search?q=transport&page=5"),
    ("nothing found", "/search?q=zzzqqq+nothing"),
    ("hostile", "/search?" + urllib.parse.urlencode({"q": '"EHC" OR NOT (plan*) ^ -- %_'})),
]
STAFF_QUERIES = [
    ("inbox: no search (compare)", "/manage/inbox"),
    ("inbox: annual review", "/manage/inbox?q=annual+review"),
    ("inbox: transport", "/manage/inbox?q=transport"),
    ("inbox: a reference", None),  # filled in once a reference is known
]


def build(database_url: str, contributions: int, published: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from app import create_app
    from app.demo import seed
    from app.extensions import db
    from app.models import (
        Contribution,
        Event,
        Organisation,
        SearchEntry,
        Survey,
        User,
        YouSaidWeDid,
    )
    from app.models.base import utcnow

    app = create_app("production")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()
        rng = random.Random(7)
        now = utcnow()
        add_contributions(contributions, rng, coded_every=1)  # all new, none coded

        organisation_id = db.session.scalar(db.select(Organisation.id))
        author_id = db.session.scalar(db.select(User.id))
        responses, events, surveys = published * 6 // 10, published * 25 // 100, 0
        surveys = published - responses - events
        db.session.execute(
            insert(YouSaidWeDid),
            [
                {
                    "title": f"{rng.choice(TOPICS).capitalize()}: what changed ({n})",
                    "you_said": f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}",
                    "we_did": rng.choice(WE_DID),
                    "organisation_id": organisation_id,
                    "author_id": author_id,
                    "state": "published",
                    "published_at": now - timedelta(hours=n),
                }
                for n in range(responses)
            ],
        )
        db.session.commit()
        db.session.execute(
            insert(Event),
            [
                {
                    "title": f"Coffee morning about {rng.choice(TOPICS)} ({n})",
                    "description": rng.choice(SENTENCES),
                    "starts_at": now + timedelta(days=n % 90, hours=1),
                    "ends_at": now + timedelta(days=n % 90, hours=3),
                    "venue": "Maidstone library",
                    "capacity": 30,
                    "published": True,
                }
                for n in range(events)
            ],
        )
        db.session.commit()
        db.session.execute(
            insert(Survey),
            [
                {
                    "slug": f"bench-survey-{n}",
                    "title": f"Your views on {rng.choice(TOPICS)} ({n})",
                    "summary": rng.choice(SENTENCES),
                    "status": "published",
                    "opens_at": now - timedelta(days=1),
                    "translations": {"pl": {"title": f"Ankieta ({n})"}} if n % 3 == 0 else {},
                }
                for n in range(surveys)
            ],
        )
        db.session.commit()
        as_after_autovacuum(db.engine)
        entries = db.session.scalar(db.select(db.func.count()).select_from(SearchEntry))
        reference = db.session.scalar(
            db.select(Contribution.reference).order_by(Contribution.id).offset(contributions // 2)
        )
    return app, entries, reference


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contributions", type=int, default=50000)
    parser.add_argument("--published", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(
        f"Building {database_url.split('@')[-1]} with {args.contributions} contributions and "
        f"{args.published} published items ..."
    )
    started = time.perf_counter()
    app, entries, reference = build(database_url, args.contributions, args.published)
    print(f"  built in {time.perf_counter() - started:.1f}s; {entries} search index rows")
    staff = [
        (label, path or "/manage/inbox?" + urllib.parse.urlencode({"q": reference.lower()}))
        for label, path in STAFF_QUERIES
    ]

    print("\nSQL queries per page, measured in-process:")
    for label, counted in query_counts(app, PUBLIC_QUERIES + staff).items():
        print(
            f"  {label:<26} {counted.status}  {counted.queries} queries  "
            f"{counted.seconds * 1000:.0f} ms in-process"
        )

    env = dict(bench_env(database_url), SEARCH_RATE_LIMIT="1000000 per minute")
    port, bare_port = free_port(), free_port()
    server = serve("wsgi:app", port, env, args.workers)
    bare = serve("bench.bare_app:app", bare_port, env, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        cookie = sign_in(base)
        print(
            f"\ngunicorn: {args.workers} workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time ({os.cpu_count()} CPUs, shared)"
        )
        print(f"  {'page':<26} {'req/s':>8} {'median ms':>10} {'p90 ms':>8}")
        rows = [("bare Flask page (ceiling)", f"http://127.0.0.1:{bare_port}/", "")]
        rows += [("/healthz", base + "/healthz", "")]
        rows += [(label, base + path, "") for label, path in PUBLIC_QUERIES]
        rows += [(label, base + path, cookie) for label, path in staff]
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for label, url, with_cookie in rows:
                timing = measure(pool, url, with_cookie, args.requests, warm_up=10)
                print(
                    f"  {label:<26} {timing.rate:8.1f} {timing.median_ms:10.1f} "
                    f"{timing.p90_ms:8.1f}"
                )
    finally:
        for process in (server, bare):
            process.terminate()
        for process in (server, bare):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
