"""Staff pages for consultations: the list, creating and editing, proposals, moving the stage
by hand, and writing and publishing "What we heard". Moderating comments is in moderation.py.
The rules live in app/domain/consultation_staff.py."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.engagement import consultation_staff as staff
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan_domain
from ..domain.shared.errors import Refused
from ..forms import ConfirmForm, show_problems
from . import bp
from .consultation_forms import (
    FOLLOW_DATES,
    ConsultationForm,
    MoveForm,
    ProposalForm,
    StageForm,
    WhatWeHeardForm,
)

FORM_FIELDS = {
    "title": "title",
    "slug": "slug",
    "summary": "summary",
    "background": "background",
    "opens": "opens_day",
    "closes": "closes_time",
    "outcome_due": "outcome_due_day",
    "moderation": "moderation",
    "survey": "survey",
}


def _actor():
    return current_user._get_current_object()


def consultation_or_404(consultation_id: int):
    consultation = staff.staff_consultation(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _consultation_form(**kwargs) -> ConsultationForm:
    return ConsultationForm(
        surveys=staff.survey_choices(),
        areas=plan_domain.all_areas(),
        actions=plan_domain.all_actions(),
        **kwargs,
    )


def _field_error(form, refused: Refused, fields: dict) -> None:
    # A rule about no one field is shown with the first one the person fills in.
    first = next(f.name for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
    show_problems(form, refused, fields, default=first)


@bp.get("/consultations", endpoint="consultations")
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultations_index():
    return render_template("manage/consultations/index.html", rows=staff.staff_list())


@bp.route("/consultations/new", methods=["GET", "POST"], endpoint="consultation_new")
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_new():
    form = _consultation_form()
    if form.validate_on_submit():
        try:
            consultation = staff.create(_actor(), form.fields())
        except Refused as error:
            _field_error(form, error, FORM_FIELDS)
        else:
            flash(
                _(
                    "Consultation “%(title)s” added. Now add its proposals.",
                    title=consultation.title,
                ),
                "success",
            )
            return redirect(url_for("manage.consultation", consultation_id=consultation.id))
    return render_template("manage/consultations/form.html", form=form, consultation=None)


@bp.get("/consultations/<int:consultation_id>", endpoint="consultation")
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_show(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    return render_template(
        "manage/consultations/show.html",
        consultation=consultation,
        view=staff.staff_view(consultation),
        move_form=MoveForm(),
        refusal=staff.publish_refusal(consultation),
    )


@bp.route(
    "/consultations/<int:consultation_id>/edit",
    methods=["GET", "POST"],
    endpoint="consultation_edit",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_edit(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    form = _consultation_form(data=ConsultationForm.data_for(consultation))
    if form.validate_on_submit():
        try:
            changed = staff.update_consultation(_actor(), consultation, form.fields())
        except Refused as error:
            _field_error(form, error, FORM_FIELDS)
        else:
            flash(
                _("Changes to “%(title)s” saved", title=consultation.title)
                if changed
                else _("Nothing was changed"),
                "success",
            )
            return redirect(url_for("manage.consultation", consultation_id=consultation.id))
    return render_template("manage/consultations/form.html", form=form, consultation=consultation)


# --- proposals --------------------------------------------------------------------------------


@bp.route(
    "/consultations/<int:consultation_id>/proposals/new",
    methods=["GET", "POST"],
    endpoint="consultation_proposal_new",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_proposal_new(consultation_id: int):
    return _proposal_page(consultation_or_404(consultation_id), None)


def _proposal_page(consultation, proposal):
    """Adding a proposal (`proposal` None) or changing one: the same form and page."""
    data = {"title": proposal.title, "description": proposal.description} if proposal else None
    form = ProposalForm(data=data)
    if form.validate_on_submit():
        title, description = form.title.data, form.description.data or ""
        try:
            if proposal is None:
                added = staff.add_proposal(_actor(), consultation, title, description)
                message = _("Proposal “%(title)s” added", title=added.title)
            else:
                staff.update_proposal(_actor(), proposal, title, description)
                message = _("Proposal “%(title)s” saved", title=proposal.title)
        except Refused as error:
            _field_error(form, error, {"title": "title", "description": "description"})
        else:
            flash(message, "success")
            return redirect(
                url_for("manage.consultation", consultation_id=consultation.id) + "#proposals"
            )
    return render_template(
        "manage/consultations/proposal_form.html",
        form=form,
        consultation=consultation,
        proposal=proposal,
    )


@bp.route(
    "/consultations/<int:consultation_id>/proposals/<int:proposal_id>/edit",
    methods=["GET", "POST"],
    endpoint="consultation_proposal_edit",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_proposal_edit(consultation_id: int, proposal_id: int):
    consultation = consultation_or_404(consultation_id)
    proposal = staff.proposal_of(consultation, proposal_id)
    if proposal is None:
        abort(404)
    return _proposal_page(consultation, proposal)


@bp.post(
    "/consultations/<int:consultation_id>/proposals/<int:proposal_id>/move",
    endpoint="consultation_proposal_move",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_proposal_move(consultation_id: int, proposal_id: int):
    consultation = consultation_or_404(consultation_id)
    proposal = staff.proposal_of(consultation, proposal_id)
    if proposal is None:
        abort(404)
    form = MoveForm()
    if form.validate_on_submit():
        title = proposal.title
        if staff.move_proposal(_actor(), consultation, proposal, form.direction.data):
            flash(
                _(
                    "“%(title)s” moved %(direction)s",
                    title=title,
                    direction=_("up") if form.direction.data == "up" else _("down"),
                ),
                "success",
            )
    return redirect(url_for("manage.consultation", consultation_id=consultation.id) + "#proposals")


# --- the stage --------------------------------------------------------------------------------


@bp.route(
    "/consultations/<int:consultation_id>/stage",
    methods=["GET", "POST"],
    endpoint="consultation_stage",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_stage(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    form = StageForm(data={"stage": consultation.stage_override or FOLLOW_DATES})
    if form.validate_on_submit():
        try:
            changed = staff.set_stage(_actor(), consultation, form.override, form.reason.data or "")
        except Refused as error:
            _field_error(form, error, {"stage": "stage", "reason": "reason"})
        else:
            if changed:
                flash(
                    _(
                        "Stage saved. The consultation now shows “%(stage)s”.",
                        stage=staff.current_stage(consultation).label,
                    ),
                    "success",
                )
            return redirect(url_for("manage.consultation", consultation_id=consultation.id))
    return render_template(
        "manage/consultations/stage.html",
        form=form,
        consultation=consultation,
        view=staff.staff_view(consultation),
    )


# --- "What we heard" --------------------------------------------------------------------------


@bp.route(
    "/consultations/<int:consultation_id>/outcome",
    methods=["GET", "POST"],
    endpoint="consultation_outcome",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_outcome(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    form = WhatWeHeardForm(data={"text": consultation.what_we_heard_html})
    if form.validate_on_submit():
        try:
            changed = staff.save_what_we_heard(_actor(), consultation, form.text.data)
        except Refused as error:
            form.text.errors = list(form.text.errors) + [str(error)]
        else:
            if consultation.outcome_published_at:
                flash(
                    _("Changes to what we heard are published. Subscribers are not emailed again.")
                    if changed
                    else _("Nothing was changed"),
                    "success",
                )
                return redirect(
                    url_for("manage.consultation", consultation_id=consultation.id) + "#outcome"
                )
            return redirect(
                url_for("manage.consultation_outcome_publish", consultation_id=consultation.id)
            )
    return render_template(
        "manage/consultations/outcome.html",
        form=form,
        consultation=consultation,
        view=staff.staff_view(consultation),
    )


@bp.route(
    "/consultations/<int:consultation_id>/outcome/publish",
    methods=["GET", "POST"],
    endpoint="consultation_outcome_publish",
)
@roles_required(*roles.CONSULTATION_RUNNERS)
def consultation_outcome_publish(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    if consultation.outcome_published_at is not None:
        flash(_("What we heard is already published."), "info")
        return redirect(
            url_for("manage.consultation", consultation_id=consultation.id) + "#outcome"
        )
    form = ConfirmForm()
    refusal = staff.publish_refusal(consultation)
    if form.validate_on_submit() and refusal is None:
        try:
            queued = staff.publish_outcome(_actor(), consultation)
        except staff.OutcomeAlreadyPublished:
            flash(_("What we heard is already published."), "info")
        except Refused as error:
            flash(str(error), "info")
        else:
            flash(
                ngettext(
                    "What we heard is published. %(num)d subscriber has been emailed.",
                    "What we heard is published. %(num)d subscribers have been emailed.",
                    queued,
                ),
                "success",
            )
        return redirect(
            url_for("manage.consultation", consultation_id=consultation.id) + "#outcome"
        )
    return render_template(
        "manage/consultations/publish.html",
        form=form,
        consultation=consultation,
        view=staff.staff_view(consultation),
        refusal=refusal,
    )
