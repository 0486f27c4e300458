"""Signing in and out: one generic message, lock-out, rate limit, safe redirects, audit rows."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEntry, User
from app.models.base import utcnow

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, user_for
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
)

GENERIC = "Enter a correct email address and password"
OFFICER = DEMO_EMAILS["officer"]


def sign_in(client, email, password, **kwargs):
    return client.post("/auth/sign-in", data={"email": email, "password": password}, **kwargs)


def audit_rows(action):
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def is_signed_in(client) -> bool:
    return client.get("/manage/").status_code == 200


def test_sign_in_page(client):
    response = client.get("/auth/sign-in")
    assert response.status_code == 200
    assert heading(response) == "Sign in"
    assert "Parents, carers and young people do not need an account" in main_text(response)


def test_right_email_and_password_signs_in_and_is_audited(client, app_ctx):
    response = sign_in(
        client, "  Officer@Example.ORG ", DEMO_PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"
    assert is_signed_in(client)
    officer = user_for("officer")
    assert officer.last_sign_in_at is not None and officer.last_sign_in_at > utcnow() - timedelta(
        minutes=1
    )
    [entry] = audit_rows("auth.sign_in")
    assert (entry.actor_id, entry.actor_label, entry.ip_address) == (
        officer.id,
        OFFICER,
        "203.0.113.9",
    )
    assert (entry.record_type, entry.record_id) == ("users", str(officer.id))


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, app_ctx):
    wrong_password = sign_in(client, OFFICER, "not-the-password-at-all")
    unknown_email = sign_in(client, "nobody@example.org", DEMO_PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert field_error(response, "email") == GENERIC
        assert error_summary_links(response) == {GENERIC: "#email"}
        assert field_value(response, "password") in (None, "")  # the password is never sent back
    assert main_text(wrong_password).replace(OFFICER, "X") == main_text(unknown_email).replace(
        "nobody@example.org", "X"
    )
    assert field_value(unknown_email, "email") == "nobody@example.org"
    assert not is_signed_in(client)


TOO_MANY = "Too many failed attempts. Wait until"


def test_failed_sign_ins_are_audited_without_what_was_typed(client, app_ctx):
    sign_in(
        client, OFFICER, "not-the-password-at-all", environ_base={"REMOTE_ADDR": "203.0.113.10"}
    )
    sign_in(
        client, "Nobody@Example.org", "whatever-it-is", environ_base={"REMOTE_ADDR": "203.0.113.11"}
    )
    wrong, unknown = audit_rows("auth.sign_in_failed")
    officer = user_for("officer")
    assert (wrong.actor_id, wrong.record_id, wrong.ip_address) == (
        officer.id,
        str(officer.id),
        "203.0.113.10",
    )
    assert wrong.detail == {"account": True, "reason": "wrong password"}
    assert (unknown.actor_id, unknown.actor_label, unknown.ip_address) == (
        None,
        "unknown email address",
        "203.0.113.11",
    )
    assert unknown.detail == {"account": False}
    # Neither what was typed as an address nor as a password is kept anywhere in the log.
    for entry in audit_rows("auth.sign_in_failed"):
        stored = f"{entry.actor_label} {entry.summary} {entry.detail}".lower()
        assert "nobody" not in stored and "whatever" not in stored and "not-the" not in stored


def test_repeated_failures_slow_the_guesser_down_and_never_lock_the_account(client, app_ctx):
    guesser = {"REMOTE_ADDR": "203.0.113.66"}
    for _attempt in range(5):
        response = sign_in(client, OFFICER, "not-the-password-at-all", environ_base=guesser)
        assert field_error(response, "email") == GENERIC
    # The guesser must now wait, even with the right password, and is told until when.
    response = sign_in(client, OFFICER, DEMO_PASSWORD, environ_base=guesser)
    assert response.status_code == 429
    assert field_error(response, "email").startswith(TOO_MANY)
    assert not is_signed_in(client)
    assert audit_rows("auth.sign_in") == []

    # The real person, somewhere else, is not locked out by what the stranger did.
    elsewhere = sign_in(client, OFFICER, DEMO_PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 302
    assert is_signed_in(client)
    assert not hasattr(user_for("officer"), "locked_until")


def test_an_unknown_address_is_slowed_down_the_same_way(client):
    """The page never tells anyone whether an address has an account."""
    here = {"REMOTE_ADDR": "203.0.113.67"}
    for _attempt in range(5):
        sign_in(client, "nobody@example.org", "not-the-password-at-all", environ_base=here)
    response = sign_in(client, "nobody@example.org", "x" * 12, environ_base=here)
    assert response.status_code == 429
    assert field_error(response, "email").startswith(TOO_MANY)


def test_a_success_clears_the_failures(client, app_ctx):
    here = {"REMOTE_ADDR": "203.0.113.68"}
    for _attempt in range(4):
        sign_in(client, OFFICER, "not-the-password-at-all", environ_base=here)
    assert sign_in(client, OFFICER, DEMO_PASSWORD, environ_base=here).status_code == 302
    client.post("/auth/sign-out")
    for _attempt in range(4):
        response = sign_in(client, OFFICER, "not-the-password-at-all", environ_base=here)
        assert field_error(response, "email") == GENERIC
    assert sign_in(client, OFFICER, DEMO_PASSWORD, environ_base=here).status_code == 302


def test_missing_email_or_password(client):
    response = sign_in(client, "", "")
    assert response.status_code == 200
    assert error_summary(response) == ["Enter your email address", "Enter your password"]
    response = sign_in(client, "x" * 300 + "@example.org", "p")
    assert field_error(response, "email") == "Email address must be 254 characters or fewer"


def test_unknown_emails_never_lock_anything(client, app_ctx):
    for _attempt in range(5):
        response = sign_in(client, "nobody@example.org", "not-the-password-at-all")
        assert field_error(response, "email") == GENERIC
    assert audit_rows("auth.locked") == []


def test_invited_user_without_a_password_cannot_sign_in(client, app_ctx):
    db.session.add(User(email="pending@example.org", name="Pending Person", role="officer"))
    db.session.commit()
    for password in ("", "anything-at-all-here"):
        response = sign_in(client, "pending@example.org", password or "x")
        assert field_error(response, "email") == GENERIC
    assert not is_signed_in(client)


def test_sign_in_posts_are_rate_limited_per_address_with_the_styled_page(app, client):
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    try:
        here = {"REMOTE_ADDR": "198.51.100.20"}
        for _attempt in range(3):
            assert (
                sign_in(
                    client, "nobody@example.org", "wrong-password-here", environ_base=here
                ).status_code
                == 200
            )
        limited = sign_in(client, OFFICER, DEMO_PASSWORD, environ_base=here)
        assert limited.status_code == 429
        assert heading(limited) == "Too many attempts – please wait"
        assert "You can try again in " in main_text(limited)
        assert not is_signed_in(client)
        # Reading the page is not limited, and another address is not affected.
        assert client.get("/auth/sign-in", environ_base=here).status_code == 200
        elsewhere = sign_in(
            client, OFFICER, DEMO_PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.21"}
        )
        assert elsewhere.status_code == 302
    finally:
        app.config["SIGN_IN_RATE_LIMIT"] = "10 per minute;40 per hour"


def test_sign_out_ends_the_session_and_is_audited(client, app_ctx):
    sign_in(client, OFFICER, DEMO_PASSWORD)
    assert is_signed_in(client)
    assert client.get("/auth/sign-out").status_code == 405  # only a POST (a form button) signs out
    response = client.post("/auth/sign-out")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    assert "You have signed out." in notification(client.get("/auth/sign-in"))
    after = client.get("/manage/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/auth/sign-in")
    [entry] = audit_rows("auth.sign_out")
    assert entry.actor_id == user_for("officer").id
    assert client.post("/auth/sign-out").status_code == 302  # signing out twice is harmless


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/manage",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        " //evil.example",
        "///evil.example",
        # control characters once answered 500 (they reached the Location header)
        "/\nenv;",
        "/\r\nSet-Cookie: evil=1",
        "/\t/evil.example",
        "/\x00",
        "/\u202eevil",
        "/%0Aenv;",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "\\/evil.example",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_next_cannot_send_you_off_site(client, target):
    response = client.post(
        "/auth/sign-in",
        query_string={"next": target},
        data={"email": OFFICER, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"


def test_next_takes_you_back_to_the_staff_page_you_asked_for(client):
    first = client.get("/manage/users")
    assert first.status_code == 302
    assert first.headers["Location"] == "/auth/sign-in?next=/manage/users"
    response = client.post(
        first.headers["Location"], data={"email": DEMO_EMAILS["admin"], "password": DEMO_PASSWORD}
    )
    assert response.headers["Location"] == "/manage/users"


def test_signed_in_staff_visiting_sign_in_go_to_staff_home(client):
    sign_in(client, OFFICER, DEMO_PASSWORD)
    response = client.get("/auth/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"


def test_sign_in_needs_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = sign_in(client, OFFICER, DEMO_PASSWORD)
        assert response.status_code == 400
        assert not is_signed_in(client)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("query", ["next=/%0Aenv;", "next=%00", "next=/%0D%0ASet-Cookie:x=1"])
def test_the_sign_in_page_with_control_characters_in_next_is_shown_not_a_500(client, query):
    assert client.get(f"/auth/sign-in?{query}").status_code == 200


def test_stay_signed_in_without_javascript_never_redirects_to_control_characters(client):
    sign_in(client, OFFICER, DEMO_PASSWORD)
    response = client.post("/auth/keep-alive", data={"next": "/manage/\r\nSet-Cookie: x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"
