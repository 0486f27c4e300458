"""Reach: who has been heard in a period, against the baselines of who should be; and the
baselines themselves (administrators), by form and by CSV."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.evidence import baselines as baselines_domain
from ..domain.evidence import reach as reach_domain
from ..domain.people import roles
from ..domain.shared.dates import DATE_PARTS, local_day
from ..domain.shared.errors import Refused
from ..forms import show_import_problems, show_problems
from ..i18n import text_direction
from ..models.base import utcnow
from . import bp
from .reach_forms import BaselineImportForm, ReachFilterForm, baseline_form, share_field_name


def _actor():
    return current_user._get_current_object()


def _period_args(start, end) -> dict:
    args = {}
    for name, value in (("date_from", start), ("date_to", end)):
        if value:
            args.update(
                {f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year}
            )
    return args


def reach_url(start, end, activity=None) -> str:
    """The reach page for a period and, optionally, one activity."""
    args = _period_args(start, end)
    if activity is not None:
        args["activity"] = activity.value
    return url_for("manage.reach", **args)


@bp.get("/reach")
@roles_required(*roles.REACH_WATCHERS)
def reach():
    today = local_day(utcnow())
    form = ReachFilterForm(reach_domain.activity_choices(), formdata=request.args)
    form.validate()
    typed_dates = any(
        request.args.get(f"{name}-{part}")
        for name in ("date_from", "date_to")
        for part in DATE_PARTS
    )
    start, end = form.date_from.data, form.date_to.data
    if not typed_dates:
        start, end = reach_domain.last_complete_quarter(today)
        form.date_from.process(None, start)
        form.date_to.process(None, end)
    found = None
    activity = None
    if not form.errors:
        activity = reach_domain.activity_from_value(form.activity.data)
        found = reach_domain.reach(start, end, activity)
    rtl = text_direction() == "rtl"
    quick = [
        (_("Last complete quarter"), reach_domain.last_complete_quarter(today)),
        (_("This quarter so far"), reach_domain.this_quarter(today)),
        (_("The last 12 months"), reach_domain.last_twelve_months(today)),
    ]
    return render_template(
        "manage/reach/index.html",
        form=form,
        found=found,
        activity=activity,
        start=start,
        end=end,
        charts={d.key: reach_domain.chart(d, rtl=rtl) for d in found.dimensions} if found else {},
        quick_links=[
            {"text": text, "href": reach_url(s, e, activity), "current": (s, e) == (start, end)}
            for text, (s, e) in quick
        ],
        threshold=reach_domain.suppression.threshold(),
        under_represented_below=reach_domain.UNDER_REPRESENTED,
        can_keep_baselines=current_user.has_role(*roles.ADMINISTRATORS),
    )


# Baselines ------------------------------------------------------------------------------------


@bp.get("/reach/baselines")
@roles_required(*roles.ADMINISTRATORS)
def reach_baselines():
    return render_template(
        "manage/reach/baselines.html", dimensions=baselines_domain.all_baselines()
    )


@bp.route("/reach/baselines/<dimension>", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def reach_baseline_edit(dimension: str):
    kept = baselines_domain.dimension_baselines(dimension)
    if kept is None:
        abort(404)
    groups = [(code, name) for code, name, _b in kept.groups]
    form = baseline_form(groups)
    if request.method == "GET":
        form.source.data = kept.source
        form.as_of.process(None, kept.as_of)
        for index, (_code, _name, baseline) in enumerate(kept.groups):
            if baseline is not None:
                form[share_field_name(index)].data = f"{baseline.share:g}"
    summary = []

    def shares() -> dict[str, str]:
        return {code: form[share_field_name(i)].data or "" for i, (code, _n) in enumerate(groups)}

    if form.is_submitted():
        read = form.validate()
        try:
            if read:
                count = baselines_domain.save_dimension(
                    _actor(), dimension, shares(), source=form.source.data, as_of=form.as_of.data
                )
                flash(
                    ngettext(
                        "Baselines for %(dimension)s saved: %(num)d group",
                        "Baselines for %(dimension)s saved: %(num)d groups",
                        count,
                        dimension=kept.label,
                    ),
                    "success",
                )
                return redirect(url_for("manage.reach_baselines"))
            baselines_domain.check_dimension(
                dimension,
                shares(),
                source=form.source.data,
                as_of=form.as_of.data,
                date_required=not form.as_of.errors,
            )
        except Refused as refused:
            field_for = {code: share_field_name(i) for i, (code, _n) in enumerate(groups)}
            summary = [
                {**item, "href": "#" + share_field_name(0)}
                for item in show_problems(form, refused, field_for=field_for)
            ]
    return render_template(
        "manage/reach/baseline_form.html",
        form=form,
        kept=kept,
        share_fields=[form[share_field_name(i)] for i in range(len(groups))],
        summary=summary,
    )


@bp.route("/reach/baselines/import", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def reach_baselines_import():
    form = BaselineImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.csv_file.data
        result = baselines_domain.import_csv(
            _actor(), upload.read(), filename=upload.filename or ""
        )
        if result.ok:
            flash(
                ngettext("%(num)d baseline imported", "%(num)d baselines imported", result.saved),
                "success",
            )
            return redirect(url_for("manage.reach_baselines"))
        problems = show_import_problems(form.csv_file, result)
    return render_template(
        "manage/reach/import.html",
        form=form,
        problems=problems,
        columns=baselines_domain.COLUMNS,
        dimensions=baselines_domain.all_baselines(),
        max_rows=baselines_domain.MAX_ROWS,
    )


@bp.get("/reach/baselines.csv")
@roles_required(*roles.ADMINISTRATORS)
def reach_baselines_csv():
    return Response(
        baselines_domain.current_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="reach-baselines.csv"'},
    )
