"""Updates that reach subscribers of an area or an action.

What they hear about (`UPDATE_KINDS`): a progress update or change of status of an action; a
"You said, we did" response about it published; a survey, consultation or event about it
opening. An area's subscribers hear about its actions too. One email per person per update,
however many of their subscriptions it touches.

Each subscription says how often: "immediate" subscribers are emailed through the outbox in the
transaction of the change; "weekly" subscribers get a `PendingUpdate` row, and `send_digests`
sends one summary per subscriber per ISO week (Europe/London) — the unique constraint on
(subscription, week) makes a second summary in a week impossible, however often or however
concurrently the command runs — and nothing when nothing new is waiting.

Nothing is said about a thing that is not public when the email is written: an update recorded
for a weekly summary is checked again when the summary is written, and left out (and dropped)
when what it is about was withdrawn, unpublished or cancelled since.

Every email is in the language the subscriber subscribed in, links to the subscription's own
page (how often, or unsubscribe) and carries the List-Unsubscribe headers.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import (
    ActionUpdate,
    Announcement,
    Consultation,
    Digest,
    Event,
    PendingUpdate,
    Subscription,
    Survey,
    YouSaidWeDid,
    action_areas,
)
from ...models.base import utcnow
from ...models.plan import ActionStatus
from ..shared.dates import local_day
from . import outbox
from .language import reader_language as _language
from .language import unsubscribe_headers

IMMEDIATE = "immediate"
WEEKLY = "weekly"


@dataclass(frozen=True)
class Update:
    """One update, worded for an email: a line saying what happened, and the public link."""

    line: str
    link: str


def link_to(endpoint: str, **values) -> str:
    """A full address for an email. Outside a request (the scheduled commands, a script) the
    address comes from SERVER_NAME, or else SITE_URL."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("SITE_URL") or "http://localhost"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def settings_link(subscription: Subscription) -> str:
    """The subscription's own page: how often, or unsubscribe (the token is its key)."""
    return link_to("public.subscription_settings", token=subscription.unsubscribe_token)


def unsubscribe_link(subscription: Subscription) -> str:
    return link_to("public.unsubscribe", token=subscription.unsubscribe_token)


def footer(subscription: Subscription) -> str:
    """Said at the end of every subscriber email, in the current locale."""
    return _(
        "You get this email because you subscribed to updates. To choose between an email as "
        "things happen and a weekly summary, or to stop these emails, open this link:\n"
        "%(settings)s\n\nTo stop them at once:\n%(unsubscribe)s\n",
        settings=settings_link(subscription),
        unsubscribe=unsubscribe_link(subscription),
    )


def subscription_language(subscription: Subscription) -> str:
    return _language(subscription.language)


# --- who -------------------------------------------------------------------------------------


def subscribers_of(area_ids=(), action_ids=()) -> dict[str, Subscription]:
    """Confirmed, not unsubscribed subscribers of these areas or actions — or of an area one of
    these actions belongs to — one per address (the earliest subscription)."""
    area_ids = set(area_ids)
    action_ids = set(action_ids)
    if action_ids:
        area_ids |= set(
            db.session.scalars(
                select(action_areas.c.area_id).where(action_areas.c.action_id.in_(action_ids))
            )
        )
    conditions = []
    if area_ids:
        conditions.append(
            and_(Subscription.target_type == "area", Subscription.target_id.in_(area_ids))
        )
    if action_ids:
        conditions.append(
            and_(Subscription.target_type == "action", Subscription.target_id.in_(action_ids))
        )
    if not conditions:
        return {}
    by_email: dict[str, Subscription] = {}
    for subscription in db.session.scalars(
        select(Subscription)
        .where(
            or_(*conditions),
            Subscription.confirmed_at.is_not(None),
            Subscription.unsubscribed_at.is_(None),
        )
        .order_by(Subscription.id)
    ):
        by_email.setdefault(subscription.email.strip().lower(), subscription)
    return by_email


# --- what ------------------------------------------------------------------------------------


def _action_update(item_id: int) -> Update | None:
    update = db.session.get(ActionUpdate, item_id)
    if update is None:
        return None
    action = update.action
    status = ActionStatus(update.status).label
    if update.previous_status and update.previous_status != update.status:
        line = _(
            "%(reference)s: %(title)s is now %(status)s (%(progress)d%% done).",
            reference=action.reference,
            title=action.title,
            status=status,
            progress=update.progress or 0,
        )
    else:
        line = _(
            "%(reference)s: %(title)s has a progress update: %(status)s, %(progress)d%% done.",
            reference=action.reference,
            title=action.title,
            status=status,
            progress=update.progress or 0,
        )
    if update.note:
        line += "\n" + update.note
    return Update(line, link_to("public.action", reference=action.reference))


def _response_published(item_id: int) -> Update | None:
    response = db.session.get(YouSaidWeDid, item_id)
    if response is None or response.state != "published":
        return None
    return Update(
        _('A "You said, we did" response was published: %(title)s', title=response.title),
        link_to("public.response", response_id=response.id),
    )


def _survey_opened(item_id: int) -> Update | None:
    survey = db.session.get(Survey, item_id)
    if survey is None or survey.status != "published":
        return None
    return Update(
        _("A survey is open for your answers: %(title)s", title=survey.title),
        link_to("public.survey", slug=survey.slug),
    )


def _consultation_opened(item_id: int) -> Update | None:
    consultation = db.session.get(Consultation, item_id)
    if consultation is None or not consultation.published:
        return None
    return Update(
        _("A consultation is open for comments: %(title)s", title=consultation.title),
        link_to("public.consultation", slug=consultation.slug),
    )


def _event_opened(item_id: int) -> Update | None:
    event = db.session.get(Event, item_id)
    if event is None or not event.published or event.cancelled_at is not None:
        return None
    return Update(
        _("An event is taking bookings: %(title)s", title=event.title),
        link_to("public.event", event_id=event.id),
    )


_WORDING = {
    "action_update": _action_update,
    "response_published": _response_published,
    "survey_opened": _survey_opened,
    "consultation_opened": _consultation_opened,
    "event_opened": _event_opened,
}


def describe(kind: str, item_id: int) -> Update | None:
    """The update in the current locale, or None when what it is about is not public now."""
    return _WORDING[kind](item_id)


# --- telling ---------------------------------------------------------------------------------


def tell_subscribers(kind: str, item_id: int, *, area_ids=(), action_ids=(), skip_emails=()) -> int:
    """Tell every subscriber of these areas and actions (and of the areas of these actions)
    about one update, in the caller's transaction (the caller commits). "As it happens"
    subscribers get an email now; weekly ones get the update kept for their next summary.
    Addresses in `skip_emails` (lower-cased) are left out: they were told another way.
    Returns how many people were told or will be."""
    if kind not in _WORDING:
        raise ValueError(f"Unknown update: {kind}")
    db.session.flush()  # the item has its id and its links
    if describe(kind, item_id) is None:
        return 0  # not public: nobody hears about it
    skip = {address.strip().lower() for address in skip_emails}
    told = 0
    service = current_app.config["SERVICE_NAME"]
    for address, subscription in subscribers_of(area_ids, action_ids).items():
        if address in skip:
            continue
        if subscription.frequency == WEEKLY:
            db.session.add(
                PendingUpdate(subscription_id=subscription.id, kind=kind, item_id=item_id)
            )
            told += 1
            continue
        with force_locale(subscription_language(subscription)):
            update = describe(kind, item_id)
            body = (
                _("News about something you follow:\n\n%(line)s\n\n%(link)s\n", **update.__dict__)
                + "\n"
                + footer(subscription)
            )
            if kind == "response_published":
                subject = _("%(service)s: new response published", service=service)
            else:
                subject = _("%(service)s: an update you asked for", service=service)
        outbox.enqueue(
            "subscriber_update",
            subscription.email,
            subject,
            body,
            headers=unsubscribe_headers(unsubscribe_link(subscription)),
        )
        told += 1
    return told


def announce_opening(item_type: str, item_id: int, *, area_ids=(), action_ids=()) -> bool:
    """Tell subscribers that a survey, consultation or event about their areas or actions has
    opened — once ever per thing, whoever notices first (the caller has checked that it is open
    and public). Runs in the caller's transaction; True when announced now."""
    already = db.session.scalar(
        select(Announcement.id).where(
            Announcement.item_type == item_type, Announcement.item_id == item_id
        )
    )
    if already is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Announcement(item_type=item_type, item_id=item_id))
    except IntegrityError:
        return False  # announced by another process a moment ago
    tell_subscribers(f"{item_type}_opened", item_id, area_ids=area_ids, action_ids=action_ids)
    return True


# --- the weekly summary ----------------------------------------------------------------------


def iso_week(moment: datetime) -> str:
    """The ISO week of a UTC moment in Europe/London, e.g. "2026-W49"."""
    year, week, _day = local_day(moment).isocalendar()
    return f"{year}-W{week:02d}"


def send_digests(now: datetime | None = None) -> int:
    """Send each weekly subscriber one summary of what is waiting, at most once per ISO week
    (Europe/London), however often this runs; nothing to anyone with nothing new. Updates about
    things no longer public are dropped unsent. Each subscriber is its own transaction.
    Returns how many summaries were queued."""
    now = now or utcnow()
    week = iso_week(now)
    service = current_app.config["SERVICE_NAME"]
    waiting = db.session.scalars(
        select(PendingUpdate.subscription_id)
        .join(Subscription, Subscription.id == PendingUpdate.subscription_id)
        .where(
            PendingUpdate.digest_id.is_(None),
            # not only weekly ones: someone who switched to "as it happens" still gets what was
            # already waiting, once
            Subscription.confirmed_at.is_not(None),
            Subscription.unsubscribed_at.is_(None),
        )
        .distinct()
    ).all()
    db.session.commit()
    sent = 0
    for subscription_id in sorted(waiting):
        subscription = db.session.get(Subscription, subscription_id)
        if subscription is None:
            continue
        done = db.session.scalar(
            select(Digest.id).where(Digest.subscription_id == subscription.id, Digest.week == week)
        )
        if done is not None:
            db.session.rollback()
            continue
        pending = db.session.scalars(
            select(PendingUpdate)
            .where(
                PendingUpdate.subscription_id == subscription.id,
                PendingUpdate.digest_id.is_(None),
            )
            .order_by(PendingUpdate.created_at, PendingUpdate.id)
        ).all()
        with force_locale(subscription_language(subscription)):
            lines, seen = [], set()
            for row in pending:
                if (row.kind, row.item_id) in seen:
                    continue
                seen.add((row.kind, row.item_id))
                update = describe(row.kind, row.item_id)
                if update is not None:
                    lines.append(f"- {update.line}\n  {update.link}")
            if not lines:
                for row in pending:
                    db.session.delete(row)  # only things no longer public: nothing to say
                db.session.commit()
                continue
            body = (
                _(
                    "What has happened this week in what you follow:\n\n%(lines)s\n",
                    lines="\n\n".join(lines),
                )
                + "\n"
                + footer(subscription)
            )
            subject = _("%(service)s: your weekly summary", service=service)
        digest = Digest(subscription_id=subscription.id, week=week, sent_at=now)
        db.session.add(digest)
        try:
            db.session.flush()  # the unique (subscription, week) is the guarantee
        except IntegrityError:
            db.session.rollback()
            continue
        for row in pending:
            row.digest_id = digest.id
        outbox.enqueue(
            "subscriber_digest",
            subscription.email,
            subject,
            body,
            headers=unsubscribe_headers(unsubscribe_link(subscription)),
        )
        db.session.commit()
        sent += 1
    return sent
