"""Nothing lost: many people send survey responses and "Tell us" forms at once, against gunicorn on
PostgreSQL, while a worker is killed or the database goes away; then the database is checked.

    .venv/bin/python bench/nothing_lost.py [--clients 50] [--responses 40] [--feedback 10]
        [--kill-worker] [--outage proxy|restart] [--lose-answers]
        [--database-url postgresql://.../noloss_run]

It builds its own PostgreSQL database (migrations, the demo seed and a copy of the demo's open
survey, which has every question type, a page shown only for one answer and "About you"), serves
the production configuration under gunicorn (2 x cores + 1 sync workers, rate limits in Redis,
the public forms' rate limits and robot time floors lifted for the run through the environment),
and starts one thread per person, each with its own cookie jar. A person goes through every page
of the survey as a browser would (the real form's hidden fields, CSRF token and any idempotency
key included), checks the answers and sends, then fills in "Tell us"; every box typed in carries
a marker unique to that response, so each one can be found in the database afterwards. When an
answer is cut off (a killed worker, a 5xx) the person presses the button again, the same form
with the same hidden fields, until it is acknowledged (a confirmation page with a reference).

--kill-worker sends `kill -9` to one gunicorn worker a quarter of the way through. --outage proxy
puts a TCP proxy between the app and PostgreSQL and cuts it (every connection closed, new ones
refused) half way through for --outage-seconds; --outage restart really restarts the PostgreSQL
cluster instead (never while others use it). --lose-answers makes each person's first survey
send and first "Tell us" lose its answer on the way back (the request arrives whole, the
connection is dropped before the answer), so the person sends it again a second later: the
resend that a killed worker causes only now and then, made certain. During an outage a probe
records what the app answers (it must be the service's 503 page, with no traceback) and how long
after the database is back the first page is served (within 5 seconds, the app not restarted).

Afterwards the database must hold exactly clients x responses survey responses, each with all the
answers that were sent, and exactly clients x feedback "Tell us" contributions, none twice. It
prints sent, acknowledged, stored, duplicates, missing, errors by status and the outage figures,
and exits non-zero when anything is lost, stored twice or in part, or the outage was not handled.
"""

import argparse
import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import bench_env, free_port, serve  # noqa: E402
from bench.visitor import (  # noqa: E402
    SERVICE_PAGE,
    GaveUp,
    Log,
    Refused,
    Visitor,
    fill_in,
    status_label,
)

SURVEY_SLUG = "nothing-lost"
# A page that needs the database on every request: the survey's first page.
PROBE_PATH = f"/surveys/{SURVEY_SLUG}/page/1"
RECOVERY_LIMIT_SECONDS = 5.0
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/noloss_run"
# Lifted for the run: one address (127.0.0.1) sends what thousands of families would.
RUN_ENV = {
    "FEEDBACK_RATE_LIMIT": "100000 per hour",
    "SURVEY_PAGE_RATE_LIMIT": "1000000 per hour",
    "SURVEY_SEND_RATE_LIMIT": "100000 per hour",
    "FEEDBACK_MIN_SECONDS": "0",
    "SURVEY_MIN_SECONDS": "0",
}


# The database -------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def plain(url: str) -> str:
    """A libpq address (psycopg), whatever SQLAlchemy dialect the URL names."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)


def create_database(url: str) -> None:
    import psycopg

    with psycopg.connect(plain(with_database(url, "postgres")), autocommit=True) as connection:
        name = database_name(url)
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(plain(with_database(url, "postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def build(database_url: str, demo_users: bool = False) -> None:
    """In a child process (the app reads its settings from the environment): an empty schema,
    every migration, the demo seed (with the demo staff when asked) and the survey the run
    answers."""
    create_database(database_url)
    code = "from bench.nothing_lost import build_here; import sys; build_here(*sys.argv[1:])"
    built = subprocess.run(
        [sys.executable, "-c", code, database_url, "1" if demo_users else ""],
        cwd=ROOT,
        env=bench_env(database_url),
        capture_output=True,
        text=True,
    )
    if built.returncode:
        raise RuntimeError(f"Building the database failed:\n{built.stderr[-3000:]}")


def build_here(database_url: str, demo_users: str = "") -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.demo import seed
    from app.demo.surveys import create_ehc_survey
    from app.extensions import db

    app = create_app("production")
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed(with_demo_users=bool(demo_users))
        create_ehc_survey(slug=SURVEY_SLUG)


# A proxy that can cut the database off -------------------------------------------------------


class CuttableProxy:
    """A TCP proxy in front of PostgreSQL. `cut()` closes every connection through it and
    refuses new ones, as a database that went away; `restore()` accepts them again."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener: socket.socket | None = None
        self.down = False

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        with self.lock:
            self.listener = listener
            self.down = False
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.down:
                    client.close()
                    server.close()
                    continue
                self.sockets.update((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        with self.lock:
            self.sockets.discard(sock)

    def cut(self) -> None:
        with self.lock:
            self.down = True
            listener, self.listener = self.listener, None
            open_sockets = list(self.sockets)
        if listener is not None:
            self._close(listener)
        for sock in open_sockets:
            self._close(sock)

    def restore(self) -> None:
        self.start()


def postgres_cluster(port: int = 5432) -> tuple[str, str]:
    """The Debian cluster (version, name) listening on `port`, from pg_lsclusters."""
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        columns = line.split()
        if len(columns) >= 3 and columns[2] == str(port):
            return columns[0], columns[1]
    raise RuntimeError(f"No PostgreSQL cluster on port {port} in pg_lsclusters")


def database_answers(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(plain(url), connect_timeout=1).close()
        return True
    except psycopg.Error:
        return False


# The people ---------------------------------------------------------------------------------


@dataclass
class Sent:
    """One survey response or "Tell us" form a person sent, and what came back."""

    marker: str
    kind: str  # "survey" or "feedback"
    questions: set[int] = field(default_factory=set)  # survey questions answered
    reference: str | None = None  # from the confirmation page: acknowledged
    failure: str = ""


def marker_for(run: str, client: int, kind: str, n: int) -> str:
    return f"NLX{run}C{client}{kind[0].upper()}{n}X"


MARKER = re.compile(r"NLX(\w+?)C(\d+)([SF])(\d+)X")


def press_again_after_losing_the_answer(visitor: Visitor, page, pairs):
    """The answer to the first press never arrives; a moment later the person presses again."""
    visitor.send_and_lose_the_answer(page, pairs)
    time.sleep(1.0)
    return visitor.send(page, pairs)


def answer_survey(visitor: Visitor, marker: str, lose_answer: bool = False) -> Sent:
    sent = Sent(marker, "survey")
    start = visitor.get(f"/surveys/{SURVEY_SLUG}")
    found = re.search(rf'href="(/surveys/{SURVEY_SLUG}/page/[^"]+)"', start.html)
    if not found:
        raise Refused(f"No start link on the survey's start page ({start.h1!r})")
    page = visitor.get(found.group(1).replace("&amp;", "&"))
    for _step in range(20):
        pairs, answered = fill_in(page.form(), marker)
        if lose_answer and page.path.endswith("/check-answers"):
            after = press_again_after_losing_the_answer(visitor, page, pairs)
        else:
            after = visitor.send(page, pairs)
        if after.path.endswith("/confirmation"):
            sent.reference = after.reference()
            if not sent.reference:
                raise Refused(f"A confirmation without a reference: {after.h1!r}")
            return sent
        if after.path == page.path:
            raise Refused(f"The page came back with a problem: {after.h1!r} at {after.url}")
        sent.questions |= answered
        page = after
    raise Refused("Never reached the confirmation")


def tell_us(visitor: Visitor, marker: str, lose_answer: bool = False) -> Sent:
    sent = Sent(marker, "feedback")
    page = visitor.get("/feedback")
    pairs, _answered = fill_in(page.form(), marker)
    if lose_answer:
        after = press_again_after_losing_the_answer(visitor, page, pairs)
    else:
        after = visitor.send(page, pairs)
    if not after.path.endswith("/confirmation"):
        raise Refused(f"Tell us came back with a problem: {after.h1!r}")
    sent.reference = after.reference()
    return sent


def person(base: str, run: str, number: int, plan: "Plan", log: Log, progress) -> list[Sent]:
    """One person: their survey responses and "Tell us" forms, mixed in a random order."""
    visitor = Visitor(base, log, deadline=plan.deadline)
    work = [("survey", n) for n in range(plan.responses)] + [
        ("feedback", n) for n in range(plan.feedback)
    ]
    random.Random(number).shuffle(work)
    done = []
    for kind, n in work:
        marker = marker_for(run, number, kind, n)
        lose = plan.lose_answers and n == 0  # the first of each kind
        try:
            if kind == "survey":
                sent = answer_survey(visitor, marker, lose)
            else:
                sent = tell_us(visitor, marker, lose)
        except Exception as problem:  # noqa: BLE001 (whatever it was, the person is not done)
            sent = Sent(marker, kind, failure=f"{type(problem).__name__}: {problem}")
            if not isinstance(problem, (Refused, GaveUp)):
                log.record(f"{type(problem).__name__}: {str(problem)[:120]}")
        done.append(sent)
        progress()
    return done


# Trouble ------------------------------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                after_name = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(after_name[1]) == master:
            children.append(int(entry))
    return sorted(children)


@dataclass
class Outage:
    mode: str
    went: float = 0.0  # time.monotonic() when the database went away
    back: float = 0.0  # ... and when it answered again
    answers: Counter = field(default_factory=Counter)  # what the probe got while it was away
    people_saw: Counter = field(default_factory=Counter)  # what people got meanwhile
    recovered_after: float | None = None  # seconds from the database back to the first 200
    samples: list[str] = field(default_factory=list)  # each different answer: status, heading

    @property
    def seconds_down(self) -> float:
        return self.back - self.went

    @property
    def only_service_page(self) -> bool:
        """Whatever was not served was the service's 503 page, and something was not served."""
        failed = Counter({k: n for k, n in (self.answers + self.people_saw).items() if k != "200"})
        return bool(failed) and set(failed) == {SERVICE_PAGE}


def make_outage(mode: str, base: str, proxy: CuttableProxy | None, database_url: str, seconds):
    """Take the database away, watch what the app answers, bring it back, time the recovery."""
    outage = Outage(mode)
    probing = Visitor(base, deadline=0)
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            answer = probing.once(PROBE_PATH)
            outage.answers[status_label(answer)] += 1
            if answer.status != 200:
                heading = answer.page.h1 if answer.page is not None else answer.cut_off
                sample = f"{answer.status} {heading!r}"
                if sample not in outage.samples:
                    outage.samples.append(sample)
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    outage.went = time.monotonic()
    if mode == "proxy":
        proxy.cut()
        watcher.start()
        time.sleep(seconds)
        proxy.restore()
    else:
        watcher.start()
        version, name = postgres_cluster(urllib.parse.urlsplit(database_url).port or 5432)
        restart = subprocess.Popen(["pg_ctlcluster", version, name, "restart"])
        seen_down = False
        while time.monotonic() - outage.went < 120:
            if not database_answers(database_url):
                seen_down = True
            elif seen_down or restart.poll() is not None:
                break  # back (or restarted faster than one look)
            time.sleep(0.05)
        restart.wait(timeout=120)
    outage.back = time.monotonic()
    stop.set()
    watcher.join()
    while time.monotonic() - outage.back < 60:
        if probing.once(PROBE_PATH).status == 200:
            outage.recovered_after = time.monotonic() - outage.back
            break
        time.sleep(0.05)
    return outage


# The run ------------------------------------------------------------------------------------


@dataclass
class Plan:
    clients: int = 50
    responses: int = 40
    feedback: int = 10
    kill_worker: bool = False
    kill_at: float = 0.25  # of the work acknowledged
    outage: str | None = None  # "proxy" or "restart"
    outage_at: float = 0.5
    outage_seconds: float = 4.0
    # Each person's first survey send and first "Tell us" lose their answer on the way back,
    # and are sent again a second later.
    lose_answers: bool = False
    workers: int = 2 * (os.cpu_count() or 1) + 1
    redis_url: str | None = "redis://127.0.0.1:6379/8"
    deadline: float = 120.0  # a person gives up pressing the button after this long


@dataclass
class Result:
    plan: Plan
    sent: Counter = field(default_factory=Counter)
    acknowledged: Counter = field(default_factory=Counter)
    stored: Counter = field(default_factory=Counter)
    duplicates: Counter = field(default_factory=Counter)
    missing: Counter = field(default_factory=Counter)
    in_part: int = 0  # survey responses stored without every answer sent
    acknowledged_not_stored: int = 0
    strangers: Counter = field(default_factory=Counter)  # stored, but nobody sent them
    failures: list[str] = field(default_factory=list)  # people who never got an acknowledgement
    errors: Counter = field(default_factory=Counter)
    requests: int = 0  # pages people asked for, redirects not counted
    server_errors_outside_outage: Counter = field(default_factory=Counter)
    killed: list[int] = field(default_factory=list)
    outage: Outage | None = None
    seconds: float = 0.0

    @property
    def nothing_lost(self) -> bool:
        return (
            not self.missing.total()
            and not self.acknowledged_not_stored
            and not self.in_part
            and not self.failures
        )

    @property
    def nothing_twice(self) -> bool:
        return not self.duplicates.total() and not self.strangers.total()

    def problems(self) -> list[str]:
        found = []
        if not self.nothing_lost:
            found.append("something was lost, stored in part or never acknowledged")
        if not self.nothing_twice:
            found.append("something was stored twice")
        calm = not self.plan.kill_worker and not self.plan.outage
        if calm and self.errors.total():
            found.append("errors under normal load")
        if self.server_errors_outside_outage.total():
            found.append("5xx answers outside a database outage")
        if self.outage is not None:
            if not self.outage.only_service_page:
                found.append("the outage was not answered with the service's 503 page only")
            if (
                self.outage.recovered_after is None
                or self.outage.recovered_after > RECOVERY_LIMIT_SECONDS
            ):
                found.append(f"not serving again within {RECOVERY_LIMIT_SECONDS:.0f}s")
        return found


def check_database(database_url: str, run: str, people: list[list[Sent]], result: Result) -> None:
    """Count what is stored against what was sent, by the markers typed into every answer."""
    import psycopg

    sent_by_marker = {s.marker: s for sents in people for s in sents}
    with psycopg.connect(plain(database_url)) as connection:
        survey_id = connection.execute(
            "SELECT id FROM surveys WHERE slug = %s", (SURVEY_SLUG,)
        ).fetchone()[0]
        responses: dict[int, dict] = defaultdict(lambda: {"questions": set(), "markers": set()})
        references = {}
        for response_id, reference, question_id, text in connection.execute(
            "SELECT r.id, r.reference, a.question_id, a.text FROM survey_responses r "
            "LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.survey_id = %s",
            (survey_id,),
        ):
            references[response_id] = reference
            if question_id is not None:
                responses[response_id]["questions"].add(question_id)
            for found in MARKER.finditer(text or ""):
                responses[response_id]["markers"].add(found.group(0))
        stored_by_marker: dict[str, list[tuple[str, set]]] = defaultdict(list)
        for response_id, reference in references.items():
            markers = responses[response_id]["markers"]
            if len(markers) != 1:
                result.strangers["survey"] += 1
                continue
            stored_by_marker[markers.pop()].append((reference, responses[response_id]["questions"]))
        for reference, text in connection.execute(
            "SELECT reference, text FROM contributions WHERE source_type = 'feedback' "
            "AND text LIKE %s",
            (f"%NLX{run}C%",),
        ):
            found = MARKER.search(text)
            stored_by_marker[found.group(0)].append((reference, set()))

    for marker, copies in stored_by_marker.items():
        if marker not in sent_by_marker:
            result.strangers["other run"] += len(copies)
    for marker, sent in sent_by_marker.items():
        copies = stored_by_marker.get(marker, [])
        result.sent[sent.kind] += 1
        result.acknowledged[sent.kind] += bool(sent.reference)
        result.stored[sent.kind] += len(copies)
        if not copies:
            result.missing[sent.kind] += 1
        result.duplicates[sent.kind] += max(len(copies) - 1, 0)
        if sent.kind == "survey" and sent.reference:
            result.in_part += sum(1 for _ref, questions in copies if questions != sent.questions)
        if sent.reference and sent.reference not in {ref for ref, _q in copies}:
            result.acknowledged_not_stored += 1
        if sent.failure:
            result.failures.append(f"{marker}: {sent.failure}")


def run(plan: Plan, database_url: str = DEFAULT_DATABASE, report=print) -> Result:
    """Build, serve, send, make trouble, check. The database is left for a look afterwards."""
    result = Result(plan)
    report(f"Building {database_name(database_url)} (migrations, demo seed, the survey) ...")
    began = time.monotonic()
    build(database_url)
    report(f"  built in {time.monotonic() - began:.1f}s")
    if plan.redis_url:
        import redis

        redis.Redis.from_url(plan.redis_url).flushdb()  # this run's own rate-limit counters
    proxy = None
    app_database = database_url
    if plan.outage == "proxy":
        parts = urllib.parse.urlsplit(database_url)
        proxy = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
        proxy.start()
        app_database = urllib.parse.urlunsplit(
            parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}")
        )
    port = free_port()
    env = dict(bench_env(app_database), **RUN_ENV)
    if plan.redis_url:
        env["REDIS_URL"] = plan.redis_url
    server_log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open until the server stops)
        "w", prefix="nothing-lost-gunicorn-", suffix=".log", delete=False
    )
    server = serve(
        "wsgi:app", port, env, workers=plan.workers, threads=1, timeout=60, log=server_log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        began = time.monotonic()
        _wait_until_served(base)
        report(f"  gunicorn answering after {time.monotonic() - began:.1f}s")
        report(f"  gunicorn's log (tracebacks the app logged): {server_log.name}")
        run_id = f"{random.randrange(16**4):04x}"
        total = plan.clients * (plan.responses + plan.feedback)
        done = [0]
        lock = threading.Lock()
        reached = threading.Condition(lock)

        def progress():
            with reached:
                done[0] += 1
                reached.notify_all()

        def wait_for_share(share: float) -> bool:
            with reached:
                return reached.wait_for(lambda: done[0] >= share * total, timeout=600)

        log = Log()
        people: list[list[Sent]] = [[] for _ in range(plan.clients)]

        def one(number):
            people[number] = person(base, run_id, number, plan, log, progress)

        report(
            f"Serving on {base} ({plan.workers} sync workers); {plan.clients} people x "
            f"({plan.responses} survey responses + {plan.feedback} Tell us)"
            + (" ; a worker is killed" if plan.kill_worker else "")
            + (" ; first answers lost and sent again" if plan.lose_answers else "")
            + (f" ; database outage: {plan.outage}" if plan.outage else "")
        )
        started = time.monotonic()
        threads = [threading.Thread(target=one, args=(n,)) for n in range(plan.clients)]
        for thread in threads:
            thread.start()
        if plan.kill_worker and wait_for_share(plan.kill_at):
            victim = worker_pids(server.pid)[0]
            os.kill(victim, signal.SIGKILL)
            result.killed.append(victim)
            report(f"  kill -9 worker {victim} at {done[0]}/{total} sent")
        if plan.outage and wait_for_share(plan.outage_at):
            report(f"  database outage ({plan.outage}) at {done[0]}/{total} sent")
            result.outage = make_outage(plan.outage, base, proxy, database_url, plan.outage_seconds)
        for thread in threads:
            thread.join()
        result.seconds = time.monotonic() - started
        result.errors = log.errors
        result.requests = log.requests
        outage = result.outage
        for when, label in log.timeline:
            during = (
                outage is not None
                and outage.went <= when <= outage.back + (outage.recovered_after or 0) + 1.0
            )
            if during:
                outage.people_saw[label] += 1
            elif label[:1] == "5":
                result.server_errors_outside_outage[label] += 1
        check_database(database_url, run_id, people, result)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
        if proxy is not None:
            proxy.cut()
    return result


def _wait_until_served(base: str) -> None:
    visitor = Visitor(base, deadline=0)
    for _ in range(300):
        if visitor.once("/healthz").status == 200:
            return
        time.sleep(0.1)
    raise RuntimeError(f"{base} never answered")


def print_result(result: Result, report=print) -> None:
    report(
        f"\nFinished in {result.seconds:.1f}s: {result.requests} requests from people "
        f"({result.requests / max(result.seconds, 0.001):.0f} a second; redirects followed not "
        "counted)"
    )
    report(f"  {'':<10} {'sent':>6} {'acked':>6} {'stored':>6} {'twice':>6} {'missing':>7}")
    for kind, label in (("survey", "responses"), ("feedback", "Tell us")):
        report(
            f"  {label:<10} {result.sent[kind]:>6} {result.acknowledged[kind]:>6} "
            f"{result.stored[kind]:>6} {result.duplicates[kind]:>6} {result.missing[kind]:>7}"
        )
    report(f"  survey responses stored without every answer sent: {result.in_part}")
    report(f"  acknowledged but not stored under that reference: {result.acknowledged_not_stored}")
    if result.strangers.total():
        report(f"  stored but sent by nobody in this run: {dict(result.strangers)}")
    if result.killed:
        report(f"  workers killed: {result.killed}")
    if result.server_errors_outside_outage:
        report(f"  5xx outside an outage: {dict(result.server_errors_outside_outage)}")
    report("  answers other than a page, by status (each was pressed again):")
    for label, count in sorted(result.errors.items()) or [("none", 0)]:
        report(f"    {label:<60} {count}")
    if result.outage is not None:
        outage = result.outage
        report(f"  outage ({outage.mode}): database away {outage.seconds_down:.1f}s")
        for label, count in sorted(outage.answers.items()):
            report(f"    probe while away: {label:<42} {count}")
        for label, count in sorted(outage.people_saw.items()):
            report(f"    people while away: {label:<41} {count}")
        for sample in outage.samples:
            report(f"    e.g. {sample}")
        recovered = (
            f"{outage.recovered_after:.2f}s"
            if outage.recovered_after is not None
            else "not within 60s"
        )
        report(f"    first page served {recovered} after the database was back")
    for failure in result.failures[:10]:
        report(f"  never acknowledged: {failure}")
    problems = result.problems()
    report("\nNOTHING LOST" if not problems else "\nFAILED: " + "; ".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=40, help="survey responses per person")
    parser.add_argument("--feedback", type=int, default=10, help='"Tell us" forms per person')
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--outage", choices=["proxy", "restart"])
    parser.add_argument("--outage-seconds", type=float, default=4.0)
    parser.add_argument(
        "--lose-answers",
        action="store_true",
        help='each person\'s first survey send and first "Tell us" lose their answer on the way '
        "back and are sent again",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    args = parser.parse_args()
    plan = Plan(
        clients=args.clients,
        responses=args.responses,
        feedback=args.feedback,
        kill_worker=args.kill_worker,
        outage=args.outage,
        outage_seconds=args.outage_seconds,
        lose_answers=args.lose_answers,
        workers=args.workers,
        redis_url=args.redis_url or None,
    )
    result = run(plan, args.database_url)
    print_result(result)
    sys.exit(1 if result.problems() else 0)


if __name__ == "__main__":
    main()
