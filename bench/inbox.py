"""Time every view of the staff inbox with 50,000 contributions, served by gunicorn on
127.0.0.1, beside a bare Flask page served the same way (the framework's ceiling), and print the
median and 90th percentile of each, its SQL queries and rows.

    .venv/bin/python bench/inbox.py [--contributions 50000] [--requests 100] [--concurrency 4]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/inbox.py
    DATABASE_URL=... .venv/bin/python bench/inbox.py --reuse    # time a database built before

It builds a fresh database (migrations + demo seed + many contributions inserted in bulk, the
search index following them; about a third coded to areas, actions and themes, 1 in 100 flagged
urgent, 1 in 1,000 using a rare word), signs in as the demo coordinator through the real
sign-in form (CSRF is on, as in production), and loads the first page, page 2 (inside the
urgent part), a page halfway down, each filter, text searches for common, rare and absent words
and a reference, and combinations, with a bounded number of requests from a thread pool. The
SQL queries of each view are counted in-process, with the CPU one request costs this process:
unlike the served times, that figure does not grow with whatever else the machine is running.
Nothing leaves this machine. Target: each view under 100 ms at the median on SQLite and on
PostgreSQL.
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
from bench.volume import SENTENCES, THEMES  # noqa: E402

# A word 1 in 1,000 contributions use, for the rare-word search.
RARE = "The hydrotherapy pool at his school closed."
CHANNEL_SHARES = {
    "online": 70,
    "email": 10,
    "phone": 8,
    "event": 5,
    "paper": 4,
    "letter": 2,
    "in_person": 1,
}


def build(database_url: str, count: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

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
        # Most feedback comes online; letters and feedback given in person are rare.
        assert set(CHANNEL_SHARES) == {channel.value for channel in Channel}
        channels, channel_weights = zip(*CHANNEL_SHARES.items(), strict=True)
        sources = [s.value for s in ContributionSource]
        rows = []
        for n, reference in enumerate(references):
            coded = n % 3 == 0
            rows.append(
                {
                    "reference": reference,
                    "source_type": rng.choice(sources),
                    "source_id": None,
                    "topic": "",
                    "text": f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)} (#{n})"
                    + (f" {RARE}" if n % 1000 == 500 else ""),
                    "language": "en",
                    "channel": rng.choices(channels, channel_weights)[0],
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
        as_after_autovacuum(db.engine)
    return app


def positions(app, count: int) -> dict:
    """What the timed pages point at: the cursors of page 2 (inside the urgent part) and of a
    page halfway down, the busiest area and theme, a month a year ago and a reference."""
    from sqlalchemy import false, true

    from app.extensions import db
    from app.models import Area, Contribution, Theme

    with app.app_context():
        middle = db.session.scalar(
            db.select(Contribution.id)
            .where(Contribution.safeguarding == false())
            .order_by(Contribution.id.desc())
            .offset(count // 2)
            .limit(1)
        )
        middle_row = db.session.get(Contribution, middle)
        # Page 2 starts inside the urgent part (there are more than 50 urgent contributions).
        urgent = db.session.scalar(
            db.select(Contribution)
            .where(Contribution.safeguarding == true())
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .offset(49)
            .limit(1)
        )
        from app.domain.thread.inbox import encode_cursor

        return {
            "urgent": encode_cursor(urgent),
            "deep": encode_cursor(middle_row),
            "area": db.session.scalar(db.select(Area.id).where(Area.number == 6)),
            "theme": db.session.scalar(db.select(Theme.id).where(Theme.name == "Waiting times")),
            "month": middle_row.created_at.date(),
            "reference": middle_row.reference,
        }


def _dates(start, end) -> dict:
    return {
        "date_from-day": start.day,
        "date_from-month": start.month,
        "date_from-year": start.year,
        "date_to-day": end.day,
        "date_to-month": end.month,
        "date_to-year": end.year,
    }


def views(at: dict) -> list[tuple[str, str]]:
    """Each inbox view timed: (label, path). The inbox opens on new contributions (the form's
    default state), so "state" is only in the URL when a view asks for another."""
    month = (at["month"] - timedelta(days=30), at["month"])
    wanted = [
        ("first page (new)", {}),
        ("page 2 (urgent part)", {"after": at["urgent"]}),
        ("deep page (halfway)", {"after": at["deep"]}),
        ("any state", {"state": "any"}),
        ("state: coded", {"state": "coded"}),
        ("area (new: none)", {"area": at["area"]}),
        ("area, any state", {"state": "any", "area": at["area"]}),
        ("theme, coded", {"state": "coded", "theme": at["theme"]}),
        ("channel: phone", {"channel": "phone"}),
        ("channel: in person (1%)", {"channel": "in_person"}),
        ("theme, new (none)", {"theme": at["theme"]}),
        ("source: feedback", {"source": "feedback"}),
        ("one month", _dates(*month)),
        ("text: common (school)", {"q": "school"}),
        ("text: commonest (the)", {"q": "the", "state": "any"}),
        ("text: two words", {"q": "annual review"}),
        ("text: rare word", {"q": "hydrotherapy", "state": "any"}),
        ("text: no match", {"q": "zzzqqq"}),
        ("text: reference", {"q": at["reference"].lower(), "state": "any"}),
        ("coded+area+theme", {"state": "coded", "area": at["area"], "theme": at["theme"]}),
        ("text+channel+month", {"q": "school", "channel": "phone", **_dates(*month)}),
        ("text+area, any state", {"q": "transport", "state": "any", "area": at["area"]}),
        ("text page 2", {"q": "school", "after": at["deep"]}),
    ]
    return [(label, "/manage/inbox?" + urllib.parse.urlencode(args)) for label, args in wanted]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contributions", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the database DATABASE_URL names as it is (after migrating it), not a new one",
    )
    parser.add_argument("--only", default="", help="time only the views whose label has this")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    started = time.perf_counter()
    if args.reuse:
        print(f"Migrating {database_url.split('@')[-1]} as it is ...")
        app = migrate_only(database_url)
    else:
        print(f"Building {database_url.split('@')[-1]} with {args.contributions} contributions")
        app = build(database_url, args.contributions)
    print(f"  ready in {time.perf_counter() - started:.1f}s")
    pages = [view for view in views(positions(app, args.contributions)) if args.only in view[0]]

    counted = query_counts(app, pages)
    port, bare_port = free_port(), free_port()
    env = bench_env(database_url)
    server = serve("wsgi:app", port, env, args.workers)
    bare = serve("bench.bare_app:app", bare_port, env, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        cookie = sign_in(base)
        print(
            f"\ngunicorn: {args.workers} workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time ({os.cpu_count()} CPUs, shared). Queries, rows and "
            "in-process time are of one request made in-process; CPU ms is the CPU this process "
            "spent on one (least of three; on PostgreSQL the server's work is not in it)."
        )
        print(
            f"  {'view':<24} {'median ms':>9} {'p90 ms':>7} {'x bare':>6} {'queries':>7} "
            f"{'rows':>4} {'in-proc':>7} {'CPU ms':>6}"
        )
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            ceiling = measure(pool, f"http://127.0.0.1:{bare_port}/", "", args.requests, 10)
            print(
                f"  {'bare Flask (ceiling)':<24} {ceiling.median_ms:9.1f} {ceiling.p90_ms:7.1f} "
                f"{1:6.1f}"
            )
            for label, path in pages:
                timing = measure(pool, base + path, cookie, args.requests, warm_up=5)
                page = counted[label]
                rows = page.text.count('name="contribution_ids"')
                print(
                    f"  {label:<24} {timing.median_ms:9.1f} {timing.p90_ms:7.1f} "
                    f"{timing.median_ms / ceiling.median_ms:6.1f} {page.queries:7d} {rows:4d} "
                    f"{page.seconds * 1000:7.1f} {page.cpu_seconds * 1000:6.1f}"
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


def migrate_only(database_url: str):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade

    from app import create_app

    app = create_app("production")
    with app.app_context():
        upgrade()
    return app


if __name__ == "__main__":
    main()
