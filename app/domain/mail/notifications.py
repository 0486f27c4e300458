"""Who hears about what: emails are queued in the outbox inside the transaction that causes them.

Endpoints these emails link to (kept stable): public.response (/you-said-we-did/<id>),
public.unsubscribe (/subscribe/unsubscribe/<token>), public.track (/track).
"""

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ...extensions import db
from ...models import (
    Comment,
    Contact,
    Contribution,
    Subscription,
    YouSaidWeDid,
    response_contributions,
)
from . import outbox
from .language import reader_language as _language
from .language import unsubscribe_headers
from .updates import (
    footer,
    subscription_language,
    tell_subscribers,
    unsubscribe_link,
)


def _active_subscribers(*conditions) -> dict[str, Subscription]:
    """Confirmed, not unsubscribed subscriptions that match, one per address (lower-cased): the
    earliest."""
    by_email: dict[str, Subscription] = {}
    for subscription in db.session.scalars(
        select(Subscription)
        .where(
            *conditions,
            Subscription.confirmed_at.is_not(None),
            Subscription.unsubscribed_at.is_(None),
        )
        .order_by(Subscription.id)
    ):
        by_email.setdefault(subscription.email.strip().lower(), subscription)
    return by_email


def _subscribers_for(response: YouSaidWeDid) -> dict[str, Subscription]:
    """Active subscribers of the response's areas and actions, one per address (lower-cased)."""
    targets = [("area", a.id) for a in response.areas] + [
        ("action", a.id) for a in response.actions
    ]
    if not targets:
        return {}
    conditions = [
        (Subscription.target_type == kind) & (Subscription.target_id == target_id)
        for kind, target_id in targets
    ]
    # one email per person, however many of their topics the response touches
    return _active_subscribers(or_(*conditions))


def _contributors_for(response: YouSaidWeDid) -> list[tuple[Contact, Contribution]]:
    """Contributors whose input is evidence for the response and who asked to hear back, one per
    address."""
    rows = db.session.execute(
        select(Contact, Contribution)
        .join(Contribution, Contribution.contact_id == Contact.id)
        .join(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .where(response_contributions.c.response_id == response.id, Contact.wants_updates.is_(True))
        .order_by(Contribution.id)
    ).all()
    seen, result = set(), []
    for contact, contribution in rows:
        address = (contact.email or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append((contact, contribution))
    return result


def response_published(response: YouSaidWeDid) -> int:
    """Tell each subscriber of the response's areas and actions (and of its actions' areas),
    now or in their weekly summary, and email each contributor who left an email and asked to
    hear back — survey answers and consultation comments as well as feedback. Returns how many
    people were told.

    Everyone gets one email at most. A contributor who is also a subscriber gets the
    contributor email (in their contribution's language) with the unsubscribe link and the
    List-Unsubscribe headers added, since it is also a subscriber email.
    """
    service = current_app.config["SERVICE_NAME"]
    link = url_for("public.response", response_id=response.id, _external=True)
    track = url_for("public.track", _external=True)
    subscribers = _subscribers_for(response)
    queued = 0
    contributor_emails = set()
    for contact, contribution in _contributors_for(response):
        address = contact.email.strip().lower()
        contributor_emails.add(address)
        subscription = subscribers.get(address)
        unsubscribe = (
            url_for("public.unsubscribe", token=subscription.unsubscribe_token, _external=True)
            if subscription
            else None
        )
        with force_locale(_language(contribution.language)):
            body = _(
                "Thank you for telling us what you think. What you said (reference %(reference)s) "
                "helped shape a published response:\n\n%(title)s\n\nRead what was "
                "done:\n%(link)s\n\n"
                "You can follow your feedback at %(track)s with your reference.\n",
                reference=contribution.reference,
                title=response.title,
                link=link,
                track=track,
            )
            if unsubscribe:
                body += "\n" + footer(subscription)
            subject = _("%(service)s: what we did with what you told us", service=service)
        outbox.enqueue(
            "contributor_update",
            contact.email,
            subject,
            body,
            headers=unsubscribe_headers(unsubscribe) if unsubscribe else None,
        )
        queued += 1
    # Subscribers (as it happens, or in their weekly summary) through the one mechanism every
    # update uses; those just emailed as contributors are not told twice.
    queued += tell_subscribers(
        "response_published",
        response.id,
        area_ids=[a.id for a in response.areas],
        action_ids=[a.id for a in response.actions],
        skip_emails=contributor_emails,
    )
    return queued


def _commenters_for(consultation) -> list[tuple[Contact, Contribution]]:
    """People who commented on the consultation and left an email to hear what happened, one
    per address (their first comment)."""
    rows = db.session.execute(
        select(Contact, Contribution)
        .join(Contribution, Contribution.contact_id == Contact.id)
        .join(Comment, Comment.contribution_id == Contribution.id)
        .where(Comment.consultation_id == consultation.id, Contact.wants_updates.is_(True))
        .order_by(Contribution.id)
    ).all()
    seen, result = set(), []
    for contact, contribution in rows:
        address = (contact.email or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append((contact, contribution))
    return result


def consultation_outcome_published(consultation) -> int:
    """Queue one email to each confirmed subscriber of the consultation, and to each person who
    commented and left an email to hear what happened, saying its outcome ("What we heard") is
    published: once per person, however many comments they left. Returns how many were queued.

    Call it only in the transaction that first publishes the outcome: later edits keep it
    published and must not email anyone again. Commenters hear in their comment's language;
    subscribers in the language they subscribed in. A commenter who is also a subscriber gets
    the commenter email with the unsubscribe link and headers added.
    """
    service = current_app.config["SERVICE_NAME"]
    link = url_for("public.consultation", slug=consultation.slug, _external=True) + "#outcome"
    by_email = _active_subscribers(
        Subscription.target_type == "consultation", Subscription.target_id == consultation.id
    )
    queued = 0
    commenters = set()
    for contact, contribution in _commenters_for(consultation):
        address = contact.email.strip().lower()
        commenters.add(address)
        subscription = by_email.get(address)
        with force_locale(_language(contribution.language)):
            body = _(
                'Thank you for commenting on the consultation "%(title)s" (reference '
                "%(reference)s). We have published what we heard and what happens next:\n\n"
                "%(link)s\n",
                title=consultation.title,
                reference=contribution.reference,
                link=link,
            )
            if subscription is not None:
                body += "\n" + footer(subscription)
            subject = _(
                "%(service)s: what we heard about %(title)s",
                service=service,
                title=consultation.title,
            )
        outbox.enqueue(
            "commenter_update",
            contact.email,
            subject,
            body,
            headers=unsubscribe_headers(unsubscribe_link(subscription)) if subscription else None,
        )
        queued += 1
    for address, subscription in by_email.items():
        if address in commenters:
            continue
        with force_locale(subscription_language(subscription)):
            subject = _(
                "%(service)s: what we heard about %(title)s",
                service=service,
                title=consultation.title,
            )
            body = (
                _(
                    'The outcome of the consultation "%(title)s" has been published: what we heard '
                    "and what "
                    "happens next.\n\n%(link)s\n",
                    title=consultation.title,
                    link=link,
                )
                + "\n"
                + footer(subscription)
            )
        outbox.enqueue(
            "consultation_outcome",
            subscription.email,
            subject,
            body,
            headers=unsubscribe_headers(unsubscribe_link(subscription)),
        )
        queued += 1
    return queued


def _track_link(reference: str) -> str:
    """The full /track link for an email; without a request or SERVER_NAME (coding run from a
    script) the path alone, since no address is known to put in front of it."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("public.track", reference=reference, _external=True)
    with current_app.test_request_context():
        return url_for("public.track", reference=reference)


def feedback_read(contribution: Contribution) -> bool:
    """The reply promised on the "Tell us" confirmation: once a coordinator has read a piece of
    feedback and linked it to the plan, the person who left an email hears so, with what it was
    linked to. Queued in the coding transaction; True when an email was queued."""
    contact = contribution.contact
    if contact is None or not contact.wants_updates or contribution.safeguarding:
        return False
    with force_locale(_language(contribution.language)):
        linked = [
            _("Area %(number)d: %(title)s", number=area.number, title=area.title)
            for area in contribution.areas
        ] + [
            _("Action %(reference)s: %(title)s", reference=action.reference, title=action.title)
            for action in contribution.actions
        ]
        body = _(
            "Thank you for telling us what you think. A coordinator has read your feedback "
            "(reference %(reference)s) and linked it to the improvement plan:\n\n%(linked)s\n\n"
            "When a published response uses it, we will email you again. You can follow your "
            "feedback at %(track)s with your reference.\n",
            reference=contribution.reference,
            linked="\n".join(f"- {line}" for line in linked) or "-",
            track=_track_link(contribution.reference),
        )
        subject = _(
            "%(service)s: we have read your feedback", service=current_app.config["SERVICE_NAME"]
        )
    outbox.enqueue("feedback_read", contact.email, subject, body)
    return True
