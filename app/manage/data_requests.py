"""Families' data requests (administrators only): find everything held against an email
address, give the person a copy (JSON or a readable page) and erase it."""

import json

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import data_rights, roles
from ..domain.shared.errors import Refused
from ..forms import show_problems
from ..models.base import utcnow
from . import bp
from .data_request_forms import DownloadForm, EraseForm, FindForm


def _private(body, status: int = 200, headers: dict | None = None):
    response = current_app.make_response((body, status, headers or {}))
    response.headers["Cache-Control"] = "no-store"
    return response


def _results(held, erase_form: EraseForm | None = None, status: int = 200):
    erase_form = erase_form or EraseForm(formdata=None, email=held.email)
    erase_form.email.data = held.email
    return _private(
        render_template(
            "manage/data_requests/results.html",
            held=held,
            download_form=DownloadForm(formdata=None, email=held.email),
            erase_form=erase_form,
        ),
        status,
    )


@bp.get("/data-requests", endpoint="data_requests")
@roles_required(*roles.ADMINISTRATORS)
def data_requests_index():
    return _private(
        render_template("manage/data_requests/index.html", form=FindForm(formdata=None))
    )


@bp.post("/data-requests")
@roles_required(*roles.ADMINISTRATORS)
def data_requests_find():
    form = FindForm()
    if form.validate_on_submit():
        try:
            held = data_rights.find(form.email.data, actor=current_user)
        except Refused as refused:
            show_problems(form, refused, default="email")
        else:
            return _results(held)
    return _private(render_template("manage/data_requests/index.html", form=form), 400)


@bp.post("/data-requests/download/<file_format>")
@roles_required(*roles.ADMINISTRATORS)
def data_requests_download(file_format: str):
    if file_format not in ("json", "html"):
        abort(404)
    form = DownloadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        held = data_rights.copy_for_person(
            form.email.data, actor=current_user, file_format=file_format
        )
    except Refused:
        abort(400)
    produced_at = utcnow()
    name = f"your-data-{produced_at:%Y-%m-%d}"
    if file_format == "json":
        body = json.dumps(held.as_dict(produced_at), ensure_ascii=False, indent=2)
        content_type = "application/json; charset=utf-8"
    else:
        body = render_template("manage/data_requests/copy.html", held=held, produced_at=produced_at)
        content_type = "text/html; charset=utf-8"
    return _private(
        body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name}.{file_format}"',
        },
    )


@bp.post("/data-requests/erase")
@roles_required(*roles.ADMINISTRATORS)
def data_requests_erase():
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erased = data_rights.erase(
                form.email.data,
                what_they_said=form.what_they_said.data,
                reason=form.reason.data,
                actor=current_user,
            )
        except Refused as refused:
            show_problems(form, refused, default="reason")
        else:
            return _erased(erased)
    try:
        held = data_rights.find(form.email.data, actor=current_user)
    except Refused:
        return redirect(url_for("manage.data_requests"))
    return _results(held, form, 400)


def _erased(erased):
    flash(
        _("Everything held against that email address has been erased.")
        + " "
        + (
            _("What they said was removed.")
            if erased.what_they_said == data_rights.REMOVE
            else _("What they said is kept without anything that identifies them.")
        ),
        "success",
    )
    return redirect(url_for("manage.data_requests"))
