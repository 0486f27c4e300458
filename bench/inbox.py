"""Load the staff inbox with 50,000 contributions, served by gunicorn on 127.0.0.1, and print what
we measured.

    .venv/bin/python bench/inbox.py [--contributions 50000] [--requests 200] [--concurrency 8]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/inbox.py

It builds a fresh database (migrations + demo seed + many contributions inserted in bulk, about
a third coded to areas, actions and themes, 1 in 100 flagged urgent), signs in as the demo
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
from datetime import timedelta

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

SENTENCES = [
    "We waited eleven months for the EHC needs assessment and nobody told us what was happening.",
    "The SEND hub answered my call quickly and the caseworker explained the next steps clearly.",
    "My daughter's school does not follow the support in her plan; the SENCo is overwhelmed.",
    "The annual review was cancelled twice and the new date is after she changes school.",
    "Speech and language therapy stopped when he turned eleven and we cannot get it back.",
    "The parent carer forum event in Maidstone was useful but it was in working hours.",
    "Letters from the council are hard to understand and arrive after the deadline to reply.",
    "The neurodevelopmental pathway waiting list is over two years for an autism assessment.",
    "Transport to his special school changed with two days' notice and he was very distressed.",
    "We were told there are no specialist places so he is out of school with six hours of tuition.",
]
THEMES = [
    "Communication",
    "Waiting times",
    "School support",
    "Annual reviews",
    "Transport",
    "Therapies",
]


def build(database_url: str, count: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import false, insert, text, true

    from app import create_app
    from app.demo import seed
    from app.domain.thread.references import new_reference
    from app.extensions import db
    from app.models import (
        Action,
        Area,
        Channel,
        Contribution,
        ContributionSource,
        Theme,
        contribution_actions,
        contribution_areas,
        contribution_themes,
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
        for name in THEMES:
            if db.session.scalar(db.select(Theme.id).where(Theme.name == name)) is None:
                db.session.add(Theme(name=name))
        db.session.commit()
        area_ids = list(db.session.scalars(db.select(Area.id)))
        action_ids = list(db.session.scalars(db.select(Action.id)))
        theme_ids = list(db.session.scalars(db.select(Theme.id)))

        rng = random.Random(11)
        taken = set(db.session.scalars(db.select(Contribution.reference)))
        references = []
        while len(references) < count:
            reference = new_reference()
            if reference not in taken:
                taken.add(reference)
                references.append(reference)
        now = utcnow()
        sources = [s.value for s in ContributionSource]
        channels = [c.value for c in Channel]
        rows = []
        for n, reference in enumerate(references):
            coded = n % 3 == 0
            rows.append(
                {
                    "reference": reference,
                    "source_type": rng.choice(sources),
                    "source_id": None,
                    "topic": "",
                    "text": f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)} (#{n})",
                    "language": "en",
                    "channel": rng.choice(channels),
                    "state": "coded" if coded else "new",
                    "rating": rng.choice([None, 1, 2, 3, 4, 5]),
                    "sentiment": "negative" if coded else None,
                    "safeguarding": n % 100 == 0,
                    "personal_details": False,
                    "note": "",
                    "consent_to_quote": n % 2 == 0,
                    "created_at": now - timedelta(minutes=(count - n) * 15),
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Contribution), rows[start : start + 5000])
        db.session.commit()
        ids = dict(db.session.execute(db.select(Contribution.reference, Contribution.id)).all())
        links = {contribution_areas: [], contribution_actions: [], contribution_themes: []}
        for n, reference in enumerate(references):
            if n % 3:
                continue
            contribution_id = ids[reference]
            links[contribution_areas].append(
                {"contribution_id": contribution_id, "area_id": rng.choice(area_ids)}
            )
            links[contribution_actions].append(
                {"contribution_id": contribution_id, "action_id": rng.choice(action_ids)}
            )
            links[contribution_themes].append(
                {"contribution_id": contribution_id, "theme_id": rng.choice(theme_ids)}
            )
        for table, values in links.items():
            for start in range(0, len(values), 5000):
                db.session.execute(insert(table), values[start : start + 5000])
        db.session.commit()
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
