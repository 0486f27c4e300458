"""Email updates about an area of weakness, a plan action or a consultation: double opt-in,
one-click unsubscribe.

Nobody gets updates until they open the confirmation link sent to the address, so nobody can
sign somebody else up. The public pages never say whether an address is already subscribed.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Action, Area, Consultation, Subscription
from ...models.base import utcnow
from ..shared.errors import Refused
from . import outbox
from .language import unsubscribe_headers

CONFIRMATION_VALID_DAYS = 7
# "As it happens" (an email with each update) or "weekly" (one summary a week; updates.py).
FREQUENCIES = ("immediate", "weekly")
# What people can choose on /subscribe. Consultation subscribers hear when its outcome is published.
OFFERED_TARGETS = ("area", "action", "consultation")
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Option:
    id: int
    key: str  # the area number, action reference or consultation slug, as used in links (?area=3)
    label: str


@dataclass
class Options:
    """What can be subscribed to, for the form."""

    areas: list[Option]
    actions: list[Option]
    consultations: list[Option] = field(default_factory=list)

    def area_id_for(self, number: str | None) -> int | None:
        return next((o.id for o in self.areas if number and o.key == number.strip()), None)

    def action_id_for(self, reference: str | None) -> int | None:
        wanted = (reference or "").strip().upper()
        return next((o.id for o in self.actions if wanted and o.key.upper() == wanted), None)

    def consultation_id_for(self, slug: str | None) -> int | None:
        wanted = (slug or "").strip().lower()
        return next((o.id for o in self.consultations if wanted and o.key == wanted), None)

    def ids(self, target_type: str) -> set[int]:
        chosen = {"area": self.areas, "action": self.actions, "consultation": self.consultations}
        return {o.id for o in chosen.get(target_type, [])}


@dataclass
class SubscriptionPage:
    """A subscription and the words that describe what it is about."""

    subscription: Subscription
    target: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _area_label(number: int, title: str) -> str:
    return _("Area %(number)d: %(title)s", number=number, title=title)


def _action_label(reference: str, title: str) -> str:
    return _("%(reference)s: %(title)s", reference=reference, title=title)


def _consultation_label(title: str) -> str:
    return _("Consultation: %(title)s", title=title)


def subscription_options() -> Options:
    """Every area and action in plan order, and every published consultation whose outcome is
    still to come (three queries, whatever the plan's size)."""
    areas = db.session.execute(select(Area.id, Area.number, Area.title).order_by(Area.number)).all()
    actions = db.session.execute(
        select(Action.id, Action.reference, Action.title).order_by(Action.reference)
    ).all()
    consultations = db.session.execute(
        select(Consultation.id, Consultation.slug, Consultation.title)
        .where(Consultation.published.is_(True), Consultation.outcome_published_at.is_(None))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    ).all()
    return Options(
        areas=[
            Option(row.id, str(row.number), _area_label(row.number, row.title)) for row in areas
        ],
        actions=[
            Option(row.id, row.reference, _action_label(row.reference, row.title))
            for row in actions
        ],
        consultations=[
            Option(row.id, row.slug, _consultation_label(row.title)) for row in consultations
        ],
    )


def describe_target(target_type: str, target_id: int) -> str:
    """ "Area 3: …" or "APP-3.2: …", for pages and emails."""
    if target_type == "area":
        row = db.session.execute(
            select(Area.number, Area.title).where(Area.id == target_id)
        ).first()
        if row:
            return _area_label(row.number, row.title)
    elif target_type == "action":
        row = db.session.execute(
            select(Action.reference, Action.title).where(Action.id == target_id)
        ).first()
        if row:
            return _action_label(row.reference, row.title)
    elif target_type == "consultation":
        title = db.session.scalar(select(Consultation.title).where(Consultation.id == target_id))
        if title:
            return _consultation_label(title)
    return _("something that is no longer in the plan")


def _target_exists(target_type: str, target_id: int) -> bool:
    model = {"area": Area, "action": Action, "consultation": Consultation}.get(target_type)
    if model is None:
        return False
    query = select(func.count()).select_from(model).where(model.id == target_id)
    if model is Consultation:
        query = query.where(Consultation.published.is_(True))
    return db.session.scalar(query) == 1


def request_subscription(
    email: str,
    target_type: str,
    target_id: int,
    frequency: str = "immediate",
    language: str | None = None,
) -> Subscription:
    """Ask for updates about an area, action or consultation, as they happen or in a weekly
    summary, in the language of the page asked on; the caller always shows "Check your email".

    - New address for this topic: a subscription is created, unconfirmed, and a confirmation
      email with a one-use link (valid for 7 days) is queued in the same transaction.
    - Already asked but not confirmed (or unsubscribed since): the same row is reused with a
      fresh link and a fresh 7 days; older links stop working.
    - Already subscribed and confirmed: a short "you are already subscribed" email is queued,
      with the link to their subscription's page, so the person learns what happened without
      the page saying so; how often is changed there, never by someone who only knows the
      address.

    Raises Refused for a topic that cannot be subscribed to.
    """
    if frequency not in FREQUENCIES:
        raise Refused(_("Choose how often you want emails"), field="frequency")
    email = normalise_email(email)
    if target_type not in OFFERED_TARGETS or not _target_exists(target_type, target_id):
        raise Refused(_("Choose what you want email updates about"), field="target_type")
    target = describe_target(target_type, target_id)
    subscription = db.session.scalar(
        select(Subscription).where(
            Subscription.email == email,
            Subscription.target_type == target_type,
            Subscription.target_id == target_id,
        )
    )
    if subscription is not None and subscription.active:
        _send_already_subscribed(subscription, target)
        db.session.commit()
        return subscription

    token = secrets.token_urlsafe(32)
    if subscription is None:
        subscription = Subscription(
            email=email,
            target_type=target_type,
            target_id=target_id,
            unsubscribe_token=secrets.token_urlsafe(32),
        )
        db.session.add(subscription)
    subscription.confirm_token_hash = _hash(token)
    subscription.frequency = frequency
    subscription.language = (language or "")[:10] or None
    subscription.created_at = utcnow()  # the 7 days start again with the new link
    _send_confirmation(subscription, target, token)
    try:
        db.session.commit()
    except IntegrityError:
        # The same address asked for the same topic at the same moment in another request;
        # that request created the subscription and sent the email.
        db.session.rollback()
        existing = db.session.scalar(
            select(Subscription).where(
                Subscription.email == email,
                Subscription.target_type == target_type,
                Subscription.target_id == target_id,
            )
        )
        if existing is None:
            raise
        return existing
    return subscription


def _send_confirmation(subscription: Subscription, target: str, token: str) -> None:
    service = current_app.config["SERVICE_NAME"]
    link = url_for("public.subscribe_confirm", token=token, _external=True)
    body = _(
        "You asked for email updates from %(service)s about:\n%(target)s\n\n"
        "Confirm that you want these emails by opening this link:\n%(link)s\n\n"
        "The link works once and expires in %(days)d days.\n\n"
        "If you did not ask for this, you do not need to do anything: you will not get any "
        "emails unless the link is opened.\n",
        service=service,
        target=target,
        link=link,
        days=CONFIRMATION_VALID_DAYS,
    )
    outbox.enqueue(
        "subscription_confirm",
        subscription.email,
        _("Confirm your email updates from %(service)s", service=service),
        body,
    )


def _send_already_subscribed(subscription: Subscription, target: str) -> None:
    service = current_app.config["SERVICE_NAME"]
    unsubscribe = url_for(
        "public.unsubscribe", token=subscription.unsubscribe_token, _external=True
    )
    body = _(
        "Someone, probably you, asked for email updates from %(service)s about:\n%(target)s\n\n"
        "This email address is already subscribed, so you do not need to do anything.\n\n"
        "To choose how often you get these emails, open this link:\n%(settings)s\n\n"
        "To stop these emails, open this link:\n%(unsubscribe)s\n",
        service=service,
        target=target,
        settings=url_for(
            "public.subscription_settings", token=subscription.unsubscribe_token, _external=True
        ),
        unsubscribe=unsubscribe,
    )
    outbox.enqueue(
        "subscription_exists",
        subscription.email,
        _("You are already subscribed to %(service)s updates", service=service),
        body,
        headers=unsubscribe_headers(unsubscribe),
    )


def _plausible(token: str | None) -> bool:
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH


def confirm(token: str) -> SubscriptionPage | None:
    """Confirm with the emailed link. None if the link is unknown, already used or expired."""
    if not _plausible(token):
        return None
    subscription = db.session.scalar(
        select(Subscription).where(Subscription.confirm_token_hash == _hash(token))
    )
    if subscription is None:
        return None
    if subscription.created_at < utcnow() - timedelta(days=CONFIRMATION_VALID_DAYS):
        return None
    subscription.confirm_token_hash = None  # one use only
    subscription.confirmed_at = utcnow()
    subscription.unsubscribed_at = None
    db.session.commit()
    return SubscriptionPage(
        subscription, describe_target(subscription.target_type, subscription.target_id)
    )


def by_unsubscribe_token(token: str) -> SubscriptionPage | None:
    if not _plausible(token):
        return None
    subscription = db.session.scalar(
        select(Subscription).where(Subscription.unsubscribe_token == token)
    )
    if subscription is None:
        return None
    return SubscriptionPage(
        subscription, describe_target(subscription.target_type, subscription.target_id)
    )


def unsubscribe(token: str) -> SubscriptionPage | None:
    """Stop the emails. Doing it twice is harmless. None if the token is unknown."""
    found = by_unsubscribe_token(token)
    if found is None:
        return None
    subscription = found.subscription
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = utcnow()
    subscription.confirm_token_hash = None  # an old confirmation link must not undo this
    db.session.commit()
    return found


def change_frequency(token: str, frequency: str) -> SubscriptionPage | None:
    """From the subscription's own page: "immediate" or "weekly". Updates already waiting for a
    summary still go in the next one. None if the token is unknown; Refused for anything else
    or for a subscription that has been stopped."""
    found = by_unsubscribe_token(token)
    if found is None:
        return None
    if frequency not in FREQUENCIES:
        raise Refused(_("Choose how often you want emails"), field="frequency")
    if found.subscription.unsubscribed_at is not None:
        raise Refused(_("You have unsubscribed from these emails. Ask for them again first."))
    found.subscription.frequency = frequency
    db.session.commit()
    return found
