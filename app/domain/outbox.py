"""Email through a transactional outbox.

`enqueue` adds a row in the caller's transaction, so an email exists exactly when the change
that caused it committed. `deliver_due` claims rows one at a time with a conditional UPDATE,
which is atomic on SQLite and PostgreSQL alike: two workers never send the same message.
"""

import logging
import os
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g
from sqlalchemy import update

from ..extensions import db
from ..models import OutboxMessage
from ..models.base import utcnow

log = logging.getLogger(__name__)

# A message stuck in "sending" this long belongs to a worker that died; it is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)


def enqueue(kind: str, to: str, subject: str, body: str, headers: dict | None = None) -> OutboxMessage:
    message = OutboxMessage(kind=kind, to_address=to, subject=subject, body_text=body, headers=headers or {})
    db.session.add(message)
    if current_app:
        g.outbox_has_mail = True
    return message


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    return email


class FileSender:
    """Development: each email is a .eml file you can open in a mail program."""

    def __init__(self, directory: str):
        self.directory = directory

    def send(self, message: OutboxMessage, email: EmailMessage) -> None:
        os.makedirs(self.directory, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        path = os.path.join(self.directory, f"{stamp}-{message.id}-{message.kind}.eml")
        with open(path, "wb") as handle:
            handle.write(bytes(email))


class SmtpSender:
    def __init__(self, config):
        self.config = config

    def send(self, message: OutboxMessage, email: EmailMessage) -> None:
        with smtplib.SMTP(self.config["SMTP_HOST"], self.config["SMTP_PORT"], timeout=30) as smtp:
            if self.config["SMTP_STARTTLS"]:
                smtp.starttls()
            if self.config["SMTP_USERNAME"]:
                smtp.login(self.config["SMTP_USERNAME"], self.config["SMTP_PASSWORD"] or "")
            smtp.send_message(email)


def configured_sender():
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        return SmtpSender(config)
    return FileSender(config["MAIL_FILE_DIR"])


def _claim(message_id: int) -> bool:
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .where(
            (OutboxMessage.status == "pending")
            | ((OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT))
        )
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 60 * 60))


def deliver_due(sender=None, limit: int = 100) -> int:
    """Send what is due; return how many were sent."""
    sender = sender or configured_sender()
    now = utcnow()
    due_ids = db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = 0
    for message_id in due_ids:
        if not _claim(message_id):
            continue  # another worker has it
        message = db.session.get(OutboxMessage, message_id)
        try:
            sender.send(message, build_email(message))
        except Exception as error:  # any failure is retried later, never lost
            log.warning("Email %s failed: %s", message_id, error)
            message.last_error = str(error)[:2000]
            if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
                message.status = "failed"
            else:
                message.status = "pending"
                message.next_attempt_at = utcnow() + backoff(message.attempts)
        else:
            message.status = "sent"
            message.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent
