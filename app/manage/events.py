"""Staff pages for co-production events: the list, creating and editing, cancelling, and each
event's registrations, attendance, CSV export and notes.

Registrations are personal data, so they appear only on the event page and in the export,
both for coordinators and admins. The rules live in app/domain/event_staff.py.
"""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.engagement import consultations as consultations_domain
from ..domain.engagement import event_staff
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan_domain
from ..domain.shared.errors import Refused
from ..forms import show_problems
from . import bp
from .event_forms import ACCESS_FEATURES, AttendanceForm, CancelEventForm, EventForm, NoteForm


def _actor():
    return current_user._get_current_object()


def _event_or_404(event_id: int):
    event = event_staff.staff_event(event_id)
    if event is None:
        abort(404)
    return event


@bp.get("/events", endpoint="events")
@roles_required(*roles.EVENT_ORGANISERS)
def events_index():
    return render_template("manage/events/index.html", listing=event_staff.staff_event_list())


@bp.route("/events/new", methods=["GET", "POST"], endpoint="event_new")
@roles_required(*roles.EVENT_ORGANISERS)
def event_new():
    form = EventForm(consultations=consultations_domain.choices())
    if form.validate_on_submit():
        event = event_staff.create_event(_actor(), form.values())
        flash(_("Event “%(title)s” added", title=event.title), "success")
        return redirect(url_for("manage.event", event_id=event.id))
    return render_template("manage/events/form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"], endpoint="event_edit")
@roles_required(*roles.EVENT_ORGANISERS)
def event_edit(event_id: int):
    event = _event_or_404(event_id)
    form = EventForm(data=EventForm.data_for(event), consultations=consultations_domain.choices())
    if form.validate_on_submit():
        try:
            event_staff.update_event(_actor(), event, form.values())
        except Refused as refused:
            show_problems(form, refused)
        else:
            flash(_("Changes to “%(title)s” saved", title=event.title), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return render_template("manage/events/form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"], endpoint="event_cancel")
@roles_required(*roles.EVENT_ORGANISERS)
def event_cancel(event_id: int):
    event = _event_or_404(event_id)
    if event.cancelled_at is not None:
        flash(_("This event was already cancelled."), "info")
        return redirect(url_for("manage.event", event_id=event.id))
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            emailed = event_staff.cancel_event(_actor(), event, form.reason.data)
        except Refused as refused:
            flash(refused.message, "info")
        else:
            flash(
                ngettext(
                    "Event cancelled. %(num)d person has been emailed.",
                    "Event cancelled. %(num)d people have been emailed.",
                    emailed,
                ),
                "success",
            )
        return redirect(url_for("manage.event", event_id=event.id))
    counts = event_staff.staff_registration_counts([event.id]).get(event.id, (0, 0))
    return render_template(
        "manage/events/cancel.html", form=form, event=event, registered=counts[0], waiting=counts[1]
    )


def _render_event(event, attendance_form=None, status=200):
    registrations = event_staff.staff_registrations(event)
    registered = [r for r in registrations if r.state == "registered"]
    if attendance_form is None:
        attendance_form = AttendanceForm(
            formdata=None,
            registrations=registered,
            data={"attended": [r.id for r in registered if r.attended]},
        )
    return render_template(
        "manage/events/show.html",
        event=event,
        registrations=registrations,
        registered_count=len(registered),
        waiting_count=sum(1 for r in registrations if r.state == "waiting"),
        attendance_form=attendance_form,
        notes=event_staff.event_notes(event),
        access_features=[label for name, label in ACCESS_FEATURES if getattr(event, name)],
    ), status


@bp.get("/events/<int:event_id>", endpoint="event")
@roles_required(*roles.EVENT_ORGANISERS)
def event_show(event_id: int):
    return _render_event(_event_or_404(event_id))


@bp.post("/events/<int:event_id>/attendance", endpoint="event_attendance")
@roles_required(*roles.EVENT_ORGANISERS)
def event_attendance(event_id: int):
    event = _event_or_404(event_id)
    registered = [r for r in event_staff.staff_registrations(event) if r.state == "registered"]
    form = AttendanceForm(registrations=registered)
    if form.validate_on_submit():
        attended = event_staff.record_attendance(_actor(), event, form.attended.data or [])
        flash(
            ngettext(
                "Attendance saved: %(num)d person came.",
                "Attendance saved: %(num)d people came.",
                attended,
            ),
            "success",
        )
        return redirect(url_for("manage.event", event_id=event.id))
    return _render_event(event, attendance_form=form)


@bp.get("/events/<int:event_id>/registrations.csv", endpoint="event_registrations_csv")
@roles_required(*roles.EVENT_ORGANISERS)
def event_registrations_csv(event_id: int):
    event = _event_or_404(event_id)
    body = event_staff.export_registrations_csv(_actor(), event)
    return Response(
        body,
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="event-{event.id}-registrations.csv"'
        },
    )


@bp.route("/events/<int:event_id>/notes", methods=["GET", "POST"], endpoint="event_notes")
@roles_required(*roles.EVENT_ORGANISERS)
def event_notes(event_id: int):
    event = _event_or_404(event_id)
    form = NoteForm(areas=plan_domain.all_areas())
    if form.validate_on_submit():
        contribution = event_staff.add_event_note(
            _actor(), event, form.text.data, form.areas.data or []
        )
        flash(
            _(
                "Note added to the inbox with reference %(reference)s",
                reference=contribution.reference,
            ),
            "success",
        )
        return redirect(url_for("manage.event_notes", event_id=event.id))
    return render_template(
        "manage/events/notes.html", form=form, event=event, notes=event_staff.event_notes(event)
    )
