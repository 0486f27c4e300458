"""Time the reach page and the staff home's reach gaps on a year of data, served by gunicorn on
127.0.0.1, and print what we measured.

    .venv/bin/python bench/reach.py [--responses 20000] [--feedback 50000] [--requests 20]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/reach.py

It builds a fresh database (migrations, the demo seed and its reach baselines), then inserts in
bulk a year of participations: survey responses spread over four surveys (one open, embedded in
an open consultation), "Tell us" feedback with "about you" answers, consultation comments and
event places, each with random "about you" answers, channels and languages. It signs in as the
demo coordinator through the real form and loads the reach page for the last 12 months (for
everything, and for the open survey and the consultation) and the staff home. It prints the
SQL queries each page runs (measured in-process: they must not grow with the data), then
throughput and latency percentiles under gunicorn, beside /healthz as the framework's ceiling.
The target is a median under 1 second. Nothing leaves this machine.
"""

import argparse
import os
import random
import shutil
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
    measure,
    query_counts,
    serve,
    sign_in,
    wait_for,
)

DISTRICTS_WEIGHTED = ["Maidstone"] * 5 + ["Swale", "Thanet", "Ashford", "Canterbury"] * 3


def _about(rng: random.Random, districts: list[str]) -> dict:
    """Random "about you" answers; about one in five left out."""

    def pick(values):
        return None if rng.random() < 0.2 else rng.choice(values)

    needs = ["communication_interaction", "cognition_learning", "social_emotional_mental_health"]
    return {
        "relationship": pick(["parent_carer"] * 6 + ["young_person", "professional"]),
        "district": pick(districts + DISTRICTS_WEIGHTED),
        "age_group": pick(["0-4", "5-10", "5-10", "11-15", "11-15", "16-18", "19-25"]),
        "need": pick([*needs, "sensory_physical", ",".join(needs[:2])]),
        "setting": pick(["mainstream_school"] * 4 + ["special_school", "college", "early_years"]),
        "ehc_plan": pick(["yes", "no", "no", "not_sure"]),
    }


def build(database_url: str, responses: int, feedback: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from app import create_app
    from app.demo import seed
    from app.demo.reach import seed_reach_baselines
    from app.extensions import db
    from app.models import (
        AboutYou,
        Comment,
        Consultation,
        Contribution,
        Event,
        Registration,
        Survey,
        SurveyResponse,
        SurveyStatus,
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
        seed_reach_baselines()
        districts = list(app.config["DISTRICTS"])
        rng = random.Random(2026)
        now = utcnow()

        def when():
            return now - timedelta(minutes=rng.randrange(1, 364 * 24 * 60))

        surveys = []
        for n in range(4):
            survey = Survey(
                slug=f"bench-reach-{n}",
                title=f"Bench survey {n + 1}",
                status=SurveyStatus.PUBLISHED.value,
                opens_at=now - timedelta(days=365),
                closes_at=now + timedelta(days=30) if n == 0 else now - timedelta(days=1),
            )
            db.session.add(survey)
            surveys.append(survey)
        db.session.flush()
        consultation = Consultation(
            slug="bench-reach-consultation",
            title="Bench consultation",
            published=True,
            moderation="post",
            opens_at=now - timedelta(days=365),
            closes_at=now + timedelta(days=30),
            survey_id=surveys[0].id,
        )
        db.session.add(consultation)
        db.session.flush()
        events = []
        for n in range(20):
            starts = now - timedelta(days=15 * n + 1)
            event = Event(
                title=f"Bench event {n}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=100,
                venue="Hall",
                consultation_id=consultation.id if n % 2 else None,
            )
            db.session.add(event)
            events.append(event)
        db.session.commit()

        channels = ["online"] * 8 + ["paper", "event"]
        languages = ["en"] * 18 + ["pl", "ur"]
        rows = []
        for n in range(responses):
            about = _about(rng, districts)
            rows.append(
                {
                    "survey_id": surveys[n % 4].id if n % 3 else surveys[0].id,
                    "reference": f"B{n:09d}",
                    "channel": rng.choice(channels),
                    "language": rng.choice(languages),
                    "submitted_at": when(),
                    "relationship_to_child": about["relationship"],
                    **{k: v for k, v in about.items() if k != "relationship"},
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(SurveyResponse), rows[start : start + 5000])
        first_about = (db.session.scalar(db.select(db.func.max(AboutYou.id))) or 0) + 1
        about_rows, contribution_rows = [], []
        for n in range(feedback):
            about = _about(rng, districts)
            about_rows.append(
                {
                    "id": first_about + n,
                    "relationship_to_child": about["relationship"],
                    **{k: v for k, v in about.items() if k != "relationship"},
                }
            )
            contribution_rows.append(
                {
                    "reference": f"F{n:09d}",
                    "source_type": "feedback",
                    "text": "Bench feedback",
                    "channel": "online",
                    "language": rng.choice(languages),
                    "about_you_id": first_about + n,
                    "created_at": when(),
                }
            )
        for start in range(0, feedback, 5000):
            db.session.execute(insert(AboutYou), about_rows[start : start + 5000])
            db.session.execute(insert(Contribution), contribution_rows[start : start + 5000])
        db.session.execute(
            insert(Comment),
            [
                {
                    "consultation_id": consultation.id,
                    "text": "Bench comment",
                    "language": rng.choice(languages),
                    "state": "published",
                    "created_at": when(),
                }
                for _ in range(2000)
            ],
        )
        db.session.execute(
            insert(Registration),
            [
                {
                    "event_id": event.id,
                    "name": "Bench person",
                    "email": f"bench{event.id}-{n}@example.org",
                    "attendee_type": rng.choice(["parent_carer", "young_person", "professional"]),
                    "state": "registered" if n < 80 else "waiting",
                    "cancel_token_hash": f"{event.id:08d}{n:056d}",
                }
                for event in events
                for n in range(100)
            ],
        )
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        return app, surveys[0].id, consultation.id


def _period(days: int = 365) -> dict:
    from datetime import date

    today = date.today()
    start = today - timedelta(days=days)
    return {
        "date_from-day": start.day,
        "date_from-month": start.month,
        "date_from-year": start.year,
        "date_to-day": today.day,
        "date_to-month": today.month,
        "date_to-year": today.year,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20000)
    parser.add_argument("--feedback", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(
        f"Building {database_url.split('@')[-1]} with {args.responses} survey responses and "
        f"{args.feedback} pieces of feedback ..."
    )
    started = time.perf_counter()
    app, survey_id, consultation_id = build(database_url, args.responses, args.feedback)
    print(f"  built in {time.perf_counter() - started:.1f}s")

    period = _period()
    pages = [
        ("reach, everything", "/manage/reach?" + urllib.parse.urlencode(period)),
        (
            "reach, one survey",
            "/manage/reach?"
            + urllib.parse.urlencode({**period, "activity": f"survey:{survey_id}"}),
        ),
        (
            "reach, consultation",
            "/manage/reach?"
            + urllib.parse.urlencode({**period, "activity": f"consultation:{consultation_id}"}),
        ),
        ("staff home (gaps)", "/manage/"),
    ]
    print("\nSQL queries per page, measured in-process (must not grow with data):")
    for label, counted in query_counts(app, pages).items():
        print(f"  {label:<22} {counted.status}  {counted.queries} queries")

    env = bench_env(database_url)
    port, bare_port = free_port(), free_port()
    server = serve("wsgi:app", port, env, workers=1, timeout=600)
    bare = serve("bench.bare_app:app", bare_port, env, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        cookie = sign_in(base)
        print(
            f"\ngunicorn: 1 worker x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time, signed in as the coordinator (target: median < 1 s)"
        )
        print(f"  {'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        rows = [("bare Flask page", f"http://127.0.0.1:{bare_port}/", "")]
        rows += [(label, base + path, cookie) for label, path in pages]
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for label, url, with_cookie in rows:
                timing = measure(pool, url, with_cookie, args.requests, warm_up=2)
                print(
                    f"  {label:<22} {timing.rate:8.2f} {timing.median_ms:8.0f} "
                    f"{timing.p95_ms:8.0f} {timing.max_ms:8.0f}"
                )
    finally:
        for process in (server, bare):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
