"""The published results of a survey: counts with small numbers hidden, approved quotes only,
no filters, and what happens next. Until staff publish them the page does not exist (404)."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from ..domain.shared.wording import Wording
from ..domain.surveys import results as survey_results
from ..domain.surveys.structure import load_survey
from ..i18n import current_language, text_direction
from ..models import SurveyStatus
from ..page_cache import public_page
from . import bp


def _breadcrumbs(survey, title: str) -> list[dict]:
    return [
        {"text": _("Home"), "href": url_for("public.home")},
        {"text": _("Surveys"), "href": url_for("public.surveys")},
        {"text": title, "href": url_for("public.survey", slug=survey.slug)},
    ]


@bp.get("/surveys/<slug>/results", endpoint="survey_results")
@public_page
def survey_results_page(slug: str):
    survey = load_survey(slug=slug[:120])
    if (
        survey is None
        or survey.status != SurveyStatus.PUBLISHED.value
        or survey.results_published_at is None
    ):
        abort(404)
    language = current_language()
    words = Wording(language)
    found = survey_results.published_results(
        survey, language=language, rtl=text_direction() == "rtl"
    )
    title = words(survey, "title")
    return render_template(
        "public/surveys/results.html",
        survey=survey,
        found=found,
        title=title,
        summary=words(survey, "summary"),
        use_of_answers=words(survey, "use_of_answers"),
        breadcrumbs=_breadcrumbs(survey, title),
    )
