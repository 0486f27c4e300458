"""Two-step sign-in: setting up an authenticator app, signing in with its code or a recovery
code, the administrators' setting that requires it, and an administrator's reset."""

import re
import time

import pyotp

from app.domain.people import two_step
from app.extensions import db
from app.models import AuditEntry, RecoveryCode

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, sign_in_as, user_for
from ..helpers import error_summary, field_error, heading, main_text, notification, page

OFFICER = DEMO_EMAILS["officer"]


def sign_in(client, email=OFFICER, password=DEMO_PASSWORD, **kwargs):
    return client.post("/auth/sign-in", data={"email": email, "password": password}, **kwargs)


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """A code the app would show now (or one time step later: each code works once)."""
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * 30)


def set_up(client) -> tuple[str, list[str]]:
    """Set up two-step for whoever is signed in, as a person would; returns secret and codes."""
    shown = client.get("/auth/two-step/set-up")
    assert shown.status_code == 200
    secret = page(shown).select_one(".app-secret code").get_text().replace(" ", "")
    done = client.post("/auth/two-step/set-up", data={"code": code_at(secret)})
    assert done.status_code == 200, error_summary(done)
    codes = [li.get_text(strip=True) for li in page(done).select(".app-recovery-codes li")]
    return secret, codes


def audit_actions():
    return [a for (a,) in db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id))]


def test_the_set_up_page_draws_the_qr_code_in_the_page_and_gives_the_key(client, signed_in):
    signed_in("officer")
    response = client.get("/auth/two-step/set-up")
    assert heading(response) == "Set up two-step sign-in"
    svg = page(response).select_one(".app-qr svg")
    assert svg is not None and svg.find("path") is not None  # drawn on the server, inline
    assert svg.find("title").get_text() == "QR code to scan with your authenticator app"
    key = page(response).select_one(".app-secret code").get_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    assert response.headers["Cache-Control"] == "no-store"
    # The same key until it is confirmed, so a reload does not break a half-done set-up.
    again = page(client.get("/auth/two-step/set-up")).select_one(".app-secret code").get_text()
    assert again == key


def test_a_wrong_code_is_refused_next_to_the_field_and_nothing_is_turned_on(
    client, signed_in, app_ctx
):
    signed_in("officer")
    client.get("/auth/two-step/set-up")
    response = client.post("/auth/two-step/set-up", data={"code": "000000"})
    assert field_error(response, "code") == (
        "Enter the 6-digit code your authenticator app shows now"
    )
    assert not user_for("officer").has_two_step


def test_set_up_turns_it_on_shows_recovery_codes_once_and_stores_only_hashes(
    client, signed_in, app_ctx
):
    signed_in("officer")
    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    officer = user_for("officer")
    assert officer.has_two_step and officer.totp_secret == secret
    stored = db.session.scalars(
        db.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == officer.id)
    ).all()
    assert len(stored) == 10
    assert all(h.startswith("$argon2id$") for h in stored)
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    assert "auth.two_step_enabled" in audit_actions()
    # The codes are never shown again.
    account = client.get("/manage/account")
    assert "You have 10 unused recovery codes." in main_text(account)
    assert not any(code in account.get_data(as_text=True) for code in codes)


def test_signing_in_then_asks_for_the_code_and_each_code_works_once(client, signed_in, app_ctx):
    signed_in("officer")
    secret, _codes = set_up(client)
    client.post("/auth/sign-out")

    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/two-step"
    # The password alone does not sign anyone in.
    assert client.get("/manage/").status_code == 302
    assert heading(client.get("/auth/two-step")) == "Enter the code from your authenticator app"

    wrong = client.post("/auth/two-step", data={"code": "123456"})
    assert field_error(wrong, "code") == "Enter the code your authenticator app shows now"
    code = code_at(secret, 1)
    right = client.post("/auth/two-step", data={"code": code})
    assert right.status_code == 302 and right.headers["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "auth.sign_in")
    ).all()[-1:]
    assert entry.detail == {"second_step": "app"}

    # The same code again (seen over a shoulder) does not work.
    client.post("/auth/sign-out")
    sign_in(client)
    replay = client.post("/auth/two-step", data={"code": code})
    assert field_error(replay, "code") == "Enter the code your authenticator app shows now"
    assert client.get("/manage/").status_code == 302


def test_the_page_asked_for_is_kept_through_both_steps(client, signed_in, app_ctx):
    signed_in("officer")
    secret, _codes = set_up(client)
    client.post("/auth/sign-out")
    first = client.get("/manage/inbox")
    assert first.headers["Location"] == "/auth/sign-in?next=/manage/inbox"
    client.post(first.headers["Location"], data={"email": OFFICER, "password": DEMO_PASSWORD})
    done = client.post("/auth/two-step", data={"code": code_at(secret, 1)})
    assert done.headers["Location"] == "/manage/inbox"


def test_a_recovery_code_works_once(client, signed_in, app_ctx):
    signed_in("officer")
    _secret, codes = set_up(client)
    client.post("/auth/sign-out")
    sign_in(client)
    response = client.post("/auth/two-step", data={"code": codes[0].upper()})
    assert response.status_code == 302
    assert "You used a recovery code. You have 9 left" in notification(client.get("/manage/"))
    client.post("/auth/sign-out")
    sign_in(client)
    again = client.post("/auth/two-step", data={"code": codes[0]})
    assert field_error(again, "code") == "Enter the code your authenticator app shows now"


def test_guessing_codes_is_slowed_down(client, signed_in, app_ctx):
    signed_in("officer")
    set_up(client)
    client.post("/auth/sign-out")
    sign_in(client)
    for _attempt in range(5):
        client.post("/auth/two-step", data={"code": "000000"})
    response = client.post("/auth/two-step", data={"code": "000001"})
    assert response.status_code == 429
    assert field_error(response, "code").startswith("Too many failed attempts. Wait until")


def test_the_code_step_expires_and_needs_the_password_first(client, app, signed_in, app_ctx):
    assert client.get("/auth/two-step").headers["Location"] == "/auth/sign-in"
    signed_in("officer")
    set_up(client)
    client.post("/auth/sign-out")
    sign_in(client)
    with client.session_transaction() as session:
        pending = dict(session["pending_sign_in"])
        pending["at"] -= 11 * 60
        session["pending_sign_in"] = pending
    assert client.get("/auth/two-step").headers["Location"] == "/auth/sign-in"


def test_admins_can_require_it_for_chosen_roles_and_it_is_audited(client, signed_in, app_ctx):
    signed_in("admin")
    form = client.get("/manage/users/two-step")
    assert heading(form) == "Who must use two-step sign-in"
    response = client.post("/manage/users/two-step", data={"roles": ["officer", "admin"]})
    assert response.status_code == 302
    assert two_step.required_roles() == {"officer", "admin"}
    assert "settings.two_step_required" in audit_actions()

    # The admin's own role now needs it: the staff pages send them to set it up first.
    home = client.get("/manage/users")
    assert home.status_code == 302
    assert home.headers["Location"] == "/auth/two-step/set-up?next=/manage/users"
    set_up(client)
    listing = client.get("/manage/users")
    assert "Two-step sign-in is required for: Administrator, Officer." in main_text(listing)

    # A coordinator is not affected.
    other = client.application.test_client()
    sign_in_as(other, "coordinator")
    assert other.get("/manage/").status_code == 200


def test_an_officer_who_must_use_it_sets_it_up_at_sign_in(client, app_ctx):
    admin = user_for("admin")
    two_step.set_required_roles(admin, ["officer"])
    sign_in(client)
    response = client.get("/manage/inbox")
    assert response.headers["Location"] == "/auth/two-step/set-up?next=/manage/inbox"
    assert client.get("/manage/account").status_code == 302


def test_an_admin_resets_a_lost_second_step_and_it_is_audited(client, signed_in, app_ctx):
    officer_client = client.application.test_client()
    sign_in_as(officer_client, "officer")
    set_up(officer_client)
    officer = user_for("officer")

    signed_in("admin")
    page_before = client.get(f"/manage/users/{officer.id}")
    assert "Reset two-step sign-in" in main_text(page_before)
    confirm = client.get(f"/manage/users/{officer.id}/reset-two-step")
    assert heading(confirm) == ("Are you sure you want to reset two-step sign-in for Omar Officer?")
    done = client.post(f"/manage/users/{officer.id}/reset-two-step")
    assert done.status_code == 302
    db.session.expire_all()
    officer = user_for("officer")
    assert not officer.has_two_step and officer.recovery_codes == []
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "user.two_step_reset")
    ).all()
    assert entry.actor_id == user_for("admin").id and entry.record_id == str(officer.id)
    # They were signed out, and sign in with their password alone again.
    assert officer_client.get("/manage/").status_code == 302
    assert sign_in(officer_client).headers["Location"] == "/manage/"


def test_only_admins_reset_or_change_the_setting(client, signed_in, app_ctx):
    signed_in("officer")
    admin = user_for("admin")
    assert client.get(f"/manage/users/{admin.id}/reset-two-step").status_code == 403
    assert client.post("/manage/users/two-step", data={"roles": ["officer"]}).status_code == 403
