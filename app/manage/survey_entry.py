"""Staff typing in a survey response that came on paper or at an event.

The same questions, the same checks and the same recording as answering online, all on one
page; whether a question counts is decided from the answers given (`Structure.shown_answers`),
so staff can type what is on the paper and the server leaves out what the person should have
skipped. Recording is audited by `record_response` itself.
"""

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import wtforms_errors

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.surveys import answering
from ..domain.surveys.recording import record_response
from ..domain.surveys.structure import (
    ABOUT_YOU_KEY,
    CONSENT_KEY,
    Structure,
    SurveyPhase,
    load_survey,
    phase,
)
from ..i18n import current_language
from ..public.survey_forms import PageWording, condition_text, question_fields
from . import bp
from .survey_entry_forms import SurveyEntryForm

ENTERED_KEY = "survey_entered"


def _survey_or_404(survey_id: int):
    survey = load_survey(survey_id=survey_id)
    if survey is None:
        abort(404)
    return survey


def _survey_url(survey) -> str:
    return url_for("manage.survey", survey_id=survey.id)


@bp.route(
    "/surveys/<int:survey_id>/responses/new", methods=["GET", "POST"], endpoint="survey_entry"
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_entry(survey_id: int):
    survey = _survey_or_404(survey_id)
    structure = Structure.of(survey)
    wording = PageWording(current_language())
    questions = [question for section in structure.sections for question in section.questions]
    form = SurveyEntryForm(survey=survey)
    published = phase(survey) != SurveyPhase.DRAFT
    typed, problems, answers = {}, {}, {}
    if published and request.method == "POST":
        reading = answering.read_page(structure, questions, request.form, {}, wording)
        typed, problems, answers = reading.typed, reading.problems, reading.answers
        if form.validate_on_submit() and reading.ok:
            if survey.about_you:
                answers[ABOUT_YOU_KEY] = form.about_you_answers
            if survey.ask_consent_to_quote and form.consent_to_quote.data:
                answers[CONSENT_KEY] = form.consent_to_quote.data
            response = record_response(
                structure,
                structure.shown_answers(answers),
                channel=form.channel.data,
                language=form.language.data,
                young_person=bool(survey.young_person_version and form.young_person.data),
                submission_key=form.submission_key("survey-entry", current_user.id),
                entered_by=current_user._get_current_object(),
                check_open=False,
            )
            session[ENTERED_KEY] = {
                "survey_id": survey.id,
                "reference": response.reference,
                "channel": response.channel,
            }
            return redirect(url_for("manage.survey_entered", survey_id=survey.id))
    sections = []
    for section in structure.sections:
        fields = question_fields(
            structure,
            list(section.questions),
            wording,
            typed=typed,
            answers=answers,
            problems=problems,
        )
        sections.append(
            {
                "title": wording.html(section, "title"),
                "fields": fields,
                "condition": condition_text(
                    structure, structure.section_conditions.get(section.id), wording
                ),
            }
        )
    form_errors = wtforms_errors(form)["errorList"]
    channel_errors = [e for e in form_errors if e["href"] == "#channel"]
    error_list = (
        channel_errors
        + [
            {"text": problems[q.id].message, "href": f"#{problems[q.id].anchor}"}
            for q in questions
            if q.id in problems
        ]
        + [e for e in form_errors if e not in channel_errors]
    )
    return render_template(
        "manage/surveys/entry.html",
        survey=survey,
        form=form,
        sections=sections,
        error_list=error_list,
        published=published,
        survey_url=_survey_url(survey),
    )


@bp.get("/surveys/<int:survey_id>/responses/entered", endpoint="survey_entered")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_entered(survey_id: int):
    survey = _survey_or_404(survey_id)
    entered = session.get(ENTERED_KEY)
    if not isinstance(entered, dict) or entered.get("survey_id") != survey.id:
        return redirect(url_for("manage.survey_entry", survey_id=survey.id))
    return render_template(
        "manage/surveys/entry_done.html",
        survey=survey,
        reference=entered.get("reference"),
        survey_url=_survey_url(survey),
    )
