"""Staff sessions: fresh at sign-in, ended for good at sign-out, ended after 30 minutes idle and
12 hours in all (both configurable), a warning before, and work kept when a form arrives late."""

import re
import time

import pytest

from app.extensions import db
from app.models import AuditEntry, Theme

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, user_for
from ..helpers import heading, notification, page

COORDINATOR = DEMO_EMAILS["coordinator"]


def sign_in(client, email=COORDINATOR, **kwargs):
    return client.post("/auth/sign-in", data={"email": email, "password": DEMO_PASSWORD}, **kwargs)


def age_session(client, idle_seconds=0, signed_in_seconds=0):
    with client.session_transaction() as session:
        session["seen_at"] -= idle_seconds
        session["signed_in_at"] -= signed_in_seconds


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def csrf_token_in(response) -> str:
    return page(response).find("input", {"name": "csrf_token"})["value"]


def test_signing_in_starts_a_fresh_session_with_a_new_csrf_token(client, csrf_on):
    form = client.get("/auth/sign-in")
    token_before = csrf_token_in(form)
    with client.session_transaction() as session:
        session["planted"] = "a value set before sign-in"
        raw_before = session["csrf_token"]
    response = client.post(
        "/auth/sign-in",
        data={"email": COORDINATOR, "password": DEMO_PASSWORD, "csrf_token": token_before},
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") in (None, "") or session["csrf_token"] != raw_before
    # The form token from before sign-in no longer works; a new one does.
    stale = client.post("/auth/sign-out", data={"csrf_token": token_before})
    assert stale.status_code == 400
    fresh = csrf_token_in(client.get("/manage/"))
    assert fresh != token_before
    assert client.post("/auth/sign-out", data={"csrf_token": fresh}).status_code == 302


def test_signing_out_ends_the_session_for_good_even_for_a_copied_cookie(app, client, app_ctx):
    sign_in(client)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(cookie_name).value
    assert client.get("/manage/").status_code == 200
    client.post("/auth/sign-out")

    thief = app.test_client()
    thief.set_cookie(cookie_name, copied)
    response = thief.get("/manage/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in")


def test_a_session_ends_after_30_minutes_without_a_request(client, app_ctx):
    sign_in(client)
    age_session(client, idle_seconds=31 * 60)
    response = client.get("/manage/inbox?state=new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/sign-in?next=/manage/inbox?state%3Dnew"
    shown = client.get(response.headers["Location"])
    assert "You were signed out because you had not done anything for a while." in (
        notification(shown)
    )
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "auth.session_expired")
    ).all()
    assert entry.detail == {"reason": "idle"} and entry.actor_id == user_for("coordinator").id
    # Signing in again returns the person to where they were.
    back = client.post(
        response.headers["Location"], data={"email": COORDINATOR, "password": DEMO_PASSWORD}
    )
    assert back.headers["Location"] == "/manage/inbox?state=new"


def test_activity_keeps_the_session_going(client):
    sign_in(client)
    age_session(client, idle_seconds=25 * 60)
    assert client.get("/manage/").status_code == 200
    age_session(client, idle_seconds=25 * 60)
    assert client.get("/manage/").status_code == 200


def test_a_session_ends_12_hours_after_sign_in_however_busy(client):
    sign_in(client)
    age_session(client, signed_in_seconds=12 * 3600 + 60)
    response = client.get("/manage/")
    assert response.headers["Location"].startswith("/auth/sign-in")
    assert "you signed in a long time ago" in notification(client.get("/auth/sign-in"))


def test_both_limits_are_configurable(app, client):
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        sign_in(client)
        age_session(client, idle_seconds=6 * 60)
        assert client.get("/manage/").status_code == 302
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30
    app.config["SESSION_ABSOLUTE_HOURS"] = 1
    try:
        sign_in(client)
        age_session(client, signed_in_seconds=61 * 60)
        assert client.get("/manage/").status_code == 302
    finally:
        app.config["SESSION_ABSOLUTE_HOURS"] = 12


def test_public_pages_carry_on_signed_out_after_a_timeout(client):
    sign_in(client)
    age_session(client, idle_seconds=31 * 60)
    response = client.get("/areas")
    assert response.status_code == 200
    assert "Signed in as" not in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_staff_pages_carry_the_timeout_warning(client):
    assert page(client.get("/areas")).find("dialog") is None  # nobody signed in: no warning
    sign_in(client)
    response = client.get("/manage/")
    dialog = page(response).find("dialog", id="session-timeout")
    assert dialog is not None
    assert 1790 <= int(dialog["data-seconds"]) <= 1800
    assert dialog["data-warning-seconds"] == "120"
    assert dialog.find("h2").get_text(strip=True) == "You are about to be signed out"
    assert dialog.find("button", string=re.compile("Stay signed in"))
    # Its script is a file from this site, with the page's nonce.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    script = page(response).find("script", src=re.compile(r"/js/session-timeout\."))
    assert script["nonce"] == nonce
    # Near the 12-hour end it cannot be extended, and says so.
    age_session(client, signed_in_seconds=12 * 3600 - 300)
    late = page(client.get("/manage/")).find("dialog", id="session-timeout")
    assert int(late["data-seconds"]) <= 300
    assert late["data-can-extend"] == "false"
    assert "12 hours after they sign in" in late.get_text(" ")


def test_stay_signed_in_resets_the_idle_clock_with_and_without_javascript(client):
    sign_in(client)
    age_session(client, idle_seconds=29 * 60)
    answer = client.post("/auth/keep-alive", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5
    age_session(client, idle_seconds=29 * 60)
    no_js = client.post("/auth/keep-alive", data={"next": "/manage/inbox"})
    assert no_js.headers["Location"] == "/manage/inbox"
    elsewhere = client.post("/auth/keep-alive", data={"next": "//evil.example"})
    assert elsewhere.headers["Location"] == "/manage/"


def test_a_form_sent_after_the_session_ended_is_kept_to_send_again(client, app_ctx):
    sign_in(client)
    age_session(client, idle_seconds=31 * 60)
    response = client.post(
        "/manage/themes",
        data={"name": "Transport to school", "description": "Buses that do not come"},
        headers={"Referer": "http://localhost/manage/themes"},
    )
    assert response.headers["Location"] == "/auth/sign-in?next=/manage/themes"
    assert db.session.scalar(db.select(Theme).where(Theme.name == "Transport to school")) is None

    signed_in = client.post(
        response.headers["Location"], data={"email": COORDINATOR, "password": DEMO_PASSWORD}
    )
    assert signed_in.headers["Location"] == "/auth/continue"
    resume = client.get("/auth/continue")
    assert heading(resume) == "Send your changes again"
    form = page(resume).find("main").find("form")
    assert form["action"] == "/manage/themes"
    kept = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert kept["name"] == "Transport to school"
    assert kept["description"] == "Buses that do not come"
    assert "csrf_token" in kept
    # Sending it again saves it; the kept copy is shown once only.
    assert client.post("/manage/themes", data=kept).status_code == 302
    assert db.session.scalar(db.select(Theme).where(Theme.name == "Transport to school"))
    assert client.get("/auth/continue").headers["Location"] == "/manage/"


def test_passwords_are_never_kept_from_a_late_form(client):
    sign_in(client)
    age_session(client, idle_seconds=31 * 60)
    client.post(
        "/manage/account/password",
        data={"current": "old-password-here", "password": "new-pass-phrase", "confirm": "x"},
    )
    with client.session_transaction() as session:
        kept = session.get("kept_form")
    assert kept is None or all("pass" not in value for _name, value in kept["fields"])
    assert kept is None or all(name != "current" for name, _value in kept["fields"])
