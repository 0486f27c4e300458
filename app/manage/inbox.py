"""The contributions inbox: every piece of input, filtered, searched, coded and quoted."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.shared.dates import DATE_PARTS
from ..domain.shared.errors import Refused
from ..domain.thread import cases, contributions, feedback, inbox
from ..forms import action_choices, area_choices, show_problems
from ..models import Channel, ContributionSource, ContributionState, Sentiment
from . import bp
from .inbox_forms import (
    BulkCodingForm,
    ContributionCodingForm,
    InboxFilterForm,
    QuoteForm,
    SelectionForm,
)

FILTER_KEYS = InboxFilterForm.FIELDS + tuple(
    f"{name}-{part}" for name in ("date_from", "date_to") for part in DATE_PARTS
)


def _filter_args() -> dict:
    """The filters in the current URL, carried into paging links and the coding form."""
    return {key: request.args[key][:200] for key in FILTER_KEYS if request.args.get(key)}


def _short_label(labeller, record, length: int = 36) -> str:
    """ "Area 5: Joint commissioning of…" for a tag in a busy table; the full name is in the
    coding form."""
    label = labeller([record])[0][1]
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _topic_label(contribution, choices) -> str:
    """What the person said it was about, in words: a "Tell us" topic by its label (the domain's
    rule), a topic naming an area by the area's name as the coding choices show it, anything else
    (a survey's or consultation's title) as it is."""
    topic = contribution.topic or ""
    named = {
        f"area-{area.number}": label
        for area, (_id, label) in zip(choices.areas, area_choices(choices.areas), strict=True)
    }
    return named.get(topic) or feedback.topic_label(topic)


def _can_code() -> bool:
    return current_user.has_role(*roles.CODERS)


def _render_inbox(coding_form: BulkCodingForm | None, choices, selected=()):
    filter_form = InboxFilterForm(choices, formdata=request.args)
    filter_form.validate()
    can_start_response = current_user.has_role(*roles.RESPONSE_WRITERS)
    selection_form = coding_form or (SelectionForm(formdata=None) if can_start_response else None)
    after = request.args.get("after")
    result = None
    if not filter_form.errors:
        result = inbox.search(filter_form.filters, after=after)
    args = _filter_args()
    return render_template(
        "manage/inbox/index.html",
        form=filter_form,
        coding_form=coding_form,
        result=result,
        urgent=result.urgent_new if result is not None else inbox.urgent_unchecked(),
        selected=set(selected),
        filtered=bool(args),
        next_url=url_for("manage.inbox", after=result.next_cursor, **args)
        if result and result.next_cursor
        else None,
        first_url=url_for("manage.inbox", **args) if inbox.decode_cursor(after) else None,
        code_url=url_for("manage.inbox_code", **args, **({"after": after} if after else {})),
        start_response_url=url_for(
            "manage.inbox_start_response", **args, **({"after": after} if after else {})
        ),
        selection_form=selection_form,
        can_start_response=can_start_response,
        can_enter_feedback=current_user.has_role(*roles.FEEDBACK_TAKERS),
        choices=choices,
        showing_state=(
            ContributionState(filter_form.filters.state).label
            if not filter_form.errors and filter_form.filters.state
            else None
        ),
        # Labels worked out once per page rather than once per row.
        area_tags={area.id: _short_label(area_choices, area) for area in choices.areas},
        action_tags={action.id: _short_label(action_choices, action) for action in choices.actions},
        source_labels=dict(ContributionSource.choices()),
        channel_labels=dict(Channel.choices()),
        state_labels=dict(ContributionState.choices()),
    )


@bp.get("/inbox", endpoint="inbox")
@roles_required(*roles.STAFF)
def inbox_index():
    choices = inbox.coding_choices()
    coding_form = BulkCodingForm(choices, formdata=None) if _can_code() else None
    return _render_inbox(coding_form, choices)


@bp.post("/inbox/start-response")
@roles_required(*roles.RESPONSE_WRITERS)
def inbox_start_response():
    """The ticked rows become the evidence of a new "You said, we did" draft."""
    form = SelectionForm()
    if form.validate_on_submit():
        return redirect(url_for("manage.response_new", contribution=form.contribution_ids.data))
    if form.errors.get("contribution_ids"):
        flash(_("Select the contributions to start a response from."), "info")
    after = request.args.get("after")
    return redirect(
        url_for("manage.inbox", **_filter_args(), **({"after": after} if after else {}))
    )


@bp.post("/inbox/code")
@roles_required(*roles.CODERS)
def inbox_code():
    choices = inbox.coding_choices()
    form = BulkCodingForm(choices)
    if form.validate_on_submit():
        count = contributions.code_contributions(
            current_user._get_current_object(), form.contribution_ids.data, form.coding
        )
        if count:
            flash(
                ngettext("%(num)d contribution coded.", "%(num)d contributions coded.", count),
                "success",
            )
        else:
            flash(
                _("None of the selected contributions exist any more, so nothing was changed."),
                "info",
            )
        after = request.args.get("after")
        return redirect(
            url_for("manage.inbox", **_filter_args(), **({"after": after} if after else {}))
        )
    return _render_inbox(form, choices, selected=form.contribution_ids.data or ())


def _contribution_or_404(contribution_id: int):
    contribution = inbox.contribution_for_staff(contribution_id)
    if contribution is None:
        abort(404)
    return contribution


def _render_contribution(contribution, choices, coding_form=None, quote_form=None):
    can_code = _can_code()
    starting = None
    if can_code:
        if coding_form is None:
            starting = inbox.starting_codes(contribution)
            coding_form = ContributionCodingForm(
                choices, contribution, formdata=None, starting=starting
            )
        quote_form = quote_form or QuoteForm(
            formdata=None, data={"quote": contributions.proposed_quote(contribution)}
        )
    errors = (coding_form is not None and coding_form.errors) or (
        quote_form is not None and quote_form.errors
    )
    return render_template(
        "manage/inbox/contribution.html",
        contribution=contribution,
        coding_form=coding_form,
        quote_form=quote_form,
        form=(coding_form if coding_form is not None and coding_form.errors else quote_form)
        if errors
        else None,
        can_code=can_code,
        choices=choices,
        starting=starting,
        topic_label=_topic_label(contribution, choices),
        show_contact=can_code,
        quote_refusal=contributions.quote_refusal(contribution),
        coded_by=inbox.coded_by(contribution),
        quote_approver=inbox.quote_approver(contribution),
        case=cases.case_for_contribution(contribution.id),
        sentiment_label=Sentiment(contribution.sentiment).label if contribution.sentiment else "",
    )


@bp.get("/inbox/<int:contribution_id>")
@roles_required(*roles.STAFF)
def contribution(contribution_id: int):
    found = _contribution_or_404(contribution_id)
    return _render_contribution(found, inbox.coding_choices())


@bp.post("/inbox/<int:contribution_id>/code")
@roles_required(*roles.CODERS)
def contribution_code(contribution_id: int):
    found = _contribution_or_404(contribution_id)
    choices = inbox.coding_choices()
    form = ContributionCodingForm(choices, found)
    if form.validate_on_submit():
        coding = form.coding
        # "Individual case" goes through the hand-off page, which asks which team takes it.
        hand_over = (
            coding.state == ContributionState.INDIVIDUAL_CASE.value
            and cases.case_for_contribution(found.id) is None
        )
        if hand_over:
            coding.state = None
        contributions.code_contributions(current_user._get_current_object(), [found.id], coding)
        if hand_over:
            return redirect(url_for("manage.contribution_hand_off", contribution_id=found.id))
        if not form.save_and_next.data:
            flash(_("Coding saved for %(reference)s.", reference=found.reference), "success")
            return redirect(url_for("manage.contribution", contribution_id=found.id))
        following = inbox.next_uncoded(found)
        if following is None:
            flash(
                _(
                    "Coding saved for %(reference)s. There are no more new contributions to code.",
                    reference=found.reference,
                ),
                "success",
            )
            return redirect(url_for("manage.inbox"))
        flash(
            _(
                "Coding saved for %(reference)s. This is the next new contribution.",
                reference=found.reference,
            ),
            "success",
        )
        return redirect(url_for("manage.contribution", contribution_id=following.id))
    return _render_contribution(found, choices, coding_form=form)


@bp.post("/inbox/<int:contribution_id>/quote")
@roles_required(*roles.CODERS)
def contribution_quote(contribution_id: int):
    found = _contribution_or_404(contribution_id)
    form = QuoteForm()
    if form.validate_on_submit():
        try:
            contributions.approve_quote(
                current_user._get_current_object(), found, form.quote.data.strip()
            )
        except Refused as refused:
            show_problems(form, refused)
        else:
            flash(_("Quote approved. Only the approved version can be shown publicly."), "success")
            return redirect(url_for("manage.contribution", contribution_id=found.id))
    return _render_contribution(found, inbox.coding_choices(), quote_form=form)
