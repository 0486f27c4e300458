"""Settings (administrators only): the safeguarding phrase list that flags contributions urgent."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.thread import inbox
from ..forms import ConfirmForm
from . import bp
from .inbox_forms import PhraseForm


def _render(form: PhraseForm):
    return render_template(
        "manage/settings/index.html",
        form=form,
        phrases=inbox.phrases(),
        load_form=ConfirmForm(formdata=None),
    )


@bp.get("/settings", endpoint="settings")
@roles_required(*roles.ADMINISTRATORS)
def settings_index():
    return _render(PhraseForm(formdata=None))


@bp.post("/settings/phrases")
@roles_required(*roles.ADMINISTRATORS)
def settings_add_phrase():
    form = PhraseForm(taken=inbox.phrase_taken)
    if form.validate_on_submit():
        entry = inbox.add_phrase(current_user._get_current_object(), form.phrase.data)
        flash(
            _(
                "“%(phrase)s” added. New contributions that contain it will be flagged urgent.",
                phrase=entry.phrase,
            ),
            "success",
        )
        return redirect(url_for("manage.settings"))
    return _render(form)


@bp.route("/settings/phrases/<int:phrase_id>/remove", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def settings_remove_phrase(phrase_id: int):
    entry = inbox.phrase_by_id(phrase_id)
    if entry is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        phrase = entry.phrase
        inbox.remove_phrase(current_user._get_current_object(), entry)
        flash(_("“%(phrase)s” removed from the list.", phrase=phrase), "success")
        return redirect(url_for("manage.settings"))
    return render_template("manage/settings/remove.html", entry=entry, form=form)


@bp.post("/settings/phrases/recommended")
@roles_required(*roles.ADMINISTRATORS)
def settings_load_recommended():
    form = ConfirmForm()
    if form.validate_on_submit():
        added = inbox.load_recommended_phrases(current_user._get_current_object())
        if added:
            flash(
                ngettext(
                    "%(num)d recommended phrase added.", "%(num)d recommended phrases added.", added
                ),
                "success",
            )
        else:
            flash(_("Every recommended phrase is already on the list."), "info")
    return redirect(url_for("manage.settings"))
