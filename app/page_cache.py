"""Render once, serve many: public pages that are the same for everyone, kept as rendered.

A view opts in with `@public_page`. Its page is kept (Flask-Caching: Redis when REDIS_URL is
set, else each process's own) under the content version (app/domain/shared/content_version.py),
the reader's language and the full address, so any change to what it shows is seen on the next
request by every instance, and for PAGE_CACHE_SECONDS at most (changes that come with time).

- Only people who are not signed in, on GET and HEAD, whose session holds nothing but what is
  filled in per request (SHARED_SESSION_KEYS): a flashed message, a survey in progress or a
  confirmation to show gets a fresh page. Only a 200 HTML page that sets no cookie is kept.
- What differs per request is kept as a placeholder and filled for each person (HOLES): the
  CSP nonce, the CSRF token and the signed "form shown at" time of the bot trap. Nobody is ever
  served another person's token.
- Kept with its acronyms spelled out (app/web.py), so a served page costs no HTML rewriting.
- `Cache-Control: private, no-cache`: browsers keep a copy and revalidate it; shared caches do
  not keep pages (some hold a CSRF token). A page without a form has a weak ETag (its kept text)
  and Last-Modified (when it was rendered), so a returning browser gets 304. A page with a form
  has neither: a copy kept past the token's lifetime would be refused when sent.
"""

import hashlib
import logging
from functools import wraps

from flask import current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError

from .domain.shared import content_version
from .extensions import cache, db
from .forms import FORM_STARTED, started_token
from .i18n import current_language
from .models.base import utcnow
from .web import SPELLED_OUT, csp_nonce, spell_out_acronyms

log = logging.getLogger(__name__)

# Session keys that change nothing on a public page: the CSRF token (a hole) and Flask-Login's
# marks on a visitor who is not signed in.
SHARED_SESSION_KEYS = frozenset({"csrf_token", "_fresh", "_permanent"})

# Each hole: its name, the value this request's page was rendered with (None: not on the page),
# and how to make one for the next person.
HOLES = (
    ("nonce", lambda: g.get("csp_nonce"), csp_nonce),
    ("csrf", lambda: g.get("csrf_token"), generate_csrf),
    ("started", lambda: g.get(FORM_STARTED), started_token),
)
FORM_HOLES = frozenset({"csrf", "started"})
IN_MEMORY = (None, "", ":memory:")


def public_page(view):
    """Serve the view's page from the page cache when it is the same for everyone."""

    @wraps(view)
    def serve(*args, **kwargs):
        if not _same_for_everyone():
            return view(*args, **kwargs)
        key = _key()
        kept = _read(key)
        if kept is None:
            response = current_app.make_response(view(*args, **kwargs))
            kept = _keepable(response)
            if kept is None:
                return response
            _write(key, kept)
        return _serve(kept)

    return serve


def _same_for_everyone() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and current_app.config["PAGE_CACHE_SECONDS"] > 0
        and not current_user.is_authenticated
        and set(session.keys()) <= SHARED_SESSION_KEYS
    )


def _version() -> tuple:
    """The latest committed content version. Read on a connection of its own that needs no
    transaction and no ping (one round trip instead of four: a kept page is served with no other
    query); a connection found dead is replaced and the read tried once more. Where the session
    is bound to one connection (tests) or the database lives in memory, read through the
    session, which sees its own changes."""
    if not isinstance(db.session.get_bind(), Engine) or db.engine.url.database in IN_MEMORY:
        return content_version.current(db.session)
    engine = _version_engine()
    try:
        return _read_version(engine)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _read_version(engine)  # on the connection the pool made in its place


def _read_version(engine: Engine) -> tuple:
    with engine.connect() as connection:
        return content_version.current(connection)


def _version_engine() -> Engine:
    engines = current_app.extensions.setdefault("page_cache", {})
    if "version_engine" not in engines:
        engines["version_engine"] = create_engine(
            db.engine.url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=False
        )
    return engines["version_engine"]


def _key() -> str:
    version, changed_at = _version()
    where = f"{version}|{changed_at}|{current_language()}|{request.host_url}|{request.full_path}"
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()


def _placeholder(name: str) -> str:
    """A stand-in no page can hold: it depends on the secret key."""
    secret = str(current_app.secret_key).encode()
    return "page-hole-" + name + "-" + hashlib.sha256(secret + name.encode()).hexdigest()[:24]


def _keepable(response) -> dict | None:
    """What is kept of a rendered page: its text with placeholders for the holes, which holes,
    and when it was rendered. None when the page must not be kept."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or getattr(request_ctx, "flashes", None)  # a message shown to this person
    ):
        return None
    spell_out_acronyms(response)
    text = response.get_data(as_text=True)
    holes = []
    for name, rendered, _fresh in HOLES:
        value = rendered()
        if value and value in text:
            text = text.replace(value, _placeholder(name))
            holes.append(name)
    return {
        "text": text,
        "holes": holes,
        "etag": hashlib.sha256(text.encode()).hexdigest()[:32],
        "rendered_at": utcnow(),
    }


def _serve(kept: dict):
    text = kept["text"]
    fresh = {name: make for name, _rendered, make in HOLES}
    for name in kept["holes"]:
        text = text.replace(_placeholder(name), fresh[name]())
    response = current_app.response_class(text, mimetype="text/html")
    setattr(g, SPELLED_OUT, True)  # kept with its acronyms spelled out already
    response.headers["Cache-Control"] = "private, no-cache"
    if not FORM_HOLES & set(kept["holes"]):
        response.set_etag(kept["etag"], weak=True)
        response.last_modified = kept["rendered_at"]
        response.make_conditional(request)
    return response


def _read(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # the page is rendered as if nothing were kept
        log.warning("The page cache could not be read", exc_info=True)
        return None


def _write(key: str, kept: dict) -> None:
    try:
        cache.set(key, kept, timeout=current_app.config["PAGE_CACHE_SECONDS"])
    except Exception:
        log.warning("The page cache could not be written", exc_info=True)
