""" "You said, we did" for staff: draft, choose evidence, send for approval, approve and publish,
update after publishing, withdraw. Officers and admins publish; coordinators draft."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import audit, roles
from ..domain.shared.errors import Refused
from ..domain.shared.ids import page_number
from ..domain.thread import publishing
from ..forms import ConfirmForm, show_problems
from ..models import ApprovalState
from ..web import pagination_links
from . import bp
from .response_forms import (
    EvidenceFilterForm,
    EvidenceForm,
    PublishedEditForm,
    ResponseForm,
    ReturnForm,
    WithdrawForm,
    state_filter_items,
)

FILTER_NAMES = ("area", "action", "theme", "state", "q")


def _page_number() -> int:
    return page_number(request.args.get("page"))


def _load(response_id: int):
    response = publishing.staff_response(response_id)
    if response is None:
        abort(404)
    return response


def _show_error(form, refused: Refused) -> None:
    """Put a rule the domain refused next to its field (or at the top of the page)."""
    for problem in show_problems(form, refused):
        flash(problem["text"], "info")


@bp.get("/responses")
@roles_required(*roles.RESPONSE_WRITERS)
def responses():
    state = request.args.get("state") or None
    if state not in {s.value for s in ApprovalState}:
        state = None
    listing = publishing.staff_responses(state=state, page=_page_number())
    return render_template(
        "manage/responses/index.html",
        listing=listing,
        state=state,
        state_items=state_filter_items(state),
        pagination=pagination_links(listing, "manage.responses", keep=("state",)),
    )


@bp.route("/responses/new", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_new():
    form = ResponseForm()
    form.set_choices(publishing.choices())
    if request.method == "GET":
        form.organisation.data = current_user.organisation_id
        form.status.data = "planned"
    elif form.validate_on_submit():
        try:
            response = publishing.create_draft(current_user, form.fields())
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(_("Draft saved. Now choose the contributions it answers."), "success")
            return redirect(url_for("manage.response_evidence", response_id=response.id))
    return render_template("manage/responses/form.html", form=form, response=None)


@bp.get("/responses/<int:response_id>")
@roles_required(*roles.RESPONSE_WRITERS)
def response(response_id: int):
    view = publishing.staff_view(response_id, current_user)
    if view is None:
        abort(404)
    return render_template(
        "manage/responses/show.html",
        view=view,
        response=view.response,
        confirm=ConfirmForm(),
        labels=audit.ACTION_LABELS,
    )


@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_edit(response_id: int):
    response = _load(response_id)
    if response.state not in publishing.EDITABLE_STATES:
        if response.state == ApprovalState.PUBLISHED.value and current_user.has_role(
            *roles.RESPONSE_APPROVERS
        ):
            return redirect(url_for("manage.response_update", response_id=response.id))
        flash(_("This response can no longer be edited."), "info")
        return redirect(url_for("manage.response", response_id=response.id))
    form = ResponseForm()
    form.set_choices(publishing.choices())
    drafted = False
    if request.method == "GET":
        form.fill_from(response)
        if request.args.get("from_evidence"):
            form.you_said.data = publishing.suggested_you_said(response)
            drafted = True
    elif form.draft_from_evidence.data:
        # Fill "You said" from the evidence without saving; everything else typed is kept.
        form.you_said.data = publishing.suggested_you_said(response)
        drafted = True
    elif form.validate_on_submit():
        try:
            publishing.update_draft(current_user, response, form.fields())
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("manage.response", response_id=response.id))
    return render_template(
        "manage/responses/form.html", form=form, response=response, drafted=drafted
    )


@bp.route("/responses/<int:response_id>/evidence", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_evidence(response_id: int):
    response = _load(response_id)
    choices = publishing.choices()
    filters = EvidenceFilterForm(request.args)
    filters.set_choices(choices)
    filters.validate()
    evidence_filter = filters.evidence_filter()
    editable = response.state in publishing.EDITABLE_STATES
    form = EvidenceForm()
    if request.method == "POST":
        if not editable:
            flash(_("Evidence can only be changed before a response is published."), "info")
            return redirect(url_for("manage.response", response_id=response.id))
        if form.validate_on_submit():
            try:
                if form.add_all.data:
                    count = publishing.add_all_matching(current_user, response, evidence_filter)
                    flash(
                        ngettext(
                            "%(num)d contribution added.", "%(num)d contributions added.", count
                        ),
                        "success",
                    )
                elif not form.chosen():
                    flash(_("Select at least one contribution."), "info")
                elif form.remove.data:
                    count = publishing.remove_evidence(current_user, response, form.chosen())
                    flash(
                        ngettext(
                            "%(num)d contribution removed.", "%(num)d contributions removed.", count
                        ),
                        "success",
                    )
                else:
                    count = publishing.add_evidence(current_user, response, form.chosen())
                    flash(
                        ngettext(
                            "%(num)d contribution added.", "%(num)d contributions added.", count
                        ),
                        "success",
                    )
            except Refused as refused:
                flash(refused.message, "info")
            kept = {name: value for name, value in request.args.items() if name in FILTER_NAMES}
            return redirect(url_for("manage.response_evidence", response_id=response.id, **kept))
    candidates = publishing.evidence_candidates(response, evidence_filter) if editable else None
    current = publishing.current_evidence(response)
    return render_template(
        "manage/responses/evidence.html",
        response=response,
        filters=filters,
        form=form,
        candidates=candidates,
        current=current,
        editable=editable,
    )


@bp.route("/responses/<int:response_id>/submit", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_submit(response_id: int):
    response = _load(response_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            publishing.submit_for_approval(current_user, response)
        except Refused as refused:
            flash(refused.message, "info")
        else:
            flash(
                _(
                    "Sent for approval. "
                    "Someone other than the author must approve it before it is published."
                ),
                "success",
            )
    return redirect(url_for("manage.response", response_id=response.id))


@bp.route("/responses/<int:response_id>/approve", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_APPROVERS)
def response_approve(response_id: int):
    view = publishing.staff_view(response_id, current_user)
    if view is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit() and view.can_approve:
        try:
            queued = publishing.approve_and_publish(current_user, view.response)
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(
                ngettext(
                    "Published. %(num)d email about it has been queued.",
                    "Published. %(num)d emails about it have been queued.",
                    queued,
                ),
                "success",
            )
            return redirect(url_for("manage.response", response_id=view.response.id))
    return render_template(
        "manage/responses/approve.html", view=view, response=view.response, form=form
    )


def _with_reason(
    response_id: int,
    state: ApprovalState,
    wrong_state: str,
    form_class,
    change,
    done: str,
    heading: str,
):
    """Returning to draft and withdrawing: only from one state, and only with a reason, which
    the domain may refuse next to its field."""
    response = _load(response_id)
    if response.state != state.value:
        flash(wrong_state, "info")
        return redirect(url_for("manage.response", response_id=response.id))
    form = form_class()
    if form.validate_on_submit():
        try:
            change(current_user, response, form.reason.data)
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(done, "success")
            return redirect(url_for("manage.response", response_id=response.id))
    return render_template(
        "manage/responses/reason.html", response=response, form=form, heading=heading
    )


@bp.route("/responses/<int:response_id>/return", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_APPROVERS)
def response_return(response_id: int):
    return _with_reason(
        response_id,
        ApprovalState.AWAITING_APPROVAL,
        _("Only a response awaiting approval can be returned."),
        ReturnForm,
        publishing.return_to_draft,
        done=_("Returned to draft."),
        heading=_("Return to draft"),
    )


@bp.route("/responses/<int:response_id>/update", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_APPROVERS)
def response_update(response_id: int):
    response = _load(response_id)
    if response.state != ApprovalState.PUBLISHED.value:
        flash(_("Only a published response can be updated this way."), "info")
        return redirect(url_for("manage.response", response_id=response.id))
    form = PublishedEditForm()
    form.set_choices(publishing.choices())
    if request.method == "GET":
        form.fill_from(response)
    elif form.validate_on_submit():
        try:
            publishing.edit_published(current_user, response, form.fields(), form.what_changed.data)
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(_("The published response has been updated."), "success")
            return redirect(url_for("manage.response", response_id=response.id))
    return render_template("manage/responses/update.html", form=form, response=response)


@bp.route("/responses/<int:response_id>/withdraw", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_APPROVERS)
def response_withdraw(response_id: int):
    return _with_reason(
        response_id,
        ApprovalState.PUBLISHED,
        _("Only a published response can be withdrawn."),
        WithdrawForm,
        publishing.withdraw,
        done=_("The response has been withdrawn. Its public page now shows only your reason."),
        heading=_("Withdraw this response"),
    )
