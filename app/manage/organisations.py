"""Organisations (administrators only): add, rename, retire and bring back."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import organisations as organisations_domain
from ..domain.people import roles
from ..domain.shared.errors import Refused
from ..forms import ConfirmForm, show_problems
from . import bp
from .organisation_forms import OrganisationForm


def _organisation_or_404(organisation_id: int):
    organisation = organisations_domain.organisation_by_id(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _list(form: OrganisationForm, status: int = 200):
    return (
        render_template(
            "manage/organisations/index.html",
            form=form,
            organisations=organisations_domain.listing(),
            retire_form=ConfirmForm(formdata=None),
        ),
        status,
    )


@bp.get("/organisations", endpoint="organisations")
@roles_required(*roles.ADMINISTRATORS)
def organisations_index():
    return _list(OrganisationForm(formdata=None))


@bp.post("/organisations")
@roles_required(*roles.ADMINISTRATORS)
def organisations_create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations_domain.add(
                form.name.data, form.short_name.data or "", actor=current_user
            )
        except Refused as refused:
            show_problems(form, refused, default="name")
        else:
            flash(_("%(name)s has been added.", name=organisation.name), "success")
            return redirect(url_for("manage.organisations"))
    return _list(form, 400)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def organisation_edit(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    form = OrganisationForm(data={"name": organisation.name, "short_name": organisation.short_name})
    status = 200
    if form.validate_on_submit():
        try:
            organisations_domain.rename(
                organisation, form.name.data, form.short_name.data or "", actor=current_user
            )
        except Refused as refused:
            show_problems(form, refused, default="name")
        else:
            flash(_("%(name)s has been saved.", name=organisation.name), "success")
            return redirect(url_for("manage.organisations"))
    if form.errors:
        status = 400
    return (
        render_template("manage/organisations/edit.html", form=form, organisation=organisation),
        status,
    )


@bp.post("/organisations/<int:organisation_id>/status")
@roles_required(*roles.ADMINISTRATORS)
def organisation_status(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    retire = organisation.retired_at is None
    organisations_domain.set_retired(organisation, retire, actor=current_user)
    flash(
        _(
            "%(name)s has been retired. It is no longer offered for new staff, actions or "
            "responses; records that name it keep it.",
            name=organisation.name,
        )
        if retire
        else _("%(name)s is in use again.", name=organisation.name),
        "success",
    )
    return redirect(url_for("manage.organisations"))
