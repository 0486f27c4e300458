"""Individual cases: teams (administrators), handing a contribution over (coders), and the
Cases list and case page where caseworkers acknowledge, reply and close."""

from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import organisations as organisations_domain
from ..domain.people import roles
from ..domain.shared.errors import Refused
from ..domain.shared.ids import page_number, valid_id
from ..domain.thread import cases, inbox
from ..forms import ConfirmForm, show_problems
from ..web import pagination_links
from . import bp
from .case_forms import (
    CaseFilterForm,
    CloseForm,
    HandOffForm,
    RecordReplyForm,
    ReplyForm,
    TeamForm,
)


def _actor():
    return current_user._get_current_object()


# --- Teams -----------------------------------------------------------------------------------


def _team_or_404(team_id: int):
    team = cases.team_by_id(team_id)
    if team is None:
        abort(404)
    return team


def _teams_page(form: TeamForm, status: int = 200):
    return (
        render_template(
            "manage/teams/index.html",
            form=form,
            teams=cases.team_listing(),
            retire_form=ConfirmForm(formdata=None),
        ),
        status,
    )


@bp.get("/teams", endpoint="teams")
@roles_required(*roles.ADMINISTRATORS)
def teams_index():
    return _teams_page(TeamForm(organisations_domain.in_use(), formdata=None))


@bp.post("/teams")
@roles_required(*roles.ADMINISTRATORS)
def teams_create():
    form = TeamForm(organisations_domain.in_use())
    if form.validate_on_submit():
        try:
            team = cases.add_team(_actor(), form.details)
        except Refused as refused:
            show_problems(form, refused, default="name")
        else:
            flash(_("%(name)s has been added.", name=team.name), "success")
            return redirect(url_for("manage.teams"))
    return _teams_page(form, 400)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def team_edit(team_id: int):
    team = _team_or_404(team_id)
    form = TeamForm(
        organisations_domain.in_use(keep_id=team.organisation_id),
        data={
            "name": team.name,
            "organisation": str(team.organisation_id),
            "email": team.email,
            "reply_days": str(team.reply_days),
        },
    )
    if form.validate_on_submit():
        try:
            cases.change_team(_actor(), team, form.details)
        except Refused as refused:
            show_problems(form, refused, default="name")
        else:
            flash(_("%(name)s has been saved.", name=team.name), "success")
            return redirect(url_for("manage.teams"))
    return (
        render_template("manage/teams/edit.html", form=form, team=team),
        400 if form.errors else 200,
    )


@bp.post("/teams/<int:team_id>/status")
@roles_required(*roles.ADMINISTRATORS)
def team_status(team_id: int):
    team = _team_or_404(team_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    retire = team.retired_at is None
    cases.set_team_retired(_actor(), team, retire)
    flash(
        _(
            "%(name)s has been retired. It is no longer offered for new cases; its cases keep it.",
            name=team.name,
        )
        if retire
        else _("%(name)s is in use again.", name=team.name),
        "success",
    )
    return redirect(url_for("manage.teams"))


# --- Handing over ----------------------------------------------------------------------------


def _hand_off_form(existing, posted: bool) -> HandOffForm:
    """The teams in use (less the one that has the open case now) and active staff."""
    current_team = existing.team_id if existing is not None and existing.is_open else None
    teams = [team for team in cases.teams_in_use() if team.id != current_team]
    staff = cases.assignable_staff(existing.assigned_to_id if existing is not None else None)
    return HandOffForm(teams, staff) if posted else HandOffForm(teams, staff, formdata=None)


def _hand_off_page(contribution, existing):
    form = _hand_off_form(existing, posted=request.method == "POST")
    if request.method == "POST" and form.validate_on_submit():
        try:
            case_record = cases.hand_off(
                _actor(),
                contribution,
                form.team.data,
                valid_id(form.person.data) if form.person.data else None,
                note=form.note.data or "",
            )
        except Refused as refused:
            show_problems(form, refused, default="team")
        else:
            flash(
                _(
                    "%(reference)s has been passed to %(team)s. The team has been emailed a link "
                    "to the case.",
                    reference=contribution.reference,
                    team=case_record.team.name,
                ),
                "success",
            )
            return redirect(url_for("manage.case", case_id=case_record.id))
    return (
        render_template(
            "manage/cases/hand_off.html",
            form=form,
            contribution=contribution,
            existing=existing,
        ),
        400 if form.errors else 200,
    )


@bp.route("/inbox/<int:contribution_id>/hand-off", methods=["GET", "POST"])
@roles_required(*roles.CODERS)
def contribution_hand_off(contribution_id: int):
    """Which team takes this individual case (and, optionally, who)."""
    contribution = inbox.contribution_for_staff(contribution_id)
    if contribution is None:
        abort(404)
    return _hand_off_page(contribution, cases.case_for_contribution(contribution.id))


@bp.route("/cases/<int:case_id>/pass-on", methods=["GET", "POST"])
@roles_required(*roles.CASEWORKERS)
def case_pass_on(case_id: int):
    """Pass an open case to another team ("passed to X" again on the family's page)."""
    case_record = _case_or_404(case_id)
    if not case_record.is_open:
        return redirect(url_for("manage.case", case_id=case_record.id))
    return _hand_off_page(case_record.contribution, case_record)


# --- Cases -----------------------------------------------------------------------------------


@bp.get("/cases", endpoint="cases")
@roles_required(*roles.CASEWORKERS)
def cases_index():
    form = CaseFilterForm(cases.all_teams(), formdata=request.args)
    listing = None
    if form.validate():
        listing = cases.cases_page(
            cases.CaseFilters(
                team_id=valid_id(form.team.data) if form.team.data else None,
                state=form.state.data or "open",
            ),
            page=page_number(request.args.get("page")),
        )
    return render_template(
        "manage/cases/index.html",
        form=form,
        listing=listing,
        groups=[
            (rows[0].case.team, rows)
            for rows in (
                list(group)
                for _team, group in groupby(
                    listing.items if listing else [], lambda r: r.case.team_id
                )
            )
        ],
        pagination=pagination_links(listing, "manage.cases", keep=("team", "state"))
        if listing
        else None,
    )


def _case_or_404(case_id: int):
    case_record = cases.case_by_id(case_id)
    if case_record is None:
        abort(404)
    return case_record


def _case_page(case_record, *, reply_form=None, record_form=None, close_form=None):
    failing = next((f for f in (reply_form, record_form, close_form) if f and f.errors), None)
    return (
        render_template(
            "manage/cases/case.html",
            case=case_record,
            contribution=case_record.contribution,
            email_refusal=cases.email_refusal(case_record),
            reply_form=reply_form or ReplyForm(formdata=None),
            record_form=record_form or RecordReplyForm(formdata=None),
            close_form=close_form or CloseForm(formdata=None),
            button_form=ConfirmForm(formdata=None),
            form=failing,
            can_pass_on=case_record.is_open,
        ),
        400 if failing else 200,
    )


@bp.get("/cases/<int:case_id>", endpoint="case")
@roles_required(*roles.CASEWORKERS)
def case_page(case_id: int):
    return _case_page(_case_or_404(case_id))


def _done(case_record, message: str):
    flash(message, "success")
    return redirect(url_for("manage.case", case_id=case_record.id))


@bp.post("/cases/<int:case_id>/acknowledge")
@roles_required(*roles.CASEWORKERS)
def case_acknowledge(case_id: int):
    case_record = _case_or_404(case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cases.acknowledge(_actor(), case_record)
    except Refused as refused:
        flash(refused.message, "info")
        return redirect(url_for("manage.case", case_id=case_record.id))
    return _done(case_record, _("Case acknowledged."))


@bp.post("/cases/<int:case_id>/reply")
@roles_required(*roles.CASEWORKERS)
def case_reply(case_id: int):
    case_record = _case_or_404(case_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            cases.reply_by_email(_actor(), case_record, form.text.data)
        except Refused as refused:
            show_problems(form, refused, default="text")
        else:
            return _done(case_record, _("Your reply has been sent and kept with the case."))
    return _case_page(case_record, reply_form=form)


@bp.post("/cases/<int:case_id>/record-reply")
@roles_required(*roles.CASEWORKERS)
def case_record_reply(case_id: int):
    case_record = _case_or_404(case_id)
    form = RecordReplyForm()
    if form.validate_on_submit():
        try:
            cases.record_reply(_actor(), case_record, form.method.data, form.text.data)
        except Refused as refused:
            show_problems(form, refused, default="text")
        else:
            return _done(case_record, _("Your reply has been recorded."))
    return _case_page(case_record, record_form=form)


@bp.post("/cases/<int:case_id>/close")
@roles_required(*roles.CASEWORKERS)
def case_close(case_id: int):
    case_record = _case_or_404(case_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            cases.close(_actor(), case_record, form.note.data or "")
        except Refused as refused:
            show_problems(form, refused, default="note")
        else:
            return _done(case_record, _("Case closed."))
    return _case_page(case_record, close_form=form)


@bp.post("/cases/<int:case_id>/reopen")
@roles_required(*roles.CASEWORKERS)
def case_reopen(case_id: int):
    case_record = _case_or_404(case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cases.reopen(_actor(), case_record)
    except Refused as refused:
        flash(refused.message, "info")
        return redirect(url_for("manage.case", case_id=case_record.id))
    return _done(case_record, _("Case reopened."))
