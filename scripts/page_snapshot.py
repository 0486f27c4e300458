"""Render every page in the URL map on the demo data and write it, normalised, to a folder.

A guard for refactoring: run it before and after a change that should not alter what anyone
sees, then compare the two folders (`diff -r BEFORE AFTER`). Public and sign-in pages are
rendered anonymously in English and Urdu; staff pages as every role the view allows. What
differs on every run (form tokens, nonces, one-time links, times) is replaced by placeholders.

    .venv/bin/python scripts/page_snapshot.py /tmp/pages-before
"""

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

VOLATILE = [
    (
        re.compile(r'name="csrf_token" type="hidden" value="[^"]*"'),
        'name="csrf_token" type="hidden" value="*"',
    ),
    (re.compile(r'value="[A-Za-z0-9._-]{24,}"'), 'value="*"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce="*"'),
    (re.compile(r"/(confirm|unsubscribe|set-password|cancel)/[A-Za-z0-9_\-]{16,}"), r"/\1/*"),
    (re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b"), "REFERENCE"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(\+00:00|Z)?"), "TIMESTAMP"),
    (re.compile(r"\b\d{1,2}[:.]\d{2}(:\d{2})?\s?(am|pm)?\b"), "HH:MM"),
]


def normalise(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def main(out_dir: str) -> int:
    os.environ.setdefault("TEST_MAIL_DIR", tempfile.mkdtemp(prefix="send-voice-snapshot-mail-"))
    from app.demo import seed_consultations, seed_events, seed_surveys, seed_voices
    from app.extensions import limiter
    from tests.browser import pages
    from tests.browser.conftest import served_app
    from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, build_database

    app = served_app()
    app.config["RATELIMIT_ENABLED"] = False
    build_database(app)
    with app.app_context():
        seed_voices()
        seed_events()
        seed_surveys()
        seed_consultations()
    out = Path(out_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    found = pages.catalogue(app)
    clients = {}

    def client_for(role, language):
        key = (role, language)
        if key not in clients:
            client = app.test_client()
            client.set_cookie(app.config["LANGUAGE_COOKIE"], language)
            if role:
                limiter.reset()
                signed_in = client.post(
                    "/auth/sign-in", data={"email": DEMO_EMAILS[role], "password": DEMO_PASSWORD}
                )
                assert signed_in.status_code == 302, f"could not sign in as {role}"
            clients[key] = client
        return clients[key]

    count = 0
    for page in found.pages:
        path = pages.url_for_page(app, page)
        cases = (
            [(None, "en"), (None, "ur")]
            if page.section != "staff"
            else [(role, "en") for role in page.roles]
        )
        for role, language in cases:
            response = client_for(role, language).get(path)
            name = re.sub(
                r"[^A-Za-z0-9]+", "_", f"{page.rule}__{role or 'anon'}__{language}"
            ).strip("_")
            body = f"<!-- {path} {response.status_code} -->\n{response.get_data(as_text=True)}"
            (out / f"{name}.html").write_text(normalise(body))
            count += 1
    print(f"{count} pages written to {out} ({len(found.problems)} catalogue problems)")
    for problem in found.problems:
        print("  " + problem)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/page-snapshot"))
