"""The browser harness: the app served on a free local port, driven by Debian's Chromium.

Every test in tests/browser is marked `browser`. The root conftest's per-test transaction does
not apply to them: the live server runs its own app with its own SQLite database (migrated and
seeded once per run), and what a browser test changes there is committed and stays.

Fixtures and helpers other browser tests use:
- `live_server`: the base URL, e.g. http://127.0.0.1:41234 (contexts already use it as base_url,
  so `page.goto("/areas")` works); `live_app`: the served app, for looking things up in its
  database;
- `page`: a fresh browser context and page (JavaScript on, CSP bypassed so axe can be injected);
- `page_without_js`: the same with JavaScript disabled;
- `open_page(role=None, language="en", javascript=True)`: a page signed in as a role (one
  sign-in per role per run, reused through Playwright's storage state) in a language;
- `sign_in(page, role)`: signs in through the real form, typing with the keyboard;
- `assert_no_axe_violations(page)`: runs axe-core with the WCAG 2.0/2.1/2.2 A and AA rules.
"""

import atexit
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from functools import cache
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import seed_consultations, seed_events, seed_surveys, seed_voices
from app.demo.reach import seed_reach_baselines
from app.extensions import db, limiter
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, build_database

from . import pages

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BROWSER_DIR = Path(__file__).resolve().parent

# The scoped session the app had before any test ran: browser tests must see this one, not the
# root conftest's per-test transaction (see test_harness_is_not_wrapped_in_a_transaction).
ORIGINAL_DB_SESSION = db.session


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the live server -------------------------------------------------------------------------


@cache
def served_app():
    """The app the live server serves, with its own SQLite file. Made once per run.

    It is created at collection time too, because the page catalogue walks its URL map to
    parametrize the tests. Its database is built only when a test needs the live server.
    """
    from config import TestingConfig

    tmp_dir = tempfile.mkdtemp(prefix="send-voice-browser-")
    atexit.register(shutil.rmtree, tmp_dir, True)
    uri = f"sqlite:///{os.path.join(tmp_dir, 'browser.sqlite')}"
    # create_app builds the engine from the config class, and tests/conftest.py points the class
    # at TEST_DATABASE_URL: swap in our SQLite file while the app (and its engine) is made.
    saved = TestingConfig.SQLALCHEMY_DATABASE_URI
    TestingConfig.SQLALCHEMY_DATABASE_URI = uri
    try:
        application = create_app("testing")
    finally:
        TestingConfig.SQLALCHEMY_DATABASE_URI = saved
    application.config["MAIL_FILE_DIR"] = os.path.join(tmp_dir, "mail")
    # Each role signs in once per run and later pages reuse that session's cookie, whose idle
    # clock is never moved on: let it outlive a long run (tests/auth checks the real limits).
    application.config["SESSION_IDLE_MINUTES"] = 24 * 60
    with application.app_context():
        assert str(db.engine.url) == uri, (
            f"the browser tests must use their own SQLite file, not {db.engine.url}"
        )
    return application


@pytest.fixture(scope="session")
def live_app():
    """The served app, its database migrated and seeded as `flask seed` does (plan and voices),
    so the pages show what a person exploring the demo would see."""
    application = served_app()
    build_database(application)
    with application.app_context():
        seed_voices()
        seed_events()
        seed_surveys()
        seed_consultations()
        seed_reach_baselines()
    return application


@pytest.fixture(scope="session")
def live_server(live_app):
    # One log line per request would bury a failing test's own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in is rate limited per address and every browser test comes from 127.0.0.1: start
    each test with clean counters, as the root conftest does for the other tests."""
    limiter.reset()
    yield


# --- the browser ------------------------------------------------------------------------------


def _missing_prerequisite() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"Chromium is not installed at {CHROMIUM} (sudo apt-get install chromium)"
    if not AXE_SCRIPT.exists():
        return f"axe-core is not installed at {AXE_SCRIPT} (run npm ci)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _missing_prerequisite()
    if missing:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{missing}: in CI the browser tests must run, not skip.", pytrace=False)
        pytest.skip(f"{missing}: browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _new_context(browser, live_server, *, javascript=True, language="en", storage_state=None):
    context = browser.new_context(
        base_url=live_server,
        bypass_csp=True,
        java_script_enabled=javascript,
        locale="en-GB",
        storage_state=storage_state,
    )
    context.set_default_timeout(15_000)
    if language != "en":
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    return context


@pytest.fixture
def page(browser, live_server):
    context = _new_context(browser, live_server)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context = _new_context(browser, live_server, javascript=False)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def storage_state_for(browser, live_server):
    """storage_state_for("officer"): the cookies of a session signed in as that role.

    Each role signs in once per run, through the real form; later contexts reuse it."""
    states = {}

    def _state(role: str) -> dict:
        if role not in states:
            context = _new_context(browser, live_server)
            try:
                signing_in = context.new_page()
                sign_in(signing_in, role)
                states[role] = context.storage_state()
            finally:
                context.close()
        return states[role]

    return _state


@pytest.fixture
def open_page(browser, live_server, storage_state_for):
    """open_page(role="admin", language="ur") -> a new page in its own context."""
    contexts = []

    def _open(role: str | None = None, language: str = "en", javascript: bool = True):
        state = storage_state_for(role) if role else None
        context = _new_context(
            browser, live_server, javascript=javascript, language=language, storage_state=state
        )
        contexts.append(context)
        return context.new_page()

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()


# --- helpers ----------------------------------------------------------------------------------


def sign_in(page, role: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a demo user through the real form, using only the keyboard."""
    page.goto("/auth/sign-in")
    page.locator("#email").focus()
    page.keyboard.type(DEMO_EMAILS[role])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "password", (
        "Tab from the email field should reach the password"
    )
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if not re.search(r"/manage/?(\?|$)", page.url):
        summary = page.locator(".govuk-error-summary")
        problem = summary.inner_text() if summary.count() else "no error summary"
        raise AssertionError(
            f"signing in as {role} did not reach /manage (now at {page.url}): {problem}"
        )


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page (injected once per page load) and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = page.evaluate("async (options) => await axe.run(document, options)", options)
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} "
            f"({violation.get('helpUrl', '')})"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"    at {json.dumps(node['target'])}")
            lines.append(f"       {node['html'][:300]}")
        if len(violation["nodes"]) > 3:
            lines.append(f"    ... and {len(violation['nodes']) - 3} more")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    if violations:
        report = describe_violations(violations)
        pytest.fail(
            f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n{report}",
            pytrace=False,
        )


# --- parametrizing over the page catalogue ----------------------------------------------------

STAFF_LANGUAGE_ROLE_ORDER = ("admin", "officer", "coordinator")


def _page_cases():
    found = pages.catalogue(served_app())
    public = [
        (p, lang) for p in found.section("public") + found.section("auth") for lang in ("en", "ur")
    ]
    staff = []
    for p in found.section("staff"):
        staff += [(p, role, "en") for role in p.roles]
        # Urdu: as an administrator when they may see it, otherwise as the first role that may.
        urdu_role = (
            next(role for role in STAFF_LANGUAGE_ROLE_ORDER if role in p.roles) if p.roles else None
        )
        if urdu_role:
            staff.append((p, urdu_role, "ur"))
    refused = []
    for p in found.section("staff"):
        outsider = next(
            (role for role in STAFF_LANGUAGE_ROLE_ORDER[::-1] if role not in p.roles), None
        )
        if outsider and not p.arguments:
            refused.append((p, outsider))
    return public, staff, refused[:1]


def pytest_generate_tests(metafunc):
    """`public_case`, `staff_case` and `refused_case` are filled from the page catalogue."""
    names = set(metafunc.fixturenames)
    if not names & {"public_case", "staff_case", "refused_case"}:
        return
    public, staff, refused = _page_cases()
    if "public_case" in names:
        metafunc.parametrize("public_case", public, ids=[f"{lang}:{p.label}" for p, lang in public])
    if "staff_case" in names:
        metafunc.parametrize(
            "staff_case", staff, ids=[f"{role}:{lang}:{p.label}" for p, role, lang in staff]
        )
    if "refused_case" in names:
        metafunc.parametrize(
            "refused_case", refused, ids=[f"{role}:{p.label}" for p, role in refused]
        )
