"""A browser gets the stylesheet, scripts and fonts by their fingerprinted names, compressed, and
they work: the header is styled, GOV.UK Frontend starts, Urdu pages load their font."""

import re

FINGERPRINTED = re.compile(r"/static/.+\.[0-9a-f]{12}\.[a-z0-9]+$")


def test_a_page_loads_fingerprinted_files_compressed_and_uses_them(open_page):
    page = open_page(language="ur")
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/")
    urdu_fonts = page.evaluate(
        """async () => (await document.fonts.load('16px "Noto Nastaliq Urdu"', 'سلام')).length"""
    )
    page.wait_for_load_state("networkidle")
    static = [response for response in responses if "/static/" in response.url]
    assert static, "the page loaded no static files"
    for response in static:
        assert response.status == 200, response.url
        assert FINGERPRINTED.search(response.url), response.url
        assert "immutable" in response.headers["cache-control"], response.url
    stylesheet = next(response for response in static if "/dist/app." in response.url)
    assert stylesheet.headers.get("content-encoding") in ("br", "gzip")
    assert {"css", "mjs", "js"} <= {response.url.rsplit(".", 1)[1] for response in static}

    header_colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('.app-header')).backgroundColor"
    )
    assert header_colour == "rgb(0, 95, 107)"  # #005f6b, from the fingerprinted stylesheet
    started = page.evaluate(
        """() => [...document.querySelectorAll('[data-module]')].filter(
            (element) => element.hasAttribute(`data-${element.dataset.module}-init`)).length"""
    )
    assert started > 0, "GOV.UK Frontend did not start: the module import failed"
    assert urdu_fonts >= 1
