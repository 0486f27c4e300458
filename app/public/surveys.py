"""Answering a survey: the list, a survey's start page, one page per section, "About you",
"Check your answers" and the confirmation with a reference.

Answers in progress are kept on the server in a draft (app/domain/survey_answering.py); the
session holds only each survey's draft token. A page is saved every time it is sent, so
nothing typed is lost. Coordinators and administrators can walk any survey with `?preview=1`;
nothing they send is stored.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..domain.people import roles
from ..domain.shared.ids import valid_id
from ..domain.surveys import answering
from ..domain.surveys.recording import SurveyNotOpen
from ..domain.surveys.structure import (
    ABOUT_YOU_KEY,
    CONSENT_KEY,
    Structure,
    SurveyPhase,
    load_survey,
    phase,
)
from ..domain.thread import about_you as about_you_choices
from ..domain.thread.contributions import ABOUT_YOU_FIELDS
from ..domain.thread.references import new_reference
from ..extensions import limiter
from ..forms import seconds_since_started
from ..i18n import current_language
from ..models import Survey, SurveyDraft, SurveySection
from ..models.base import utcnow
from ..page_cache import public_page
from ..web import just_sent, private_page
from . import bp
from .survey_forms import (
    CheckAnswersForm,
    PageForm,
    PageWording,
    SurveyAboutYouForm,
    question_fields,
)

log = logging.getLogger(__name__)

DRAFTS_KEY = "survey_drafts"  # {survey id: draft token}
CONFIRMATION_KEY = "survey_confirmation"


def _page_limit() -> str:
    return current_app.config["SURVEY_PAGE_RATE_LIMIT"]


def _send_limit() -> str:
    return current_app.config["SURVEY_SEND_RATE_LIMIT"]


def _sent(response) -> bool:
    """Only answers that were sent count towards the limit, not pages returned with problems."""
    return response.status_code == 302 and response.location.endswith("/confirmation")


# Who is answering what -----------------------------------------------------------------------


def _may_preview() -> bool:
    return current_user.is_authenticated and current_user.has_role(*roles.SURVEY_BUILDERS)


def _session_token(survey: Survey) -> str | None:
    tokens = session.get(DRAFTS_KEY)
    return tokens.get(str(survey.id)) if isinstance(tokens, dict) else None


def _remember_token(survey: Survey, token: str) -> None:
    tokens = session.get(DRAFTS_KEY)
    tokens = dict(tokens) if isinstance(tokens, dict) else {}
    tokens[str(survey.id)] = token
    session[DRAFTS_KEY] = tokens


@dataclass
class Visit:
    """One request's view of a survey: the survey, the person's draft, and how they see it."""

    survey: Survey
    structure: Structure
    draft: SurveyDraft | None
    preview: bool
    young_person: bool

    @property
    def phase(self) -> SurveyPhase:
        return phase(self.survey)

    @property
    def taking_answers(self) -> bool:
        return self.preview or self.phase == SurveyPhase.OPEN

    @property
    def answers(self) -> dict:
        return dict(self.draft.answers or {}) if self.draft is not None else {}

    @cached_property
    def wording(self) -> PageWording:
        return PageWording(current_language(), self.young_person)

    @cached_property
    def journey(self) -> answering.Journey:
        return answering.Journey(self.structure, self.answers, self.wording)

    def mode(self) -> dict:
        """Query arguments that carry the mode until a draft holds it."""
        args = {}
        if self.young_person:
            args["young_person"] = "1"
        if self.preview:
            args["preview"] = "1"
        return args

    def start_url(self) -> str:
        return url_for("public.survey", slug=self.survey.slug, **self.mode())

    def section_url(self, section: SurveySection, change: bool = False) -> str:
        extra = {"change": "1"} if change else {}
        return url_for(
            "public.survey_section",
            slug=self.survey.slug,
            number=self.journey.number(section),
            **self.mode(),
            **extra,
        )

    def page_url(self, endpoint: str, change: bool = False) -> str:
        extra = {"change": "1"} if change else {}
        return url_for(endpoint, slug=self.survey.slug, **self.mode(), **extra)

    def back_url(self, change: bool, previous: SurveySection | None) -> str:
        """Back to checking the answers when changing one; otherwise to the page before, or
        the start."""
        if change:
            return self.page_url("public.survey_check")
        return self.section_url(previous) if previous is not None else self.start_url()

    def after_sections_url(self) -> str:
        if self.journey.has_about_you_page:
            return self.page_url("public.survey_about_you")
        return self.page_url("public.survey_check")

    def resume_url(self) -> str:
        """The page the person should be on: the first page not finished, else where they were."""
        incomplete = self.journey.first_incomplete()
        if incomplete is not None:
            return self.section_url(incomplete)
        if self.draft is None:
            return self.start_url()
        last = self.draft.last_page or ""
        number = valid_id(last.removeprefix("page/")) if last.startswith("page/") else None
        if number is not None:
            section = self.journey.section(number)
            if section is not None:
                return self.section_url(section)
        if last == answering.ABOUT_YOU_PAGE and self.journey.has_about_you_page:
            return self.page_url("public.survey_about_you")
        return self.page_url("public.survey_check")


def _visit(slug: str, links: bool = False) -> Visit:
    """Find the survey and the person's draft; drafts are 404 except in a staff preview. Only
    sending needs the survey's links to areas and actions (`links`)."""
    survey = load_survey(slug=slug, links=links)
    if survey is None:
        abort(404)
    may_preview = _may_preview()
    draft = answering.find_draft(survey.id, _session_token(survey))
    if answering.is_preview(draft) and not (may_preview and draft.entered_by_id == current_user.id):
        draft = None  # someone else's preview, or signed out since
    asked_preview = request.args.get("preview") == "1"
    if draft is not None and asked_preview and not answering.is_preview(draft):
        draft = None  # a preview starts afresh rather than touching real answers
    preview = may_preview and (asked_preview or answering.is_preview(draft))
    if phase(survey) == SurveyPhase.DRAFT and not preview:
        abort(404)
    asked_mode = request.args.get("young_person")
    if not survey.young_person_version:
        young_person = False
    elif asked_mode in ("0", "1"):
        young_person = asked_mode == "1"
        if draft is not None and draft.young_person != young_person and request.method == "GET":
            answering.save_draft(draft, draft.answers or {}, young_person=young_person)
    else:
        young_person = bool(draft.young_person) if draft is not None else False
    return Visit(
        survey=survey,
        structure=Structure.of(survey),
        draft=draft,
        preview=preview,
        young_person=young_person,
    )


def _render(visit: Visit, template: str, status: int = 200, **context):
    return private_page(
        template,
        status,
        visit=visit,
        survey=visit.survey,
        w=visit.wording,
        young_person=visit.young_person,
        preview=visit.preview,
        **context,
    )


def _not_taking_answers(visit: Visit):
    """Closed and forthcoming surveys say so on every page, and store nothing."""
    return _render(visit, "public/surveys/not_open.html", results_url=_results_url(visit.survey))


def _results_url(survey: Survey) -> str | None:
    if survey.results_published_at is None:
        return None
    return url_for("public.survey_results", slug=survey.slug)


def _start_draft(visit: Visit, form: PageForm) -> SurveyDraft:
    elapsed = seconds_since_started(form.started.data)
    started_at = utcnow() - timedelta(seconds=elapsed) if elapsed is not None else None
    draft = answering.start_draft(
        visit.survey,
        young_person=visit.young_person,
        language=current_language(),
        previewed_by=current_user._get_current_object() if visit.preview else None,
        started_at=started_at,
    )
    _remember_token(visit.survey, draft.token)
    visit.draft = draft
    return draft


def _confirm(visit: Visit, reference: str, *, preview: bool = False, urgent: bool = False):
    session[CONFIRMATION_KEY] = {
        "survey_id": visit.survey.id,
        "reference": reference,
        "preview": preview,
        "urgent": urgent,
        "young_person": visit.young_person,
    }
    return redirect(url_for("public.survey_confirmation", slug=visit.survey.slug))


def _looks_like_a_robot(visit: Visit):
    """Robots see the usual confirmation, so they learn nothing; nothing is stored."""
    log.info("Survey answers treated as automated and not stored")
    if visit.draft is not None:
        answering.discard_draft(visit.draft.id)
    return _confirm(visit, new_reference())


# The pages -----------------------------------------------------------------------------------


@bp.get("/surveys")
@public_page
def surveys():
    listing = answering.public_surveys()
    results = {s.id: _results_url(s) for s in listing.closed}
    return render_template(
        "public/surveys/index.html",
        listing=listing,
        results=results,
        w=PageWording(current_language()),
    )


@bp.get("/surveys/<slug>")
@public_page
def survey(slug: str):
    visit = _visit(slug)
    first = visit.journey.sections[0] if visit.journey.sections else None
    start_args = dict(visit.mode())
    if visit.survey.young_person_version:
        start_args["young_person"] = "1" if visit.young_person else "0"
    start_url = (
        url_for(
            "public.survey_section", slug=slug, number=visit.journey.number(first), **start_args
        )
        if first is not None
        else None
    )
    switch_args = {"young_person": "0" if visit.young_person else "1"}
    if visit.preview:
        switch_args["preview"] = "1"
    return _render(
        visit,
        "public/surveys/start.html",
        start_url=start_url,
        resume_url=visit.resume_url() if visit.draft is not None and visit.taking_answers else None,
        switch_url=url_for("public.survey", slug=slug, **switch_args)
        if visit.survey.young_person_version
        else None,
        results_url=_results_url(visit.survey),
        page_count=len([s for s in visit.structure.sections if s.questions])
        + visit.journey.has_about_you_page,
        pages_may_be_skipped=bool(visit.structure.section_conditions),
    )


@bp.route("/surveys/<slug>/page/<int:number>", methods=["GET", "POST"])
@limiter.limit(_page_limit, methods=["POST"])
def survey_section(slug: str, number: int):
    visit = _visit(slug)
    if not visit.taking_answers:
        return _not_taking_answers(visit)
    journey = visit.journey
    section = journey.section(number)
    if visit.draft is None:
        # Only the first page can be opened before anything is kept.
        if section is None or not journey.sections or section is not journey.sections[0]:
            return redirect(visit.start_url())
    elif section is None or not journey.may_open(section):
        return redirect(visit.resume_url())

    form = PageForm()
    questions = list(section.questions)
    change = request.args.get("change") == "1"
    if request.method == "POST" and form.validate_on_submit():
        if form.website.data:
            return _looks_like_a_robot(visit)
        reading = answering.read_page(
            visit.structure, questions, request.form, visit.answers, visit.wording
        )
        following = _after(visit, section, reading.answers, change) if reading.ok else None
        draft = visit.draft or _start_draft(visit, form)
        answering.save_draft(
            draft,
            reading.answers,
            last_page=f"page/{number}",
            language=current_language(),
            young_person=visit.young_person,
        )
        if following is not None:
            return redirect(following)
        typed, answers, problems = reading.typed, reading.answers, reading.problems
    else:
        typed, answers = {}, visit.answers
        # Answers kept with a problem (a text over its limit) say so straight away.
        problems = answering.stored_problems(
            journey.questions(section), answers, visit.wording, include_missing=False
        )
    form.start_clock()
    shown = _questions_to_show(visit.structure, questions, answers)
    fields = question_fields(
        visit.structure,
        shown,
        visit.wording,
        typed=typed,
        answers=answers,
        problems=problems,
        young_person=visit.young_person,
    )
    previous = journey.previous_section(section)
    return _render(
        visit,
        "public/surveys/section.html",
        form=form,
        section=section,
        fields=fields,
        problems=_summary(shown, problems),
        position=journey.position(section) if section in journey.sections else 1,
        page_count=journey.page_count,
        back_url=visit.back_url(change, previous),
    )


def _after(visit: Visit, section: SurveySection, answers: dict, change: bool) -> str:
    """Where a page that was answered leads, worked out before the answers are saved (the
    commit leaves the survey to be read again): checking the answers when changing one, else the
    next page shown for these answers."""
    if change:
        return visit.page_url("public.survey_check")
    following = answering.Journey(visit.structure, answers, visit.wording).next_section(section)
    if following is not None:
        return visit.section_url(following)
    return visit.after_sections_url()


def _questions_to_show(structure: Structure, questions: list, answers: dict) -> list:
    """Questions shown for the answers so far, plus those that depend on an answer on this
    same page (they are nested under it and revealed when it is chosen)."""
    shown, shown_ids = [], set()
    for question in questions:
        option = structure.options.get(structure.question_conditions.get(question.id))
        if structure.question_shown(question, answers) or (
            option is not None and option.question_id in shown_ids
        ):
            shown.append(question)
            shown_ids.add(question.id)
    return shown


def _summary(questions, problems: dict) -> list[dict]:
    """Error summary entries in the order the questions are on the page."""
    return [
        {"text": problems[q.id].message, "href": f"#{problems[q.id].anchor}"}
        for q in questions
        if q.id in problems
    ]


@bp.route("/surveys/<slug>/about-you", methods=["GET", "POST"])
@limiter.limit(_page_limit, methods=["POST"])
def survey_about_you(slug: str):
    visit = _visit(slug)
    if not visit.taking_answers:
        return _not_taking_answers(visit)
    if visit.draft is None:
        return redirect(visit.start_url())
    journey = visit.journey
    if not journey.has_about_you_page:
        return redirect(visit.page_url("public.survey_check"))
    incomplete = journey.first_incomplete()
    if incomplete is not None:
        return redirect(visit.section_url(incomplete))
    survey = visit.survey
    answers = visit.answers
    change = request.args.get("change") == "1"
    if request.method == "POST":
        form = SurveyAboutYouForm(
            ask_consent=survey.ask_consent_to_quote, young_person=visit.young_person
        )
    else:
        kept = dict(answers.get(ABOUT_YOU_KEY) or {})
        if CONSENT_KEY in answers:
            kept["consent_to_quote"] = answers[CONSENT_KEY]
        form = SurveyAboutYouForm(
            data=kept, ask_consent=survey.ask_consent_to_quote, young_person=visit.young_person
        )
    if request.method == "POST" and form.validate_on_submit():
        if form.website.data:
            return _looks_like_a_robot(visit)
        if survey.about_you:
            answers[ABOUT_YOU_KEY] = form.about_you_answers
        if survey.ask_consent_to_quote:
            if form.consent_to_quote.data:
                answers[CONSENT_KEY] = form.consent_to_quote.data
            else:
                answers.pop(CONSENT_KEY, None)
        check = visit.page_url("public.survey_check")
        answering.save_draft(
            visit.draft, answers, last_page=answering.ABOUT_YOU_PAGE, language=current_language()
        )
        return redirect(check)
    form.start_clock()
    last = journey.sections[-1] if journey.sections else None
    return _render(
        visit,
        "public/surveys/about_you.html",
        form=form,
        position=journey.page_count,
        page_count=journey.page_count,
        skip_url=visit.page_url("public.survey_check"),
        back_url=visit.back_url(change, last),
    )


@bp.route("/surveys/<slug>/check-answers", methods=["GET", "POST"])
@limiter.limit(_send_limit, methods=["POST"], deduct_when=_sent)
def survey_check(slug: str):
    visit = _visit(slug, links=request.method == "POST")
    if not visit.taking_answers:
        return _not_taking_answers(visit)
    form = CheckAnswersForm()
    if visit.draft is None:
        if request.method == "POST" and form.validate_on_submit():
            # Sent twice: the first one went through and its draft is gone.
            response = answering.response_for_token(_session_token(visit.survey))
            if response is not None:
                return _confirm(visit, response.reference)
        return redirect(visit.start_url())
    journey = visit.journey
    incomplete = journey.first_incomplete()
    if incomplete is not None:
        return redirect(visit.section_url(incomplete, change=True))
    if request.method == "POST" and form.validate_on_submit():
        if form.website.data:
            return _looks_like_a_robot(visit)
        if visit.preview:
            answering.discard_draft(visit.draft.id)
            return _confirm(visit, "", preview=True)
        if answering.answered_too_quickly(visit.draft, current_app.config["SURVEY_MIN_SECONDS"]):
            return _looks_like_a_robot(visit)
        try:
            response = answering.send(
                visit.structure,
                visit.draft,
                language=current_language(),
                wording=visit.wording,
                contact_email=form.email.data or None,
            )
        except answering.NotReady as not_ready:
            return redirect(visit.section_url(not_ready.section, change=True))
        except SurveyNotOpen:
            return _not_taking_answers(visit)
        return _confirm(visit, response.reference, urgent=answering.needs_help_now(response))
    if visit.draft.last_page != answering.CHECK_PAGE:
        answering.save_draft(visit.draft, visit.answers, last_page=answering.CHECK_PAGE)
    form.start_clock()
    return _render(
        visit,
        "public/surveys/check.html",
        form=form,
        summary=_answer_summary(visit),
        retention_days=current_app.config.get("CONTACT_RETENTION_DAYS", 365),
        back_url=visit.after_sections_url()
        if journey.has_about_you_page
        else (visit.section_url(journey.sections[-1]) if journey.sections else visit.start_url()),
    )


def _answer_summary(visit: Visit) -> list[dict]:
    """Each section's answers with a change link, then "About you", for the summary lists."""
    journey, w = visit.journey, visit.wording
    answers = journey.answers
    groups = []
    for section in journey.sections:
        rows = [
            {
                "question": w.html(question, "text"),
                "lines": answering.describe_answer(question, answers.get(str(question.id)), w),
                "href": visit.section_url(section, change=True)
                + f"#{answering.field_anchor(question)}",
            }
            for question in journey.questions(section)
        ]
        groups.append({"title": w.html(section, "title"), "rows": rows})
    if journey.has_about_you_page:
        change = visit.page_url("public.survey_about_you", change=True)
        form = SurveyAboutYouForm(
            formdata=None,
            ask_consent=visit.survey.ask_consent_to_quote,
            young_person=visit.young_person,
        )
        rows = []
        if visit.survey.about_you:
            given = answers.get(ABOUT_YOU_KEY) or {}
            for name in ABOUT_YOU_FIELDS:
                label = about_you_choices.label_for(name, given.get(name), visit.young_person)
                rows.append(
                    {
                        "question": getattr(form, name).label.text,
                        "lines": [label] if label else [],
                        "href": f"{change}#{name}",
                    }
                )
        if visit.survey.ask_consent_to_quote:
            label = {value: str(text) for value, text in form.consent_to_quote.choices}.get(
                answers.get(CONSENT_KEY)
            )
            rows.append(
                {
                    "question": form.consent_to_quote.label.text,
                    "lines": [label] if label else [],
                    "href": f"{change}#consent_to_quote",
                }
            )
        groups.append({"title": None, "rows": rows})
    return groups


@bp.get("/surveys/<slug>/confirmation")
def survey_confirmation(slug: str):
    survey = load_survey(slug=slug)
    if survey is None:
        abort(404)
    sent = just_sent(CONFIRMATION_KEY, survey_id=survey.id)
    if sent is None:
        return redirect(url_for("public.survey", slug=slug))
    young_person = bool(sent.get("young_person")) and survey.young_person_version
    wording = PageWording(current_language(), young_person)
    return private_page(
        "public/surveys/confirmation.html",
        survey=survey,
        w=wording,
        young_person=young_person,
        reference=sent.get("reference") or "",
        preview=bool(sent.get("preview")),
        urgent=bool(sent.get("urgent")),
        visit=None,
    )
