"""Staff typing in "Tell us" feedback that reached them by phone, email, letter, in person or at
an event: the public form's questions and rules (`feedback.submit_feedback`, with a
`StaffEntry`), then the reference to read back or write back."""

from datetime import date

from flask import current_app, redirect, render_template, session, url_for
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import roles
from ..domain.shared.dates import reply_due
from ..domain.thread import feedback as feedback_domain
from ..forms import submit
from . import bp
from .feedback_entry_forms import CHANNEL_CHOICES, FeedbackEntryForm

ENTERED_KEY = "feedback_entered"


def spoken_reference(reference: str) -> str:
    """A reference as it is read out on the phone, one character at a time: "7 K M 3, 9 P Q R"."""
    return ", ".join(" ".join(part) for part in reference.split("-"))


@bp.route("/feedback/new", methods=["GET", "POST"], endpoint="feedback_entry")
@roles_required(*roles.FEEDBACK_TAKERS)
def feedback_entry():
    form = FeedbackEntryForm(events=feedback_domain.events_to_name())
    user = current_user._get_current_object()

    def entry() -> feedback_domain.StaffEntry:
        return feedback_domain.StaffEntry(
            entered_by=user,
            channel=form.channel.data or "",
            received_on=form.received_on.data,
            agreed_to_record=bool(form.agreed_to_record.data),
            event_id=form.event_id,
        )

    def check():
        """What else is wrong, for the fields whose own checks passed."""
        problems = feedback_domain.entry_problems(entry())
        problems.items = [
            (name, message)
            for name, message in problems.items
            if not (name in form._fields and form._fields[name].errors)
        ]
        problems.raise_if_any()

    def save():
        return feedback_domain.submit_feedback(
            topic=form.topic.data,
            text=form.text.data,
            language=form.language.data or "en",
            rating=form.rating_value,
            about_you=form.about_you_answers,
            contact_email=form.contact_email,
            contact_name=(form.contact_name.data or "") if form.contact_email else "",
            consent_to_quote=form.consent_to_quote.data == "yes",
            entry=entry(),
            # One piece of feedback per form shown, whoever presses the button twice.
            submission_key=form.submission_key("feedback-entry", user.id),
        )

    contribution = submit(form, check, save)
    if contribution is not None:
        received_on = contribution.entry.received_on
        session[ENTERED_KEY] = {
            "reference": contribution.reference,
            "channel": contribution.channel,
            "urgent": contribution.safeguarding,
            "received_on": received_on.isoformat(),
            "reply_by": reply_due(received_on).isoformat(),
            "email_given": contribution.contact is not None,
        }
        return redirect(url_for("manage.feedback_entered"))
    return render_template(
        "manage/feedback/new.html",
        form=form,
        max_text_length=feedback_domain.MAX_TEXT_LENGTH,
        retention_days=current_app.config["CONTACT_RETENTION_DAYS"],
    )


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return None


@bp.get("/feedback/entered", endpoint="feedback_entered")
@roles_required(*roles.FEEDBACK_TAKERS)
def feedback_entered():
    entered = session.get(ENTERED_KEY)
    if not isinstance(entered, dict) or not entered.get("reference"):
        return redirect(url_for("manage.feedback_entry"))
    return render_template(
        "manage/feedback/entered.html",
        reference=entered["reference"],
        spoken=spoken_reference(entered["reference"]),
        channel=entered.get("channel"),
        channel_label=dict(CHANNEL_CHOICES).get(entered.get("channel"), ""),
        urgent=bool(entered.get("urgent")),
        received_on=_day(entered.get("received_on")),
        reply_by=_day(entered.get("reply_by")),
        email_given=bool(entered.get("email_given")),
        working_days=current_app.config["REPLY_WORKING_DAYS"],
    )
