"""The board report (/manage/report): a period's figures for the whole plan and each area, with
the change since the period before; its CSV; and publishing it (administrators)."""

import csv
import io

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.evidence import report as board_report
from ..domain.people import roles
from ..domain.shared.dates import local_day
from ..domain.shared.errors import Refused
from ..forms import show_problems
from ..models import ActionStatus
from ..models.base import utcnow
from . import bp
from .report_forms import PublishReportForm, ReportPeriodForm


def _today():
    return local_day(utcnow())


def _chosen_period(form: ReportPeriodForm):
    """The period the form names (dates when any are typed, else a quarter), the last complete
    quarter when it names none, or None with the problems shown next to the fields."""
    if not form.validate():
        return None
    if form.period.data and not form.dates_given:
        return board_report.period_from_slug(form.period.data)
    if form.dates_given:
        problems = []
        if not form.date_from.data:
            problems.append(("date_from", _("Enter the date the report starts")))
        if not form.date_to.data:
            problems.append(("date_to", _("Enter the date the report ends")))
        try:
            if problems:
                raise Refused(*problems)
            return board_report.period_between(form.date_from.data, form.date_to.data)
        except Refused as refused:
            show_problems(form, refused)
            return None
    return board_report.last_complete_quarter(_today())


def _period_form():
    quarters = board_report.recent_quarters(_today())
    args = request.args.copy()
    slug = args.get("period", "")
    named = board_report.period_from_slug(slug) if slug else None
    if named is not None and not named.quarter:
        # A custom period's address (from the CSV link or a published report) fills the dates.
        args.pop("period")
        for name, day in (("date_from", named.start), ("date_to", named.end)):
            args[f"{name}-day"], args[f"{name}-month"], args[f"{name}-year"] = (
                str(day.day),
                str(day.month),
                str(day.year),
            )
    elif named is not None and named.slug not in {quarter.slug for quarter in quarters}:
        quarters.append(named)
    form = ReportPeriodForm(quarters, formdata=args)
    period = _chosen_period(form)
    if form.dates_given:
        form.period.data = ""  # the dates typed are the period shown
    elif period is not None and period.quarter:
        form.period.data = period.slug
    return form, period


@bp.get("/report", endpoint="report")
@roles_required(*roles.REPORT_READERS)
def report_page():
    form, period = _period_form()
    return _render(form, period)


def _render(form, period, publish_problems=(), status=200):
    figures = board_report.figures(period) if period is not None else None
    can_publish = current_user.has_role(*roles.REPORT_PUBLISHERS)
    already = board_report.published(period.slug) if period is not None else None
    publish_form = PublishReportForm(period=period.slug) if period is not None else None
    return (
        render_template(
            "manage/report/index.html",
            form=form,
            period=period,
            figures=figures,
            can_publish=can_publish and period.end < _today() if period is not None else False,
            already=already,
            publish_form=publish_form,
            publish_problems=list(publish_problems),
            words=board_report,
            labels=board_report.figure_labels(),
            statuses=list(ActionStatus),
            is_publisher=can_publish,
        ),
        status,
    )


@bp.get("/report.csv", endpoint="report_csv")
@roles_required(*roles.REPORT_READERS)
def report_csv():
    form, period = _period_form()
    if period is None:
        return _render(form, None, status=400)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        board_report.csv_rows(board_report.figures(period))
    )
    return Response(
        buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="board-report-{period.slug}.csv"'},
    )


@bp.post("/report/publish", endpoint="report_publish")
@roles_required(*roles.REPORT_PUBLISHERS)
def report_publish():
    publish_form = PublishReportForm()
    period = board_report.period_from_slug(publish_form.period.data)
    if not publish_form.validate() or period is None:
        flash(_("Choose the period to publish again"), "error")
        return redirect(url_for("manage.report"))
    try:
        published = board_report.publish(current_user._get_current_object(), period, _today())
    except Refused as refused:
        form = ReportPeriodForm(board_report.recent_quarters(_today()), formdata=None)
        if period.quarter:
            form.period.data = period.slug
        return _render(form, period, publish_problems=refused.messages, status=400)
    flash(_("The report for %(period)s is published", period=period.label), "success")
    return redirect(url_for("public.report", slug=published.slug))
