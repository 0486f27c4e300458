"""Survey results with 100,000 responses, served by gunicorn on 127.0.0.1: the results page, a
filtered results page, the public results page, and the CSV and XLSX exports.

    .venv/bin/python bench/survey_results.py [--responses 100000] [--requests 20]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/survey_results.py

It builds a fresh database (migrations + demo seed + the demo EHC plan survey, which has every
question type, closed and published for the public page) and inserts the responses in bulk
(tests/survey_results_data.bulk_responses: answers for every kind of question, About-you
values, channels, a contribution for every free-text answer). It prints the SQL queries each
page runs (measured in-process: they must not grow with the data), page latencies, and for each
CSV export its time to first byte, total time, size, rows, answers a second, the web worker's
CPU time and its peak resident memory (VmHWM from /proc) — exports are streamed, so memory
should not grow with the number of responses. The XLSX is asked for (the request's time), built
by `flask exports work --once` (its wall and CPU time and peak memory) and downloaded. Last, the
ceiling: bench/bare_app.py under the same gunicorn settings (a bare page, and a bare streamed
download of as many CSV-like lines). Nothing leaves this machine.
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
import urllib.error
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
    serve,
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


def _merge_cookies(cookie: str, response) -> str:
    """The Cookie header after a response's Set-Cookie headers (the session carries the CSRF
    token)."""
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if part)
    for header in response.headers.get_all("Set-Cookie") or ():
        name, _eq, value = header.split(";", 1)[0].partition("=")
        jar[name] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def ceiling(env: dict, lines: int) -> tuple[float, float, float]:
    """bench/bare_app.py under the same gunicorn settings: a bare page's requests a second, and
    a bare streamed download of `lines` CSV-like lines (seconds to first byte, total seconds)."""
    port = free_port()
    bare = serve("bench.bare_app:app", port, env, workers=1, threads=4, timeout=600)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        started = time.perf_counter()
        for _ in range(200):
            hit(base + "/")
        page_rate = 200 / (time.perf_counter() - started)
        first, total, _size, _lines = download(f"{base}/stream?lines={lines}", "")
        return page_rate, first, total
    finally:
        bare.terminate()
        bare.wait(timeout=10)


def export_figures(base: str, cookie: str, worker: int, survey_id: int, counts, env) -> None:
    """The CSV streamed, filtered and not; the spreadsheet asked for (the request), built by
    `flask exports work --once` (its time and peak memory) and downloaded; beside bare Flask."""
    print(
        "\nExports (one at a time; worker peak RSS before the exports: "
        f"{peak_rss_kib(worker) / 1024:.0f} MiB)"
    )
    print(
        f"  {'export':<22} {'first byte s':>12} {'total s':>8} {'MiB':>7} {'rows':>8} "
        f"{'answers/s':>10} {'peak RSS MiB':>13}"
    )
    exports = [
        ("CSV", f"/manage/surveys/{survey_id}/responses.csv", counts["answers"]),
        (
            "CSV, filtered",
            f"/manage/surveys/{survey_id}/responses.csv?channel=online&ehc_plan=yes",
            None,
        ),
    ]
    csv_rows = 0
    for label, path, answers in exports:
        cpu = process_cpu(worker)
        first, total, size, lines = download(base + path, cookie)
        rate = f"{answers / total:10,.0f}" if answers else f"{'-':>10}"
        csv_rows = csv_rows or lines - 1
        print(
            f"  {label:<22} {first:12.2f} {total:8.1f} {size / 2**20:7.1f} {lines - 1:>8} "
            f"{rate} {peak_rss_kib(worker) / 1024:13.0f}"
        )
        print(f"  {'':<22} (web worker CPU: {process_cpu(worker) - cpu:.1f} s)")

    # The spreadsheet: ask (a quick request), build in the worker process, download.
    page_url = f"{base}/manage/surveys/{survey_id}/exports"
    with urllib.request.urlopen(
        urllib.request.Request(page_url, headers={"Cookie": cookie}), timeout=60
    ) as response:
        token = csrf_token(response.read().decode())
        cookie = _merge_cookies(cookie, response)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    started = time.perf_counter()
    request = urllib.request.Request(
        page_url,
        data=urllib.parse.urlencode({"csrf_token": token}).encode(),
        headers={"Cookie": cookie},
    )
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=60)
        raise RuntimeError("Asking for the spreadsheet did not redirect to its page")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 303:
            raise
        job_url = urllib.parse.urljoin(base, redirect.headers["Location"])
    asked = time.perf_counter() - started
    print(f"\n  XLSX asked for (POST, queued):    {asked * 1000:8.0f} ms")
    started = time.perf_counter()
    builder = subprocess.Popen(
        [os.path.join(ROOT, ".venv", "bin", "flask"), "--app", "wsgi:app", "exports", "work"]
        + ["--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(builder.pid, 0)
    built = time.perf_counter() - started
    if status:
        raise RuntimeError(f"flask exports work failed ({status})")
    print(
        f"  XLSX built by `flask exports work --once`: {built:6.1f} s wall, "
        f"{usage.ru_utime + usage.ru_stime:.1f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MiB "
        "(process start and app import included)"
    )
    started = time.perf_counter()
    hit(job_url, cookie)
    print(f"  XLSX job page (ready):            {(time.perf_counter() - started) * 1000:8.0f} ms")
    first, total, size, _lines = download(job_url + "/responses.xlsx", cookie)
    print(
        f"  XLSX download: first byte {first:.2f} s, total {total:.1f} s, {size / 2**20:.1f} MiB; "
        f"web worker peak RSS {peak_rss_kib(worker) / 1024:.0f} MiB"
    )
    print(f"  web worker RSS now: {current_rss_kib(worker) / 1024:.0f} MiB")

    page_rate, bare_first, bare_total = ceiling(env, csv_rows)
    print(
        f"\nBare Flask (bench/bare_app.py, same gunicorn settings): {page_rate:.0f} pages/s; "
        f"streaming {csv_rows} CSV-like lines: first byte {bare_first * 1000:.0f} ms, "
        f"total {bare_total * 1000:.0f} ms ({csv_rows / bare_total:,.0f} lines/s)"
    )


def process_cpu(pid: int) -> float:
    """CPU seconds the process has used (user + system), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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

        export_figures(base, cookie, workers[0], survey_id, counts, env)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
