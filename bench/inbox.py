"""Load the staff inbox with 50,000 contributions, served by gunicorn on 127.0.0.1, and print what
we measured.

    .venv/bin/python bench/inbox.py [--contributions 50000] [--requests 200] [--concurrency 8]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/inbox.py

It builds a fresh database (migrations + demo seed + many contributions inserted in bulk by
bench/volume.py's builder: two in three coded to areas, themes and actions, 1 in 100 urgent),
signs in as the demo
coordinator through the real sign-in form (CSRF is on, as in production), and loads the first
inbox page, a page deep in the keyset, and filtered searches with a bounded number of requests
from a thread pool. It prints throughput, latency percentiles and the SQL queries each page
runs (measured in-process). Nothing leaves this machine.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import (  # noqa: E402
    BENCH_ENV,
    bench_env,
    free_port,
    hit,
    query_counts,
    serve,
    sign_in,
    wait_for,
)
from bench.volume import add_contributions, add_themes  # noqa: E402


def build(database_url: str, count: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import false, text, true

    from app import create_app
    from app.demo import seed
    from app.extensions import db
    from app.models import Area, Contribution, Theme

    app = create_app("production")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()
        add_themes()
        add_contributions(count, random.Random(11), days=count * 15 // (24 * 60) + 1)
        # A page about halfway down the inbox, for the "deep page" measurement.
        middle = db.session.scalar(
            db.select(Contribution.id)
            .where(Contribution.safeguarding == false())
            .order_by(Contribution.id.desc())
            .offset(count // 2)
            .limit(1)
        )
        # Page 2 starts inside the urgent part (there are more than 50 urgent contributions).
        urgent = db.session.scalar(
            db.select(Contribution.id)
            .where(Contribution.safeguarding == true())
            .order_by(Contribution.id.desc())
            .offset(49)
            .limit(1)
        )
        busy_area = db.session.scalar(db.select(Area.id).where(Area.number == 6))
        busy_theme = db.session.scalar(db.select(Theme.id).where(Theme.name == "Waiting times"))
    return app, {"urgent": f"1-{urgent}", "deep": f"0-{middle}"}, busy_area, busy_theme


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contributions", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(f"Building {database_url.split('@')[-1]} with {args.contributions} contributions ...")
    started = time.perf_counter()
    app, cursors, busy_area, busy_theme = build(database_url, args.contributions)
    print(f"  built in {time.perf_counter() - started:.1f}s")

    pages = [
        ("first page", "/manage/inbox"),
        (
            "page 2 (urgent part)",
            "/manage/inbox?" + urllib.parse.urlencode({"after": cursors["urgent"]}),
        ),
        ("deep keyset page", "/manage/inbox?" + urllib.parse.urlencode({"after": cursors["deep"]})),
        (
            "state + area + theme",
            "/manage/inbox?"
            + urllib.parse.urlencode({"state": "coded", "area": busy_area, "theme": busy_theme}),
        ),
        ("text search", "/manage/inbox?" + urllib.parse.urlencode({"q": "annual review"})),
        (
            "search + date range",
            "/manage/inbox?"
            + urllib.parse.urlencode(
                {
                    "q": "transport",
                    "source": "feedback",
                    "date_from-day": "1",
                    "date_from-month": "1",
                    "date_from-year": "2000",
                    "date_to-day": "31",
                    "date_to-month": "12",
                    "date_to-year": "2099",
                }
            ),
        ),
    ]
    print("\nSQL queries per page, measured in-process (must not grow with data):")
    for label, counted in query_counts(app, pages).items():
        rows = counted.text.count('name="contribution_ids"')
        print(f"  {label:<22} {counted.status}  {counted.queries} queries  {rows} rows")

    port = free_port()
    server = serve("wsgi:app", port, bench_env(database_url), args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        cookie = sign_in(base)
        print(
            f"\ngunicorn: {args.workers} workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time, signed in as the coordinator"
        )
        print(f"  {'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for label, path in pages:
                url = base + path
                list(pool.map(lambda u: hit(u, cookie), [url] * 10))  # warm up
                started = time.perf_counter()
                timings = sorted(pool.map(lambda u: hit(u, cookie), [url] * args.requests))
                elapsed = time.perf_counter() - started
                q = statistics.quantiles(timings, n=100)
                p50, p95, p99 = (q[i] * 1000 for i in (49, 94, 98))
                print(
                    f"  {label:<22} {args.requests / elapsed:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
