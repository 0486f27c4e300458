"""Time the board report (/manage/report) and reach (/manage/reach) on a year of data, served by
gunicorn on 127.0.0.1, beside a bare Flask page under the same settings; print what we measured.

    .venv/bin/python bench/report.py [--requests 60] [--concurrency 4]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/report.py

It builds a fresh database (migrations + demo seed) and adds a year of data ending today:
50,000 contributions (linked to areas and themes, most coded, some used in published responses),
40 plan actions with 3 outcome measures each and 12 monthly values per measure, and 20,000 survey
responses with their "About you" answers. It signs in as the demo administrator through the real
sign-in form (CSRF on, as in production), then loads each page with a bounded number of requests
from a thread pool and prints the median and 90th percentile, and the SQL queries each page runs
(measured in-process). Nothing leaves this machine. Target: under 1 second at the median.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

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
from bench.volume import (  # noqa: E402
    add_actions,
    add_contributions,
    add_published_responses,
    add_themes,
    insert_in_batches,
    new_references,
)


def build(database_url: str, contributions: int, responses: int):
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade
    from sqlalchemy import delete, text

    from app import create_app
    from app.demo import seed
    from app.domain.thread import about_you
    from app.extensions import db
    from app.models import (
        Action,
        Channel,
        Measure,
        MeasureCorrection,
        MeasureValue,
        Survey,
        SurveyResponse,
    )
    from app.models.base import utcnow

    app = create_app("production")
    rng = random.Random(9)
    with app.app_context(), app.test_request_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()
        add_themes()
        now = utcnow()
        # 40 actions, each in one or two areas, with 3 measures of 12 monthly values each.
        add_actions(40, rng)
        db.session.execute(delete(MeasureCorrection))
        db.session.execute(delete(MeasureValue))
        db.session.execute(delete(Measure))
        db.session.commit()
        today = date.today()
        for action_id in db.session.scalars(db.select(Action.id).order_by(Action.id).limit(40)):
            for m in range(3):
                measure = Measure(
                    action_id=action_id,
                    name=f"Bench measure {m + 1}",
                    unit=rng.choice(["percentage", "number", "days", "weeks"]),
                    better=rng.choice(["higher", "lower"]),
                    baseline_value=40.0,
                    baseline_date=today - timedelta(days=365),
                    target_value=70.0,
                    target_date=today + timedelta(days=180),
                    source="Bench figures",
                    public=m != 2,
                    position=m,
                )
                db.session.add(measure)
                db.session.flush()
                insert_in_batches(
                    MeasureValue,
                    [
                        {
                            "measure_id": measure.id,
                            "measured_on": today - timedelta(days=30 * (month + 1)),
                            "value": round(40 + rng.uniform(-5, 35), 1),
                            "note": "",
                        }
                        for month in range(12)
                    ],
                )
        db.session.commit()

        # 50,000 contributions over the year, two in three coded to an area and a theme;
        # 60 published responses, each answering 150 of the coded ones.
        coded = add_contributions(contributions, rng, with_actions=False)
        add_published_responses(60, coded, rng, answering=150)

        # 20,000 survey responses over the year, with "About you".
        survey_id = db.session.scalar(
            db.select(Survey.id).where(Survey.status == "published").order_by(Survey.id)
        )
        if survey_id is None:  # the production seed may hold no survey: add one
            survey = Survey(slug="bench-survey", title="Bench survey", status="published")
            db.session.add(survey)
            db.session.flush()
            survey_id = survey.id
        fields = {
            "relationship_to_child": about_you.choices("relationship_to_child"),
            "district": about_you.choices("district"),
            "age_group": about_you.choices("age_group"),
            "setting": about_you.choices("setting"),
            "ehc_plan": about_you.choices("ehc_plan"),
        }
        needs = [code for code, _label in about_you.choices("need")]
        channels = [c.value for c in Channel]
        rows = []
        for reference in new_references(responses, SurveyResponse.reference):
            row = {
                "survey_id": survey_id,
                "reference": reference,
                "channel": rng.choice(channels),
                "language": rng.choice(["en", "en", "pl", "ur"]),
                "young_person": False,
                "consent_to_quote": False,
                "submitted_at": now - timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
            }
            for name, options in fields.items():
                row[name] = rng.choice(options)[0] if options and rng.random() < 0.8 else None
            row["need"] = ",".join(sorted(rng.sample(needs, rng.choice([1, 2])))) if needs else None
            rows.append(row)
        insert_in_batches(SurveyResponse, rows)
        db.session.commit()
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contributions", type=int, default=50000)
    parser.add_argument("--responses", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=60, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(
        f"Building {database_url.split('@')[-1]}: {args.contributions} contributions, "
        f"40 actions x 3 measures x 12 values, {args.responses} survey responses ..."
    )
    started = time.perf_counter()
    app = build(database_url, args.contributions, args.responses)
    print(f"  built in {time.perf_counter() - started:.1f}s")

    pages = [("board report", "/manage/report"), ("reach", "/manage/reach")]
    print("\nSQL queries per page, measured in-process (must not grow with data):")
    for label, counted in query_counts(app, pages, role="admin").items():
        print(f"  {label:<14} {counted.status}  {counted.queries} queries")

    env = bench_env(database_url)
    port, bare_port = free_port(), free_port()
    server = serve("wsgi:app", port, env, args.workers)
    bare = serve("bench.bare_app:app", bare_port, env, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        cookie = sign_in(base, role="admin")
        print(
            f"\ngunicorn: {args.workers} workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time, signed in as the administrator"
        )
        print(f"  {'page':<22} {'median ms':>10} {'p90 ms':>10}")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            bare_page = measure(pool, f"http://127.0.0.1:{bare_port}/", "", args.requests)
            print(f"  {'bare Flask page':<22} {bare_page.median_ms:10.1f} {bare_page.p90_ms:10.1f}")
            for label, path in pages:
                timing = measure(pool, base + path, cookie, args.requests)
                verdict = "under 1 s" if timing.median_ms < 1000 else "OVER 1 s"
                print(f"  {label:<22} {timing.median_ms:10.1f} {timing.p90_ms:10.1f}  {verdict}")
    finally:
        for process in (server, bare):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
