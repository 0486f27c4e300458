"""Every error a person can meet gets a styled page with the right status and a plain heading."""

import pytest
from flask import abort
from sqlalchemy.exc import OperationalError

from app import create_app
from app.auth.session import roles_required
from app.extensions import db
from app.models import Role

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD, sign_in_as
from ..helpers import heading, main_text, page

SECRET_DETAIL = "database password is hunter2 at line 42"


@pytest.fixture(scope="module")
def throwaway_app(app):
    """A second app built like the real one, with routes the real app must never have.

    Built after `app`, so its configuration points at the same test database; the routes are
    registered before its first request.
    """
    extra = create_app("testing")

    @extra.get("/_test/bad-request")
    def bad_request():
        abort(400)

    @extra.get("/_test/boom")
    def boom():
        raise RuntimeError(SECRET_DETAIL)

    @extra.get("/_test/admins-only")
    @roles_required(Role.ADMIN)
    def admins_only():
        return "admin area"

    return extra


def assert_styled_error(response, status, title):
    assert response.status_code == status
    assert response.content_type.startswith("text/html")
    soup = page(response)
    assert heading(soup) == title
    # It is a whole page in the service's frame, not a bare error message.
    assert soup.find("footer") is not None
    assert soup.find("a", class_="govuk-skip-link") is not None
    assert soup.title.get_text().startswith(title)
    return soup


def test_400_is_a_styled_page(throwaway_app):
    response = throwaway_app.test_client().get("/_test/bad-request")
    assert_styled_error(response, 400, "Sorry, there is a problem with that request")
    assert "The page could not understand what was sent" in main_text(response)


def test_403_for_a_signed_in_role_without_rights(throwaway_app):
    client = throwaway_app.test_client()
    sign_in_as(client, "coordinator")
    response = client.get("/_test/admins-only")
    assert_styled_error(response, 403, "You do not have permission to see this page")
    assert "admin area" not in response.get_data(as_text=True)
    # The way on is offered to staff.
    assert page(response).find("main").find("a", href="/manage/")


def test_protected_route_sends_anonymous_people_to_sign_in(throwaway_app):
    response = throwaway_app.test_client().get("/_test/admins-only")
    assert response.status_code == 302
    assert response.location.startswith("/auth/sign-in?next=")


def test_403_on_the_real_admin_page(client, app, signed_in):
    if "manage.users" not in app.view_functions:
        pytest.skip("/manage/users is not built yet")
    signed_in("coordinator")
    response = client.get("/manage/users")
    assert_styled_error(response, 403, "You do not have permission to see this page")


@pytest.mark.parametrize(
    "url", ["/no-such-page", "/areas/99", "/actions/APP-99.9", "/actions/" + "x" * 200]
)
def test_404_is_a_styled_page(client, url):
    response = client.get(url)
    assert_styled_error(response, 404, "Page not found")
    assert "check it is correct" in main_text(response)


def test_405_is_a_styled_page(client):
    response = client.get("/auth/sign-out")  # sign-out only accepts POST
    assert_styled_error(response, 405, "Sorry, there is a problem with that request")
    assert "POST" in response.headers["Allow"]


def test_429_when_sign_in_is_tried_too_often(client, app):
    limit = int(app.config["SIGN_IN_RATE_LIMIT"].split(" per minute")[0])
    for attempt in range(limit):
        # A different address each time: this is the limit per client, not per account.
        response = client.post(
            "/auth/sign-in", data={"email": f"nobody{attempt}@example.org", "password": "wrong"}
        )
        assert response.status_code == 200, f"attempt {attempt + 1} was limited too early"
    response = client.post(
        "/auth/sign-in", data={"email": "nobody@example.org", "password": "wrong"}
    )
    assert_styled_error(response, 429, "Too many attempts – please wait")
    assert "You can try again in " in main_text(response)
    assert "Retry-After" in response.headers


def test_500_is_styled_and_does_not_leak_the_error(throwaway_app):
    response = throwaway_app.test_client().get("/_test/boom")
    assert_styled_error(response, 500, "Sorry, there is a problem with the service")
    body = response.get_data(as_text=True)
    assert SECRET_DETAIL not in body
    assert "RuntimeError" not in body and "Traceback" not in body
    assert "Try again later" in main_text(response)


def test_csrf_failure_is_a_styled_page(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/auth/sign-in", data={"email": DEMO_EMAILS["officer"], "password": DEMO_PASSWORD}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert_styled_error(response, 400, "Your page timed out")
    assert "Nothing was saved" in main_text(response)
    # And nobody was signed in by the forged request.
    assert client.get("/manage/").status_code == 302


def test_csrf_token_from_the_form_is_accepted(client, app):
    """The CSRF check is not a blanket refusal: the real form, with its token, signs in."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        form = page(client.get("/auth/sign-in"))
        token = form.find("input", attrs={"name": "csrf_token"})["value"]
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "email": DEMO_EMAILS["officer"], "password": DEMO_PASSWORD},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_is_503_when_the_database_cannot_be_reached(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert "could not connect" not in response.get_data(as_text=True)


def test_healthz_is_never_rate_limited(client):
    for _ in range(50):
        assert client.get("/healthz").status_code == 200


# --- too many requests --------------------------------------------------------------------------


def _hit_the_track_limit(client, limit: str) -> None:
    client.application.config["TRACK_RATE_LIMIT"] = limit
    for _ in range(int(limit.split()[0])):
        assert client.get("/track?reference=2222-3333-4444").status_code == 200


@pytest.fixture
def restore_track_limit(app):
    before = app.config.get("TRACK_RATE_LIMIT")
    yield
    app.config["TRACK_RATE_LIMIT"] = before or "30 per hour"


def test_the_429_page_says_in_how_many_minutes_and_at_what_time_to_try_again(
    client, restore_track_limit
):
    _hit_the_track_limit(client, "2 per hour")
    response = client.get("/track?reference=2222-3333-4444")
    assert response.status_code == 429
    assert heading(response) == "Too many attempts – please wait"
    wait = int(response.headers["Retry-After"])
    assert 3500 < wait <= 3601
    told = page(response).select_one("[data-testid=retry-after]").get_text(strip=True)
    assert told.startswith("You can try again in 60 minutes, at ")
    assert told[-6:-1].replace(":", "").isdigit()  # a clock time, HH:MM
    assert "Nothing you have already sent has been lost." in main_text(response)


def test_a_short_wait_is_less_than_a_minute(client, restore_track_limit):
    _hit_the_track_limit(client, "1 per 10 second")
    response = client.get("/track?reference=2222-3333-4444")
    assert response.status_code == 429
    assert "You can try again in " in main_text(response)
    assert 1 <= int(response.headers["Retry-After"]) <= 11


def test_the_429_page_is_in_the_readers_language(client, restore_track_limit):
    client.get("/language/pl?next=/")
    _hit_the_track_limit(client, "1 per hour")
    response = client.get("/track?reference=2222-3333-4444")
    assert response.status_code == 429
    assert page(response).html["lang"] == "pl"
    assert response.headers["Retry-After"]
