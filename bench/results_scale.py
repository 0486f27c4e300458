"""Survey results pages at scale, served by gunicorn (production settings) on 127.0.0.1: the
staff results page, the same filtered by one About-you answer, filtered by three answers, and
the public results page, each beside a bare Flask page (bench/bare_app.py) timed in the same run.

    .venv/bin/python bench/results_scale.py [--responses 100000] [--requests 30]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/results_scale.py
    .venv/bin/python bench/results_scale.py --database-url sqlite:////tmp/built.sqlite --reuse

It builds the database as bench/survey_results.py does (migrations, demo seed, the demo EHC
plan survey closed and published, responses inserted in bulk), or with --reuse times a
database built before. It prints each page's SQL queries (in-process; they must not grow with
the data) and its median, 90th and 95th percentile against gunicorn.
"""

import argparse
import os
import shutil
import sys
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import (  # noqa: E402
    bench_env,
    free_port,
    measure,
    query_counts,
    serve,
    sign_in,
    wait_for,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--reuse", action="store_true", help="time an already built database")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
    os.environ.update(bench_env(database_url))
    if args.reuse:
        from sqlalchemy import select

        from app import create_app
        from app.extensions import db
        from app.models import Survey

        app = create_app("production")
        with app.app_context():
            survey = db.session.scalars(
                select(Survey).where(Survey.results_published_at.is_not(None)).order_by(Survey.id)
            ).first()
            survey_id, slug = survey.id, survey.slug
    else:
        from bench.survey_results import build

        print(f"Building {database_url.split('@')[-1]} with {args.responses} responses ...")
        app, survey_id, slug, _counts = build(database_url, args.responses)

    pages = [
        ("results page", f"/manage/surveys/{survey_id}/results"),
        ("filtered by one", f"/manage/surveys/{survey_id}/results?ehc_plan=yes"),
        (
            "filtered by three",
            f"/manage/surveys/{survey_id}/results?"
            + urllib.parse.urlencode(
                {"district": "Maidstone", "ehc_plan": "yes", "channel": "online"}
            ),
        ),
        ("public results", f"/surveys/{slug}/results"),
    ]
    print("\nSQL queries per page, in-process (must not grow with the data):")
    for label, found in query_counts(app, pages).items():
        print(f"  {label:<20} {found.status}  {found.queries} queries")

    port, bare_port = free_port(), free_port()
    env = bench_env(database_url)
    server = serve("wsgi:app", port, env, workers=2)
    bare = serve("bench.bare_app:app", bare_port, env, workers=2)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        cookie = sign_in(base)
        print(
            f"\ngunicorn: 2 workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time"
        )
        heads = ("req/s", "p50 ms", "p90 ms", "p95 ms")
        print(f"  {'page':<20} " + " ".join(f"{h:>8}" for h in heads) + f" {'x bare':>7}")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            ceiling = measure(pool, f"http://127.0.0.1:{bare_port}/", "", args.requests * 3)
            rows = [("bare Flask page", ceiling)] + [
                (label, measure(pool, base + path, cookie, args.requests)) for label, path in pages
            ]
        for label, timing in rows:
            print(
                f"  {label:<20} {timing.rate:8.1f} {timing.median_ms:8.1f} {timing.p90_ms:8.1f} "
                f"{timing.p95_ms:8.1f} {timing.median_ms / ceiling.median_ms:7.1f}"
            )
    finally:
        for process in (server, bare):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
