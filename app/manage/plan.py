"""Staff pages for the improvement plan: areas, actions, progress updates and CSV import.

Each view reads its form, calls one domain function and redirects with a message, or shows
what the domain refused next to the fields; the rules live in app/domain/plan/rules.py.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan_domain
from ..domain.plan import csv_import as plan_import
from ..domain.plan import measures as measures_domain
from ..forms import show_import_problems, submit
from ..models import ActionStatus
from . import bp
from .plan_forms import ActionForm, AreaForm, ImportForm, NewActionForm, ProgressUpdateForm


def _actor():
    return current_user._get_current_object()


@bp.get("/plan")
@roles_required(*roles.PLAN_KEEPERS)
def plan():
    areas = plan_domain.areas_at_a_glance()
    status = request.args.get("status", "")
    if status not in {s.value for s in ActionStatus}:
        status = ""
    area_id = request.args.get("area", type=int)
    if area_id not in {summary.area.id for summary in areas}:
        area_id = None
    actions = plan_domain.all_actions(status=status or None, area_id=area_id)
    return render_template(
        "manage/plan/index.html",
        areas=areas,
        actions=actions,
        total_actions=plan_domain.plan_status_counts().total,
        status=status,
        area_id=area_id,
        statuses=list(ActionStatus),
        filtered=bool(status or area_id),
    )


# Areas of weakness ----------------------------------------------------------------------------


@bp.route("/plan/areas/new", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def new_area():
    form = AreaForm()
    area = submit(
        form,
        lambda: plan_domain.check_area(None, **_area_values(form)),
        lambda: plan_domain.save_area(_actor(), None, **_area_values(form)),
    )
    if area:
        flash(_("Area %(number)d added", number=area.number), "success")
        return redirect(url_for("manage.plan"))
    return render_template("manage/plan/area_form.html", form=form, area=None)


@bp.route("/plan/areas/<int:area_id>/edit", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def edit_area(area_id: int):
    area = plan_domain.area_by_id(area_id)
    if area is None:
        abort(404)
    form = AreaForm(obj=area)
    if submit(
        form,
        lambda: plan_domain.check_area(area, **_area_values(form)),
        lambda: plan_domain.save_area(_actor(), area, **_area_values(form)),
    ):
        flash(_("Changes to area %(number)d saved", number=area.number), "success")
        return redirect(url_for("manage.plan"))
    return render_template("manage/plan/area_form.html", form=form, area=area)


def _area_values(form: AreaForm) -> dict:
    return {
        "number": form.number.data,
        "title": (form.title.data or "").strip(),
        "finding": (form.finding.data or "").strip(),
        "plain_summary": (form.plain_summary.data or "").strip(),
        "young_person_summary": (form.young_person_summary.data or "").strip(),
    }


# Actions --------------------------------------------------------------------------------------


@bp.route("/plan/actions/new", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def new_action():
    form = NewActionForm(organisations=plan_domain.organisations(), areas=plan_domain.all_areas())

    def values() -> dict:
        return {**_action_values(form), "status": form.status.data, "progress": form.progress.data}

    action = submit(
        form,
        lambda: plan_domain.check_action(None, **values()),
        lambda: plan_domain.save_action(_actor(), None, **values()),
    )
    if action:
        flash(_("Action %(reference)s added", reference=action.reference), "success")
        return redirect(url_for("manage.plan"))
    return render_template("manage/plan/action_form.html", form=form, action=None)


@bp.route("/plan/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def edit_action(action_id: int):
    action = plan_domain.action_by_id(action_id)
    if action is None:
        abort(404)
    form = ActionForm(
        data=ActionForm.data_for(action),
        organisations=plan_domain.organisations(keep_id=action.owner_organisation_id),
        areas=plan_domain.all_areas(),
    )
    if submit(
        form,
        lambda: plan_domain.check_action(action, **_action_values(form)),
        lambda: plan_domain.save_action(_actor(), action, **_action_values(form)),
    ):
        flash(_("Changes to action %(reference)s saved", reference=action.reference), "success")
        return redirect(url_for("manage.plan"))
    return render_template(
        "manage/plan/action_form.html",
        form=form,
        action=action,
        measures=measures_domain.measure_summaries(measures_domain.today(), action_id=action.id),
    )


def _action_values(form: ActionForm) -> dict:
    return {
        "reference": (form.reference.data or "").strip(),
        "title": (form.title.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "owner_organisation_id": form.owner_organisation_id.data,
        "lead": (form.lead.data or "").strip(),
        "due_date": form.due_date.data,
        "area_ids": list(form.areas.data or []),
    }


@bp.route("/plan/actions/<int:action_id>/update", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def update_action(action_id: int):
    action = plan_domain.action_by_id(action_id)
    if action is None:
        abort(404)
    form = ProgressUpdateForm(data={"status": action.status, "progress": action.progress})
    if submit(
        form,
        lambda: plan_domain.check_progress_update(**_update_values(form)),
        lambda: plan_domain.post_progress_update(_actor(), action, **_update_values(form)),
    ):
        flash(_("Progress update posted for %(reference)s", reference=action.reference), "success")
        return redirect(url_for("manage.plan"))
    return render_template("manage/plan/update.html", form=form, action=action)


def _update_values(form: ProgressUpdateForm) -> dict:
    return {
        "status": form.status.data,
        "progress": form.progress.data,
        "note": form.note.data or "",
    }


# CSV import -----------------------------------------------------------------------------------


@bp.route("/plan/import", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def import_actions():
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.csv_file.data
        result = plan_import.import_actions(_actor(), upload.read(), filename=upload.filename or "")
        if result.ok:
            count = len(result.actions)
            flash(ngettext("%(num)d action imported", "%(num)d actions imported", count), "success")
            return redirect(url_for("manage.plan"))
        problems = show_import_problems(form.csv_file, result)
    return render_template(
        "manage/plan/import.html",
        form=form,
        problems=problems,
        columns=plan_import.COLUMNS,
        required_columns=plan_import.REQUIRED_COLUMNS,
        statuses=list(ActionStatus),
        organisations=plan_domain.organisations(),
        max_rows=plan_import.MAX_ROWS,
    )


@bp.get("/plan/import/example.csv")
@roles_required(*roles.PLAN_KEEPERS)
def import_example():
    return Response(
        plan_import.example_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="plan-actions-example.csv"'},
    )
