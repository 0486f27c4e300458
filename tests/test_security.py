"""Security headers, caching of staff pages, cookie flags and escaping of stored text."""

import re

import pytest

from app.extensions import db
from app.models import Action, ActionStatus, Area, Organisation

from .conftest import DEMO_EMAILS, DEMO_PASSWORD
from .helpers import heading, page


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("url", ["/", "/areas/1", "/accessibility", "/no-such-page"])
def test_security_headers_on_public_pages(client, url):
    response = client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])


def test_inline_script_carries_the_nonce_the_policy_allows(client):
    response = client.get("/")
    nonces = [
        value[len("'nonce-") : -1]
        for value in csp_directives(response)["script-src"]
        if value.startswith("'nonce-")
    ]
    assert len(nonces) == 1
    nonce = nonces[0]
    assert len(nonce) >= 16
    inline = [s for s in page(response).find_all("script") if not s.get("src")]
    assert inline, "the page has its inline script"
    for script in inline:
        assert script.get("nonce") == nonce


def test_nonce_is_new_for_every_response(client):
    def nonce(response):
        return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)

    seen = {nonce(client.get("/")) for _ in range(3)}
    assert len(seen) == 3


def test_no_hsts_over_plain_http_but_sent_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_public_pages_may_be_cached_but_staff_pages_may_not(client, signed_in):
    assert "no-store" not in client.get("/areas").headers.get("Cache-Control", "")
    assert client.get("/auth/sign-in").headers["Cache-Control"] == "no-store"
    signed_in("officer")
    # Once signed in, even public pages carry the staff bar, so they are not stored either.
    assert client.get("/manage/").headers["Cache-Control"] == "no-store"
    assert client.get("/areas").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_same_site(client):
    response = client.post(
        "/auth/sign-in", data={"email": DEMO_EMAILS["coordinator"], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    session_cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")
    )
    flags = [flag.strip().lower() for flag in session_cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_production_cookies_are_secure_only():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True


def test_stored_text_is_escaped_not_run(client, app_ctx):
    payload = "<script>alert(1)</script>"
    owner = Organisation(name="<b>Bold</b> Borough", short_name="<i>BB</i>")
    action = Action(
        reference="APP-XSS.1",
        title=payload,
        description=f"Description {payload}",
        lead="<img src=x onerror=alert(2)>",
        owner=owner,
        status=ActionStatus.ON_TRACK.value,
        areas=[db.session.scalar(db.select(Area).where(Area.number == 1))],
    )
    db.session.add(action)
    db.session.commit()

    response = client.get("/actions/APP-XSS.1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert payload not in html
    assert "<img src=x" not in html
    assert "<b>Bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # A person sees the title as the text that was typed.
    assert heading(response) == payload
    soup = page(response)
    assert all(script.get("src") or script.get("nonce") for script in soup.find_all("script"))
    assert soup.find("img") is None

    # The same title listed on its area page is escaped too.
    area_html = client.get("/areas/1").get_data(as_text=True)
    assert payload not in area_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in area_html
