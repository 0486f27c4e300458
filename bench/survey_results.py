"""Survey results with 100,000 responses, served by gunicorn on 127.0.0.1: the results page, a
filtered results page, the public results page, and the CSV and XLSX exports.

    .venv/bin/python bench/survey_results.py [--responses 100000] [--requests 20]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/survey_results.py

It builds a fresh database (migrations + demo seed + the demo EHC plan survey, which has every
question type, closed and published for the public page) and inserts the responses in bulk
(tests/survey_results_data.bulk_responses: answers for every kind of question, About-you
values, channels, a contribution for every free-text answer). It prints the SQL queries each
page runs (measured in-process: they must not grow with the data), page latencies, and for each
export its time to first byte, total time, size, rows, and the serving worker's peak resident
memory (VmHWM from /proc) before and after — exports are streamed, so memory should not grow
with the number of responses. Nothing leaves this machine.
"""

import argparse
import os
import random
import shutil
import statistics
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
    csrf_token,
    current_rss_kib,
    download,
    free_port,
    hit,
    peak_rss_kib,
    sign_in,
    worker_pids,
)


def build(database_url: str, count: int):
    os.environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-throwaway-key-for-a-local-benchmark",
        SITE_URL="http://127.0.0.1",
        ALLOW_FILE_MAIL="1",  # nothing is sent: production refuses the file backend otherwise
        FLASK_CONFIG="production",
    )
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.demo import seed
    from app.demo.surveys import create_ehc_survey
    from app.extensions import db
    from app.models.base import utcnow
    from tests.survey_results_data import bulk_responses

    app = create_app("production")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()
        now = utcnow()
        survey = create_ehc_survey(
            opens_at=now - timedelta(days=200), closes_at=now - timedelta(days=10)
        )
        started = time.perf_counter()
        bulk_responses(survey, count, random.Random(2026))
        print(f"  {count} responses inserted in {time.perf_counter() - started:.1f}s")
        survey.results_published_at = now
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        counts = {
            "answers": db.session.execute(text("SELECT count(*) FROM survey_answers")).scalar(),
            "contributions": db.session.execute(
                text("SELECT count(*) FROM contributions")
            ).scalar(),
        }
        return app, survey.id, survey.slug, counts


def query_counts(app, paths):
    from app.demo import kent
    from app.extensions import db
    from tests.helpers import QueryCounter

    email = next(e for e, _name, role, _org in kent.DEMO_USERS if role == "coordinator")
    client = app.test_client()
    token = csrf_token(client.get("/auth/sign-in").get_data(as_text=True))
    signed = client.post(
        "/auth/sign-in",
        data={"csrf_token": token, "email": email, "password": kent.DEMO_PASSWORD},
        headers={"Referer": "https://localhost/auth/sign-in"},
    )
    if signed.status_code != 302:
        raise RuntimeError(f"In-process sign-in failed with {signed.status_code}")
    counts = {}
    with app.app_context():
        for label, path in paths:
            with QueryCounter(db.engine) as counter:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            counts[label] = (response.status_code, counter.count, elapsed)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(f"Building {database_url.split('@')[-1]} with {args.responses} survey responses ...")
    started = time.perf_counter()
    app, survey_id, slug, counts = build(database_url, args.responses)
    print(
        f"  built in {time.perf_counter() - started:.1f}s: {counts['answers']} answers, "
        f"{counts['contributions']} contributions"
    )

    pages = [
        ("results page", f"/manage/surveys/{survey_id}/results"),
        (
            "results, filtered",
            f"/manage/surveys/{survey_id}/results?"
            + urllib.parse.urlencode(
                {"district": "Maidstone", "ehc_plan": "yes", "channel": "online"}
            ),
        ),
        ("public results", f"/surveys/{slug}/results"),
    ]
    print("\nSQL queries per page, measured in-process (must not grow with data):")
    for label, (status, count, elapsed) in query_counts(app, pages).items():
        print(
            f"  {label:<20} {status}  {count} queries  {elapsed * 1000:.0f} ms (cold, in-process)"
        )

    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-throwaway-key-for-a-local-benchmark",
        SITE_URL="http://127.0.0.1",
        ALLOW_FILE_MAIL="1",  # nothing is sent: production refuses the file backend otherwise
        FLASK_CONFIG="production",
    )
    server = subprocess.Popen(
        [
            os.path.join(ROOT, ".venv", "bin", "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--timeout",
            "600",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        cookie = sign_in(base)
        workers = worker_pids(server.pid)
        print(
            f"\ngunicorn: 1 worker x 4 threads (pid {workers}); {args.requests} requests per page, "
            f"{args.concurrency} at a time, signed in as the coordinator"
        )
        print(f"  {'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for label, path in pages:
                url = base + path
                list(pool.map(lambda u: hit(u, cookie), [url] * 2))  # warm up
                started = time.perf_counter()
                timings = sorted(pool.map(lambda u: hit(u, cookie), [url] * args.requests))
                elapsed = time.perf_counter() - started
                q = statistics.quantiles(timings, n=20, method="inclusive")
                median = statistics.median(timings) * 1000
                print(
                    f"  {label:<20} {args.requests / elapsed:8.2f} {median:8.0f} "
                    f"{q[18] * 1000:8.0f} {timings[-1] * 1000:8.0f}"
                )

        worker = workers[0]
        print(
            "\nExports (one at a time; worker peak RSS before the exports: "
            f"{peak_rss_kib(worker) / 1024:.0f} MiB)"
        )
        print(
            f"  {'export':<22} {'first byte s':>12} {'total s':>8} {'MiB':>7} {'rows':>8} "
            f"{'peak RSS MiB':>13}"
        )
        exports = [
            ("CSV", f"/manage/surveys/{survey_id}/responses.csv"),
            (
                "CSV, filtered",
                f"/manage/surveys/{survey_id}/responses.csv?channel=online&ehc_plan=yes",
            ),
            ("XLSX", f"/manage/surveys/{survey_id}/responses.xlsx"),
        ]
        for label, path in exports:
            first, total, size, lines = download(base + path, cookie)
            rows = lines - 1 if label.startswith("CSV") else "-"
            print(
                f"  {label:<22} {first:12.2f} {total:8.1f} {size / 2**20:7.1f} {rows!s:>8} "
                f"{peak_rss_kib(worker) / 1024:13.0f}"
            )
        print(f"  worker RSS now: {current_rss_kib(worker) / 1024:.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
