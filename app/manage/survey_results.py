"""Staff pages for a survey's results: counts and charts with filters, every free-text answer,
the CSV export (streamed; the XLSX is built in the background: survey_exports.py), and
publishing the results (with a confirmation) for the public page.

Coordinators and administrators only: answers and exports are what people told us. The rules
live in app/domain/survey_results.py and app/domain/survey_export.py.
"""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.shared.errors import Refused
from ..domain.shared.ids import valid_id
from ..domain.surveys import export as survey_export
from ..domain.surveys import results as survey_results
from ..domain.surveys.structure import load_survey
from . import bp
from .survey_result_forms import PublishResultsForm, ResultFilterForm, UnpublishResultsForm

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _survey_or_404(survey_id: int):
    survey = load_survey(survey_id) if valid_id(survey_id) else None
    if survey is None:
        abort(404)
    return survey


def _filter_args() -> dict:
    """The filters in the URL, carried into export links and paging."""
    return {
        key: request.args[key][:100] for key in ResultFilterForm.FIELDS if request.args.get(key)
    }


def _filter_form() -> ResultFilterForm:
    form = ResultFilterForm(formdata=request.args)
    form.validate()
    return form


def _back_link(survey) -> dict:
    """Back to the survey's overview."""
    return {"text": _("Back to the survey"), "href": url_for("manage.survey", survey_id=survey.id)}


def _public_url(survey) -> str | None:
    if survey.results_published_at is None:
        return None
    return url_for("public.survey_results", slug=survey.slug)


@bp.get("/surveys/<int:survey_id>/results", endpoint="survey_results")
@roles_required(*roles.SURVEY_BUILDERS)
def results_page(survey_id: int):
    survey = _survey_or_404(survey_id)
    form = _filter_form()
    found = None if form.errors else survey_results.staff_results(survey, form.filters)
    args = _filter_args()
    return render_template(
        "manage/surveys/results.html",
        survey=survey,
        form=form,
        found=found,
        filter_args=args,
        back=_back_link(survey),
        public_url=_public_url(survey),
        publish_refusal=survey_results.publish_refusal(survey),
        csv_url=url_for("manage.survey_export_csv", survey_id=survey.id, **args),
        xlsx_url=url_for("manage.survey_exports", survey_id=survey.id, **args),
    )


@bp.get(
    "/surveys/<int:survey_id>/results/questions/<int:question_id>",
    endpoint="survey_results_answers",
)
@roles_required(*roles.SURVEY_BUILDERS)
def results_answers(survey_id: int, question_id: int):
    survey = _survey_or_404(survey_id)
    questions = survey_results.survey_questions(survey)
    question = next((q for q in questions if q.id == question_id), None)
    if question is None or not (question.kind_enum.is_free_text or question.allow_other):
        abort(404)
    form = _filter_form()
    args = _filter_args()
    found = None
    after = request.args.get("after")
    if not form.errors:
        found = survey_results.text_answers_page(survey, question, form.filters, after=after)
    here = {"survey_id": survey.id, "question_id": question.id, **args}
    return render_template(
        "manage/surveys/results_answers.html",
        survey=survey,
        question=question,
        number=questions.index(question) + 1,
        form=form,
        found=found,
        filter_args=args,
        results_url=url_for("manage.survey_results", survey_id=survey.id, **args),
        next_url=(
            url_for("manage.survey_results_answers", after=found.next_cursor, **here)
            if found and found.next_cursor
            else None
        ),
        first_url=url_for("manage.survey_results_answers", **here)
        if survey_results.decode_cursor(after)
        else None,
    )


@bp.get("/surveys/<int:survey_id>/responses.csv", endpoint="survey_export_csv")
@roles_required(*roles.SURVEY_BUILDERS)
def export_csv(survey_id: int):
    """Streamed as it is read: the first rows arrive at once, however many responses."""
    survey = _survey_or_404(survey_id)
    form = _filter_form()
    if form.errors:  # the results page shows what is wrong with the filters
        return redirect(url_for("manage.survey_results", survey_id=survey.id, **_filter_args()))
    plan = survey_export.ExportPlan.of(survey, form.filters)
    survey_export.record_export(current_user._get_current_object(), survey, plan, "csv")
    return Response(
        stream_with_context(survey_export.csv_chunks(plan)),
        content_type=CONTENT_TYPES["csv"],
        headers={
            "Content-Disposition": f'attachment; filename="{plan.filename("csv")}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route(
    "/surveys/<int:survey_id>/results/publish",
    methods=["GET", "POST"],
    endpoint="survey_publish_results",
)
@roles_required(*roles.SURVEY_BUILDERS)
def publish_results(survey_id: int):
    """GET: "Are you sure?" with what will be public. POST from that page publishes; a POST
    from anywhere else (no confirmation) is shown the question first."""
    survey = _survey_or_404(survey_id)
    results_url = url_for("manage.survey_results", survey_id=survey.id)
    if survey.results_published_at is not None:
        flash(_("The results are already published."), "info")
        return redirect(results_url)
    form = PublishResultsForm()
    if request.method == "POST":
        if form.validate_on_submit() and form.confirm.data == "yes":
            try:
                survey_results.publish_results(current_user._get_current_object(), survey)
            except Refused as refused:
                flash(str(refused), "info")
                return redirect(results_url)
            flash(_("The results are published. Anyone can now see them."), "success")
            return redirect(results_url)
        return redirect(url_for("manage.survey_publish_results", survey_id=survey.id), code=303)
    return render_template(
        "manage/surveys/results_publish.html",
        survey=survey,
        form=form,
        results_url=results_url,
        refusal=survey_results.publish_refusal(survey),
    )


@bp.route(
    "/surveys/<int:survey_id>/results/unpublish",
    methods=["GET", "POST"],
    endpoint="survey_unpublish_results",
)
@roles_required(*roles.SURVEY_BUILDERS)
def unpublish_results(survey_id: int):
    survey = _survey_or_404(survey_id)
    results_url = url_for("manage.survey_results", survey_id=survey.id)
    if survey.results_published_at is None:
        flash(_("The results are not published."), "info")
        return redirect(results_url)
    form = UnpublishResultsForm()
    if request.method == "POST":
        if form.validate_on_submit() and form.confirm.data == "yes":
            survey_results.unpublish_results(current_user._get_current_object(), survey)
            flash(
                _(
                    "The results have been taken down. "
                    "The public results page now says it cannot be found."
                ),
                "success",
            )
            return redirect(results_url)
        return redirect(url_for("manage.survey_unpublish_results", survey_id=survey.id), code=303)
    return render_template(
        "manage/surveys/results_unpublish.html",
        survey=survey,
        form=form,
        results_url=results_url,
        public_url=_public_url(survey),
    )
