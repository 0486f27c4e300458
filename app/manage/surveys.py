"""Staff pages for building surveys: the list, a survey's details and overview, and its life
from draft to closed (publish or schedule, open now, close, reopen, back to draft, duplicate,
delete a draft). Sections and questions are in survey_questions.py.

Each view parses its form, calls one function in app/domain/survey_builder.py (or
survey_copy.py) and redirects with a message; a refusal is shown next to the field it is about.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan_domain
from ..domain.shared.errors import Refused
from ..domain.surveys import builder as survey_builder
from ..domain.surveys import duplicating as survey_copy
from ..domain.surveys import questions as survey_structure
from ..domain.surveys.structure import SurveyPhase, max_length, phase
from ..forms import ConfirmForm, show_problems
from ..models.base import utcnow
from . import bp
from .survey_forms import PublishForm, ReopenForm, SurveyForm


def actor():
    return current_user._get_current_object()


def survey_or_404(survey_id: int):
    survey = survey_builder.staff_survey(survey_id)
    if survey is None:
        abort(404)
    return survey


def overview_url(survey, anchor: str | None = None) -> str:
    return url_for("manage.survey", survey_id=survey.id, _anchor=anchor)


def form_page(form, change, done, template: str, *, field_for=None, allowed=True, **context):
    """A survey form page: a valid post (when `allowed`) makes `change()`. A refusal is shown next
    to its fields and in the error summary; success flashes the message of `done(result)` (None
    when there is nothing to say) and goes to its address."""
    general = []
    if allowed and form.validate_on_submit():
        try:
            result = change()
        except Refused as refused:
            general = show_problems(form, refused, field_for)
        else:
            message, address = done(result)
            if message:
                flash(message, "success")
            return redirect(address)
    return render_template(template, form=form, general=general, **context)


def confirm_page(survey, change, *, submit: str, done: str, done_address=None, blockers=(), **page):
    """An "Are you sure?" page: nothing happens while there are blockers. A confirmed `change()`
    flashes `done` and goes to `done_address` (the overview unless given); a refusal goes back to
    the overview and says why."""
    form = ConfirmForm()
    form.submit.label.text = submit
    if not blockers and form.validate_on_submit():
        try:
            change()
        except Refused as refused:
            flash(" ".join(refused.messages), "info")
            return redirect(overview_url(survey))
        flash(done, "success")
        return redirect(done_address or overview_url(survey))
    return render_template(
        "manage/surveys/confirm.html", form=form, survey=survey, blockers=blockers, **page
    )


def _links_for(form) -> None:
    form.set_link_choices(plan_domain.all_areas(), plan_domain.all_actions())


def _other_pages(survey) -> list[dict]:
    """Links from a survey's overview to its results, paper entry and translations."""
    return [
        {
            "text": _("See the results"),
            "href": url_for("manage.survey_results", survey_id=survey.id),
        },
        {
            "text": _("Enter a paper or event response"),
            "href": url_for("manage.survey_entry", survey_id=survey.id),
        },
        {
            "text": _("Translations and young-person wording")
            if survey.young_person_version
            else _("Translations"),
            "href": url_for("manage.survey_translations", survey_id=survey.id),
        },
    ]


def preview_url(survey) -> str:
    return url_for("public.survey", slug=survey.slug, preview=1)


# The list and the overview -------------------------------------------------------------------


@bp.get("/surveys", endpoint="surveys")
@roles_required(*roles.SURVEY_BUILDERS)
def surveys_index():
    return render_template("manage/surveys/index.html", rows=survey_builder.survey_list())


@bp.get("/surveys/<int:survey_id>", endpoint="survey")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_show(survey_id: int):
    survey = survey_or_404(survey_id)
    responses = survey_builder.response_count(survey)
    return render_template(
        "manage/surveys/show.html",
        survey=survey,
        phase=phase(survey),
        responses=responses,
        blocks=survey_structure.outline(survey),
        other_pages=_other_pages(survey),
        preview_url=preview_url(survey),
        publish_blockers=survey_builder.publish_blockers(survey)
        if survey.status == "draft"
        else [],
        SurveyPhase=SurveyPhase,
        text_limit=max_length,
    )


# Details -------------------------------------------------------------------------------------


@bp.route("/surveys/new", methods=["GET", "POST"], endpoint="survey_new")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_new():
    form = SurveyForm()
    _links_for(form)

    def created(survey):
        return _(
            "Survey “%(title)s” created as a draft. Now add its sections and questions.",
            title=survey.title,
        ), overview_url(survey)

    return form_page(
        form,
        lambda: survey_builder.create_survey(actor(), form.details()),
        created,
        "manage/surveys/form.html",
        field_for=SurveyForm.FIELD_FOR,
        survey=None,
    )


@bp.route("/surveys/<int:survey_id>/details", methods=["GET", "POST"], endpoint="survey_edit")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_edit(survey_id: int):
    survey = survey_or_404(survey_id)
    form = SurveyForm(data=SurveyForm.data_for(survey))
    _links_for(form)
    general = []
    if form.validate_on_submit():
        details = form.details()
        if survey.status != "draft":
            details.slug = ""  # the link is fixed once published; the field is not shown
        elif not details.slug:
            form.slug.errors = [_("Enter the link, like short-breaks-2026")]
            return render_template(
                "manage/surveys/form.html", form=form, survey=survey, general=general
            )
        try:
            survey_builder.update_survey(actor(), survey, details)
        except Refused as refused:
            general = show_problems(form, refused, SurveyForm.FIELD_FOR)
        else:
            flash(_("Changes to “%(title)s” saved", title=survey.title), "success")
            return redirect(overview_url(survey))
    return render_template("manage/surveys/form.html", form=form, survey=survey, general=general)


# From draft to closed ------------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>/publish", methods=["GET", "POST"], endpoint="survey_publish")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_publish(survey_id: int):
    survey = survey_or_404(survey_id)
    if survey.status != "draft":
        flash(_("This survey is already published."), "info")
        return redirect(overview_url(survey))
    blockers = survey_builder.publish_blockers(survey)
    starting = SurveyForm.data_for(survey)
    if survey.opens_at is None or survey.opens_at <= utcnow():  # a date already past means "now"
        starting.update(opens_day=None, opens_time="")
    form = PublishForm(data=starting)

    def published(result):
        if result == SurveyPhase.OPEN:
            message = _("“%(title)s” is open. People can answer it now.", title=survey.title)
        else:
            message = _(
                "“%(title)s” is published and will open at %(when)s.",
                title=survey.title,
                when=_when(survey.opens_at),
            )
        return message, overview_url(survey)

    return form_page(
        form,
        lambda: survey_builder.publish(actor(), survey, form.opens_at(), form.closes_at()),
        published,
        "manage/surveys/publish.html",
        field_for=PublishForm.FIELD_FOR,
        allowed=not blockers,
        survey=survey,
        blockers=blockers,
    )


def _when(value) -> str:
    from ..domain.shared.dates import time_and_day

    return time_and_day(value)


@bp.post("/surveys/<int:survey_id>/open", endpoint="survey_open")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_open(survey_id: int):
    survey = survey_or_404(survey_id)
    try:
        survey_builder.open_now(actor(), survey)
    except Refused as refused:
        flash(" ".join(refused.messages), "info")
    else:
        flash(_("“%(title)s” is open. People can answer it now.", title=survey.title), "success")
    return redirect(overview_url(survey))


@bp.route("/surveys/<int:survey_id>/close", methods=["GET", "POST"], endpoint="survey_close")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_close(survey_id: int):
    survey = survey_or_404(survey_id)
    if phase(survey) != SurveyPhase.OPEN:
        flash(_("Only an open survey can be closed."), "info")
        return redirect(overview_url(survey))
    return confirm_page(
        survey,
        lambda: survey_builder.close_now(actor(), survey),
        submit=_("Close the survey now"),
        done=_("“%(title)s” is closed. No more answers are taken.", title=survey.title),
        title=_("Are you sure you want to close this survey now?"),
        explanation=_(
            "People will no longer be able to answer it. Answers already given are kept. "
            "You can reopen it later with a new closing date."
        ),
        keep_text=_("Keep it open"),
        warning=False,
    )


@bp.route("/surveys/<int:survey_id>/reopen", methods=["GET", "POST"], endpoint="survey_reopen")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_reopen(survey_id: int):
    survey = survey_or_404(survey_id)
    if phase(survey) != SurveyPhase.CLOSED:
        flash(_("Only a closed survey can be reopened."), "info")
        return redirect(overview_url(survey))
    form = ReopenForm()

    def reopened(_result):
        return _(
            "“%(title)s” is open again until %(when)s.",
            title=survey.title,
            when=_when(survey.closes_at),
        ), overview_url(survey)

    return form_page(
        form,
        lambda: survey_builder.reopen(actor(), survey, form.closes_at()),
        reopened,
        "manage/surveys/reopen.html",
        field_for=ReopenForm.FIELD_FOR,
        survey=survey,
    )


@bp.post("/surveys/<int:survey_id>/return-to-draft", endpoint="survey_unpublish")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_unpublish(survey_id: int):
    survey = survey_or_404(survey_id)
    try:
        survey_builder.return_to_draft(actor(), survey)
    except Refused as refused:
        flash(" ".join(refused.messages), "info")
    else:
        flash(
            _("“%(title)s” is a draft again. Only staff can see it.", title=survey.title), "success"
        )
    return redirect(overview_url(survey))


@bp.post("/surveys/<int:survey_id>/duplicate", endpoint="survey_duplicate")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_duplicate(survey_id: int):
    survey = survey_or_404(survey_id)
    twin = survey_copy.duplicate_survey(actor(), survey)
    flash(
        _(
            "“%(title)s” is a new draft copy. Check its details and dates before you publish it.",
            title=twin.title,
        ),
        "success",
    )
    return redirect(overview_url(twin))


@bp.route("/surveys/<int:survey_id>/delete", methods=["GET", "POST"], endpoint="survey_delete")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_delete(survey_id: int):
    survey = survey_or_404(survey_id)
    blockers = survey_builder.deletion_blockers(survey)
    return confirm_page(
        survey,
        lambda: survey_builder.delete_survey(actor(), survey),
        submit=_("Delete the survey"),
        done=_("Survey “%(title)s” deleted", title=survey.title),
        done_address=url_for("manage.surveys"),
        blockers=blockers,
        title=_("Are you sure you want to delete this survey?")
        if not blockers
        else _("You cannot delete this survey"),
        explanation=_(
            "Its sections, questions and options are deleted too. This cannot be undone."
        ),
        keep_text=_("Keep the survey"),
        warning=True,
    )


@bp.app_template_global("survey_phase_tag_class")
def survey_phase_tag_class(value) -> str:
    """The colour of a survey's phase tag, on the list and the overview."""
    return {
        SurveyPhase.DRAFT: "govuk-tag--grey",
        SurveyPhase.FORTHCOMING: "govuk-tag--yellow",
        SurveyPhase.OPEN: "govuk-tag--green",
        SurveyPhase.CLOSED: "govuk-tag--purple",
    }.get(value, "govuk-tag--grey")
