"""/reports: the assurance board's reports as they were published, frozen, newest first."""

from flask import abort, render_template

from ..domain.evidence import report as board_report
from ..models import ActionStatus
from ..page_cache import public_page
from . import bp


@bp.get("/reports", endpoint="reports")
@public_page
def reports():
    found = board_report.published_reports()
    return render_template(
        "public/reports/index.html",
        reports=[(found_report, board_report.period_of(found_report)) for found_report in found],
    )


@bp.get("/reports/<slug>", endpoint="report")
@public_page
def report(slug: str):
    found = board_report.published(slug) if len(slug) <= 40 else None
    if found is None:
        abort(404)
    period = board_report.period_of(found)
    return render_template(
        "public/reports/report.html",
        published=found,
        period=period,
        figures=found.figures,
        words=board_report,
        labels=board_report.figure_labels(),
        statuses=list(ActionStatus),
    )
