"""Entering a survey's or a consultation's texts in other languages and in young-person wording."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.engagement import translations as translatable
from ..domain.people import roles
from ..domain.surveys.structure import load_survey
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
