"""Languages: the switcher (a cookie) beats the browser's Accept-Language; Urdu is right to left.

The catalogues may still be being translated, so these tests look at attributes, not words.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import url_for

from ..helpers import page


def html_attrs(response) -> tuple[str, str]:
    html = page(response).find("html")
    return html["lang"], html["dir"]


def language_cookie(client, app):
    return client.get_cookie(app.config["LANGUAGE_COOKIE"])


def switcher_links(response) -> dict[str, str]:
    soup = page(response)
    nav = soup.find("nav", attrs={"aria-label": "Language"}) or soup.find(
        "nav", class_="app-language-bar"
    )
    assert nav is not None and nav.get("aria-label"), "the switcher is a labelled nav"
    return {a["hreflang"]: a["href"] for a in nav.find_all("a", hreflang=True)}


def test_english_by_default_left_to_right(client):
    assert html_attrs(client.get("/")) == ("en", "ltr")


def test_accept_language_polish_gives_polish(client):
    response = client.get("/areas", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert html_attrs(response) == ("pl", "ltr")


def test_accept_language_urdu_is_right_to_left(client):
    response = client.get("/areas/1", headers={"Accept-Language": "ur"})
    assert response.status_code == 200
    assert html_attrs(response) == ("ur", "rtl")


def test_unconfigured_browser_language_falls_back_to_english(client):
    assert html_attrs(client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"})) == (
        "en",
        "ltr",
    )


def test_switcher_offers_the_other_languages_and_marks_the_current_one(client):
    response = client.get("/areas?page=1")
    links = switcher_links(response)
    assert set(links) == {"pl", "ur"}
    for code, href in links.items():
        parts = urlsplit(href)
        assert parts.path == f"/language/{code}"
        assert "next=/areas?page%3D1" in parts.query or "next=%2Fareas%3Fpage%3D1" in parts.query
    current = page(response).select_one(".app-language-bar [aria-current]")
    assert current["lang"] == "en"


def test_switcher_sets_a_cookie_and_returns_to_the_page(client, app):
    links = switcher_links(client.get("/areas/3"))
    response = client.get(links["ur"])
    assert response.status_code == 302
    assert response.location == "/areas/3"
    cookie = language_cookie(client, app)
    assert cookie is not None and cookie.value == "ur"
    assert cookie.http_only
    assert cookie.expires is not None  # remembered for a year, not just this visit

    followed = client.get(response.location)
    assert html_attrs(followed) == ("ur", "rtl")
    # The switcher now offers English to get back.
    assert set(switcher_links(followed)) == {"en", "pl"}


def test_cookie_beats_accept_language(client):
    client.get("/language/pl?next=/")
    response = client.get("/", headers={"Accept-Language": "ur"})
    assert html_attrs(response) == ("pl", "ltr")

    client.get("/language/en?next=/")
    response = client.get("/", headers={"Accept-Language": "ur"})
    assert html_attrs(response) == ("en", "ltr")


@pytest.mark.parametrize("code", ["xx", "de", "EN", "ur-evil", "a" * 200])
def test_unknown_language_leaves_the_cookie_unset(client, app, code):
    response = client.get(f"/language/{code}?next=/areas")
    assert response.status_code == 302
    assert response.location == "/areas"
    assert language_cookie(client, app) is None
    assert html_attrs(client.get("/areas")) == ("en", "ltr")


def test_an_unknown_language_does_not_replace_a_chosen_one(client, app):
    client.get("/language/pl")
    client.get("/language/xx")
    assert language_cookie(client, app).value == "pl"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/areas",
        "//evil.example",
        "//evil.example/areas",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_next_never_leaves_the_site(client, target):
    response = client.get("/language/pl", query_string={"next": target})
    assert response.status_code == 302
    assert response.location == "/"
    assert urlsplit(response.location).netloc == ""


def test_next_with_a_query_string_is_kept(client):
    response = client.get("/language/ur", query_string={"next": "/areas?page=2"})
    assert response.location == "/areas?page=2"


def test_urdu_pages_load_the_urdu_font_and_others_do_not(client, app):
    def stylesheets(response) -> list[str]:
        return [link["href"] for link in page(response).select("head link[rel=stylesheet]")]

    with app.test_request_context():
        urdu_css = url_for("static", filename="dist/urdu.css")  # by its fingerprint when built
    urdu = client.get("/you-said-we-did", headers={"Accept-Language": "ur"})
    assert urdu_css in stylesheets(urdu)
    for language in ("en", "pl"):
        other = client.get("/you-said-we-did", headers={"Accept-Language": language})
        assert urdu_css not in stylesheets(other)
    # The font comes from this site, which the Content-Security-Policy allows.
    assert "font-src 'self'" in urdu.headers["Content-Security-Policy"]


def test_the_urdu_font_is_built_from_the_npm_package(app):
    """`npm run build` copies the font: the stylesheet names it and its files are beside it."""
    dist = Path(app.static_folder) / "dist"
    css = dist / "urdu.css"
    if not css.exists():
        pytest.skip("assets not built (npm run build)")
    text = css.read_text()
    assert "font-family: 'Noto Nastaliq Urdu'" in text
    for name in re.findall(r"url\((fonts/[^)]+)\)", text):
        assert (dist / name).is_file()


# Found by a web scanner: control characters reached the Location header and answered 500.
HOSTILE_NEXT = [
    "/\nenv;",
    "/\r\nSet-Cookie: evil=1",
    "/\tenv",
    "/\x00",
    "/\x7f",
    "/\x85next-line",
    "/\u2028line-separator",
    "/\u202eevil",
    "/\u200b/evil.example",
    "/\t/evil.example",
    "/%0Aenv;",
    "/%0D%0ASet-Cookie:%20evil=1",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "//evil",
    "/\\evil",
    "\\/evil",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:/evil.example",
    "//[",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_gets_the_home_page_never_a_500(client, target):
    response = client.get("/language/pl", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_scanners_exact_request_gets_the_home_page(client):
    response = client.get("/language/en?next=/%0Aenv;")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_ordinary_paths_still_work(client):
    for target in ["/areas", "/areas?page=2", "/consultations/abc?about=1#comments", "/a%20b"]:
        response = client.get("/language/pl", query_string={"next": target})
        assert response.headers["Location"] == target
