"""Email through a transactional outbox.

`enqueue` adds a row in the caller's transaction, so an email exists exactly when the change
that caused it committed. `deliver_due` claims one row at a time with a single conditional
UPDATE … RETURNING, which is atomic on SQLite (one writer at a time) and on PostgreSQL (the
row is re-checked after any concurrent update; `FOR UPDATE SKIP LOCKED` in the subquery lets
workers pass over rows another worker is claiming instead of queueing behind them). Two or more
workers therefore never send the same message.

Each step is its own short transaction whose first statement is a write, and no transaction
stays open while the mail server is talked to: on SQLite in WAL mode a read transaction that
later tries to write fails at once if another worker wrote in between, so reads are never
followed by writes in one transaction here.
"""

import contextlib
import logging
import os
import secrets
import smtplib
import ssl
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import update

from ...extensions import db
from ...models import OutboxMessage
from ...models.base import utcnow
from ..shared import records

log = logging.getLogger(__name__)

# Whether the current request queued an email, so the web layer can send it straight after the
# response when OUTBOX_DELIVER_AFTER_REQUEST is on (app/web.py sets it to False per request).
mail_queued: ContextVar[bool] = ContextVar("mail_queued", default=False)

# A message stuck in "sending" this long belongs to a worker that died; it is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)


# Attachments are kept in the message's headers JSON under this reserved key (the table has no
# column for them); keys starting with "_" are never sent as headers.
ATTACHMENTS_KEY = "_attachments"


@dataclass(frozen=True)
class Attachment:
    """A small text attachment, such as an .ics calendar file."""

    filename: str
    content_type: str  # e.g. "text/calendar"
    content: str


def enqueue(
    kind: str,
    to: str,
    subject: str,
    body: str,
    headers: dict | None = None,
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    """Add an email to the caller's transaction; it is sent only if that transaction commits."""
    stored = dict(headers or {})
    if attachments:
        stored[ATTACHMENTS_KEY] = [
            {"filename": a.filename, "content_type": a.content_type, "content": a.content}
            for a in attachments
        ]
    message = OutboxMessage(
        kind=kind, to_address=to, subject=subject, body_text=body, headers=stored
    )
    db.session.add(message)
    mail_queued.set(True)
    return message


@dataclass
class ClaimedMessage:
    """A message this worker has claimed: a plain copy, so no transaction is open while sending."""

    id: int
    kind: str
    to_address: str
    subject: str
    body_text: str
    headers: dict = field(default_factory=dict)
    attempts: int = 0


def build_email(message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    headers = message.headers or {}
    for name, value in headers.items():
        if not name.startswith("_"):
            email[name] = value
    email.set_content(message.body_text)
    for attachment in headers.get(ATTACHMENTS_KEY) or ():
        maintype, _slash, subtype = attachment["content_type"].partition("/")
        # As bytes (base64), so the content arrives exactly as written: an .ics file needs its
        # CRLFs.
        email.add_attachment(
            attachment["content"].encode("utf-8"),
            maintype=maintype,
            subtype=subtype or "plain",
            filename=attachment["filename"],
            params={"charset": "utf-8"},
        )
    return email


class FileSender:
    """Development: each email is a .eml file you can open in a mail program."""

    def __init__(self, directory: str):
        self.directory = directory

    def send(self, message, email: EmailMessage) -> None:
        os.makedirs(self.directory, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        unique = secrets.token_hex(4)  # ids can repeat after a rollback; files must not collide
        path = os.path.join(self.directory, f"{stamp}-{message.id:08d}-{message.kind}-{unique}.eml")
        with open(path, "wb") as handle:
            handle.write(bytes(email))

    def close(self) -> None:
        pass


class SmtpSender:
    """Sends over SMTP, reusing one connection for a batch; any failure drops the connection
    so the next message starts afresh. STARTTLS verifies the server's certificate."""

    def __init__(self, config):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(
            config["SMTP_HOST"], config["SMTP_PORT"], timeout=config.get("SMTP_TIMEOUT", 30)
        )
        try:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        except Exception:
            _quietly_close(smtp)
            raise
        return smtp

    def send(self, message, email: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(email)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
            self._smtp = None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:
        with contextlib.suppress(Exception):
            smtp.close()


def configured_sender():
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        return SmtpSender(config)
    return FileSender(config["MAIL_FILE_DIR"])


def _is_due(now):
    """Pending and due, or claimed by a worker that has not finished within CLAIM_TIMEOUT."""
    return ((OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now)) | (
        (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT)
    )


def _claim_next() -> ClaimedMessage | None:
    """Claim the next due message in one statement and commit; None when nothing is due."""
    now = utcnow()
    row = records.claim_next(
        OutboxMessage,
        _is_due(now),
        order_by=(OutboxMessage.next_attempt_at, OutboxMessage.id),
        values={"status": "sending", "claimed_at": now, "attempts": OutboxMessage.attempts + 1},
        returning=(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.to_address,
            OutboxMessage.subject,
            OutboxMessage.body_text,
            OutboxMessage.headers,
            OutboxMessage.attempts,
        ),
    )
    if row is None:
        return None
    return ClaimedMessage(
        id=row.id,
        kind=row.kind,
        to_address=row.to_address,
        subject=row.subject,
        body_text=row.body_text,
        headers=row.headers or {},
        attempts=row.attempts,
    )


def _finish(message: ClaimedMessage, **values) -> None:
    """Record the outcome, only if this worker's claim still stands (attempts is the claim's
    version)."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == "sending",
            OutboxMessage.attempts == message.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 60 * 60))


def deliver_due(sender=None, limit: int = 100) -> int:
    """Send up to `limit` due messages; return how many were sent.

    A failure leaves the message pending with its error and a growing delay before the next
    attempt; after OUTBOX_MAX_ATTEMPTS it is marked failed. Nothing is ever lost silently.
    """
    sender = sender or configured_sender()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    sent = 0
    try:
        for _ in range(limit):
            message = _claim_next()
            if message is None:
                break
            try:
                sender.send(message, build_email(message))
            except Exception as error:  # any failure is retried later, never lost
                log.warning("Email %s failed (attempt %s): %s", message.id, message.attempts, error)
                failed = message.attempts >= max_attempts
                reason = (str(error) or error.__class__.__name__)[:2000]
                _finish(
                    message,
                    status="failed" if failed else "pending",
                    last_error=reason,
                    next_attempt_at=utcnow() + backoff(message.attempts),
                )
            else:
                _finish(message, status="sent", sent_at=utcnow())
                sent += 1
    finally:
        close = getattr(sender, "close", None)
        if close:
            close()
    return sent
