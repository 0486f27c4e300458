"""Invitation links end to end: invite -> email -> set password -> sign in; one use; expiry."""

import email
import email.policy
import os
import re
from datetime import timedelta

import pytest

from app.domain.people import accounts
from app.extensions import db
from app.models import AuditEntry, Organisation
from app.models.base import utcnow

from ..conftest import sign_in_as
from ..helpers import error_summary, field_error, heading, main_text, notification

STRONG = "plum-orchard-lantern-7"
INVALID_HEADING = "This link has expired or has already been used"


def clear_mail(mail_dir):
    os.makedirs(mail_dir, exist_ok=True)
    for name in os.listdir(mail_dir):
        os.remove(os.path.join(mail_dir, name))


def emails_to(mail_dir, address):
    found = []
    for name in sorted(os.listdir(mail_dir)):
        with open(os.path.join(mail_dir, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def link_in(message) -> str:
    match = re.search(
        r"https?://[^/\s]+(/auth/set-password/[A-Za-z0-9_\-]+)", message.get_content()
    )
    assert match, message.get_content()
    return match.group(1)


@pytest.fixture
def invite(app, mail_dir):
    """invite("name@example.org") invites through the admin pages and returns the emailed link."""
    clear_mail(mail_dir)
    admin = app.test_client()
    sign_in_as(admin, "admin")

    def _invite(address, name="Nia Newcomer", role="officer"):
        with app.app_context():
            kcc = db.session.scalar(db.select(Organisation).where(Organisation.short_name == "KCC"))
        response = admin.post(
            "/manage/users/invite",
            data={"name": name, "email": address, "role": role, "organisation": str(kcc.id)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        admin.get(response.headers["Location"])  # shows (and so clears) the confirmation
        [message] = emails_to(mail_dir, address)
        assert message["Subject"] == "Your SEND Voice account"
        return link_in(message)

    _invite.admin = admin
    return _invite


def set_password(client, link, password, confirm=None):
    return client.post(
        link, data={"password": password, "confirm": password if confirm is None else confirm}
    )


def test_invitation_end_to_end(client, app_ctx, invite):
    link = invite("nia@example.org")
    response = client.get(link)
    assert response.status_code == 200
    assert heading(response) == "Set your password"
    assert "You are setting the password for nia@example.org." in main_text(response)

    response = set_password(client, link, STRONG)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    assert "Your password is set." in notification(client.get("/auth/sign-in"))
    user = accounts.find_user("nia@example.org")
    assert user.has_password and user.invitation_token_hash is None
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "auth.password_set")
    ).all()
    assert entry.actor_id == user.id

    response = client.post("/auth/sign-in", data={"email": "nia@example.org", "password": STRONG})
    assert response.status_code == 302
    assert "You are signed in as Officer" in main_text(client.get("/manage/"))

    # The link works once only.
    other = client.application.test_client()
    used = other.get(link)
    assert used.status_code == 404
    assert heading(used) == INVALID_HEADING
    assert set_password(other, link, "another-strong-passphrase-9").status_code == 404


@pytest.mark.parametrize(
    "password, confirm, field, message",
    [
        ("short-pw1", None, "password", "Password must be 12 characters or more"),
        (
            "password123456",
            None,
            "password",
            "That password is too common and easy to guess. Choose a different one",
        ),
        (
            "aaaaaaaaaaaaaaaa",
            None,
            "password",
            "That password is too easy to guess. Choose a different one",
        ),
        (
            "nia.weak@example.org-1",
            None,
            "password",
            "Password must not contain your name or email address",
        ),
        (STRONG, STRONG + "x", "confirm", "The passwords do not match"),
        ("", "", "password", "Enter a new password"),
    ],
)
def test_weak_common_or_mismatched_passwords_are_refused_next_to_the_field(
    client, app_ctx, invite, password, confirm, field, message
):
    link = invite("nia.weak@example.org")
    response = set_password(client, link, password, confirm)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in error_summary(response)
    user = accounts.find_user("nia.weak@example.org")
    assert not user.has_password
    assert client.get(link).status_code == 200  # the link still works after a refused attempt


def test_expired_link_is_refused(client, app_ctx, invite):
    link = invite("late@example.org")
    user = accounts.find_user("late@example.org")
    user.invitation_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 404
    assert heading(response) == INVALID_HEADING
    assert "Ask an administrator to send you a new link." in main_text(response)
    assert set_password(client, link, STRONG).status_code == 404
    db.session.refresh(user)
    assert not user.has_password


def test_invitations_last_72_hours(app_ctx, invite):
    invite("timely@example.org")
    user = accounts.find_user("timely@example.org")
    lifetime = user.invitation_expires_at - utcnow()
    assert timedelta(hours=71, minutes=59) < lifetime <= timedelta(hours=72)


def test_made_up_links_are_refused(client):
    for token in ("nonsense", "x" * 500, "A" * 43):
        response = client.get(f"/auth/set-password/{token}")
        assert response.status_code == 404
        assert heading(response) == INVALID_HEADING


def test_deactivated_persons_link_stops_working(client, app_ctx, invite):
    link = invite("leaver@example.org")
    user = accounts.find_user("leaver@example.org")
    invite.admin.post(f"/manage/users/{user.id}/deactivate", follow_redirects=True)
    assert client.get(link).status_code == 404
    # And an administrator cannot send a fresh one until the account is reactivated.
    response = invite.admin.post(
        f"/manage/users/{user.id}/resend-invitation", follow_redirects=True
    )
    assert "Reactivate the account before sending an invitation" in notification(response)


def test_setting_a_password_signs_out_anyone_signed_in_on_that_browser(client, app_ctx, invite):
    link = invite("fresh@example.org")
    sign_in_as(client, "officer")
    response = set_password(client, link, STRONG)
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 302
