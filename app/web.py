"""Request-wide concerns: security headers, error pages and what every template needs."""

import logging
import math
import secrets
import time
from datetime import UTC, datetime, timedelta

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, render_template, request, session, url_for
from flask_babel import format_date, format_datetime, format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from psycopg import OperationalError as DriverOperationalError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import Forbidden, HTTPException

from .domain.mail import outbox
from .domain.people import audit
from .domain.plan import measures
from .domain.shared import acronyms, dates, rich_text, suppression, wording
from .domain.shared.errors import NotAllowed
from .domain.surveys import export_jobs
from .domain.thread import feedback, redaction
from .extensions import client_address, db
from .i18n import current_language

log = logging.getLogger(__name__)

ERROR_PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def retry_after(error: HTTPException) -> int | None:
    """Whole seconds until the limit that was hit lets this person in again, or None when not
    known. Flask-Limiter knows when the breached window resets; an `abort(429)` may say too."""
    from .extensions import limiter

    seconds = None
    limit = limiter.current_limit
    if limit is not None and limit.breached:
        seconds = limit.reset_at - time.time()
    stated = getattr(error, "retry_after", None)
    if isinstance(stated, datetime):
        stated = (stated - datetime.now(UTC)).total_seconds()
    if isinstance(stated, int | float):
        seconds = max(seconds or 0, stated)
    return None if seconds is None else max(1, math.ceil(seconds))


def wait_text(seconds: int | None) -> str | None:
    """ "You can try again in 3 minutes, at 14:05." in the reader's language and the council's
    time zone; a person on a phone needs a clock time, not a number of seconds."""
    if seconds is None:
        return None
    if seconds < 60:
        return _("You can try again in less than a minute.")
    minutes = max(1, round(seconds / 60))
    at = format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), "HH:mm")
    return ngettext(
        "You can try again in %(num)d minute, at %(time)s.",
        "You can try again in %(num)d minutes, at %(time)s.",
        minutes,
        time=at,
    )


def fresh_nonce() -> str:
    """A new Content-Security-Policy nonce: one per response, never reused."""
    return secrets.token_urlsafe(16)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = fresh_nonce()
    return g.csp_nonce


def status_label(value: str | None) -> str:
    from .models import ActionStatus

    try:
        return ActionStatus(value).label
    except ValueError:
        return value or ""


def set_security_headers(response, nonce: str, secure: bool):
    """The headers every response carries (those it has already set are kept): the
    Content-Security-Policy allowing this page's scripts by `nonce`, and HSTS over HTTPS."""
    if response.status_code != 304:
        # A 304's headers replace those the browser kept with its copy (RFC 9111, 4.3.4): a new
        # nonce there would no longer match the kept page's scripts.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def private_page(template: str, status: int = 200, **context):
    """A page showing one person's own details (a reference, a registration, their answers),
    marked so that no browser or proxy keeps a copy."""
    response = current_app.make_response((render_template(template, **context), status))
    response.headers["Cache-Control"] = "no-store"
    return response


def just_sent(key: str, **about) -> dict | None:
    """What someone just sent, kept in their session for its confirmation page; None when the
    session holds nothing about this page (`about`: e.g. slug=...), and the page sends them back."""
    sent = session.get(key)
    if not isinstance(sent, dict) or any(sent.get(name) != value for name, value in about.items()):
        return None
    return sent


YOUNG_PERSON_ARG = "young_person"  # ?young_person=1: the switch surveys, "Tell us" and events share


def young_person_mode() -> bool:
    """Whether this page is the young person's version (asked for with ?young_person=1)."""
    return request.args.get(YOUNG_PERSON_ARG) == "1"


def young_person_args(young_person: bool) -> dict:
    """Query arguments that keep the young person's version on the next page of a journey."""
    return {YOUNG_PERSON_ARG: "1"} if young_person else {}


def public_navigation() -> list[dict]:
    """The service navigation, "Tell us" first, in words that fit one line on a laptop; the
    current section (endpoints starting with one of its prefixes) is marked for screen readers
    too. "Track your feedback" sits beside the home page's start button and in the footer."""
    endpoint = request.endpoint or ""
    items = [
        (_("Tell us"), "public.feedback", ("public.feedback", "public.feedback_confirmation")),
        (
            _("The improvement plan"),
            "public.areas",
            ("public.areas", "public.area", "public.action"),
        ),
        (_("You said, we did"), "public.responses", ("public.responses", "public.response")),
        (_("Surveys"), "public.surveys", ("public.survey",)),
        (_("Consultations"), "public.consultations", ("public.consultation",)),
        (
            _("Events"),
            "public.events",
            (
                "public.events",
                "public.event",
                "public.event_register",
                "public.event_cancel",
                "public.event_registered",
            ),
        ),
    ]
    return [
        {"href": url_for(target), "text": text, "active": endpoint.startswith(sections)}
        for text, target, sections in items
    ]


def pagination_links(listing, endpoint: str, keep=(), **view_args) -> dict | None:
    """govukPagination parameters for a numbered list (anything with `page` and `pages`), keeping
    the request's arguments named in `keep` (its filters); None when there is only one page."""
    page, pages = listing.page, listing.pages
    if pages <= 1:
        return None
    kept = {name: request.args.getlist(name) for name in keep if name in request.args}

    def href(number: int) -> str:
        return url_for(endpoint, **view_args, **kept, page=number)

    items, previous_number = [], None
    for number in range(1, pages + 1):
        if number in (1, pages) or abs(number - page) <= 1:
            if previous_number is not None and number - previous_number > 1:
                items.append({"ellipsis": True})
            items.append(
                {
                    "number": number,
                    "href": href(number),
                    "current": number == page,
                    "visuallyHiddenText": str(_l("Page %(num)d", num=number)),
                }
            )
            previous_number = number
    params = {"items": items, "landmarkLabel": str(_l("Pages of results"))}
    if page > 1:
        params["previous"] = {
            "href": href(page - 1),
            "text": str(_l("Previous")),
            "labelText": str(_l("Page %(num)d of %(pages)d", num=page - 1, pages=pages)),
        }
    if page < pages:
        params["next"] = {
            "href": href(page + 1),
            "text": str(_l("Next")),
            "labelText": str(_l("Page %(num)d of %(pages)d", num=page + 1, pages=pages)),
        }
    return params


def language_name(code: str | None) -> str:
    """A language code ("pl") as its name in the reader's language ("Polish"), by Babel; the
    code itself when Babel does not know it."""
    if not code:
        return ""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(get_locale())
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def translated(obj, field: str, young_person: bool = False) -> wording.Worded:
    """`translated(area, "title")`: the text in the reader's language where it is given, else
    English, knowing which it is (show it with `|marked`)."""
    return wording.worded(obj, field, current_language(), young_person)


def marked(text, tag: str = "span", rich: bool = False):
    """`{{ translated(area, "finding") | marked }}`: the text, wrapped with `lang` (and `dir`)
    when it is not in the page's language (`rich=True` for staff HTML, sanitised here)."""
    page_language = current_language()
    if rich:
        text = wording.Worded(rich_text.sanitise(text), getattr(text, "language", page_language))
    return wording.marked(
        text, page_language, current_app.config["RTL_LANGUAGES"], tag=tag, rich=rich
    )


SPELLED_OUT = "acronyms_spelled_out"  # g: this request's page has its acronyms spelled out


def spell_out_acronyms(response):
    """Public pages spell out each acronym the first time they use it (an <abbr> is not enough
    on a phone). Staff pages are left as they are: staff know the terms. Done once per page: a
    page served from the page cache was kept spelled out."""
    if (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and not request.path.startswith(("/manage", "/auth", "/static"))
        and not g.get(SPELLED_OUT)
    ):
        html = response.get_data(as_text=True)
        response.set_data(
            acronyms.spell_out_html(
                html,
                current_app.config.get("ACRONYMS") or {},
                names=(current_app.config["SERVICE_NAME"],),
                language=current_language(),
            )
        )
        setattr(g, SPELLED_OUT, True)
    return response


# How long the 503 page asks browsers and clients to wait before trying again.
DATABASE_RETRY_SECONDS = 5


def database_unreachable(error: Exception) -> bool:
    """Whether an error means the database could not be reached (down, restarting, or the
    connection dropped mid-request) rather than a fault in what was asked of it."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error.orig, DriverOperationalError)
    return isinstance(error, DriverOperationalError)


class _Outage:
    """This worker's view of a database outage, so it is logged when it starts and when it
    ends rather than once per request refused."""

    since: float | None = None

    def began(self, error: Exception) -> None:
        if self.since is None:
            self.since = time.monotonic()
            log.error("The database cannot be reached; answering 503 until it can: %s", error)

    def back(self) -> None:
        log.warning("The database is reachable again after %.1f s", time.monotonic() - self.since)
        self.since = None


_outage = _Outage()


def database_away(error: Exception):
    """The service's 503 page, made without the database: no traceback, the person signed in
    is not loaded (the page says nothing about them), and what the request had started is let
    go. The pool checks each connection before use (pool_pre_ping), so the next request after
    the database returns is served."""
    _outage.began(error)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; letting go of the session is enough
        db.session.close()
    g._login_user = current_app.login_manager.anonymous_user()
    response = current_app.make_response(
        (render_template("errors/503.html", error=error, wait=None), 503)
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_web(app: Flask) -> None:
    app.config.setdefault("MAX_CONTENT_LENGTH", 5 * 1024 * 1024)
    WTFormsHelpers(app)
    app.add_template_global(public_navigation)
    app.add_template_global(suppression.suppressed, "suppressed")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(feedback.topic_label, "feedback_topic")
    app.add_template_filter(format_date, "format_date")
    app.add_template_filter(format_datetime, "format_datetime")
    # Times in words, one rule everywhere (domain/shared/dates.py): "11:03am on 15 January 2027".
    app.add_template_filter(dates.time_of_day, "time_of_day")
    app.add_template_filter(dates.day, "day")
    app.add_template_filter(dates.time_and_day, "time_and_day")
    app.add_template_filter(status_label, "status_label")
    # A measure's value with its unit (domain/plan/measures.py): "62%", "18 weeks".
    app.add_template_filter(measures.format_value, "measure_value")
    # For moderators: a comment that seems to hold a phone number, email address or postcode.
    app.add_template_test(redaction.has_personal_details, "personal_details")
    app.add_template_filter(language_name, "language_name")
    # Staff-written rich text, sanitised again as it is shown (public and staff pages alike).
    app.add_template_filter(rich_text.as_markup, "rich_text")
    # Content in the reader's language, English marked as English (domain/shared/wording.py).
    app.add_template_global(translated)
    app.add_template_filter(marked)

    @app.context_processor
    def service_context():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "area_name": app.config["AREA_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
            "contact_email": app.config["CONTACT_EMAIL"],
            "contact_phone": app.config["CONTACT_PHONE"],
            "cspNonce": csp_nonce(),
            "current_user": current_user,
        }

    @app.before_request
    def request_scope():
        """The domain reads nothing from the request: what it records about one (the client
        address on audit entries, whether an email or an export was queued) goes in context
        variables that live exactly as long as the request."""
        g.request_scope_tokens = (
            audit.client_address.set(client_address()),
            outbox.mail_queued.set(False),
            export_jobs.export_queued.set(False),
        )

    @app.teardown_request
    def end_request_scope(_error=None):
        tokens = g.pop("request_scope_tokens", None)
        if tokens:
            address_token, queued_token, export_token = tokens
            audit.client_address.reset(address_token)
            outbox.mail_queued.reset(queued_token)
            export_jobs.export_queued.reset(export_token)

    @app.after_request
    def security_headers(response):
        set_security_headers(response, csp_nonce(), request.is_secure)
        if current_user.is_authenticated or request.path.startswith(("/manage", "/auth")):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.after_request(spell_out_acronyms)

    @app.after_request
    def deliver_queued_email(response):
        if current_app.config["OUTBOX_DELIVER_AFTER_REQUEST"] and outbox.mail_queued.get():
            try:
                outbox.deliver_due()
            except Exception:  # the outbox keeps it; `flask outbox work` will retry
                log.exception("Delivering queued email failed")
        return response

    @app.after_request
    def build_queued_export(response):
        if current_app.config["EXPORTS_BUILD_AFTER_REQUEST"] and export_jobs.export_queued.get():
            export_jobs.build_due()  # a failure is recorded on the job
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(NotAllowed)
    def not_allowed(error: NotAllowed):
        db.session.rollback()
        return http_error(Forbidden())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
        response = error.get_response()
        wait = retry_after(error) if code == 429 else None
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
        response.data = render_template(template, error=error, wait=wait_text(wait))
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(DriverOperationalError)
    def database_error(error):
        if not database_unreachable(error):
            return unexpected_error(error)
        return database_away(error)

    @app.after_request
    def database_back(response):
        if _outage.since is not None and response.status_code < 500:
            _outage.back()
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return render_template("errors/500.html"), 500
