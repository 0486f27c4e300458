"""Co-production events: every rule about events lives here.

Public side (this part): the list of events, an event's public page, registering (with a
waiting list when it is full), cancelling with the emailed link, and the emails those send.

Places are never given beyond capacity, even when two people take the last place at once:
`register` and `cancel` each run in ONE transaction that starts by locking the event row
(`lock_event`). Its first statement is a write to that row, which takes PostgreSQL's row lock
(and `SELECT … FOR UPDATE` re-reads it under that lock) and, on SQLite, the database's single
write lock; so the places are counted by one request at a time, after the previous one committed.

Names, email addresses and access needs are personal data: the online link is only ever put in
emails to people who have a place, never on a public page or the public calendar file.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Event, Registration
from ...models.base import utcnow
from ..mail import outbox
from ..shared import dates
from ..shared.errors import Refused
from . import ics

REGISTERED = "registered"
WAITING = "waiting"
CANCELLED = "cancelled"

ATTENDEE_TYPES = [
    ("parent_carer", _l("Parent or carer")),
    ("young_person", _l("Young person")),
    ("professional", _l("Professional")),
]
MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
MAX_ACCESS_NEEDS_LENGTH = 2000
MAX_TOKEN_LENGTH = 200
PAST_EVENTS_SHOWN = 10


class EventNotFound(Refused):
    """No such event, or it is not published."""


class EventCancelled(Refused):
    """The event has been cancelled."""


class RegistrationClosed(Refused):
    """Registration closed (its closing time or the start of the event has passed)."""


class AlreadyRegistered(Refused):
    """This email address already has a place or a waiting-list place for this event.

    Raised after the reminder email to that address is committed. The page must not tell the
    person at the keyboard (who may not own the address) anything: `state` is what a newcomer
    would be given now, so the view shows exactly the page a new registration would get."""

    def __init__(self, state: str):
        super().__init__()
        self.state = state


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(registration: Registration) -> str:
    """A fresh cancel link for the registration; only its hash is stored, older links stop
    working."""
    token = secrets.token_urlsafe(32)
    registration.cancel_token_hash = hash_token(token)
    return token


# --- facts about an event -------------------------------------------------------------------


def registration_closes_at(event: Event) -> datetime:
    """When registration closes: its closing time, and never later than the start."""
    if event.registration_closes_at and event.registration_closes_at < event.starts_at:
        return event.registration_closes_at
    return event.starts_at


def is_registration_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return event.published and event.cancelled_at is None and now < registration_closes_at(event)


def event_when(event: Event) -> str:
    """ "Saturday 14 June 2025, 10am to 12:30pm" in London time (both dates when it spans days)."""
    start, end = to_user_timezone(event.starts_at), to_user_timezone(event.ends_at)
    if start.date() == end.date():
        return _(
            "%(day)s, %(start)s to %(end)s",
            day=dates.day(event.starts_at, weekday=True),
            start=dates.time_of_day(event.starts_at),
            end=dates.time_of_day(event.ends_at),
        )
    return _(
        "%(start)s to %(end)s",
        start=dates.time_and_day(event.starts_at, weekday=True),
        end=dates.time_and_day(event.ends_at, weekday=True),
    )


def event_where(event: Event) -> str:
    """The venue and address on one line, or "Online"."""
    if event.venue:
        lines = [event.venue] + [
            line.strip() for line in (event.address or "").splitlines() if line.strip()
        ]
        return ", ".join(lines)
    return _("Online")


def access_features(event: Event) -> list[tuple[str, bool]]:
    return [
        (_("Step-free access"), event.step_free),
        (_("Hearing loop"), event.hearing_loop),
        (_("Quiet room"), event.quiet_room),
        (_("Parking"), event.parking),
    ]


@dataclass
class EventSummary:
    """An event with what the public pages show about it."""

    event: Event
    places_left: int
    registration_open: bool
    closes_at: datetime
    when: str
    where: str
    access: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def is_cancelled(self) -> bool:
        return self.event.cancelled_at is not None


def _registered_counts(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(event_ids), Registration.state == REGISTERED)
        .group_by(Registration.event_id)
    )
    return dict(rows.all())


def _registered_count(event_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event_id, Registration.state == REGISTERED)
        )
        or 0
    )


def _summaries(events: list[Event], now: datetime) -> list[EventSummary]:
    counts = _registered_counts([event.id for event in events])
    return [
        EventSummary(
            event=event,
            places_left=max(event.capacity - counts.get(event.id, 0), 0),
            registration_open=is_registration_open(event, now),
            closes_at=registration_closes_at(event),
            when=event_when(event),
            where=event_where(event),
            access=access_features(event),
        )
        for event in events
    ]


def upcoming_events(
    now: datetime | None = None, consultation_id: int | None = None
) -> list[EventSummary]:
    """Published events that have not ended and are not cancelled, soonest first (two queries);
    with `consultation_id`, only the events that belong to that consultation."""
    now = now or utcnow()
    query = select(Event).where(
        Event.published.is_(True), Event.cancelled_at.is_(None), Event.ends_at > now
    )
    if consultation_id is not None:
        query = query.where(Event.consultation_id == consultation_id)
    events = db.session.scalars(query.order_by(Event.starts_at, Event.id)).all()
    return _summaries(list(events), now)


def past_events(now: datetime | None = None, limit: int = PAST_EVENTS_SHOWN) -> list[EventSummary]:
    """The most recent published events that have ended, newest first."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event)
        .where(Event.published.is_(True), Event.cancelled_at.is_(None), Event.ends_at <= now)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
    ).all()
    return _summaries(list(events), now)


def public_event(event_id: int, now: datetime | None = None) -> EventSummary | None:
    """A published event (cancelled ones too: their page says so); None when unknown or
    unpublished."""
    event = db.session.scalar(select(Event).where(Event.id == event_id, Event.published.is_(True)))
    if event is None:
        return None
    return _summaries([event], now or utcnow())[0]


def public_calendar(event: Event) -> str:
    """The .ics anyone can download from the event page: no online link."""
    return ics.event_ics(
        event,
        include_online_link=False,
        url=url_for("public.event", event_id=event.id, _external=True),
    )


# --- registering and cancelling ---------------------------------------------------------------


def lock_event(event_id: int) -> Event | None:
    """Lock the event row for the rest of the caller's transaction and return it, freshly read.

    Call it as the FIRST statement of a transaction (commit or roll back before): on SQLite a
    transaction that read before it writes cannot take the write lock once another request wrote.
    The UPDATE changes nothing (updated_at is set to itself, so staff still see when the event
    itself was last edited) but takes the lock on both databases.
    """
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(updated_at=Event.updated_at)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()  # PostgreSQL; SQLite ignores it
        .execution_options(populate_existing=True)
    )


def register(
    event: Event, name: str, email: str, attendee_type: str, access_needs: str
) -> Registration:
    """Give the person a place, or a waiting-list place when none is left, and email them. Commits.

    One transaction: lock the event, count the places taken, store the registration with a
    cancel link (only its hash is kept) and queue ONE confirmation email. Someone who cancelled
    before can register again (they join at the back). Raises EventNotFound, EventCancelled,
    RegistrationClosed or AlreadyRegistered; nothing is stored then, except that an address
    already registered is sent a reminder with a fresh cancel link (only its owner reads it).
    """
    if attendee_type not in {value for value, _label in ATTENDEE_TYPES}:
        raise ValueError(f"unknown attendee type {attendee_type!r}")
    event_id = event.id
    email = normalise_email(email)
    db.session.commit()  # end any read transaction, so the lock below is the first statement
    try:
        event = lock_event(event_id)
        if event is None or not event.published:
            raise EventNotFound()
        if event.cancelled_at is not None:
            raise EventCancelled()
        now = utcnow()
        if not is_registration_open(event, now):
            raise RegistrationClosed()
        registration = db.session.scalar(
            select(Registration).where(
                Registration.event_id == event_id, Registration.email == email
            )
        )
        if registration is not None and registration.state != CANCELLED:
            shown = REGISTERED if _registered_count(event_id) < event.capacity else WAITING
            _send_already_registered(registration, _new_token(registration))
            db.session.commit()
            raise AlreadyRegistered(shown)
        # Anyone already waiting is offered a free place before a newcomer is counted.
        fill_places_from_waiting_list(event, now)
        state = REGISTERED if _registered_count(event_id) < event.capacity else WAITING
        if registration is None:
            registration = Registration(event=event, email=email)
            db.session.add(registration)
        registration.name = name.strip()
        registration.attendee_type = attendee_type
        registration.access_needs = (access_needs or "").strip()
        registration.state = state
        registration.attended = None
        registration.offered_at = None
        registration.cancelled_at = None
        registration.created_at = now  # a returning person joins the back of any queue
        token = _new_token(registration)
        db.session.flush()
        _send_confirmation(registration, token)
        db.session.commit()
    except IntegrityError:
        # The same address registered at the same moment in another request (only possible
        # when that request did not wait for the lock, e.g. the event row was locked elsewhere).
        db.session.rollback()
        raise AlreadyRegistered(REGISTERED) from None
    except AlreadyRegistered:
        raise
    except Exception:
        db.session.rollback()
        raise
    return registration


def fill_places_from_waiting_list(event: Event, now: datetime | None = None) -> list[Registration]:
    """Offer free places to the people waiting longest, in order, and email each of them.

    Call inside a transaction that holds the event's lock (`lock_event`); does not commit.
    Nothing is offered for a cancelled event or once it has started.
    """
    now = now or utcnow()
    if event.cancelled_at is not None or now >= event.starts_at:
        return []
    free = event.capacity - _registered_count(event.id)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.state == WAITING)
        .order_by(Registration.created_at, Registration.id)
        .limit(free)
        .with_for_update()
    ).all()
    for registration in waiting:
        registration.state = REGISTERED
        registration.offered_at = now
        token = _new_token(registration)
        _send_place_offered(registration, token)
    db.session.flush()
    return list(waiting)


def registration_for_cancel_token(token: str | None) -> Registration | None:
    """The registration a cancel link belongs to, with its event; None when the link is unknown,
    already used to cancel, or for an event that is no longer published."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    registration = db.session.scalar(
        select(Registration)
        .options(joinedload(Registration.event))
        .where(Registration.cancel_token_hash == hash_token(token), Registration.state != CANCELLED)
    )
    if registration is None or not registration.event.published:
        return None
    return registration


def cancel(registration: Registration) -> list[Registration]:
    """Cancel the place (or waiting-list place) and commit; return who was offered a place.

    In one transaction: lock the event, mark the registration cancelled and, if it held a
    place, offer it to the first person on the waiting list, who is emailed with a new cancel
    link of their own. Cancelling twice changes nothing.
    """
    registration_id, event_id = registration.id, registration.event_id
    db.session.commit()  # end any read transaction, so the lock below is the first statement
    try:
        event = lock_event(event_id)
        registration = db.session.scalar(
            select(Registration)
            .where(Registration.id == registration_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        offered: list[Registration] = []
        if registration is not None and registration.state != CANCELLED:
            had_place = registration.state == REGISTERED
            registration.state = CANCELLED
            registration.cancelled_at = utcnow()
            db.session.flush()
            if had_place and event is not None:
                offered = fill_places_from_waiting_list(event)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return offered


# --- emails -----------------------------------------------------------------------------------


def _details(event: Event, with_online_link: bool) -> str:
    """What, when, where and access, for the emails."""
    lines = [
        _("What: %(title)s", title=event.title),
        _("When: %(when)s (UK time)", when=event_when(event)),
        _("Where: %(where)s", where=event_where(event)),
    ]
    if event.online_link:
        if with_online_link:
            lines.append(_("Join online: %(link)s", link=event.online_link))
        else:
            lines.append(_("The link to join online is sent to people who have a place."))
    lines += ["", _("Access information:")]
    for label, available in access_features(event):
        lines.append(f"- {label}: {_('Yes') if available else _('No')}")
    if event.access_notes and event.access_notes.strip():
        lines.append(event.access_notes.strip())
    return "\n".join(lines)


def access_needs_said(registration: Registration) -> str:
    """The access needs the person gave, repeated back with who reads them (email and page)."""
    if registration.access_needs and registration.access_needs.strip():
        return _(
            "You told us about these access needs:\n%(needs)s\n\nThe event organisers will read "
            "them before the event and will email you if they need to ask anything.",
            needs=registration.access_needs.strip(),
        )
    return _(
        "You did not tell us about any access needs. If you need anything to take part, contact "
        "us at %(email)s.",
        email=current_app.config["CONTACT_EMAIL"],
    )


def own_registration(event_id: int, registration_id: int | None) -> Registration | None:
    """The registration someone has just made (its id is in their session), for its confirmation
    page; None when there is none for this event."""
    if not registration_id:
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        return None
    return registration


def _footer(registration: Registration, token: str) -> str:
    event = registration.event
    return _(
        "Event page: %(event_url)s\n"
        "Add it to your calendar: %(calendar_url)s\n\n"
        "If you cannot come, please cancel so someone else can have your place:\n%(cancel_url)s\n\n"
        "We use your name, email address and what you told us about access needs only to run this "
        "event. Only the event organisers see them, and we delete them %(days)d days after the "
        "event.",
        event_url=url_for("public.event", event_id=event.id, _external=True),
        calendar_url=url_for("public.event_calendar", event_id=event.id, _external=True),
        cancel_url=url_for("public.event_cancel", token=token, _external=True),
        days=current_app.config["EVENT_REGISTRATION_RETENTION_DAYS"],
    )


def _calendar_attachment(event: Event) -> outbox.Attachment:
    content = ics.event_ics(
        event,
        include_online_link=True,
        url=url_for("public.event", event_id=event.id, _external=True),
    )
    return outbox.Attachment(
        filename=f"event-{event.id}.ics", content_type="text/calendar", content=content
    )


def _send_confirmation(registration: Registration, token: str) -> None:
    event = registration.event
    if registration.state == REGISTERED:
        subject = _("You are registered: %(title)s", title=event.title)
        opening = _(
            "Hello %(name)s,\n\nYou have a place at this event. The calendar file attached "
            "to this email adds it to your calendar.",
            name=registration.name,
        )
        attachments = [_calendar_attachment(event)]
    else:
        subject = _("You are on the waiting list: %(title)s", title=event.title)
        opening = _(
            "Hello %(name)s,\n\nThis event is full. You are on the waiting list; we will email "
            "you if a place comes up.",
            name=registration.name,
        )
        attachments = None  # no place yet: no calendar entry and no online link
    body = (
        "\n\n".join(
            [
                opening,
                _details(event, with_online_link=registration.state == REGISTERED),
                access_needs_said(registration),
                _footer(registration, token),
            ]
        )
        + "\n"
    )
    outbox.enqueue("event_registration", registration.email, subject, body, attachments=attachments)


def _send_already_registered(registration: Registration, token: str) -> None:
    """Someone registered this address again: tell its owner, not the page. A fresh cancel link
    replaces the old one, so a person who lost the first email can still cancel."""
    event = registration.event
    # Sent because of someone else's request (perhaps): in the service's language.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("You are already registered: %(title)s", title=event.title)
        where = (
            _("You have a place at this event.")
            if registration.state == REGISTERED
            else _(
                "You are on the waiting list for this event. We will email you if a place comes up."
            )
        )
        opening = _(
            "Hello %(name)s,\n\nSomeone, probably you, tried to register this email address for "
            "this event again. You are already registered, so nothing has changed. %(where)s"
            "\n\nIf it was not you, you do not need to do anything."
            "\n\nThis email has a new cancel link; the one in your first email no longer works.",
            name=registration.name,
            where=where,
        )
        body = (
            "\n\n".join(
                [
                    opening,
                    _details(event, with_online_link=registration.state == REGISTERED),
                    _footer(registration, token),
                ]
            )
            + "\n"
        )
    outbox.enqueue("event_already_registered", registration.email, subject, body)


def _send_place_offered(registration: Registration, token: str) -> None:
    event = registration.event
    # Sent because of someone else's request: in the service's language, not theirs.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("A place has come up for you: %(title)s", title=event.title)
        opening = _(
            "Hello %(name)s,\n\nA place has come up for you and it is yours: you do not need to do "
            "anything to accept it. The calendar file attached to this email adds it to your "
            "calendar."
            "\n\nThis email has a new cancel link; the one in your first email no longer works.",
            name=registration.name,
        )
        body = (
            "\n\n".join(
                [
                    opening,
                    _details(event, with_online_link=True),
                    access_needs_said(registration),
                    _footer(registration, token),
                ]
            )
            + "\n"
        )
        attachment = _calendar_attachment(event)
    outbox.enqueue(
        "event_place_offered", registration.email, subject, body, attachments=[attachment]
    )
