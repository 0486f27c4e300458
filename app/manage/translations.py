"""Entering texts in other languages (and young-person wording, where a thing has it): surveys,
consultations, areas of weakness, plan actions with their progress notes, "You said, we did"
responses and events; `/manage/translations` lists them all."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.engagement import translations as translatable
from ..domain.engagement.event_staff import staff_event
from ..domain.people import roles
from ..domain.plan.areas_and_actions import action_by_id, area_by_id
from ..domain.surveys.structure import load_survey
from ..domain.thread.publishing import staff_response
from . import bp
from .translation_forms import translation_form


def _survey_or_404(survey_id: int):
    survey = load_survey(survey_id)
    if survey is None:
        abort(404)
    return survey


def _consultation_or_404(consultation_id: int):
    consultation = translatable.consultation_with_texts(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _index(subject, groups, young_person: bool, *, back_url: str, edit_endpoint: str, id_arg: dict):
    rows = []
    for variant in translatable.variants(young_person):
        done, total = translatable.progress(groups, variant.code)
        rows.append(
            {
                "variant": variant,
                "done": done,
                "total": total,
                "href": url_for(edit_endpoint, variant=variant.code, **id_arg),
            }
        )
    return render_template(
        "manage/translations/index.html", subject=subject, rows=rows, back_url=back_url
    )


def _edit(subject, groups, young_person: bool, code: str, *, index_url: str):
    variant = translatable.find_variant(code, young_person)
    if variant is None:
        abort(404)
    form = translation_form(groups, variant.code)
    if form.validate_on_submit():
        submitted = {t.key: form[t.key].data for g in groups for t in g.texts}
        changed = translatable.save(
            current_user._get_current_object(), subject, groups, variant, submitted
        )
        if changed:
            flash(_("%(language)s saved.", language=variant.label), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(index_url)
    return render_template(
        "manage/translations/edit.html",
        subject=subject,
        groups=groups,
        form=form,
        variant=variant,
        index_url=index_url,
    )


@bp.get("/surveys/<int:survey_id>/translations")
@roles_required(*roles.TRANSLATORS)
def survey_translations(survey_id: int):
    survey = _survey_or_404(survey_id)
    return _index(
        survey,
        translatable.survey_groups(survey),
        survey.young_person_version,
        back_url=url_for("manage.survey", survey_id=survey.id),
        edit_endpoint="manage.survey_translation",
        id_arg={"survey_id": survey.id},
    )


@bp.route("/surveys/<int:survey_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def survey_translation(survey_id: int, variant: str):
    survey = _survey_or_404(survey_id)
    return _edit(
        survey,
        translatable.survey_groups(survey),
        survey.young_person_version,
        variant,
        index_url=url_for("manage.survey_translations", survey_id=survey.id),
    )


@bp.get("/consultations/<int:consultation_id>/translations")
@roles_required(*roles.TRANSLATORS)
def consultation_translations(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    return _index(
        consultation,
        translatable.consultation_groups(consultation),
        True,
        back_url=url_for("manage.consultation", consultation_id=consultation.id),
        edit_endpoint="manage.consultation_translation",
        id_arg={"consultation_id": consultation.id},
    )


@bp.route("/consultations/<int:consultation_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def consultation_translation(consultation_id: int, variant: str):
    consultation = _consultation_or_404(consultation_id)
    return _edit(
        consultation,
        translatable.consultation_groups(consultation),
        True,
        variant,
        index_url=url_for("manage.consultation_translations", consultation_id=consultation.id),
    )


# The plan, responses and events --------------------------------------------------------------


def _found_or_404(thing):
    if thing is None:
        abort(404)
    return thing


@bp.app_template_global()
def may_translate() -> bool:
    """Whether the signed-in person may edit translations (for "Translate" links)."""
    return current_user.is_authenticated and current_user.has_role(*roles.TRANSLATORS)


@bp.get("/translations")
@roles_required(*roles.TRANSLATORS)
def translations():
    """Everything that can be translated, each with a link to its translations."""
    return render_template("manage/translations/all.html", listing=translatable.everything())


@bp.get("/plan/areas/<int:area_id>/translations")
@roles_required(*roles.TRANSLATORS)
def area_translations(area_id: int):
    area = _found_or_404(area_by_id(area_id))
    return _index(
        area,
        translatable.area_groups(area),
        False,
        back_url=url_for("manage.translations"),
        edit_endpoint="manage.area_translation",
        id_arg={"area_id": area.id},
    )


@bp.route("/plan/areas/<int:area_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def area_translation(area_id: int, variant: str):
    area = _found_or_404(area_by_id(area_id))
    return _edit(
        area,
        translatable.area_groups(area),
        False,
        variant,
        index_url=url_for("manage.area_translations", area_id=area.id),
    )


@bp.get("/plan/actions/<int:action_id>/translations")
@roles_required(*roles.TRANSLATORS)
def action_translations(action_id: int):
    action = _found_or_404(action_by_id(action_id))
    return _index(
        action,
        translatable.action_groups(action),
        False,
        back_url=url_for("manage.translations"),
        edit_endpoint="manage.action_translation",
        id_arg={"action_id": action.id},
    )


@bp.route("/plan/actions/<int:action_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def action_translation(action_id: int, variant: str):
    action = _found_or_404(action_by_id(action_id))
    return _edit(
        action,
        translatable.action_groups(action),
        False,
        variant,
        index_url=url_for("manage.action_translations", action_id=action.id),
    )


@bp.get("/responses/<int:response_id>/translations")
@roles_required(*roles.TRANSLATORS)
def response_translations(response_id: int):
    response = _found_or_404(staff_response(response_id))
    return _index(
        response,
        translatable.response_groups(response),
        False,
        back_url=url_for("manage.response", response_id=response.id),
        edit_endpoint="manage.response_translation",
        id_arg={"response_id": response.id},
    )


@bp.route("/responses/<int:response_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def response_translation(response_id: int, variant: str):
    response = _found_or_404(staff_response(response_id))
    return _edit(
        response,
        translatable.response_groups(response),
        False,
        variant,
        index_url=url_for("manage.response_translations", response_id=response.id),
    )


@bp.get("/events/<int:event_id>/translations")
@roles_required(*roles.TRANSLATORS)
def event_translations(event_id: int):
    event = _found_or_404(staff_event(event_id))
    return _index(
        event,
        translatable.event_groups(event),
        False,
        back_url=url_for("manage.event", event_id=event.id),
        edit_endpoint="manage.event_translation",
        id_arg={"event_id": event.id},
    )


@bp.route("/events/<int:event_id>/translations/<variant>", methods=["GET", "POST"])
@roles_required(*roles.TRANSLATORS)
def event_translation(event_id: int, variant: str):
    event = _found_or_404(staff_event(event_id))
    return _edit(
        event,
        translatable.event_groups(event),
        False,
        variant,
        index_url=url_for("manage.event_translations", event_id=event.id),
    )
