"""Staff user management at /manage/users: list, invite, change role, deactivate, reactivate."""

import email
import email.policy
import os
import re
from datetime import timedelta

import pytest

from app.domain.people import accounts
from app.extensions import db
from app.models import AuditEntry, Organisation, OutboxMessage, User
from app.models.base import utcnow

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, sign_in_as, user_for
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)

ADMIN_IP = "198.51.100.7"
FORBIDDEN_HEADING = "You do not have permission to see this page"


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


def set_password_path(message):
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(/auth/set-password/[A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def audit_rows(action, record_id=None):
    query = db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    if record_id is not None:
        query = query.where(
            AuditEntry.record_type == "users", AuditEntry.record_id == str(record_id)
        )
    return list(db.session.scalars(query))


def kcc():
    return db.session.scalar(db.select(Organisation).where(Organisation.short_name == "KCC"))


@pytest.fixture
def admin_client(app, client):
    sign_in_as(client, "admin")
    return client


@pytest.fixture
def officer_client(app):
    other = app.test_client()
    sign_in_as(other, "officer")
    return other


# --- who can reach the pages -------------------------------------------------------------


def test_users_pages_are_for_admins_only(app, app_ctx):
    officer = user_for("officer")
    pages = [
        "/manage/users",
        "/manage/users/invite",
        f"/manage/users/{officer.id}",
        f"/manage/users/{officer.id}/deactivate",
    ]
    anonymous = app.test_client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/auth/sign-in?next=")
    for role in ("officer", "coordinator"):
        other = app.test_client()
        sign_in_as(other, role)
        for url in pages:
            response = other.get(url)
            assert response.status_code == 403, (role, url)
            assert heading(response) == FORBIDDEN_HEADING
    admin = app.test_client()
    sign_in_as(admin, "admin")
    for url in pages:
        assert admin.get(url).status_code == 200, url


def test_the_change_routes_refuse_other_roles_and_change_nothing(app, app_ctx):
    target = user_for("coordinator")
    officer = app.test_client()
    sign_in_as(officer, "officer")
    posts = {
        f"/manage/users/{target.id}/role": {"role": "admin"},
        f"/manage/users/{target.id}/deactivate": {},
        f"/manage/users/{target.id}/reactivate": {},
        f"/manage/users/{target.id}/resend-invitation": {},
        "/manage/users/invite": {
            "name": "Sneaky",
            "email": "sneaky@example.org",
            "role": "admin",
            "organisation": str(kcc().id),
        },
    }
    for url, data in posts.items():
        assert officer.post(url, data=data).status_code == 403, url
        assert app.test_client().post(url, data=data).status_code == 302, url
    db.session.expire_all()
    assert user_for("coordinator").role == "coordinator"
    assert user_for("coordinator").is_active_account
    assert accounts.find_user("sneaky@example.org") is None


def test_unknown_user_is_a_404(admin_client):
    for url in ("/manage/users/99999", "/manage/users/99999/deactivate"):
        assert admin_client.get(url).status_code == 404
    for url in (
        "/manage/users/99999/role",
        "/manage/users/99999/deactivate",
        "/manage/users/99999/reactivate",
        "/manage/users/99999/resend-invitation",
    ):
        assert admin_client.post(url, data={"role": "officer"}).status_code == 404
    assert admin_client.get("/manage/users/not-a-number").status_code == 404


# --- the list ------------------------------------------------------------------------------


def test_users_list_shows_each_account_and_its_state(app, admin_client, app_ctx):
    admin = user_for("admin")
    with app.test_request_context():
        invited = accounts.invite_user(
            admin, "ivy@example.org", "Ivy Invited", "coordinator", kcc().id
        )
    coordinator = user_for("coordinator")
    accounts.deactivate(admin, coordinator)
    db.session.commit()

    response = admin_client.get("/manage/users")
    assert response.status_code == 200
    assert heading(response) == "Users"
    soup = page(response)
    rows = {}
    for row in soup.select("main table tbody tr"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        rows[cells[0]] = cells
    assert rows["Ada Administrator"][1:5] == [
        "admin@example.org",
        "Administrator",
        "Kent County Council",
        "Active",
    ]
    assert rows["Ada Administrator"][5] != "Never"  # signed in just now
    assert rows["Ivy Invited"][1:6] == [
        "ivy@example.org",
        "Forum coordinator",
        "Kent County Council",
        "Invited – waiting for password",
        "Never",
    ]
    assert rows["Cara Coordinator"][4] == "Deactivated"
    # Failed sign-ins slow a guesser down; they never lock the account.
    assert rows["Omar Officer"][4] == "Active"
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main table a")}
    assert links["Ivy Invited"] == f"/manage/users/{invited.id}"
    assert soup.find("a", string=re.compile("Invite a user"))["href"] == "/manage/users/invite"


def test_users_list_query_count_does_not_grow_with_users(admin_client, app_ctx, count_queries):
    def measure():
        db.session.expire_all()  # each request loads the signed-in user afresh, as in production
        with count_queries() as counter:
            assert admin_client.get("/manage/users").status_code == 200
        return counter.count

    measure()
    before = measure()
    organisations = list(db.session.scalars(db.select(Organisation)))
    for n in range(30):
        db.session.add(
            User(
                email=f"bulk{n}@example.org",
                name=f"Bulk {n}",
                role="officer",
                organisation=organisations[n % len(organisations)],
            )
        )
    db.session.commit()
    assert "bulk29@example.org" in main_text(admin_client.get("/manage/users"))
    assert measure() == before


# --- inviting ------------------------------------------------------------------------------


def invite_data(**overrides):
    with_defaults = {
        "name": "Nia Newcomer",
        "email": "nia.newcomer@example.org",
        "role": "officer",
        "organisation": str(kcc().id),
    }
    with_defaults.update(overrides)
    return with_defaults


def test_invite_page_offers_roles_with_descriptions_and_organisations(admin_client, app_ctx):
    response = admin_client.get("/manage/users/invite")
    assert response.status_code == 200
    assert heading(response) == "Invite a user"
    soup = page(response)
    hints = [" ".join(h.get_text().split()) for h in soup.select(".govuk-radios__hint")]
    assert hints == [
        "Runs surveys, consultations and events, and codes what people say.",
        "Keeps plan actions up to date and publishes responses.",
        "Manages staff accounts, areas of weakness and the audit log.",
    ]
    labels = [" ".join(label.get_text().split()) for label in soup.select(".govuk-radios__label")]
    assert labels == ["Forum coordinator", "Officer", "Administrator"]
    options = [o.get_text(strip=True) for o in soup.select("select[name=organisation] option")]
    assert "Kent County Council" in options and "Parents and Carers Together (PACT)" in options


def test_invite_stores_the_user_audits_and_emails_a_one_time_link(admin_client, app_ctx, mail_dir):
    clear_mail(mail_dir)
    response = admin_client.post(
        "/manage/users/invite",
        data=invite_data(email=" Nia.Newcomer@Example.org "),
        environ_base={"REMOTE_ADDR": ADMIN_IP},
    )
    assert response.status_code == 302
    user = accounts.find_user("nia.newcomer@example.org")
    assert user is not None
    assert response.headers["Location"] == f"/manage/users/{user.id}"
    assert (user.name, user.role, user.organisation.short_name) == (
        "Nia Newcomer",
        "officer",
        "KCC",
    )
    assert not user.has_password
    assert user.invitation_token_hash and user.invitation_expires_at > utcnow() + timedelta(
        hours=71
    )

    [entry] = audit_rows("user.invited", user.id)
    assert entry.actor_id == user_for("admin").id
    assert entry.actor_label == "admin@example.org"
    assert entry.ip_address == ADMIN_IP

    # One email, queued through the outbox and delivered after the request.
    [queued] = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to_address == user.email)
    ).all()
    assert queued.kind == "invitation" and queued.status == "sent"
    [message] = emails_to(mail_dir, "nia.newcomer@example.org")
    assert "Ada Administrator has invited you" in message.get_content()
    link = set_password_path(message)

    shown = admin_client.get(response.headers["Location"])
    assert notification(shown) == (
        "Success An invitation email was sent to nia.newcomer@example.org. The link in it expires "
        "in 72 hours."
    )
    assert "Invited – waiting for password" in main_text(shown)

    # The link works, once.
    newcomer = db.session.get(User, user.id)
    assert heading(admin_client.application.test_client().get(link)) == "Set your password"
    fresh = admin_client.application.test_client()
    assert (
        fresh.post(
            link, data={"password": "plum-orchard-lantern-7", "confirm": "plum-orchard-lantern-7"}
        ).status_code
        == 302
    )
    assert fresh.get(link).status_code == 404
    db.session.refresh(newcomer)
    assert newcomer.has_password


def test_invite_refuses_an_email_that_already_has_an_account(admin_client, app_ctx, mail_dir):
    clear_mail(mail_dir)
    data = invite_data(name="Second Omar", email="Officer@Example.org", role="coordinator")
    response = admin_client.post("/manage/users/invite", data=data)
    assert response.status_code == 200
    assert field_error(response, "email") == "There is already an account for officer@example.org"
    assert error_summary_links(response) == {
        "There is already an account for officer@example.org": "#email"
    }
    assert field_value(response, "name") == "Second Omar"
    assert field_value(response, "email") == "Officer@Example.org"
    assert field_value(response, "organisation") == str(kcc().id)
    assert (
        page(response)
        .find("input", attrs={"name": "role", "value": "coordinator"})
        .has_attr("checked")
    )
    assert page(response).title.get_text().startswith("Error:")
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(User).where(User.name == "Second Omar")
        )
        == 0
    )
    assert os.listdir(mail_dir) == []


@pytest.mark.parametrize(
    "typed",
    [
        "not-an-email",
        "name@",
        "@example.org",
        "name@example",
        "two@@example.org",
        "spaces in@example.org",
    ],
)
def test_invite_refuses_a_malformed_email_next_to_the_field(admin_client, app_ctx, typed):
    response = admin_client.post("/manage/users/invite", data=invite_data(email=typed))
    assert response.status_code == 200
    assert (
        field_error(response, "email")
        == "Enter an email address in the correct format, like name@example.com"
    )
    assert field_value(response, "email") == typed
    assert field_value(response, "name") == "Nia Newcomer"
    assert accounts.find_user(typed) is None


def test_invite_says_what_is_missing_or_too_long(admin_client, app_ctx):
    response = admin_client.post("/manage/users/invite", data={})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the person's full name",
        "Enter their email address",
        "Select a role",
        "Select the organisation they work for",
    ]
    response = admin_client.post(
        "/manage/users/invite", data=invite_data(name="N" * 121, email="a" * 250 + "@example.org")
    )
    assert field_error(response, "name") == "Full name must be 120 characters or fewer"
    assert field_error(response, "email") == "Email address must be 254 characters or fewer"
    assert field_value(response, "name") == "N" * 121


def test_invite_refuses_a_made_up_role_or_organisation(admin_client, app_ctx):
    response = admin_client.post(
        "/manage/users/invite", data=invite_data(role="superuser", organisation="99999")
    )
    assert response.status_code == 200
    assert field_error(response, "role") == "Select a role"
    assert field_error(response, "organisation") == "Select the organisation they work for"
    response = admin_client.post("/manage/users/invite", data=invite_data(organisation="KCC"))
    assert field_error(response, "organisation") == "Select the organisation they work for"
    assert accounts.find_user("nia.newcomer@example.org") is None


# --- the user's page and changing role ------------------------------------------------------


def test_user_page_shows_details_and_the_forms(admin_client, app_ctx):
    officer = user_for("officer")
    response = admin_client.get(f"/manage/users/{officer.id}")
    assert response.status_code == 200
    assert heading(response) == "Omar Officer"
    text = main_text(response)
    for expected in (
        "officer@example.org",
        "Kent County Council",
        "Active",
        "Change role",
        "Deactivate Omar Officer",
    ):
        assert expected in text
    soup = page(response)
    assert soup.find("form", action=f"/manage/users/{officer.id}/role")
    assert soup.find("input", attrs={"name": "role", "value": "officer"}).has_attr("checked")
    # Already has a password: no invitation to resend.
    assert soup.find("form", action=f"/manage/users/{officer.id}/resend-invitation") is None


def test_change_role_audits_and_ends_their_session(admin_client, officer_client, app_ctx):
    assert officer_client.get("/manage/").status_code == 200
    officer = user_for("officer")
    response = admin_client.post(
        f"/manage/users/{officer.id}/role",
        data={"role": "coordinator"},
        environ_base={"REMOTE_ADDR": ADMIN_IP},
    )
    assert response.status_code == 302
    shown = admin_client.get(response.headers["Location"])
    assert "Omar Officer is now: Forum coordinator." in notification(shown)

    db.session.expire_all()
    assert user_for("officer").role == "coordinator"
    [entry] = audit_rows("user.role_changed", officer.id)
    assert entry.detail == {"from": "officer", "to": "coordinator"}
    assert entry.actor_id == user_for("admin").id and entry.ip_address == ADMIN_IP

    # Their existing session ends at once.
    ended = officer_client.get("/manage/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/auth/sign-in")
    # Signing in again gives them the new role's rights.
    sign_in_as(officer_client, "officer")
    assert officer_client.get("/manage/plan").status_code == 403
    assert "You are signed in as Forum coordinator" in main_text(officer_client.get("/manage/"))


def test_change_role_needs_a_choice(admin_client, app_ctx):
    officer = user_for("officer")
    response = admin_client.post(f"/manage/users/{officer.id}/role", data={})
    assert response.status_code == 200
    assert field_error(response, "role") == "Select a role"
    assert error_summary(response) == ["Select a role"]
    response = admin_client.post(f"/manage/users/{officer.id}/role", data={"role": "overlord"})
    assert field_error(response, "role") == "Select a role"
    db.session.expire_all()
    assert user_for("officer").role == "officer"
    assert audit_rows("user.role_changed") == []


def test_you_cannot_change_your_own_role(admin_client, app_ctx):
    admin = user_for("admin")
    own_page = page(admin_client.get(f"/manage/users/{admin.id}"))
    assert own_page.find("form", action=f"/manage/users/{admin.id}/role") is None
    assert "You cannot change your own role" in main_text(own_page)

    response = admin_client.post(
        f"/manage/users/{admin.id}/role", data={"role": "officer"}, follow_redirects=True
    )
    assert "You cannot change your own role. Ask another administrator." in notification(response)
    db.session.expire_all()
    assert user_for("admin").role == "admin"
    assert audit_rows("user.role_changed") == []
    assert admin_client.get("/manage/users").status_code == 200  # still signed in, still admin


# --- deactivating and reactivating -----------------------------------------------------------


def test_deactivate_asks_first_then_ends_their_session_and_sign_in(
    app, admin_client, officer_client, app_ctx
):
    officer = user_for("officer")
    confirm = admin_client.get(f"/manage/users/{officer.id}/deactivate")
    assert confirm.status_code == 200
    assert heading(confirm) == "Are you sure you want to deactivate Omar Officer?"
    assert "They will be signed out at once and cannot sign in." in main_text(confirm)
    db.session.expire_all()
    assert user_for("officer").is_active_account  # looking at the question changes nothing

    response = admin_client.post(
        f"/manage/users/{officer.id}/deactivate", environ_base={"REMOTE_ADDR": ADMIN_IP}
    )
    assert response.status_code == 302
    shown = admin_client.get(response.headers["Location"])
    assert "Omar Officer has been deactivated and signed out." in notification(shown)
    assert "Deactivated" in main_text(shown)

    db.session.expire_all()
    assert not user_for("officer").is_active_account
    [entry] = audit_rows("user.deactivated", officer.id)
    assert entry.actor_id == user_for("admin").id and entry.ip_address == ADMIN_IP

    ended = officer_client.get("/manage/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/auth/sign-in")
    again = officer_client.post(
        "/auth/sign-in", data={"email": DEMO_EMAILS["officer"], "password": DEMO_PASSWORD}
    )
    assert again.status_code == 200
    assert field_error(again, "email") == "Enter a correct email address and password"
    assert officer_client.get("/manage/").status_code == 302


def test_you_cannot_deactivate_your_own_account(admin_client, app_ctx):
    admin = user_for("admin")
    assert "Deactivate Ada Administrator" not in main_text(
        admin_client.get(f"/manage/users/{admin.id}")
    )
    for method in (admin_client.get, admin_client.post):
        response = method(f"/manage/users/{admin.id}/deactivate", follow_redirects=True)
        assert response.status_code == 200
        assert "You cannot deactivate your own account" in notification(response)
    db.session.expire_all()
    assert user_for("admin").is_active_account
    assert audit_rows("user.deactivated") == []
    assert admin_client.get("/manage/users").status_code == 200


def test_reactivate_lets_them_sign_in_again(app, admin_client, app_ctx):
    officer = user_for("officer")
    admin_client.post(f"/manage/users/{officer.id}/deactivate")
    page_after = admin_client.get(f"/manage/users/{officer.id}")
    assert page(page_after).find("form", action=f"/manage/users/{officer.id}/reactivate")

    response = admin_client.post(f"/manage/users/{officer.id}/reactivate", follow_redirects=True)
    assert "Omar Officer has been reactivated and can sign in again." in notification(response)
    db.session.expire_all()
    assert user_for("officer").is_active_account
    assert len(audit_rows("user.reactivated", officer.id)) == 1
    sign_in_as(app.test_client(), "officer")


def test_resend_invitation_sends_a_new_link_and_retires_the_old(admin_client, app_ctx, mail_dir):
    clear_mail(mail_dir)
    admin_client.post("/manage/users/invite", data=invite_data(), follow_redirects=True)
    user = accounts.find_user("nia.newcomer@example.org")
    [first] = emails_to(mail_dir, user.email)

    response = admin_client.post(
        f"/manage/users/{user.id}/resend-invitation", follow_redirects=True
    )
    assert "A new invitation email was sent to nia.newcomer@example.org" in notification(response)
    assert len(audit_rows("user.invitation_resent", user.id)) == 1
    messages = emails_to(mail_dir, user.email)
    assert len(messages) == 2
    old_link, new_link = set_password_path(first), set_password_path(messages[-1])
    assert old_link != new_link
    visitor = admin_client.application.test_client()
    assert visitor.get(old_link).status_code == 404
    assert visitor.get(new_link).status_code == 200


def test_resend_is_refused_for_someone_with_a_password(admin_client, app_ctx, mail_dir):
    clear_mail(mail_dir)
    officer = user_for("officer")
    response = admin_client.post(
        f"/manage/users/{officer.id}/resend-invitation", follow_redirects=True
    )
    assert "Omar Officer has already set a password" in notification(response)
    assert os.listdir(mail_dir) == []
    assert audit_rows("user.invitation_resent") == []


def test_changes_need_a_csrf_token(app, admin_client, app_ctx):
    officer = user_for("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url, data in (
            (f"/manage/users/{officer.id}/role", {"role": "admin"}),
            (f"/manage/users/{officer.id}/deactivate", {}),
        ):
            response = admin_client.post(url, data=data)
            assert response.status_code == 400
        # With the token from the page, it works.
        form_page = page(admin_client.get(f"/manage/users/{officer.id}"))
        token = form_page.find("form", action=f"/manage/users/{officer.id}/role").find(
            "input", attrs={"name": "csrf_token"}
        )["value"]
        response = admin_client.post(
            f"/manage/users/{officer.id}/role", data={"role": "admin", "csrf_token": token}
        )
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert user_for("officer").role == "admin"
    assert user_for("officer").is_active_account
