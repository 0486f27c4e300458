"""Staff change their own password (the current one first); an administrator sends a link to set
a new one (one use, an hour, only its hash kept)."""

import email
import email.policy
import hashlib
import os
import re
from datetime import timedelta

from app.extensions import db
from app.models import AuditEntry, OutboxMessage
from app.models.base import utcnow

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, sign_in_as, user_for
from ..helpers import error_summary, field_error, heading, notification

NEW_PASSWORD = "violet kettle harbour lantern"


def sign_in(client, email_address, password):
    return client.post("/auth/sign-in", data={"email": email_address, "password": password})


def actions(name):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == name)).all()


def test_staff_change_their_password_with_the_current_one(app, client, signed_in, app_ctx):
    signed_in("officer")
    elsewhere = app.test_client()
    sign_in_as(elsewhere, "officer")
    form = client.get("/manage/account/password")
    assert heading(form) == "Change your password"

    wrong = client.post(
        "/manage/account/password",
        data={"current": "not-my-password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert field_error(wrong, "current") == "Your current password is not right"
    weak = client.post(
        "/manage/account/password",
        data={"current": DEMO_PASSWORD, "password": "short", "confirm": "short"},
    )
    assert field_error(weak, "password") == "Password must be 12 characters or more"
    missing = client.post("/manage/account/password", data={})
    assert error_summary(missing) == [
        "Enter your current password",
        "Enter a new password",
        "Enter the password again",
    ]

    done = client.post(
        "/manage/account/password",
        data={"current": DEMO_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.headers["Location"] == "/manage/account"
    assert "Your password has been changed" in notification(client.get("/manage/account"))
    assert client.get("/manage/").status_code == 200  # this session carries on
    assert elsewhere.get("/manage/").status_code == 302  # every other one has ended
    assert len(actions("auth.password_changed")) == 1
    client.post("/auth/sign-out")
    assert sign_in(client, DEMO_EMAILS["officer"], DEMO_PASSWORD).status_code == 200
    assert sign_in(client, DEMO_EMAILS["officer"], NEW_PASSWORD).status_code == 302


def reset_link(mail_dir, address) -> str:
    for name in sorted(os.listdir(mail_dir), reverse=True):
        with open(os.path.join(mail_dir, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        if message["To"] == address and "new password" in message["Subject"]:
            return re.search(r"https?://[^/\s]+(/auth/set-password/\S+)", message.get_content())[1]
    raise AssertionError("no reset email")


def test_an_admin_sends_a_reset_link_that_works_once_within_an_hour(
    app, client, signed_in, app_ctx, mail_dir
):
    officer = user_for("officer")
    officer_client = app.test_client()
    sign_in_as(officer_client, "officer")
    signed_in("admin")
    sent = client.post(f"/manage/users/{officer.id}/password-reset")
    assert sent.status_code == 302
    assert "It works once and expires in 60 minutes" in notification(
        client.get(f"/manage/users/{officer.id}")
    )
    [message] = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
    ).all()
    assert message.to_address == officer.email
    link = reset_link(mail_dir, officer.email)
    token = link.rsplit("/", 1)[1]
    db.session.expire_all()
    officer = user_for("officer")
    assert officer.invitation_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (officer.invitation_token_hash or "")
    assert timedelta(minutes=59) < officer.invitation_expires_at - utcnow() <= timedelta(hours=1)
    [entry] = actions("user.password_reset_sent")
    assert entry.actor_id == user_for("admin").id

    fresh = app.test_client()
    assert heading(fresh.get(link)) == "Set your password"
    done = fresh.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/auth/sign-in"
    assert fresh.get(link).status_code == 404  # once only
    assert officer_client.get("/manage/").status_code == 302  # old sessions end
    assert sign_in(fresh, officer.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_expires_after_an_hour(app, client, signed_in, app_ctx, mail_dir):
    officer = user_for("officer")
    signed_in("admin")
    client.post(f"/manage/users/{officer.id}/password-reset")
    link = reset_link(mail_dir, officer.email)
    officer = user_for("officer")
    officer.invitation_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert app.test_client().get(link).status_code == 404


def test_only_admins_send_reset_links(client, signed_in, app_ctx):
    signed_in("officer")
    admin = user_for("admin")
    assert client.post(f"/manage/users/{admin.id}/password-reset").status_code == 403
