"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1, run by the test)."""

import socket
import threading
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app.domain.mail import outbox
from app.domain.mail.outbox import CLAIM_TIMEOUT, SmtpSender, deliver_due
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0, refuse: tuple[str, ...] = ()):
        self.delay = delay
        self.refuse = refuse
        self.messages = []
        self.logins = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(message["Subject"]) for message in self.messages]

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"right-password", handled=False)


@contextmanager
def smtp_server(port: int | None = None, **options):
    """A real SMTP server on 127.0.0.1; yields (inbox, port)."""
    port = port or free_port()
    inbox = Inbox(**options)
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def smtp_config(app, port: int, **extra) -> dict:
    settings = {
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_STARTTLS": False,
        "SMTP_USERNAME": None,
        "SMTP_PASSWORD": None,
        "SMTP_TIMEOUT": 10,
    }
    settings.update(extra)
    return dict(app.config, **settings)


def queue(
    subject: str, to: str = "someone@example.org", kind: str = "test", headers=None
) -> OutboxMessage:
    message = outbox.enqueue(kind, to, subject, f"Body of {subject}", headers=headers)
    db.session.commit()
    return message


@pytest.mark.committing
def test_two_workers_send_each_of_50_messages_exactly_once(app):
    """Two worker threads, each with its own app context, session and connection, drain the
    same queue at the same time; the SMTP server must receive every message exactly once."""
    run = uuid.uuid4().hex[:10]
    kind = f"test-{run}"
    subjects = [f"Two workers {run} message {n}" for n in range(50)]
    try:
        with app.app_context():
            for n, subject in enumerate(subjects):
                outbox.enqueue(kind, f"person{n}@example.org", subject, f"Message {n}")
            db.session.commit()

        # A small delay per message keeps both workers busy at once, so they really compete.
        with smtp_server(delay=0.01) as (inbox, port):
            config = smtp_config(app, port)
            barrier = threading.Barrier(2)
            sent: dict[str, int] = {}
            errors: list[BaseException] = []

            def worker(name: str) -> None:
                try:
                    with app.app_context():
                        barrier.wait(timeout=10)
                        sent[name] = deliver_due(sender=SmtpSender(config), limit=200)
                except BaseException as error:  # reported below, with the worker's name
                    errors.append(error)

            threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert not any(thread.is_alive() for thread in threads), "a worker did not finish"
            assert not errors, errors

        received = Counter(subject for subject in inbox.subjects() if run in subject)
        assert set(received) == set(subjects), "some messages were never received"
        duplicates = {subject: count for subject, count in received.items() if count != 1}
        assert not duplicates, f"received more than once: {duplicates}"
        assert sent["one"] > 0 and sent["two"] > 0, f"both workers should have sent some: {sent}"

        with app.app_context():
            rows = db.session.scalars(
                db.select(OutboxMessage).where(OutboxMessage.kind == kind)
            ).all()
            assert len(rows) == 50
            assert {row.status for row in rows} == {"sent"}
            assert {row.attempts for row in rows} == {1}  # never claimed twice
            assert all(row.sent_at for row in rows)
    finally:
        with app.app_context():
            db.session.execute(db.delete(OutboxMessage).where(OutboxMessage.kind == kind))
            db.session.commit()


def test_smtp_down_then_back_sends_with_flask_outbox_work(app, app_ctx, monkeypatch):
    port = free_port()  # nothing listens here yet: the mail server is down
    for name, value in smtp_config(app, port).items():
        if name.startswith(("SMTP_", "MAIL_BACKEND")):
            monkeypatch.setitem(app.config, name, value)
    subject = f"Down and up {uuid.uuid4().hex}"
    message = queue(subject, to="parent@example.org")

    before = utcnow()
    assert deliver_due() == 0
    db.session.refresh(message)
    assert message.status == "pending"
    assert message.attempts == 1
    assert message.last_error, "the error is kept so staff can see why"
    assert message.next_attempt_at >= before + timedelta(seconds=29)  # backs off, no busy loop
    assert message.sent_at is None

    runner = app.test_cli_runner()
    with smtp_server(port=port) as (inbox, _port):
        # Back up, but the message is not due until its backoff has passed.
        result = runner.invoke(args=["outbox", "work", "--once"])
        assert result.exit_code == 0, result.output
        assert subject not in inbox.subjects()

        message.next_attempt_at = utcnow() - timedelta(seconds=1)  # the 30 seconds have passed
        db.session.commit()
        result = runner.invoke(args=["outbox", "work", "--once"])
        assert result.exit_code == 0, result.output
        assert "Sent" in result.output
        assert inbox.subjects().count(subject) == 1
        received = next(m for m in inbox.messages if str(m["Subject"]) == subject)
        assert received["To"] == "parent@example.org"
        assert received.get_content().strip() == f"Body of {subject}"

        # Running it again sends nothing more.
        runner.invoke(args=["outbox", "work", "--once"])
        assert inbox.subjects().count(subject) == 1

    db.session.refresh(message)
    assert message.status == "sent"
    assert message.attempts == 2
    assert message.sent_at is not None


def test_a_refused_recipient_does_not_stop_the_rest_of_the_batch(app, app_ctx):
    run = uuid.uuid4().hex
    first = queue(f"{run} first", to="one@example.org")
    bounced = queue(f"{run} bounced", to="bounce@example.org")
    last = queue(f"{run} last", to="three@example.org")
    with smtp_server(refuse=("bounce@example.org",)) as (inbox, port):
        deliver_due(sender=SmtpSender(smtp_config(app, port)))
        assert sorted(s for s in inbox.subjects() if run in s) == [f"{run} first", f"{run} last"]
    for message in (first, bounced, last):
        db.session.refresh(message)
    assert (first.status, last.status) == ("sent", "sent")
    assert bounced.status == "pending"
    assert "bounce@example.org" in bounced.last_error


def test_smtp_sender_signs_in_when_a_username_is_configured(app, app_ctx):
    subject = f"Signed in {uuid.uuid4().hex}"
    message = queue(subject)
    with smtp_server() as (inbox, port):
        wrong = SmtpSender(smtp_config(app, port, SMTP_USERNAME="mailer", SMTP_PASSWORD="wrong"))
        assert deliver_due(sender=wrong) == 0
        db.session.refresh(message)
        assert message.status == "pending" and "535" in message.last_error
        message.next_attempt_at = utcnow()
        db.session.commit()
        right = SmtpSender(
            smtp_config(app, port, SMTP_USERNAME="mailer", SMTP_PASSWORD="right-password")
        )
        assert deliver_due(sender=right) >= 1
        assert inbox.subjects().count(subject) == 1
        assert ("mailer", "wrong") in inbox.logins  # smtplib may try more than one mechanism
        assert inbox.logins[-1] == ("mailer", "right-password")


class _Failing:
    def send(self, message, email):
        raise OSError("mail server unreachable")


def test_gives_up_after_the_maximum_attempts(app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    message = queue(f"Never {uuid.uuid4().hex}")
    delays = []
    for attempt in range(1, 4):
        started = utcnow()
        deliver_due(sender=_Failing())
        db.session.refresh(message)
        assert message.attempts == attempt
        assert message.last_error == "mail server unreachable"
        delays.append(message.next_attempt_at - started)
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert message.status == "failed"
    assert delays[0] < delays[1] < delays[2]  # each retry waits longer
    deliver_due(sender=_Failing())
    db.session.refresh(message)
    assert message.attempts == 3  # a failed message is not tried again


class _Recording:
    def __init__(self):
        self.subjects = []

    def send(self, message, email):
        self.subjects.append(str(email["Subject"]))


def test_a_message_left_sending_by_a_dead_worker_is_retried(app, app_ctx):
    run = uuid.uuid4().hex
    stale = queue(f"{run} stale")
    busy = queue(f"{run} busy")
    now = utcnow()
    stale.status, stale.claimed_at, stale.attempts = (
        "sending",
        now - CLAIM_TIMEOUT - timedelta(minutes=1),
        1,
    )
    busy.status, busy.claimed_at, busy.attempts = "sending", now - timedelta(minutes=1), 1
    db.session.commit()
    sender = _Recording()
    deliver_due(sender=sender)
    assert [s for s in sender.subjects if run in s] == [f"{run} stale"]
    db.session.refresh(stale)
    db.session.refresh(busy)
    assert (stale.status, stale.attempts) == ("sent", 2)
    assert busy.status == "sending"  # another worker may still be sending it


def test_only_due_messages_are_sent_and_the_limit_is_kept(app, app_ctx):
    run = uuid.uuid4().hex
    later = queue(f"{run} later")
    later.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    for n in range(3):
        queue(f"{run} now {n}")
    sender = _Recording()
    assert deliver_due(sender=sender, limit=2) == 2
    assert deliver_due(sender=sender) >= 1
    ours = [s for s in sender.subjects if run in s]
    assert sorted(ours) == [f"{run} now 0", f"{run} now 1", f"{run} now 2"]
    db.session.refresh(later)
    assert later.status == "pending" and later.attempts == 0


def test_extra_headers_are_sent(app, app_ctx):
    subject = f"Headers {uuid.uuid4().hex}"
    queue(
        subject,
        headers={
            "List-Unsubscribe": "<https://example.org/u/abc>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    with smtp_server() as (inbox, port):
        deliver_due(sender=SmtpSender(smtp_config(app, port)))
        received = next(m for m in inbox.messages if str(m["Subject"]) == subject)
    assert received["List-Unsubscribe"] == "<https://example.org/u/abc>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["From"] == app.config["MAIL_FROM"]
