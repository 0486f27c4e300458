""" "You said, we did" for staff: draft, choose evidence, send for approval, approve and publish,
update after publishing, withdraw. Officers and admins publish; coordinators draft."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import audit, roles
from ..domain.shared.errors import Refused
from ..domain.shared.ids import page_number
from ..domain.thread import publishing, you_said_we_did
from ..domain.thread.contributions import answers_in_words
from ..forms import ConfirmForm, show_problems
from ..models import ApprovalState
from ..web import pagination_links
from . import bp
from .response_forms import (
    ApproveForm,
    CrossOrganisationForm,
    EvidenceFilterForm,
    EvidenceForm,
    PublishedEditForm,
    ResponseForm,
    ReturnForm,
    WithdrawForm,
    starting_ids,
    state_filter_items,
)

FILTER_NAMES = ("area", "action", "theme", "state", "q", "scope")


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
        can_choose_approvers=current_user.has_role(*roles.ADMINISTRATORS),
    )


@bp.route("/responses/new", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_new():
    """Start a response, from nothing or from an area, an action, a theme or contributions
    ticked in the inbox (`?area=`, `?action=`, `?theme=`, `?contribution=`, each repeatable).
    Only a title is needed to save it."""
    form = ResponseForm()
    form.set_choices(publishing.choices())
    sent = starting_ids(request.form if request.method == "POST" else request.args)
    start = publishing.starting_point(
        sent["area"], sent["action"], sent["theme"], sent["contribution"]
    )
    if request.method == "GET":
        form.organisation.data = current_user.organisation_id
        form.status.data = "planned"
        form.areas.data = start.area_ids
        form.actions.data = start.action_ids
    elif form.validate_on_submit():
        fields = form.fields()
        chosen = publishing.EvidenceFilter(
            theme_id=start.theme_id,
            scope_area_ids=fields.area_ids,
            scope_action_ids=fields.action_ids,
        )
        use_all = bool(form.use_all.data) and chosen.scoped
        try:
            response = publishing.create_draft(
                current_user,
                fields,
                contribution_ids=start.contribution_ids,
                add_matching=chosen if use_all else None,
            )
        except Refused as refused:
            _show_error(form, refused)
        else:
            count = publishing.evidence_counts([response.id], public=False).get(response.id, 0)
            if count:
                flash(
                    ngettext(
                        "Draft saved with %(num)d contribution as its evidence.",
                        "Draft saved with %(num)d contributions as its evidence.",
                        count,
                    ),
                    "success",
                )
                return redirect(url_for("manage.response_edit", response_id=response.id))
            flash(_("Draft saved. Now choose the contributions it answers."), "success")
            return redirect(
                url_for(
                    "manage.response_evidence",
                    response_id=response.id,
                    theme=start.theme_id or None,
                )
            )
    # The contributions linked to the areas and actions ticked now, for "use them all".
    linked_now = publishing.EvidenceFilter(
        theme_id=start.theme_id,
        scope_area_ids=[i for i in form.areas.data or [] if i],
        scope_action_ids=[i for i in form.actions.data or [] if i],
    )
    matching = publishing.matching_count(linked_now) if linked_now.scoped else 0
    return render_template(
        "manage/responses/form.html",
        form=form,
        response=None,
        start=start,
        matching=matching,
        can_use_all=matching > 0 and not publishing.needs_confirming(matching),
    )


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
        approve=ApproveForm(formdata=None, version=view.response.version),
        labels=audit.ACTION_LABELS,
        field_changes=publishing.field_changes,
        differences=publishing.proposed_differences(view.response),
    )


def _edit_page(form, response, drafted=False, status=200):
    return (
        render_template(
            "manage/responses/form.html",
            form=form,
            response=response,
            drafted=drafted,
            evidence_count=publishing.evidence_counts([response.id], public=False).get(
                response.id, 0
            ),
        ),
        status,
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
        # "You said" is drafted from the evidence when asked, or when it is still empty.
        if request.args.get("from_evidence") or not (response.you_said or "").strip():
            suggested = publishing.suggested_you_said(response)
            if suggested:
                form.you_said.data = suggested
                drafted = True
    elif form.draft_from_evidence.data:
        # Fill "You said" from the evidence without saving; everything else typed is kept.
        form.you_said.data = publishing.suggested_you_said(response)
        drafted = True
    elif form.validate_on_submit():
        was_awaiting = response.state == ApprovalState.AWAITING_APPROVAL.value
        try:
            changed = publishing.update_draft(current_user, response, form.fields())
        except Refused as refused:
            _show_error(form, refused)
        else:
            if changed and was_awaiting:
                flash(
                    _(
                        "Changes saved. The response has gone back to draft: send it for "
                        "approval again. Someone who did not edit it must approve it."
                    ),
                    "success",
                )
                if form.preview.data:
                    return redirect(url_for("manage.response_preview", response_id=response.id))
                return redirect(url_for("manage.response", response_id=response.id))
            if form.preview.data:
                return redirect(url_for("manage.response_preview", response_id=response.id))
            flash(_("Changes saved."), "success")
            return redirect(url_for("manage.response", response_id=response.id))
    return _edit_page(form, response, drafted)


@bp.get("/responses/<int:response_id>/preview")
@roles_required(*roles.RESPONSE_WRITERS)
def response_preview(response_id: int):
    """The public page as it will look, before it is sent for approval or approved."""
    response = _load(response_id)
    if response.state == ApprovalState.PUBLISHED.value:
        return redirect(url_for("public.response", response_id=response.id))
    return render_template(
        "manage/responses/preview.html",
        found=you_said_we_did.preview(response),
        response=response,
        missing=publishing.missing_for_approval(response),
        confirm=ConfirmForm(),
    )


@bp.route("/responses/<int:response_id>/evidence", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_WRITERS)
def response_evidence(response_id: int):
    response = _load(response_id)
    choices = publishing.choices()
    filters = EvidenceFilterForm(request.args)
    filters.set_choices(choices)
    filters.validate()
    evidence_filter = filters.evidence_filter(publishing.scope_of(response))
    editable = response.state in publishing.EDITABLE_STATES
    form = EvidenceForm()
    kept = {name: value for name, value in request.args.items() if name in FILTER_NAMES}
    if request.method == "POST":
        if not editable:
            flash(_("Evidence can only be changed before a response is published."), "info")
            return redirect(url_for("manage.response", response_id=response.id))
        if form.validate_on_submit():
            try:
                if form.add_all.data:
                    count = publishing.add_all_matching(
                        current_user,
                        response,
                        evidence_filter,
                        confirmed=form.confirm_all.data == "yes",
                    )
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
            return redirect(url_for("manage.response_evidence", response_id=response.id, **kept))
    if request.args.get("confirm_all") and editable:
        # "Add all" above the sensible number: say how many and ask once more.
        return render_template(
            "manage/responses/confirm_all.html",
            response=response,
            form=form,
            count=publishing.matching_count(evidence_filter, response),
            kept=kept,
            format_number=format_number,
        )
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
        evidence_filter=evidence_filter,
        needs_confirming=publishing.needs_confirming,
        answers_in_words=answers_in_words,
        kept=kept,
        widened_args={**kept, "scope": "all"},
        format_number=format_number,
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
            if not any(field for field, _message in refused.problems):
                flash(refused.message, "info")
                return redirect(url_for("manage.response", response_id=response.id))
            # Something is missing: show the response's form with each gap next to its field.
            edit = ResponseForm(formdata=None)
            edit.set_choices(publishing.choices())
            edit.fill_from(response)
            for problem in show_problems(edit, refused):
                flash(problem["text"], "info")
            return _edit_page(edit, response, status=400)
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
    """Approve a response awaiting approval, or a change to a published one. The form carries
    the version the approver was shown: if it changed since, the approval is refused and the
    latest version shown."""
    view = publishing.staff_view(response_id, current_user)
    if view is None:
        abort(404)
    response = view.response
    form = ApproveForm()
    if request.method == "POST" and form.validate_on_submit() and view.can_approve:
        is_change = response.state == ApprovalState.PUBLISHED.value
        try:
            if is_change:
                publishing.approve_change(current_user, response, form.seen_version() or 0)
            else:
                queued = publishing.approve_and_publish(
                    current_user, response, form.seen_version() or 0
                )
        except Refused as refused:
            _show_error(form, refused)
            form.version.data = str(response.version)
            return render_template(
                "manage/responses/approve.html",
                view=view,
                response=response,
                form=form,
                differences=publishing.proposed_differences(response),
            ), 409
        if is_change:
            flash(_("The change is approved and published."), "success")
        else:
            flash(
                ngettext(
                    "Published. %(num)d email about it has been queued.",
                    "Published. %(num)d emails about it have been queued.",
                    queued,
                ),
                "success",
            )
        # The approver sees straight away what the public now sees.
        return redirect(url_for("public.response", response_id=response.id))
    form.version.data = str(response.version)
    return render_template(
        "manage/responses/approve.html",
        view=view,
        response=response,
        form=form,
        differences=publishing.proposed_differences(response),
    )


@bp.route("/responses/approval-settings", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def response_approval_settings():
    """Whether an officer may approve a response for another organisation."""
    form = CrossOrganisationForm(
        data=None
        if request.method == "POST"
        else {"allowed": "yes" if publishing.cross_organisation_approval() else "no"}
    )
    if form.validate_on_submit():
        publishing.set_cross_organisation_approval(current_user, form.allowed.data == "yes")
        flash(_("Who may approve responses has been saved."), "success")
        return redirect(url_for("manage.response_approval_settings"))
    return render_template("manage/responses/approval_settings.html", form=form)


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
        proposed = publishing.proposed_change(response)
        if proposed is not None:  # carry on from the change waiting for approval
            form.fill_from_fields(proposed, response.pending_change.get("what_changed", ""))
    elif form.validate_on_submit():
        try:
            publishing.edit_published(current_user, response, form.fields(), form.what_changed.data)
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(
                _(
                    "Change sent for approval. The published version stays on the public site "
                    "until someone who did not edit it approves the change."
                ),
                "success",
            )
            return redirect(url_for("manage.response", response_id=response.id))
    return render_template("manage/responses/update.html", form=form, response=response)


@bp.route("/responses/<int:response_id>/turn-down", methods=["GET", "POST"])
@roles_required(*roles.RESPONSE_APPROVERS)
def response_turn_down(response_id: int):
    """Turn down a change to a published response, with a reason: the published version stays."""
    response = _load(response_id)
    if not response.pending_change:
        flash(_("There is no change waiting for approval."), "info")
        return redirect(url_for("manage.response", response_id=response.id))
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            publishing.discard_change(current_user, response, form.reason.data)
        except Refused as refused:
            _show_error(form, refused)
        else:
            flash(_("The change has been turned down. The published version stays."), "success")
            return redirect(url_for("manage.response", response_id=response.id))
    return render_template(
        "manage/responses/reason.html",
        response=response,
        form=form,
        heading=_("Turn down the change"),
    )


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
