"""Staff pages for survey spreadsheets (XLSX) built in the background: ask for one, see whether
it is ready (the page says so; refreshing it checks again), download it, or try again after a
failure.

The same people who may export a survey's responses (roles.SURVEY_BUILDERS, as for the CSV)
see its spreadsheets; the rules live in app/domain/surveys/export_jobs.py.
"""

from flask import Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.shared.errors import Refused
from ..domain.shared.ids import valid_id
from ..domain.surveys import export_jobs
from . import bp
from .survey_export_forms import PrepareExportForm, RetryExportForm
from .survey_results import CONTENT_TYPES, _filter_args, _filter_form, _survey_or_404


def _job_or_404(survey, job_id: int):
    job = export_jobs.survey_job(survey, job_id) if valid_id(job_id) else None
    if job is None:
        abort(404)
    return job


def _job_url(survey, job) -> str:
    return url_for("manage.survey_export", survey_id=survey.id, job_id=job.id)


@bp.route("/surveys/<int:survey_id>/exports", methods=["GET", "POST"], endpoint="survey_exports")
@roles_required(*roles.SURVEY_BUILDERS)
def exports(survey_id: int):
    """GET: what the spreadsheet will hold (the results filters in the URL) and the survey's
    recent spreadsheets. POST: ask for one."""
    survey = _survey_or_404(survey_id)
    filter_form = _filter_form()
    args = _filter_args()
    results_url = url_for("manage.survey_results", survey_id=survey.id, **args)
    if filter_form.errors:  # the results page shows what is wrong with the filters
        return redirect(results_url)
    form = PrepareExportForm()
    if form.validate_on_submit():
        job = export_jobs.request_export(
            current_user._get_current_object(), survey, filter_form.filters
        )
        return redirect(_job_url(survey, job), code=303)
    return render_template(
        "manage/surveys/exports.html",
        survey=survey,
        form=form,
        action=url_for("manage.survey_exports", survey_id=survey.id, **args),
        filters=filter_form.filters.labels(),
        jobs=export_jobs.recent_jobs(survey),
        results_url=results_url,
    )


@bp.get("/surveys/<int:survey_id>/exports/<int:job_id>", endpoint="survey_export")
@roles_required(*roles.SURVEY_BUILDERS)
def export_job(survey_id: int, job_id: int):
    survey = _survey_or_404(survey_id)
    job = _job_or_404(survey, job_id)
    return render_template(
        "manage/surveys/export.html",
        survey=survey,
        job=job,
        form=RetryExportForm(),
        filters=export_jobs.filters_of(job).labels(),
        deleted_after=export_jobs.deleted_after(job),
        here=_job_url(survey, job),
        exports_url=url_for("manage.survey_exports", survey_id=survey.id),
    )


@bp.get(
    "/surveys/<int:survey_id>/exports/<int:job_id>/responses.xlsx",
    endpoint="survey_export_download",
)
@roles_required(*roles.SURVEY_BUILDERS)
def export_download(survey_id: int, job_id: int):
    survey = _survey_or_404(survey_id)
    job = _job_or_404(survey, job_id)
    try:
        found = export_jobs.download(current_user._get_current_object(), survey, job)
    except Refused as refused:
        flash(str(refused), "info")
        return redirect(_job_url(survey, job))
    return Response(
        stream_with_context(found.chunks),
        content_type=CONTENT_TYPES[job.format],
        headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Content-Length": str(found.size),
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.post("/surveys/<int:survey_id>/exports/<int:job_id>/retry", endpoint="survey_export_retry")
@roles_required(*roles.SURVEY_BUILDERS)
def export_retry(survey_id: int, job_id: int):
    survey = _survey_or_404(survey_id)
    job = _job_or_404(survey, job_id)
    if RetryExportForm().validate_on_submit():
        try:
            export_jobs.retry(current_user._get_current_object(), job)
        except Refused as refused:
            flash(str(refused), "info")
        else:
            flash(_("The spreadsheet is being prepared again."), "success")
    return redirect(_job_url(survey, job), code=303)
