"""Staff pages for a survey's sections and questions: adding, changing, moving (buttons that
post, so it works without JavaScript) and deleting, with each question's options and the
conditions that show a section or question only for one earlier answer.

The rules are in app/domain/surveys/questions.py; refusals are shown next to their field, or as
a message on the overview when a move is refused.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.shared.errors import Refused
from ..domain.surveys import builder as survey_builder
from ..domain.surveys import questions as survey_structure
from ..models import QuestionKind
from . import bp
from .survey_forms import KindForm, QuestionForm, SectionForm, condition_items, question_form
from .surveys import (
    _links_for,
    actor,
    confirm_page,
    form_page,
    overview_url,
    survey_or_404,
)


def _section_or_404(survey, section_id: int):
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def _question_or_404(survey, question_id: int):
    question = next((q for s in survey.sections for q in s.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _moved(survey, move, moved_message: str, anchor: str):
    """Move a section or question up or down; a refused move says why on the overview."""
    try:
        moved = move(request.form.get("direction", ""))
    except Refused as refused:
        flash(_("That move was not made. %(why)s", why=" ".join(refused.messages)), "info")
    else:
        if moved:
            flash(moved_message, "success")
    return redirect(overview_url(survey, anchor))


# Sections ------------------------------------------------------------------------------------


@bp.route(
    "/surveys/<int:survey_id>/sections/new", methods=["GET", "POST"], endpoint="survey_section_new"
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_section_new(survey_id: int):
    survey = survey_or_404(survey_id)
    form = SectionForm()
    form.condition.choices = condition_items(
        survey_structure.condition_choices(survey, new_section=True)
    )
    return form_page(
        form,
        lambda: survey_structure.add_section(actor(), survey, form.details()),
        lambda section: (
            _("Section “%(title)s” added", title=section.title),
            overview_url(survey, f"section-{section.id}"),
        ),
        "manage/surveys/section_form.html",
        survey=survey,
        section=None,
    )


@bp.route(
    "/surveys/<int:survey_id>/sections/<int:section_id>/edit",
    methods=["GET", "POST"],
    endpoint="survey_section_edit",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_section_edit(survey_id: int, section_id: int):
    survey = survey_or_404(survey_id)
    section = _section_or_404(survey, section_id)
    current = next((c.option_id for c in survey.conditions if c.section_id == section.id), None)
    form = SectionForm(
        data={"title": section.title, "description": section.description, "condition": current}
    )
    form.condition.choices = condition_items(
        survey_structure.condition_choices(survey, section=section)
    )
    return form_page(
        form,
        lambda: survey_structure.update_section(actor(), survey, section, form.details()),
        lambda _result: (
            _("Changes to section “%(title)s” saved", title=section.title),
            overview_url(survey, f"section-{section.id}"),
        ),
        "manage/surveys/section_form.html",
        survey=survey,
        section=section,
    )


@bp.post("/surveys/<int:survey_id>/sections/<int:section_id>/move", endpoint="survey_section_move")
@roles_required(*roles.SURVEY_BUILDERS)
def survey_section_move(survey_id: int, section_id: int):
    survey = survey_or_404(survey_id)
    section = _section_or_404(survey, section_id)
    return _moved(
        survey,
        lambda direction: survey_structure.move_section(actor(), survey, section, direction),
        _("Section “%(title)s” moved", title=section.title),
        f"section-{section.id}",
    )


@bp.route(
    "/surveys/<int:survey_id>/sections/<int:section_id>/delete",
    methods=["GET", "POST"],
    endpoint="survey_section_delete",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_section_delete(survey_id: int, section_id: int):
    survey = survey_or_404(survey_id)
    section = _section_or_404(survey, section_id)
    blockers = survey_structure.section_deletion_blockers(survey, section)
    count = len(section.questions)
    return confirm_page(
        survey,
        lambda: survey_structure.delete_section(actor(), survey, section),
        submit=_("Delete the section"),
        done=_("Section “%(title)s” deleted", title=section.title),
        blockers=blockers,
        caption=section.title,
        title=_("Are you sure you want to delete this section?")
        if not blockers
        else _("You cannot delete this section"),
        explanation=(
            _("Its %(count)d questions are deleted too. This cannot be undone.", count=count)
            if count
            else _("It has no questions. This cannot be undone.")
        ),
        keep_text=_("Keep the section"),
        warning=True,
    )


# Questions -----------------------------------------------------------------------------------


def _prepared(form, survey, condition_choices):
    """Fill a question form's lists: the answers it may depend on, sections, areas and actions."""
    form.condition.choices = condition_items(condition_choices)
    form.section.choices = [
        (s.id, _("Section %(number)d: %(title)s", number=n, title=s.title))
        for n, s in enumerate(survey.sections, start=1)
    ]
    _links_for(form)
    return form


def _kind_from(value) -> QuestionKind | None:
    try:
        return QuestionKind(value)
    except ValueError:
        return None


@bp.route(
    "/surveys/<int:survey_id>/sections/<int:section_id>/questions/new",
    methods=["GET", "POST"],
    endpoint="survey_question_new",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_question_new(survey_id: int, section_id: int):
    """First the type of question (a GET form, so it works without JavaScript), then its details."""
    survey = survey_or_404(survey_id)
    section = _section_or_404(survey, section_id)
    chosen = request.args.get("kind")
    kind = _kind_from(chosen)
    if kind is None:
        picker = KindForm(formdata=None, meta={"csrf": False})
        if chosen is not None:
            picker.kind.errors = [_("Select the type of question")]
        return render_template(
            "manage/surveys/question_kind.html",
            form=picker,
            survey=survey,
            section=section,
            question=None,
        )
    form = _prepared(
        question_form(kind),
        survey,
        survey_structure.condition_choices(survey, new_in_section=section),
    )
    return form_page(
        form,
        lambda: survey_structure.add_question(actor(), survey, section, kind, form.details()),
        lambda question: (
            _("Question added: “%(text)s”", text=question.text),
            overview_url(survey, f"question-{question.id}"),
        ),
        "manage/surveys/question_form.html",
        survey=survey,
        section=section,
        question=None,
        kind=kind,
        responses=0,
    )


@bp.route(
    "/surveys/<int:survey_id>/questions/<int:question_id>/edit",
    methods=["GET", "POST"],
    endpoint="survey_question_edit",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_question_edit(survey_id: int, question_id: int):
    survey = survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    kind = question.kind_enum
    current = next((c.option_id for c in survey.conditions if c.question_id == question.id), None)
    form = _prepared(
        question_form(
            kind, question, data={**QuestionForm.data_for(question), "condition": current}
        ),
        survey,
        survey_structure.condition_choices(survey, question=question),
    )
    return form_page(
        form,
        lambda: survey_structure.update_question(actor(), survey, question, form.details()),
        lambda _result: (
            _("Changes to question “%(text)s” saved", text=question.text),
            overview_url(survey, f"question-{question.id}"),
        ),
        "manage/surveys/question_form.html",
        survey=survey,
        section=question.section,
        question=question,
        kind=kind,
        responses=survey_builder.response_count(survey),
    )


@bp.route(
    "/surveys/<int:survey_id>/questions/<int:question_id>/type",
    methods=["GET", "POST"],
    endpoint="survey_question_kind",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_question_kind(survey_id: int, question_id: int):
    survey = survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    blockers = survey_structure.kind_change_blockers(survey, question)
    form = KindForm(data={"kind": question.kind})

    def changed_kind(changed):
        message = None
        if changed:
            message = _(
                "“%(text)s” is now a %(kind)s question. Check its settings.",
                text=question.text,
                kind=question.kind_enum.label.lower(),
            )
        return message, url_for(
            "manage.survey_question_edit", survey_id=survey.id, question_id=question.id
        )

    return form_page(
        form,
        lambda: survey_structure.change_kind(
            actor(), survey, question, QuestionKind(form.kind.data), form.new_options
        ),
        changed_kind,
        "manage/surveys/question_kind.html",
        allowed=not blockers,
        survey=survey,
        section=question.section,
        question=question,
        blockers=blockers,
    )


@bp.post(
    "/surveys/<int:survey_id>/questions/<int:question_id>/move", endpoint="survey_question_move"
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_question_move(survey_id: int, question_id: int):
    survey = survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    return _moved(
        survey,
        lambda direction: survey_structure.move_question(actor(), survey, question, direction),
        _("Question “%(text)s” moved", text=question.text),
        f"question-{question.id}",
    )


@bp.route(
    "/surveys/<int:survey_id>/questions/<int:question_id>/delete",
    methods=["GET", "POST"],
    endpoint="survey_question_delete",
)
@roles_required(*roles.SURVEY_BUILDERS)
def survey_question_delete(survey_id: int, question_id: int):
    survey = survey_or_404(survey_id)
    question = _question_or_404(survey, question_id)
    blockers = survey_structure.question_deletion_blockers(survey, question)
    return confirm_page(
        survey,
        lambda: survey_structure.delete_question(actor(), survey, question),
        submit=_("Delete the question"),
        done=_("Question “%(text)s” deleted", text=question.text),
        blockers=blockers,
        caption=question.text,
        title=_("Are you sure you want to delete this question?")
        if not blockers
        else _("You cannot delete this question"),
        explanation=_("Its options and settings are deleted too. This cannot be undone."),
        keep_text=_("Keep the question"),
        warning=True,
    )
