"""`bench/run`: the whole service measured against the framework's ceiling, in one run.

For each database (SQLite in WAL mode, PostgreSQL) it builds the volume database (bench/volume.py;
`--keep` reuses one already built), serves the production configuration under gunicorn (sync
workers, 2 x cores + 1) and, under exactly the same settings, the ceiling apps (bench/bare_app.py:
a 20 KB template; one row inserted per POST). wrk (-t1 -c16) loads every public page that is the
same for everyone, and the "Tell us" and survey page POSTs with bodies filled in from the real
forms; the staff pages are loaded by one member of staff at a time (-c1: their targets are
medians of one person's wait); the CSV export is one streamed download, with the workers' peak
memory. Every page is warmed first (a cache filled by the first hit is reported warm). URLs are
found by following the public pages' own links; form fields come from the forms' HTML.

It prints one table per database (ceilings first) and writes them as Markdown to
bench/results/latest.md. Rate limits are raised for the run, through the environment.
"""

import argparse
import contextlib
import datetime
import html
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import forms, load  # noqa: E402
from bench.harness import (  # noqa: E402
    AnySchemeCookies,
    bench_env,
    download,
    free_port,
    hit,
    peak_rss_kib,
    production_workers,
    serve,
    sign_in,
    stop,
    wait_for,
    worker_pids,
)
from bench.volume import VOLUME_SURVEY_SLUG  # noqa: E402

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/bench_volume")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
RESULTS = os.path.join(ROOT, "bench", "results", "latest.md")
RAISED_LIMITS = {
    "FEEDBACK_RATE_LIMIT": "1000000 per minute",
    "SURVEY_PAGE_RATE_LIMIT": "1000000 per minute",
    "SURVEY_SEND_RATE_LIMIT": "1000000 per minute",
    "SEARCH_RATE_LIMIT": "1000000 per minute",
}
CONNECTIONS = 16  # the reference run: wrk -t1 -c16
STAFF_CONNECTIONS = 1
PAGE_RATIO = 0.5  # public pages and POSTs: at least half the ceiling
SEARCH_WORDS = "speech language therapy"
TARGETS_MS = {  # staff pages and published results: median milliseconds, one person at a time
    "results": 150,
    "results_filtered": 500,
    "public_results": 20,
    "inbox": 100,
    "inbox_filtered": 100,
}
EXPORT_ANSWERS_PER_S = 100_000
EXPORT_PEAK_MIB = 200


@dataclass
class Row:
    page: str
    rate: float | None = None
    p50: float | None = None
    p99: float | None = None
    compared: str = ""  # ratio to the ceiling, or the figure against its target
    met: bool | None = None
    note: str = ""


@dataclass
class Report:
    database: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Building ------------------------------------------------------------------------------------


def sqlite_url(quick: bool) -> str:
    folder = os.path.join(tempfile.gettempdir(), "send-voice-bench")
    return f"sqlite:///{folder}/volume-{'quick' if quick else 'full'}.sqlite"


def volume_held(database_url: str) -> dict | None:
    """What an already built volume database holds, or None when there is none to keep."""
    from sqlalchemy import create_engine, text

    from config import _database_url

    if database_url.startswith("sqlite:///") and not os.path.exists(
        database_url.removeprefix("sqlite:///")
    ):
        return None
    try:
        engine = create_engine(_database_url(database_url))
        with engine.connect() as connection:
            if not connection.scalar(
                text("SELECT count(*) FROM surveys WHERE slug = :slug"),
                {"slug": VOLUME_SURVEY_SLUG},
            ):
                return None
            return {
                table: connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in ("contributions", "survey_responses", "survey_answers", "responses")
            }
    except Exception:  # noqa: BLE001 - no database, or not one of ours: build it
        return None


def build(database_url: str, quick: bool) -> tuple[dict, float]:
    """Build in a separate process (its memory is given back); (what it holds, seconds)."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "bench.volume", database_url] + (["--quick"] if quick else [])
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise SystemExit(f"Building {database_url} failed")
    return volume_held(database_url), time.perf_counter() - started


def lookups(database_url: str) -> dict:
    """What only the database knows: the volume survey's id and answers, the busiest area."""
    from sqlalchemy import create_engine, text

    from config import _database_url

    engine = create_engine(_database_url(database_url))
    with engine.connect() as connection:
        survey_id = connection.scalar(
            text("SELECT id FROM surveys WHERE slug = :slug"), {"slug": VOLUME_SURVEY_SLUG}
        )
        answers = connection.scalar(
            text(
                "SELECT count(*) FROM survey_answers a JOIN survey_responses r "
                "ON r.id = a.response_id WHERE r.survey_id = :id"
            ),
            {"id": survey_id},
        )
        area = connection.scalar(
            text(
                "SELECT area_id FROM contribution_areas GROUP BY area_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        )
        district = connection.scalar(
            text(
                "SELECT district FROM survey_responses WHERE survey_id = :id "
                "AND district IS NOT NULL GROUP BY district ORDER BY count(*) DESC LIMIT 1"
            ),
            {"id": survey_id},
        )
    engine.dispose()
    return {"survey_id": survey_id, "answers": answers, "area_id": area, "district": district}


# Finding the pages ---------------------------------------------------------------------------


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode()


def links(base: str, page: str, pattern: str) -> list[str]:
    """The links on `page` whose path matches `pattern`, as paths with their query, in order."""
    found = []
    for href in re.findall(r'href="([^"]+)"', get(base + page)):
        parts = urllib.parse.urlsplit(html.unescape(href))
        if not parts.netloc and re.fullmatch(pattern, parts.path):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def first_link(base: str, page: str, pattern: str) -> str:
    found = links(base, page, pattern)
    if not found:
        raise RuntimeError(f"No link like {pattern} on {page}")
    return found[0].split("?")[0]


def public_pages(base: str) -> list[tuple[str, str]]:
    """Every public page that is the same for everyone, found through the site's own links."""
    area = first_link(base, "/areas", r"/areas/\d+")
    start = first_link(base, "/surveys", r"/surveys/[\w-]+")
    return [
        ("/", "/"),
        ("/areas", "/areas"),
        ("an area", area),
        ("an action", first_link(base, area, r"/actions/[^/]+")),
        ("/you-said-we-did", "/you-said-we-did"),
        ("a response", first_link(base, "/you-said-we-did", r"/you-said-we-did/\d+")),
        ("/surveys", "/surveys"),
        ("a survey start page", start),
        ("published results, 100k responses", f"/surveys/{VOLUME_SURVEY_SLUG}/results"),
        ("/consultations", "/consultations"),
        ("a consultation", first_link(base, "/consultations", r"/consultations/[\w-]+")),
        ("/events", "/events"),
        ("an event", first_link(base, "/events", r"/events/\d+")),
        ("/open-data", "/open-data"),
        ("search", "/search?" + urllib.parse.urlencode({"q": SEARCH_WORDS})),
    ]


def open_survey_first_page(base: str) -> str:
    """The first question page of a survey taking answers (its start page's "Start now")."""
    for start in links(base, "/surveys", r"/surveys/[\w-]+"):
        pages = links(base, start, r"/surveys/[\w-]+/page/\d+")
        if pages:
            return pages[0]
    raise RuntimeError("No open survey with a first page on /surveys")


@dataclass
class PostForm:
    url: str
    body: str
    cookie: str


def prepared_post(base: str, page: str) -> PostForm:
    """GET the form as a visitor (their session cookie and CSRF token), fill it in from its
    HTML, and check that sending it once is accepted (a redirect, not the form again)."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar(policy=AnySchemeCookies())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + page, timeout=60) as response:
        html = response.read().decode()
    action, body = forms.body(html)
    url = urllib.parse.urljoin(base + page, action or page)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    time.sleep(3.5)  # a person takes longer than the robot check's few seconds
    status = _post_status(url, body, cookie)
    if status not in (302, 303):
        raise RuntimeError(f"POST {url} with the filled-in form gave {status}, not a redirect")
    return PostForm(url, body, cookie)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_status(url: str, body: str, cookie: str) -> int:
    request = urllib.request.Request(
        url,
        data=body.encode(),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


# Measuring -----------------------------------------------------------------------------------


def settle(url: str) -> None:
    """One request per worker, all at once, waited for: requests wrk gave up on at the end of a
    run are still served by the sync workers, and would otherwise slow the next page down."""
    workers = production_workers()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(hit, [url] * workers))


def measure(url: str, seconds: float, settle_url: str, **options) -> load.Load:
    """Warm (a run at the same concurrency, so every worker has served the page and filled what
    it caches), let the server settle, measure, and let it settle again."""
    load.run(url, seconds=max(2.0, seconds / 3), **options)
    settle(settle_url)
    result = load.run(url, seconds=seconds, **options)
    settle(settle_url)
    return result


def page_row(label: str, result: load.Load, ceiling: float, note: str = "") -> Row:
    ratio = result.rate / ceiling if ceiling else 0.0
    problems = [] if result.requests else ["no request finished in the run"]
    if result.unexpected:
        problems.append(f"{result.unexpected} unexpected statuses")
    if result.errors:
        problems.append(f"{result.errors} socket errors")
    return Row(
        label,
        result.rate,
        result.p50_ms if result.requests else None,
        result.p99_ms if result.requests else None,
        f"{ratio:.2f}",
        ratio >= PAGE_RATIO and not problems,
        "; ".join(filter(None, [note, *problems])),
    )


def target_row(label: str, result: load.Load, target_ms: float) -> Row:
    problems = [] if result.requests else ["no request finished in the run"]
    if result.unexpected:
        problems.append(f"{result.unexpected} unexpected statuses")
    return Row(
        label,
        result.rate,
        result.p50_ms,
        result.p99_ms,
        f"p50 < {target_ms:g} ms",
        result.p50_ms < target_ms and not problems,
        "; ".join(problems),
    )


def run_database(name: str, database_url: str, args) -> Report:
    report = Report(name)
    held = None if not args.keep else volume_held(database_url)
    if held is None:
        print(f"\n[{name}] building the volume database ({database_url.split('@')[-1]}) ...")
        held, seconds = build(database_url, args.quick)
        report.notes.append(f"volume database built in {seconds:.0f} s")
    else:
        report.notes.append("volume database kept from an earlier run (--keep)")
    report.notes.append(
        f"{held['survey_responses']:,} survey responses, {held['survey_answers']:,} answers, "
        f"{held['contributions']:,} contributions (inbox), {held['responses']:,} responses"
    )
    found = lookups(database_url)

    from bench.bare_app import prepare

    prepare(database_url)
    env = dict(bench_env(database_url), **RAISED_LIMITS)
    if redis_answers():
        env["REDIS_URL"] = REDIS_URL
    workers = production_workers()
    port, ceiling_port = free_port(), free_port()
    server = serve("wsgi:app", port, env, workers, threads=1, timeout=900)
    ceiling = serve("bench.bare_app:app", ceiling_port, env, workers, threads=1, timeout=900)
    seconds = args.duration
    try:
        base, ceiling_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ceiling_port}"
        healthz = base + "/healthz"
        wait_for(healthz)
        wait_for(ceiling_base + "/")
        print(f"[{name}] measuring ({seconds:g} s a page) ...", flush=True)

        page_ceiling = measure(
            ceiling_base + "/", seconds, ceiling_base + "/", connections=CONNECTIONS
        )
        report.rows.append(
            Row(
                "ceiling: bare Flask, 20 KB template",
                page_ceiling.rate,
                page_ceiling.p50_ms,
                page_ceiling.p99_ms,
                "1.00",
            )
        )
        with body_file("ceiling=1") as path:
            insert_ceiling = measure(
                ceiling_base + "/",
                seconds,
                ceiling_base + "/",
                connections=CONNECTIONS,
                body_file=path,
                expect="303",
            )
        report.rows.append(
            Row(
                "ceiling: bare Flask, one INSERT per POST",
                insert_ceiling.rate,
                insert_ceiling.p50_ms,
                insert_ceiling.p99_ms,
                "1.00",
            )
        )

        for label, path in public_pages(base):
            result = measure(base + path, seconds, healthz, connections=CONNECTIONS)
            report.rows.append(
                page_row(f"{label} ({path})" if path != label else label, result, page_ceiling.rate)
            )
            print(f"  {label:<28} {result.rate:8.1f} req/s", flush=True)

        for label, page in (
            ('"Tell us" POST (/feedback)', "/feedback"),
            ("survey page POST", open_survey_first_page(base)),
        ):
            post = prepared_post(base, page)
            with body_file(post.body) as path:
                result = measure(
                    post.url,
                    seconds,
                    healthz,
                    connections=CONNECTIONS,
                    cookie=post.cookie,
                    body_file=path,
                    expect="302,303",
                )
            report.rows.append(page_row(label, result, insert_ceiling.rate, "vs insert ceiling"))
            print(f"  {label:<28} {result.rate:8.1f} req/s", flush=True)

        cookie = sign_in(base)
        survey = found["survey_id"]
        results = f"/surveys/{VOLUME_SURVEY_SLUG}/results"
        # (label, path, target, signed in): one person at a time
        staff = [
            (
                "staff results (100k responses)",
                f"/manage/surveys/{survey}/results",
                "results",
                True,
            ),
            (
                "staff results, one About-you filter",
                f"/manage/surveys/{survey}/results?"
                + urllib.parse.urlencode({"district": found["district"]}),
                "results_filtered",
                True,
            ),
            ("published results, as the public", results, "public_results", False),
            ("published results, rendered for staff", results, "public_results", True),
            ("staff inbox, first page", "/manage/inbox", "inbox", True),
            (
                "staff inbox, filtered (state + area)",
                "/manage/inbox?"
                + urllib.parse.urlencode({"state": "coded", "area": found["area_id"]}),
                "inbox_filtered",
                True,
            ),
        ]
        for label, path, target, signed_in in staff:
            as_who = cookie if signed_in else ""
            hit(base + path, as_who)  # a lost session or an error stops the run here
            result = measure(
                base + path, seconds, healthz, connections=STAFF_CONNECTIONS, cookie=as_who
            )
            report.rows.append(target_row(label, result, TARGETS_MS[target]))
            print(f"  {label:<28} p50 {result.p50_ms:8.1f} ms", flush=True)

        report.rows.append(export_row(base, server.pid, cookie, survey, found["answers"]))
    finally:
        stop(server, ceiling)
    return report


def export_row(base: str, master: int, cookie: str, survey: int, answers: int) -> Row:
    """One streamed CSV download of every response: answers a second, and the workers' peak
    resident memory (VmHWM) afterwards."""
    url = f"{base}/manage/surveys/{survey}/responses.csv"
    first, total, size, lines = download(url, cookie)
    peak_mib = max(peak_rss_kib(pid) for pid in worker_pids(master)) / 1024
    rate = answers / total if total else 0.0
    met = rate > EXPORT_ANSWERS_PER_S and peak_mib < EXPORT_PEAK_MIB
    print(f"  CSV export {total:.1f} s, {rate:,.0f} answers/s, peak {peak_mib:.0f} MiB", flush=True)
    return Row(
        "CSV export, all responses",
        None,
        first * 1000,
        total * 1000,
        f"{rate:,.0f} answers/s (> {EXPORT_ANSWERS_PER_S:,}); peak {peak_mib:.0f} MiB "
        f"(< {EXPORT_PEAK_MIB})",
        met,
        f"{lines - 1:,} rows, {size / 2**20:.1f} MiB; p50 = first byte, p99 = whole download",
    )


@contextlib.contextmanager
def body_file(body: str):
    """The POST body in a file, for wrk's script to read; removed afterwards."""
    handle, path = tempfile.mkstemp(prefix="send-voice-bench-", suffix=".body")
    with os.fdopen(handle, "w") as file:
        file.write(body)
    try:
        yield path
    finally:
        os.remove(path)


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


# Printing ------------------------------------------------------------------------------------


def machine_line() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return (
        f"{os.cpu_count()} cores, {model}; {datetime.date.today().isoformat()}; "
        f"gunicorn sync x {production_workers()} for the app and for the ceiling; "
        f"wrk -t1 -c{CONNECTIONS} (staff pages -c{STAFF_CONNECTIONS})"
    )


def _cell(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def markdown(report: Report, args) -> str:
    lines = [
        f"### {report.database}",
        "",
        f"{machine_line()}; {args.duration:g} s a page{', --quick volume' if args.quick else ''}; "
        "rate limits raised for the run. " + "; ".join(report.notes) + ".",
        "",
        "| page | requests/s | p50 ms | p99 ms | ratio to ceiling / target | met? | note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in report.rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(
            f"| {row.page} | {_cell(row.rate)} | {_cell(row.p50)} | {_cell(row.p99)} | "
            f"{row.compared} | {met} | {row.note} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=None, help="seconds a page (10)")
    parser.add_argument("--quick", action="store_true", help="small volume, 3 s a page")
    parser.add_argument("--keep", action="store_true", help="reuse the volume database built")
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 3.0 if args.quick else 10.0
    if load.wrk_missing():
        raise SystemExit("wrk is not installed: apt-get install wrk")

    started = time.perf_counter()
    databases = {
        "sqlite": ("SQLite (WAL)", sqlite_url(args.quick)),
        "postgresql": ("PostgreSQL", PG_URL),
    }
    chosen = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    written = []
    for key in chosen:
        name, url = databases[key]
        table = markdown(run_database(name, url, args), args)
        print("\n" + table)
        written.append(table)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as file:
        file.write("\n".join(written))
    print(
        f"Written to {os.path.relpath(RESULTS, ROOT)}; the whole run took "
        f"{(time.perf_counter() - started) / 60:.1f} minutes."
    )


if __name__ == "__main__":
    main()
