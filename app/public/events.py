"""Co-production events: the list, an event's page, registering, and cancelling a place.

The rules (places, the waiting list, emails) are in app/domain/events.py.
"""

import logging

from flask import abort, current_app, redirect, render_template, request, session, url_for

from ..domain.engagement import events as events_domain
from ..domain.shared.errors import Refused
from ..extensions import limiter
from ..page_cache import public_page
from ..web import just_sent, private_page, young_person_args, young_person_mode
from . import bp
from .event_forms import CancelPlaceForm, RegistrationForm

log = logging.getLogger(__name__)

REGISTERED_KEY = "event_registered"


def _register_limit() -> str:
    return current_app.config.get("EVENT_REGISTER_RATE_LIMIT", "10 per hour")


def _event_or_404(event_id: int) -> events_domain.EventSummary:
    summary = events_domain.public_event(event_id)
    if summary is None:
        abort(404)
    return summary


def _event_page(
    summary: events_domain.EventSummary, form: RegistrationForm | None = None, status: int = 200
):
    if summary.is_cancelled:
        return render_template(
            "public/events/cancelled.html", summary=summary, event=summary.event
        ), status
    young_person = young_person_mode()
    return render_template(
        "public/events/event.html",
        summary=summary,
        event=summary.event,
        form=form or RegistrationForm(young_person=young_person),
        young_person=young_person,
        yp_args=young_person_args(young_person),
        switch_url=url_for(
            "public.event", event_id=summary.event.id, **young_person_args(not young_person)
        ),
        max_access_needs=events_domain.MAX_ACCESS_NEEDS_LENGTH,
        retention_days=current_app.config["EVENT_REGISTRATION_RETENTION_DAYS"],
    ), status


@bp.get("/events")
@public_page
def events():
    young_person = young_person_mode()
    return render_template(
        "public/events/index.html",
        young_person=young_person,
        yp_args=young_person_args(young_person),
        switch_url=url_for("public.events", **young_person_args(not young_person)),
        upcoming=events_domain.upcoming_events(),
        past=events_domain.past_events(),
    )


@bp.get("/events/<int:event_id>")
@public_page
def event(event_id: int):
    return _event_page(_event_or_404(event_id))


@bp.get("/events/<int:event_id>/calendar.ics")
def event_calendar(event_id: int):
    summary = _event_or_404(event_id)
    response = current_app.response_class(
        events_domain.public_calendar(summary.event), mimetype="text/calendar"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event_id}.ics"'
    return response


@bp.post("/events/<int:event_id>/register")
@limiter.limit(_register_limit)
def event_register(event_id: int):
    summary = _event_or_404(event_id)
    if summary.is_cancelled or not summary.registration_open:
        return _event_page(summary)  # the page says why, with no form
    young_person = young_person_mode()
    form = RegistrationForm(young_person=young_person)
    if not form.validate_on_submit():
        return _event_page(summary, form)
    if form.website.data:
        # Robots see the usual confirmation, so they learn nothing; nothing is stored.
        log.info("Event registration treated as automated and not stored")
        session[REGISTERED_KEY] = {"event_id": event_id, "state": events_domain.REGISTERED}
        return redirect(_registered_url(event_id, young_person))
    try:
        registration = events_domain.register(
            summary.event,
            form.name.data,
            form.email.data,
            form.attendee_type.data,
            form.access_needs.data or "",
        )
    except events_domain.EventNotFound:
        abort(404)
    except events_domain.AlreadyRegistered as already:
        # The same page a newcomer gets, so nobody learns who has signed up; the address's owner
        # is told by email. What was typed is shown back, as it would be for a new registration.
        session[REGISTERED_KEY] = {
            "event_id": event_id,
            "state": already.state,
            "access_needs": (form.access_needs.data or "").strip(),
        }
        return redirect(_registered_url(event_id, young_person))
    except Refused:  # closed or cancelled since the page was shown
        return _event_page(_event_or_404(event_id))
    session[REGISTERED_KEY] = {
        "event_id": event_id,
        "state": registration.state,
        "registration_id": registration.id,
    }
    return redirect(_registered_url(event_id, young_person))


def _registered_url(event_id: int, young_person: bool) -> str:
    return url_for("public.event_registered", event_id=event_id, **young_person_args(young_person))


@bp.get("/events/<int:event_id>/registered")
def event_registered(event_id: int):
    done = just_sent(REGISTERED_KEY, event_id=event_id)
    if done is None:
        return redirect(url_for("public.event", event_id=event_id))
    summary = _event_or_404(event_id)
    young_person = young_person_mode()
    return private_page(
        "public/events/registered.html",
        summary=summary,
        event=summary.event,
        young_person=young_person,
        yp_args=young_person_args(young_person),
        waiting=done.get("state") == events_domain.WAITING,
        registration=events_domain.own_registration(event_id, done.get("registration_id")),
        access_needs_typed=done.get("access_needs"),
    )


@bp.route("/events/cancel/<token>", methods=["GET", "POST"])
def event_cancel(token: str):
    registration = events_domain.registration_for_cancel_token(token)
    if registration is None:
        return render_template("public/events/cancel_invalid.html"), 404
    if registration.event.cancelled_at is not None:
        return _event_page(_event_or_404(registration.event_id))  # says the event is cancelled
    form = CancelPlaceForm()
    if request.method == "POST" and form.validate_on_submit():
        event_id = registration.event_id
        events_domain.cancel(registration)
        summary = _event_or_404(event_id)
        return render_template(
            "public/events/place_cancelled.html", summary=summary, event=summary.event
        )
    summary = _event_or_404(registration.event_id)
    return private_page(
        "public/events/cancel.html",
        summary=summary,
        event=summary.event,
        form=form,
        waiting=registration.state == events_domain.WAITING,
    )
