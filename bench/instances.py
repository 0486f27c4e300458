"""Two instances as one: two gunicorn instances of the production configuration, on different
ports, sharing one PostgreSQL database and Redis, must behave as one service.

    .venv/bin/python bench/instances.py [--emails 300] [--database-url postgresql://.../noloss_run]
        [--redis-url redis://127.0.0.1:6379/9]

It builds its own database (migrations and the demo seed with the demo staff), starts instances
A and B, and shows, printing the figures:

  (a) a rate limit counts across both: sign-in attempts sent in turn to A and B are refused
      (429) once the configured limit is reached in total, not twice the limit;
  (b) a member of staff signed in on A is signed in on B, and signing out on B ends the session
      on A too (the old cookie no longer works anywhere);
  (c) a public page (an action's page) read on B, then changed through A by staff (the action's
      title, through the staff form), shows the change on B at once;
  (d) two `flask outbox work` processes running at once against the same queued emails send
      each one exactly once, to an SMTP server this script runs (aiosmtpd), counted by the
      outbox id in each Message-ID.

It exits non-zero when any of them fails. Nothing leaves this machine.
"""

import argparse
import asyncio
import email
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.harness import bench_env, free_port, serve  # noqa: E402
from bench.nothing_lost import DEFAULT_DATABASE, build, plain  # noqa: E402
from bench.visitor import Page, Visitor, status_label  # noqa: E402

SIGN_IN_PER_MINUTE = 10  # the first of config.SIGN_IN_RATE_LIMIT ("10 per minute;40 per hour")


def demo_staff(role: str = "coordinator") -> tuple[str, str]:
    from app.demo import kent

    found = next(e for e, _name, r, _org in kent.DEMO_USERS if r == role)
    return found, kent.DEMO_PASSWORD


def sign_in(visitor: Visitor, address: str, password: str) -> Page:
    page = visitor.get("/auth/sign-in")
    pairs = [(n, v) for n, v in page.form().as_shown() if n not in ("email", "password")]
    return visitor.send(page, [*pairs, ("email", address), ("password", password)])


# (a) ----------------------------------------------------------------------------------------


def rate_limit_across(bases: list[str]) -> tuple[int, list[str]]:
    """Wrong sign-ins, each for a different address, sent to A and B in turn: how many were
    answered before the first 429, and what each answer was."""
    seen = []
    answered = 0
    for attempt in range(3 * SIGN_IN_PER_MINUTE):
        visitor = Visitor(bases[attempt % len(bases)], deadline=0)
        page = visitor.get("/auth/sign-in")
        pairs = [(n, v) for n, v in page.form().as_shown() if n not in ("email", "password")]
        pairs += [("email", f"nobody{attempt}@example.org"), ("password", "not the password")]
        answer = visitor.once(page.url, pairs)
        seen.append(("AB"[attempt % len(bases)], status_label(answer)))
        if answer.status == 429:
            return answered, seen
        answered += 1
    return answered, seen


# (b) ----------------------------------------------------------------------------------------


def signed_in_on(visitor: Visitor) -> bool:
    page = visitor.get("/manage")
    return page.path.startswith("/manage")


def one_session(base_a: str, base_b: str) -> dict:
    on_a = Visitor(base_a)
    landed = sign_in(on_a, *demo_staff())
    figures = {"signed in on A": landed.path.startswith("/manage")}
    on_b = on_a.at(base_b)
    figures["then signed in on B"] = signed_in_on(on_b)
    kept = Visitor(base_a)  # the same cookies, kept aside, as someone who copied them would
    for cookie in on_a.jar:
        kept.jar.set_cookie(cookie)
    home = on_b.get("/manage")
    sign_out = next((f for f in home.forms if f.method == "post" and "sign-out" in f.action), None)
    if sign_out is None:
        figures["signed out on B"] = False
        return figures
    after = on_b.until_answered(sign_out.action, sign_out.as_shown())
    figures["signed out on B"] = not after.path.startswith("/manage")
    figures["old cookie refused on A"] = not signed_in_on(kept)
    return figures


# (c) ----------------------------------------------------------------------------------------


def fresh_everywhere(base_a: str, base_b: str, database_url: str) -> dict:
    import psycopg

    with psycopg.connect(plain(database_url)) as connection:
        action_id, reference, title = connection.execute(
            "SELECT id, reference, title FROM actions ORDER BY id LIMIT 1"
        ).fetchone()
    public = Visitor(base_b)
    for _ in range(3):  # read it on B, more than once, so any cache holds it
        before = public.get(f"/actions/{reference}")
    mark = f"changed {secrets.token_hex(3)}"
    new_title = f"{title} ({mark})"
    staff = Visitor(base_a)
    sign_in(staff, *demo_staff("officer"))  # officers keep the plan
    form_page = staff.get(f"/manage/plan/actions/{action_id}/edit")
    pairs = [(n, new_title if n == "title" else v) for n, v in form_page.form().as_shown()]
    saved = staff.send(form_page, pairs)
    changed_at = time.monotonic()
    after = public.get(f"/actions/{reference}")
    seconds = time.monotonic() - changed_at
    return {
        "page": f"/actions/{reference}",
        "read on B before": before.status == 200 and mark not in before.html,
        "saved through A": saved.path != form_page.path,
        "new title shown on B at once": mark in after.html,
        "read on B after the change (ms)": round(seconds * 1000),
    }


# (d) ----------------------------------------------------------------------------------------


class Sink:
    """An SMTP server that keeps the outbox id of every message it is given."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.by_outbox_id: Counter = Counter()
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        found = re.search(r"outbox-(\d+)@", message.get("Message-ID", ""))
        with self.lock:
            self.received += 1
            self.by_outbox_id[int(found.group(1)) if found else -1] += 1
        await asyncio.sleep(self.delay)  # a mail server takes a moment: the workers overlap
        return "250 Message accepted"


def queue_emails(env: dict, count: int) -> None:
    """Queue `count` emails through the outbox, as the service does, in a child process."""
    code = (
        "import sys\n"
        "from app import create_app\n"
        "from app.domain.mail import outbox\n"
        "from app.extensions import db\n"
        "app = create_app('production')\n"
        "with app.app_context():\n"
        "    for n in range(int(sys.argv[1])):\n"
        "        outbox.enqueue('bench', f'person{n}@example.org', f'Message {n}', 'Hello.')\n"
        "    db.session.commit()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(count)], cwd=ROOT, env=env, check=True, capture_output=True
    )


def each_email_once(env: dict, database_url: str, count: int, delay: float) -> dict:
    import psycopg
    from aiosmtpd.controller import Controller

    queue_emails(env, count)
    sink = Sink(delay)
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = dict(
        env,
        FLASK_APP="wsgi.py",
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
    )
    flask = os.path.join(ROOT, ".venv", "bin", "flask")
    workers = [
        subprocess.Popen(
            [flask, "outbox", "work", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # read for "Sent N email(s)" only
            text=True,
        )
        for _ in range(2)
    ]
    started = time.monotonic()
    quiet_since, last = time.monotonic(), -1
    while time.monotonic() - started < 300:
        with sink.lock:
            received = sink.received
        if received != last:
            quiet_since, last = time.monotonic(), received
        if received >= count and time.monotonic() - quiet_since > 3:
            break  # everything arrived, and nothing more for a few seconds
        time.sleep(0.2)
    seconds = time.monotonic() - started
    sent_by = []
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
        sent_by.append(sum(int(n) for n in re.findall(r"Sent (\d+) email", output or "")))
    controller.stop()
    with psycopg.connect(plain(database_url)) as connection:
        statuses = dict(
            connection.execute("SELECT status, count(*) FROM outbox_messages GROUP BY status")
        )
    twice = sum(n - 1 for n in sink.by_outbox_id.values() if n > 1)
    return {
        "queued": count,
        "received by the SMTP server": sink.received,
        "different emails received": len(sink.by_outbox_id),
        "received twice": twice,
        "sent by worker 1 / worker 2": f"{sent_by[0]} / {sent_by[1]}",
        "outbox rows by status": statuses,
        "seconds": round(seconds, 1),
    }


# The run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--emails", type=int, default=300)
    parser.add_argument("--smtp-delay", type=float, default=0.01, help="seconds per email")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args()

    import redis

    print(f"Building {args.database_url.rsplit('/', 1)[-1]} (migrations, demo seed) ...")
    build(args.database_url, demo_users=True)
    store = redis.Redis.from_url(args.redis_url)
    store.flushdb()  # this script's own database number: its rate-limit counters only
    env = dict(bench_env(args.database_url), REDIS_URL=args.redis_url)
    ports = [free_port(), free_port()]
    server_log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open until the servers stop)
        "w", prefix="instances-gunicorn-", suffix=".log", delete=False
    )
    servers = [
        serve("wsgi:app", p, env, workers=args.workers, threads=1, log=server_log) for p in ports
    ]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    failures = []

    def show(title: str, figures: dict, good: bool) -> None:
        print(f"\n{title}: {'yes' if good else 'NO'}")
        for name, value in figures.items():
            print(f"  {name:<40} {value}")
        if not good:
            failures.append(title)

    try:
        for base in bases:
            probe = Visitor(base, deadline=60)
            probe.get("/healthz")
        print(f"Instance A {bases[0]}, instance B {bases[1]}; Redis {args.redis_url}")
        print(f"  gunicorn's log: {server_log.name}")

        figures = one_session(*bases)
        show("(b) signed in on A is signed in on B", figures, all(figures.values()))

        figures = fresh_everywhere(*bases, args.database_url)
        good = all(v for k, v in figures.items() if not k.endswith("(ms)"))
        show("(c) a page changed through A is fresh on B", figures, good)

        store.flushdb()  # the sign-ins above counted too
        answered, seen = rate_limit_across(bases)
        figures = {
            "configured": f"{SIGN_IN_PER_MINUTE} per minute per address",
            "answered before the first 429": answered,
            "answers in turn": " ".join(f"{where}:{label}" for where, label in seen),
        }
        show("(a) a rate limit counts across A and B", figures, answered == SIGN_IN_PER_MINUTE)

        figures = each_email_once(env, args.database_url, args.emails, args.smtp_delay)
        good = (
            figures["received twice"] == 0
            and figures["different emails received"] == args.emails
            and figures["outbox rows by status"] == {"sent": args.emails}
        )
        show("(d) two outbox workers send each email once", figures, good)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log.close()
    print("\nTWO INSTANCES AS ONE" if not failures else "\nFAILED: " + "; ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
