""" "Tell us": a one-page feedback form and its confirmation."""

import logging
from datetime import date

from flask import current_app, redirect, render_template, request, session, url_for

from ..domain.shared.dates import reply_due
from ..domain.shared.errors import Refused
from ..domain.thread import feedback as feedback_domain
from ..domain.thread.references import new_reference
from ..extensions import limiter
from ..forms import show_problems
from ..i18n import current_language
from ..models.base import utcnow
from ..web import private_page, young_person_args, young_person_mode
from . import bp
from .feedback_forms import FeedbackForm

log = logging.getLogger(__name__)

CONFIRMATION_KEY = "feedback_confirmation"


def _feedback_limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _sent(response) -> bool:
    """Only feedback that was sent counts towards the limit, not a form returned with errors."""
    return response.status_code == 302


@bp.route("/feedback", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"], deduct_when=_sent)
def feedback():
    young_person = young_person_mode()
    form = FeedbackForm(young_person=young_person)
    if request.method == "POST" and form.validate_on_submit():
        if form.looks_automated():
            # Robots see the usual confirmation, so they learn nothing; nothing is stored.
            log.info("Feedback treated as automated and not stored")
            session[CONFIRMATION_KEY] = {
                "reference": new_reference(),
                "urgent": False,
                "reply_by": reply_due(utcnow()).isoformat(),
                "email_given": bool(form.email.data),
                "young_person": young_person,
            }
            return redirect(
                url_for("public.feedback_confirmation", **young_person_args(young_person))
            )
        try:
            contribution = feedback_domain.submit_feedback(
                topic=form.topic.data,
                text=form.text.data,
                language=current_language(),
                rating=form.rating_value,
                about_you=form.about_you_answers,
                contact_email=form.email.data or None,
                consent_to_quote=form.consent_to_quote.data == "yes",
            )
        except Refused as refused:
            show_problems(form, refused)
        else:
            session[CONFIRMATION_KEY] = {
                "reference": contribution.reference,
                "urgent": contribution.safeguarding,
                "reply_by": reply_due(contribution.created_at).isoformat(),
                "email_given": bool(form.email.data),
                "young_person": young_person,
            }
            return redirect(
                url_for("public.feedback_confirmation", **young_person_args(young_person))
            )
    form.start_clock()
    return render_template(
        "public/feedback/form.html",
        form=form,
        young_person=young_person,
        switch_url=url_for("public.feedback", **young_person_args(not young_person)),
        max_text_length=feedback_domain.MAX_TEXT_LENGTH,
        retention_days=current_app.config["CONTACT_RETENTION_DAYS"],
    )


@bp.get("/feedback/confirmation")
def feedback_confirmation():
    sent = session.get(CONFIRMATION_KEY)
    if not isinstance(sent, dict) or not sent.get("reference"):
        return redirect(url_for("public.feedback"))
    try:
        reply_by = date.fromisoformat(sent.get("reply_by") or "")
    except ValueError:
        reply_by = None
    return private_page(
        "public/feedback/confirmation.html",
        reference=sent["reference"],
        urgent=bool(sent.get("urgent")),
        reply_by=reply_by,
        email_given=bool(sent.get("email_given")),
        young_person=bool(sent.get("young_person")) or young_person_mode(),
        working_days=current_app.config["REPLY_WORKING_DAYS"],
    )
