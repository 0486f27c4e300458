"""Staff pages for outcome measures on plan actions: add and edit a measure, record and correct
its values, import values from a CSV file. Officers and admins (roles.PLAN_KEEPERS).

Each view reads its form and calls one domain function (domain/plan/measures.py), which checks,
changes, audits and commits; what the domain refuses is shown next to the fields.
"""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan_domain
from ..domain.plan import csv_import
from ..domain.plan import measures as measures_domain
from ..forms import show_import_problems, submit
from ..i18n import text_direction
from . import bp
from .measure_forms import CorrectionForm, MeasureForm, ValueForm, ValuesImportForm


def _actor():
    return current_user._get_current_object()


def _action_or_404(action_id: int):
    action = plan_domain.action_by_id(action_id)
    if action is None:
        abort(404)
    return action


def _measure_or_404(measure_id: int):
    measure = measures_domain.measure_by_id(measure_id)
    if measure is None:
        abort(404)
    return measure


@bp.route("/plan/actions/<int:action_id>/measures/new", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def measure_new(action_id: int):
    action = _action_or_404(action_id)
    form = MeasureForm()
    measure = submit(
        form,
        lambda: measures_domain.check_measure(action, None, **form.values()),
        lambda: measures_domain.save_measure(_actor(), action, None, **form.values()),
    )
    if measure:
        flash(_("Measure “%(name)s” added", name=measure.name), "success")
        return redirect(url_for("manage.measure", measure_id=measure.id))
    return render_template("manage/plan/measure_form.html", form=form, action=action, measure=None)


@bp.route("/plan/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def measure_edit(measure_id: int):
    measure = _measure_or_404(measure_id)
    action = measure.action
    form = MeasureForm(data=MeasureForm.data_for(measure))
    if submit(
        form,
        lambda: measures_domain.check_measure(action, measure, **form.values()),
        lambda: measures_domain.save_measure(_actor(), action, measure, **form.values()),
    ):
        flash(_("Changes to “%(name)s” saved", name=measure.name), "success")
        return redirect(url_for("manage.measure", measure_id=measure.id))
    return render_template(
        "manage/plan/measure_form.html", form=form, action=action, measure=measure
    )


@bp.get("/plan/measures/<int:measure_id>")
@roles_required(*roles.PLAN_KEEPERS)
def measure(measure_id: int):
    found = _measure_or_404(measure_id)
    detail = measures_domain.measure_detail(
        found, measures_domain.today(), rtl=text_direction() == "rtl"
    )
    return render_template("manage/plan/measure.html", detail=detail, action=found.action)


@bp.route("/plan/measures/<int:measure_id>/values/new", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def measure_value_new(measure_id: int):
    measure = _measure_or_404(measure_id)
    form = ValueForm()

    def values() -> dict:
        return {
            "measured_on": form.measured_on.data,
            "value": form.value.data,
            "note": form.note.data or "",
        }

    if submit(
        form,
        lambda: measures_domain.check_value(measure, **values()),
        lambda: measures_domain.record_value(_actor(), measure, **values()),
    ):
        flash(_("Value recorded for “%(name)s”", name=measure.name), "success")
        return redirect(url_for("manage.measure", measure_id=measure.id))
    return render_template("manage/plan/measure_value.html", form=form, measure=measure)


@bp.route("/plan/measures/<int:measure_id>/values/<int:value_id>/correct", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def measure_value_correct(measure_id: int, value_id: int):
    measure = _measure_or_404(measure_id)
    measured = measures_domain.value_by_id(measure, value_id)
    if measured is None:
        abort(404)
    form = CorrectionForm()

    def values() -> dict:
        return {"value": form.value.data, "reason": form.reason.data or ""}

    if submit(
        form,
        lambda: measures_domain.check_correction(measured, **values()),
        lambda: measures_domain.correct_value(_actor(), measured, **values()),
    ):
        flash(_("Value corrected for “%(name)s”", name=measure.name), "success")
        return redirect(url_for("manage.measure", measure_id=measure.id))
    return render_template(
        "manage/plan/measure_correct.html", form=form, measure=measure, measured=measured
    )


@bp.route("/plan/actions/<int:action_id>/measures/import", methods=["GET", "POST"])
@roles_required(*roles.PLAN_KEEPERS)
def measure_values_import(action_id: int):
    action = _action_or_404(action_id)
    form = ValuesImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.csv_file.data
        result = measures_domain.import_values(
            _actor(), action, upload.read(), filename=upload.filename or ""
        )
        if result.ok:
            count = len(result.values)
            flash(ngettext("%(num)d value imported", "%(num)d values imported", count), "success")
            return redirect(url_for("manage.edit_action", action_id=action.id) + "#measures")
        problems = show_import_problems(form.csv_file, result)
    return render_template(
        "manage/plan/measure_import.html",
        form=form,
        action=action,
        problems=problems,
        measures=measures_domain.measure_details(
            action.id, measures_domain.today(), public_only=False
        ),
        columns=measures_domain.IMPORT_COLUMNS,
        required_columns=measures_domain.IMPORT_REQUIRED,
        max_rows=csv_import.MAX_ROWS,
    )


@bp.get("/plan/actions/<int:action_id>/measures/example.csv")
@roles_required(*roles.PLAN_KEEPERS)
def measure_values_example(action_id: int):
    action = _action_or_404(action_id)
    return Response(
        measures_domain.example_values_csv(action),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{action.reference}-values-example.csv"'
        },
    )
