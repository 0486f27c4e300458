"""Themes coordinators code contributions to. Deactivated themes stay on coded contributions."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.thread import inbox
from ..forms import ConfirmForm
from . import bp
from .inbox_forms import ThemeForm


def _theme_or_404(theme_id: int):
    theme = inbox.theme_by_id(theme_id)
    if theme is None:
        abort(404)
    return theme


def _render_list(form: ThemeForm):
    return render_template(
        "manage/themes/index.html",
        form=form,
        themes=inbox.themes_with_counts(),
        toggle_form=ConfirmForm(formdata=None),
    )


@bp.get("/themes", endpoint="themes")
@roles_required(*roles.THEME_EDITORS)
def themes_index():
    return _render_list(ThemeForm(formdata=None))


@bp.post("/themes")
@roles_required(*roles.THEME_EDITORS)
def themes_create():
    form = ThemeForm(taken=inbox.theme_name_taken)
    if form.validate_on_submit():
        theme = inbox.create_theme(
            current_user._get_current_object(),
            name=form.name.data,
            description=form.description.data or "",
        )
        flash(_("Theme “%(name)s” created.", name=theme.name), "success")
        return redirect(url_for("manage.themes"))
    return _render_list(form)


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@roles_required(*roles.THEME_EDITORS)
def themes_edit(theme_id: int):
    theme = _theme_or_404(theme_id)
    form = ThemeForm(obj=theme, taken=lambda name: inbox.theme_name_taken(name, except_id=theme.id))
    if form.validate_on_submit():
        changed = inbox.update_theme(
            current_user._get_current_object(),
            theme,
            name=form.name.data,
            description=form.description.data or "",
        )
        if changed:
            flash(_("Theme “%(name)s” saved.", name=theme.name), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("manage.themes"))
    return render_template(
        "manage/themes/edit.html", form=form, theme=theme, toggle_form=ConfirmForm(formdata=None)
    )


@bp.post("/themes/<int:theme_id>/active")
@roles_required(*roles.THEME_EDITORS)
def themes_status(theme_id: int):
    theme = _theme_or_404(theme_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        inbox.update_theme(current_user._get_current_object(), theme, active=not theme.active)
        if theme.active:
            flash(
                _("Theme “%(name)s” is active again and can be used for coding.", name=theme.name),
                "success",
            )
        else:
            flash(
                _(
                    "Theme “%(name)s” is deactivated. Contributions already coded to it keep it.",
                    name=theme.name,
                ),
                "success",
            )
    return redirect(url_for("manage.themes"))
