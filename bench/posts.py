"""Public POSTs against the framework's insert ceiling: a complete "Tell us" form, a survey's
first page (it starts a draft) and a later page (it updates one), each loaded with wrk beside a
bare Flask app that inserts one row per POST (bench/ceiling_insert.py), all served by gunicorn
the same way, in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/posts.py \
        [--seconds 10] [--connections 16] [--workers 5] [--redis redis://127.0.0.1:6379/6]

It builds a fresh database (migrations, demo seed, the demo EHC survey), serves the service in
the production configuration (CSRF on, rate limits counted in Redis when --redis is given, set
far above the load so every POST is stored) with sync workers, fetches a form as a person would
(session cookie, CSRF token, signed start time) and waits out the robot check, then lets wrk
POST it. Each "Tell us" POST carries its own idempotency key, as each form a person opens does.
The rate printed is of POSTs answered with the redirect a stored form gives; the stored rows
are counted afterwards and must match. Target: each POST at >= 0.5 of the ceiling.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import (  # noqa: E402
    AnySchemeCookies,
    bench_env,
    csrf_token,
    free_port,
    serve,
    wait_for,
)

UNLIMITED = "1000000 per minute"
FEEDBACK_TEXT = (
    "We waited 30 weeks for the EHC needs assessment and nobody told us what was happening. "
    "The SENCo was helpful but the letters were hard to follow."
)

LUA = r"""
math.randomseed(os.time())
local bodies = {%(bodies)s}
local cookies = {%(cookies)s}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
redirects, others, n = 0, 0, 0
local function key()
  local t = {}
  for i = 1, 32 do t[i] = string.format("%%02x", math.random(0, 255)) end
  return table.concat(t)
end
request = function()
  n = n + 1
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local i = (n %% #cookies) + 1
  headers["Cookie"] = cookies[i]
  headers["Referer"] = "%(referer)s"
  return wrk.format("POST", "%(path)s", headers, (bodies[i]:gsub("KEYKEYKEY", key)))
end
response = function(status, headers, body)
  if status == 302 then redirects = redirects + 1 else others = others + 1 end
end
done = function(summary, latency, requests)
  local r, o = 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("redirects")
    o = o + thread:get("others")
  end
  io.write(string.format("STATUSES 302=%%d,other=%%d\n", r, o))
  io.write(string.format("LATENCY %%.1f %%.1f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000))
end
"""


def build(database_url: str) -> dict:
    """A fresh database with the demo seed and the open demo survey; what to post to it."""
    os.environ.update(bench_env(database_url))
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.demo import seed
    from app.demo.surveys import create_ehc_survey
    from app.domain.surveys.structure import Structure
    from app.extensions import db

    app = create_app("production")
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()
        survey = create_ehc_survey()
        structure = Structure.of(survey)
        pages = []
        answers: dict = {}
        for number, section in enumerate(structure.sections[:2], start=1):
            fields = []
            for question in structure.visible_questions(section, answers):
                fields += _answer(question)
            pages.append((number, fields))
        return {"slug": survey.slug, "pages": pages}


def _answer(question) -> list[tuple[str, str]]:
    name = f"q{question.id}"
    kind = question.kind
    if kind in ("single_choice", "rating", "yes_no", "multiple_choice"):
        return [(name, str(question.options[0].id))]
    if kind == "number":
        return [(name, "3")]
    if kind == "date":
        return [(f"{name}-day", "14"), (f"{name}-month", "3"), (f"{name}-year", "2025")]
    return [(name, "It took far too long and nobody called us back.")]


def opener():
    jar = http.cookiejar.CookieJar(policy=AnySchemeCookies())
    return jar, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def cookie_header(jar) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def form_fields(html: str) -> dict:
    started = re.search(r'name="started"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*name="started"', html
    )
    return {"csrf_token": csrf_token(html), "started": started.group(1) if started else ""}


def tell_us_body(base: str) -> tuple[str, list[str]]:
    jar, open_ = opener()
    with open_.open(base + "/feedback", timeout=30) as response:
        fields = form_fields(response.read().decode())
    body = urllib.parse.urlencode(
        [
            *fields.items(),
            ("token", "KEYKEYKEY"),
            ("topic", "ehc_plan"),
            ("text", FEEDBACK_TEXT),
            ("rating", "2"),
            ("relationship_to_child", "parent_carer"),
            ("district", "Ashford"),
            ("age_group", "5-10"),
            ("need", "communication_interaction"),
            ("need", "cognition_learning"),
            ("setting", "mainstream_school"),
            ("ehc_plan", "yes"),
            ("email", "parent@example.com"),
            ("consent_to_quote", "yes"),
            ("website", ""),
        ]
    )
    return [body], [cookie_header(jar)]


def survey_bodies(base: str, built: dict, sessions: int) -> dict:
    """The first page's body posted without a draft (each POST starts one), and the second
    page's posted by `sessions` people each with a draft past the first page."""
    slug = built["slug"]
    (first, first_fields), (second, second_fields) = built["pages"]
    jar, open_ = opener()
    with open_.open(f"{base}/surveys/{slug}/page/{first}", timeout=30) as response:
        fields = form_fields(response.read().decode())
    first_body = urllib.parse.urlencode([*fields.items(), *first_fields, ("website", "")])
    first_cookies = [cookie_header(jar)]
    second_cookies, second_bodies = [], []
    for _ in range(sessions):
        jar, open_ = opener()
        with open_.open(f"{base}/surveys/{slug}/page/{first}", timeout=30) as response:
            fields = form_fields(response.read().decode())
        data = urllib.parse.urlencode([*fields.items(), *first_fields, ("website", "")]).encode()
        with open_.open(f"{base}/surveys/{slug}/page/{first}", data=data, timeout=30) as response:
            html = response.read().decode()
            if f"/page/{second}" not in response.geturl():
                raise RuntimeError(f"First page not accepted: ended at {response.geturl()}")
        fields = form_fields(html)
        second_bodies.append(
            urllib.parse.urlencode([*fields.items(), *second_fields, ("website", "")])
        )
        second_cookies.append(cookie_header(jar))
    return {
        "first": (f"/surveys/{slug}/page/{first}", [first_body], first_cookies),
        "second": (f"/surveys/{slug}/page/{second}", second_bodies, second_cookies),
    }


def run_wrk(
    base: str, path: str, bodies: list[str], cookies: list[str], seconds: int, connections: int
):
    """wrk POSTing to `path`: the i-th body with the i-th session cookie (a CSRF token belongs
    to its session), in turn."""
    script = LUA % {
        "bodies": ", ".join(f"[==[{body}]==]" for body in bodies),
        "cookies": ", ".join(f'"{c}"' for c in cookies),
        "referer": base + path,
        "path": path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "-s",
                handle.name,
                base + path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    statuses = dict(
        pair.split("=")
        for pair in re.search(r"STATUSES (.*)", output).group(1).split(",")
        if "=" in pair
    )
    median, p90 = (float(x) for x in re.search(r"LATENCY (\S+) (\S+)", output).group(1, 2))
    redirects = int(statuses.get("302", 0))
    duration = float(re.search(r"requests in ([\d.]+)s", output).group(1))
    return {
        "rate": redirects / duration,
        "statuses": statuses,
        "redirects": redirects,
        "median_ms": median,
        "p90_ms": p90,
    }


def count(database_url: str, table: str, where: str = "") -> int:
    from sqlalchemy import create_engine, text

    from config import _database_url

    engine = create_engine(_database_url(database_url))
    with engine.connect() as connection:
        found = connection.scalar(text(f"SELECT count(*) FROM {table} {where}"))
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--sessions", type=int, default=64)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url or not database_url.startswith(("postgres://", "postgresql")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database this benchmark may empty.")

    built = build(database_url)
    env = dict(
        bench_env(database_url),
        FEEDBACK_RATE_LIMIT=UNLIMITED,
        SURVEY_PAGE_RATE_LIMIT=UNLIMITED,
        SURVEY_SEND_RATE_LIMIT=UNLIMITED,
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
    else:
        env.pop("REDIS_URL", None)
    os.environ["DATABASE_URL"] = database_url
    import bench.ceiling_insert  # noqa: F401  (makes its table before the workers start)

    app_port, ceiling_port = free_port(), free_port()
    servers = [
        serve("wsgi:app", app_port, env, args.workers, threads=1, timeout=30),
        serve("bench.ceiling_insert:app", ceiling_port, env, args.workers, threads=1, timeout=30),
    ]
    try:
        base, ceiling = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{ceiling_port}"
        wait_for(base + "/feedback")
        tell_us = tell_us_body(base)
        surveys = survey_bodies(base, built, args.sessions)
        time.sleep(3.5)  # people take a few seconds to fill a form; robots do not
        before = {
            "contributions": count(database_url, "contributions"),
            "drafts": count(database_url, "survey_drafts"),
        }
        results = {}
        ceiling_body = urllib.parse.urlencode({"topic": "ehc_plan", "text": FEEDBACK_TEXT})
        results["ceiling: one insert"] = run_wrk(
            ceiling, "/", [ceiling_body], [""], args.seconds, args.connections
        )
        results["Tell us POST"] = run_wrk(
            base, "/feedback", *tell_us, args.seconds, args.connections
        )
        results["survey first page POST"] = run_wrk(
            base, *surveys["first"], args.seconds, args.connections
        )
        results["survey later page POST"] = run_wrk(
            base, *surveys["second"], args.seconds, args.connections
        )
        stored = {
            "contributions": count(database_url, "contributions") - before["contributions"],
            "drafts": count(database_url, "survey_drafts") - before["drafts"],
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait()

    top = results["ceiling: one insert"]["rate"]
    print(
        f"\ngunicorn: {args.workers} sync workers; wrk -t1 -c{args.connections} "
        f"-d{args.seconds}s; PostgreSQL; rate limits in {args.redis or 'memory'}\n"
    )
    print(f"{'POST':<26}{'stored/s':>10}{'ratio':>8}{'median ms':>11}{'p90 ms':>9}  statuses")
    for label, result in results.items():
        print(
            f"{label:<26}{result['rate']:>10.0f}{result['rate'] / top:>8.2f}"
            f"{result['median_ms']:>11.1f}{result['p90_ms']:>9.1f}  {result['statuses']}"
        )
    print(
        f"\nStored: {stored['contributions']} contributions for "
        f"{results['Tell us POST']['redirects']} Tell us redirects; {stored['drafts']} drafts "
        f"for {results['survey first page POST']['redirects']} first-page redirects."
    )


if __name__ == "__main__":
    main()
