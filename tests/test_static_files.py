"""Static files: pages name them by fingerprint, browsers keep them a year, and they travel
compressed (issue 12)."""

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest
from flask import Flask, url_for

from app.static_files import MANIFEST, build, init_static_files

from .helpers import heading, page

YEAR = "max-age=31536000, public, immutable"


@pytest.fixture
def manifest(app) -> dict[str, str]:
    return json.loads((Path(app.config["STATIC_BUILD_DIR"]) / MANIFEST).read_text())


def stylesheets(response) -> list[str]:
    return [link["href"] for link in page(response).select("link[rel=stylesheet]")]


def test_a_page_names_the_fingerprinted_stylesheet_and_scripts(client, manifest):
    response = client.get("/")
    assert stylesheets(response) == ["/static/" + manifest["dist/app.css"]]
    assert re.fullmatch(r"dist/app\.[0-9a-f]{12}\.css", manifest["dist/app.css"])
    scripts = [script["src"] for script in page(response).select("script[src]")]
    assert "/static/" + manifest["js/app.mjs"] in scripts
    assert "/static/dist/app.css" not in response.get_data(as_text=True)


def test_the_fingerprinted_stylesheet_is_kept_for_a_year(client, manifest):
    response = client.get("/static/" + manifest["dist/app.css"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR
    assert response.mimetype == "text/css"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b".govuk-" in response.data


@pytest.mark.parametrize(
    "accept, encoding, decode",
    [("br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress), ("gzip, br", "br", None)],
)
def test_the_stylesheet_comes_compressed_as_the_browser_accepts(
    client, manifest, accept, encoding, decode
):
    url = "/static/" + manifest["dist/app.css"]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Cache-Control"] == YEAR
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(plain.data) / 4
    if decode:
        assert decode(response.data) == plain.data


def test_a_plain_name_still_works_but_is_kept_only_briefly(client):
    response = client.get("/static/dist/app.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"] == "max-age=60, public"


@pytest.mark.parametrize(
    "url", ["/static/no-such-file.css", "/static/dist/app.000000000000.css", "/static/../config.py"]
)
def test_an_unknown_static_file_is_the_not_found_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert heading(response) == "Page not found"


def test_the_urdu_fonts_and_the_frontend_script_are_fingerprinted_where_they_are_named(
    client, manifest
):
    urdu = client.get("/static/" + manifest["dist/urdu.css"]).get_data(as_text=True)
    fonts = re.findall(r"url\(([^)]+)\)", urdu)
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2?$", font) for font in fonts)
    for font in fonts:
        response = client.get("/static/dist/" + font)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR
    script = client.get("/static/" + manifest["js/app.mjs"]).get_data(as_text=True)
    assert f'from "/static/{manifest["dist/govuk-frontend.min.js"]}"' in script
    imported = client.get("/static/" + manifest["dist/govuk-frontend.min.js"])
    assert imported.headers["Cache-Control"] == YEAR


def test_urdu_pages_name_the_fingerprinted_urdu_stylesheet(client, manifest):
    client.set_cookie("lang", "ur")
    assert "/static/" + manifest["dist/urdu.css"] in stylesheets(client.get("/"))


def test_the_build_carries_no_gov_uk_crown_or_typeface(manifest):
    names = " ".join(manifest).lower()
    for gov_uk_only in ("crown", "crest", "gds-transport", "light-f", "bold-f"):
        assert gov_uk_only not in names


# --- the build, on a small app/static of its own ---------------------------------------------


def small_static(root: Path, font: bytes = b"font one") -> Path:
    (root / "dist" / "fonts").mkdir(parents=True)
    (root / "scss").mkdir()
    (root / "scss" / "app.scss").write_text("$x: 1;")
    (root / "dist" / "fonts" / "a.woff2").write_bytes(font)
    (root / "dist" / "site.css").write_text(
        "@font-face{src:url(fonts/a.woff2)} body{background:url('/static/dist/none.png')}" * 50
    )
    return root


def test_a_changed_font_changes_the_name_of_the_stylesheet_that_uses_it(tmp_path):
    first = build(small_static(tmp_path / "one"), tmp_path / "build-one")
    second = build(small_static(tmp_path / "two", b"font two"), tmp_path / "build-two")
    assert first["dist/fonts/a.woff2"] != second["dist/fonts/a.woff2"]
    assert first["dist/site.css"] != second["dist/site.css"]
    css = (tmp_path / "build-two" / "static" / second["dist/site.css"]).read_text()
    assert "url(fonts/" + Path(second["dist/fonts/a.woff2"]).name + ")" in css
    assert "url('/static/dist/none.png')" in css  # not a static file: left as it was
    assert "scss/app.scss" not in second
    assert (tmp_path / "build-two" / "static" / (second["dist/site.css"] + ".br")).exists()
    assert (tmp_path / "build-two" / "static" / (second["dist/site.css"] + ".gz")).exists()


def test_the_same_files_build_to_the_same_names(tmp_path):
    source = small_static(tmp_path / "static")
    assert build(source, tmp_path / "a") == build(source, tmp_path / "b")


def bare_app(tmp_path: Path, serve: bool, built: bool = True) -> Flask:
    source = small_static(tmp_path / "static")
    if built:
        build(source, tmp_path / "build")
    app = Flask(__name__, static_folder=str(source))
    app.config.update(STATIC_BUILD_DIR=str(tmp_path / "build"), SERVE_STATIC_BUILD=serve)
    init_static_files(app)
    return app


@pytest.mark.parametrize("serve, built", [(False, True), (True, False)])
def test_without_a_build_to_serve_files_keep_their_names(tmp_path, serve, built):
    """Development (SERVE_STATIC_BUILD off) serves app/static as it is being edited."""
    app = bare_app(tmp_path, serve=serve, built=built)
    with app.test_request_context():
        assert url_for("static", filename="dist/site.css") == "/static/dist/site.css"
    response = app.test_client().get("/static/dist/site.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    response.close()


def test_with_a_build_to_serve_names_are_fingerprinted(tmp_path):
    app = bare_app(tmp_path, serve=True)
    with app.test_request_context():
        url = url_for("static", filename="dist/site.css")
        assert url_for("static", filename="dist/not-built.css") == "/static/dist/not-built.css"
    assert re.fullmatch(r"/static/dist/site\.[0-9a-f]{12}\.css", url)
    assert app.test_client().get(url).headers["Cache-Control"] == YEAR
