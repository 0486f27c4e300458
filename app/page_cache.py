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
- A kept page with no form is served by `KeptPages`, in front of Flask: no request context, no
  rate limiting, no view — the content version, one cache read and the headers every response
  carries. Anything it is not sure of (a session holding more than the shared keys, a remember-me
  cookie, a page with a form, a miss) goes on to Flask, which keeps or serves it as above. So a
  rate limit on a kept page (search) counts the pages that had to be rendered: the work.
- `Cache-Control: private, no-cache`: browsers keep a copy and revalidate it; shared caches do
  not keep pages (some hold a CSRF token). A page without a form has a weak ETag (its kept text)
  and Last-Modified (when it was rendered), so a returning browser gets 304. A page with a form
  has neither: a copy kept past the token's lifetime would be refused when sent.
"""

import hashlib
import logging
from functools import wraps

from cachelib import SimpleCache
from flask import current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .domain.shared import content_version
from .extensions import cache, db
from .forms import FORM_STARTED, started_token
from .i18n import current_language, language_asked_for, vary_on_language
from .models.base import utcnow
from .web import SPELLED_OUT, csp_nonce, fresh_nonce, set_security_headers, spell_out_acronyms

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
        key, kept = request.environ.get(LOOKED_UP) or (None, None)
        if key is None:
            key = _key(request, current_language())
            kept = _read(key)
        if kept is None:
            response = current_app.make_response(view(*args, **kwargs))
            kept = _keepable(response)
            if kept is None:
                return response
            _write(key, kept)
        return _serve(kept)

    setattr(serve, KEPT, True)
    return serve


KEPT = "page_cache_kept"  # marks a view whose page may be kept
LOOKED_UP = "send_voice.page_cache"  # environ: the key and kept page KeptPages found


def _same_for_everyone() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and current_app.config["PAGE_CACHE_SECONDS"] > 0
        and not current_user.is_authenticated
        and set(session.keys()) <= SHARED_SESSION_KEYS
    )


class KeptPages:
    """WSGI middleware in front of Flask: serves a kept page without a form to someone whose
    session is the same as everyone's, before Flask makes a request context. Everything else
    goes on to Flask unchanged."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            response = self._kept(environ)
            if response is not None:
                return response(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _kept(self, environ):
        app = self.app
        if app.config["PAGE_CACHE_SECONDS"] <= 0:
            return None
        asking = app.request_class(environ)
        try:
            endpoint, _arguments = app.create_url_adapter(asking).match()
        except HTTPException:  # not found, a redirect, another method: Flask answers it
            return None
        if not getattr(app.view_functions.get(endpoint), KEPT, False):
            return None
        if not _plain_visitor(app, asking):
            return None
        with app.app_context():
            try:
                key = _key(asking, language_asked_for(asking))
            except DBAPIError:  # the database is away: Flask answers with the 503 page
                return None
            kept = _read(key)
            if kept is None or FORM_HOLES & set(kept["holes"]):
                environ[LOOKED_UP] = (key, kept)  # Flask need not look again
                return None
            nonce = fresh_nonce()
            text = kept["text"]
            if "nonce" in kept["holes"]:
                text = text.replace(_placeholder("nonce"), nonce)
            response = _validated(app.response_class(text, mimetype="text/html"), kept, asking)
            return set_security_headers(vary_on_language(response), nonce, asking.is_secure)


def _plain_visitor(app, asking) -> bool:
    """Nobody signed in or remembered, and a session (if any) holding only the shared keys."""
    if app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in asking.cookies:
        return False
    if app.config["SESSION_COOKIE_NAME"] not in asking.cookies:
        return True
    opened = app.session_interface.open_session(app, asking)
    return opened is not None and set(opened.keys()) <= SHARED_SESSION_KEYS


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
        return content_version.current_raw(connection)


def _version_engine() -> Engine:
    engines = current_app.extensions.setdefault("page_cache", {})
    if "version_engine" not in engines:
        engines["version_engine"] = create_engine(
            db.engine.url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=False
        )
    return engines["version_engine"]


def _key(asking, language: str) -> str:
    version, changed_at = _version()
    where = f"{version}|{changed_at}|{language}|{asking.host_url}|{asking.full_path}"
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
    setattr(g, SPELLED_OUT, True)  # kept with its acronyms spelled out already
    return _validated(current_app.response_class(text, mimetype="text/html"), kept, request)


def _validated(response, kept: dict, asking):
    """Browsers keep a copy and ask again each time; a page without a form can be answered 304."""
    response.headers["Cache-Control"] = "private, no-cache"
    if not FORM_HOLES & set(kept["holes"]):
        response.set_etag(kept["etag"], weak=True)
        response.last_modified = kept["rendered_at"]
        response.make_conditional(asking)
    return response


def _near(app) -> SimpleCache | None:
    """This process's own copies of the pages it served lately, in front of a shared store
    (Redis): a key names its content version, so a copy is never stale, and a popular page costs
    no trip to Redis. None when the page cache is already this process's own."""
    if app.config.get("CACHE_TYPE") == "SimpleCache":
        return None
    kept = app.extensions.setdefault("page_cache", {})
    if "near" not in kept:
        kept["near"] = SimpleCache(
            threshold=app.config.get("CACHE_THRESHOLD", 500),
            default_timeout=app.config["PAGE_CACHE_SECONDS"],
        )
    return kept["near"]


def _read(key: str) -> dict | None:
    near = _near(current_app)
    found = near.get(key) if near is not None else None
    if found is not None:
        return found
    try:
        found = cache.get(key)
    except Exception:  # the page is rendered as if nothing were kept
        log.warning("The page cache could not be read", exc_info=True)
        return None
    if found is not None and near is not None:
        near.set(key, found)
    return found


def _write(key: str, kept: dict) -> None:
    near = _near(current_app)
    if near is not None:
        near.set(key, kept)
    try:
        cache.set(key, kept, timeout=current_app.config["PAGE_CACHE_SECONDS"])
    except Exception:
        log.warning("The page cache could not be written", exc_info=True)
