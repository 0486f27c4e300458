"""`flask seed`: demo data a newcomer can explore. Safe to run again: it adds what is missing."""

from datetime import date, timedelta

from ..domain.people.passwords import hash_password
from ..extensions import db
from ..models import Action, ActionUpdate, Area, Organisation, User
from ..models.base import utcnow
from . import kent
from .common import approve_quote, publish_response, user_with_role
from .consultations import seed_consultations
from .measures import seed_measures
from .surveys import seed_surveys

__all__ = [
    "seed",
    "seed_consultations",
    "seed_events",
    "seed_measures",
    "seed_surveys",
    "seed_voices",
]


def seed(with_demo_users: bool = True) -> dict[str, int]:
    added = {"organisations": 0, "areas": 0, "actions": 0, "users": 0}
    organisations = {o.short_name or o.name: o for o in db.session.scalars(db.select(Organisation))}
    for name, short_name, kind in kent.ORGANISATIONS:
        if short_name not in organisations:
            organisations[short_name] = Organisation(name=name, short_name=short_name, kind=kind)
            db.session.add(organisations[short_name])
            added["organisations"] += 1

    areas = {a.number: a for a in db.session.scalars(db.select(Area))}
    for data in kent.AREAS:
        if data["number"] not in areas:
            areas[data["number"]] = Area(**data)
            db.session.add(areas[data["number"]])
            added["areas"] += 1
    db.session.flush()

    existing = set(db.session.scalars(db.select(Action.reference)))
    history = {}
    for reference, status, progress, note in kent.HISTORY:
        history.setdefault(reference, []).append((status, progress, note))
    for (
        reference,
        title,
        description,
        owner,
        lead,
        due,
        status,
        progress,
        area_numbers,
    ) in kent.ACTIONS:
        if reference in existing:
            continue
        action = Action(
            reference=reference,
            title=title,
            description=description,
            owner=organisations[owner],
            lead=lead,
            due_date=date.fromisoformat(due),
            status=status,
            progress=progress,
            areas=[areas[n] for n in area_numbers],
        )
        db.session.add(action)
        _seed_history(action, history.get(reference, [(status, progress, "")]))
        added["actions"] += 1

    if with_demo_users:
        users = set(db.session.scalars(db.select(User.email)))
        for email, name, role, organisation in kent.DEMO_USERS:
            if email not in users:
                db.session.add(
                    User(
                        email=email,
                        name=name,
                        role=role,
                        organisation=organisations[organisation],
                        password_hash=hash_password(kent.DEMO_PASSWORD),
                    )
                )
                added["users"] += 1
    db.session.commit()
    added.update(seed_measures())
    return added


def _seed_history(action: Action, steps: list[tuple[str, int, str]]) -> None:
    """Spread the updates over the past months so the history reads like a real one."""
    start = utcnow() - timedelta(days=60 * len(steps) + 30)
    db.session.add(
        ActionUpdate(
            action=action,
            previous_status=None,
            status="not_started",
            progress=0,
            note="Action added to the plan",
            created_at=start,
        )
    )
    previous = "not_started"
    for index, (status, progress, note) in enumerate(steps, start=1):
        db.session.add(
            ActionUpdate(
                action=action,
                previous_status=previous,
                status=status,
                progress=progress,
                note=note or "Progress reviewed by the Partnership Assurance Board.",
                created_at=start + timedelta(days=60 * index),
            )
        )
        previous = status


def seed_voices(rng_seed: int = 2022) -> dict[str, int]:
    """Contributions across sources, coded to areas, actions and themes, and published
    responses with evidence. Added once: skipped when contributions already exist."""
    import random

    from ..domain.thread import contributions as contribution_domain
    from ..domain.thread import safeguarding
    from ..models import (
        Channel,
        Contribution,
        ContributionSource,
        ContributionState,
        Theme,
    )
    from . import voices

    added = {"themes": 0, "safeguarding phrases": 0, "contributions": 0, "responses": 0}
    themes = {t.name: t for t in db.session.scalars(db.select(Theme))}
    for name, description in voices.THEMES:
        if name not in themes:
            themes[name] = Theme(name=name, description=description)
            db.session.add(themes[name])
            added["themes"] += 1
    added["safeguarding phrases"] = safeguarding.seed_default_phrases()
    db.session.flush()
    if db.session.scalar(db.select(Contribution.id).limit(1)) is not None:
        db.session.commit()
        return added

    rng = random.Random(rng_seed)
    areas = {a.number: a for a in db.session.scalars(db.select(Area))}
    actions_by_area = {number: area.actions for number, area in areas.items()}
    coordinator = user_with_role("coordinator")
    now = utcnow()
    sources = [
        (ContributionSource.FEEDBACK, Channel.ONLINE),
        (ContributionSource.SURVEY_ANSWER, Channel.ONLINE),
        (ContributionSource.PAPER, Channel.PAPER),
        (ContributionSource.EVENT_NOTE, Channel.EVENT),
    ]
    by_area: dict[int, list[Contribution]] = {n: [] for n in areas}
    for index in range(300):
        number = rng.choice(list(voices.VOICES))
        theme_names, sentiment, texts = voices.VOICES[number]
        source, channel = rng.choice(sources)
        contribution = contribution_domain.record_contribution(
            source.value,
            rng.choice(texts),
            channel=channel.value,
            topic=f"area-{number}",
            rating=rng.choice([None, 1, 2, 2, 3, 4]),
            consent_to_quote=rng.random() < 0.6,
            about_you={
                "relationship_to_child": rng.choice(
                    ["parent_carer", "parent_carer", "young_person", "professional"]
                ),
                "district": rng.choice(voices.DISTRICTS),
            },
            area_ids=[areas[number].id],
        )
        contribution.created_at = now - timedelta(days=rng.randint(5, 400), minutes=index)
        if rng.random() < 0.75 and coordinator:
            contribution.themes = [themes[name] for name in theme_names]
            contribution.actions = rng.sample(
                actions_by_area[number], k=min(1, len(actions_by_area[number]))
            )
            contribution.sentiment = sentiment
            contribution.state = ContributionState.CODED.value
            contribution.coded_at = contribution.created_at + timedelta(days=rng.randint(1, 14))
            contribution.coded_by_id = coordinator.id
            if contribution.consent_to_quote:
                approve_quote(contribution, coordinator, contribution.coded_at)
            by_area[number].append(contribution)
        added["contributions"] += 1

    officer = user_with_role("officer")
    admin = user_with_role("admin")
    organisations = {o.short_name: o for o in db.session.scalars(db.select(Organisation))}
    actions = {a.reference: a for a in db.session.scalars(db.select(Action))}
    if officer and admin:
        # One publication date for each response in voices.RESPONSES.
        for days_ago, data in zip((120, 60, 20, 6), voices.RESPONSES, strict=True):
            published_at = now - timedelta(days=days_ago)
            publish_response(
                published_at=published_at,
                contributions=[
                    c for c in by_area[data["evidence_area"]] if c.created_at < published_at
                ],
                title=data["title"],
                you_said=data["you_said"],
                we_did=data["we_did"],
                status=data["status"],
                organisation=organisations[data["organisation"]],
                author=officer,
                approved_by=admin,
                areas=[areas[n] for n in data["areas"]],
                actions=[actions[r] for r in data["actions"]],
            )
            added["responses"] += 1
    db.session.commit()
    return added


def seed_events() -> dict[str, int]:
    """Two upcoming co-production events, one in a room and one online, with a few places taken.
    Added once: skipped when any event exists."""
    import hashlib
    import secrets

    from ..models import Event, Registration

    if db.session.scalar(db.select(Event.id).limit(1)) is not None:
        return {"events": 0}
    start = (utcnow() + timedelta(days=21)).replace(hour=17, minute=30, second=0, microsecond=0)
    hub = Event(
        title="Designing the SEND enquiries hub: what should happen when you get in touch?",
        description="Help us design how the new SEND enquiries hub answers families: how quickly, "
        "by whom, and how you are kept up to date. Parents, carers and young people are all "
        "welcome. Refreshments provided; travel costs can be paid.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Maidstone Community Hub, Meeting Room 2",
        address="Gabriel's Hill, Maidstone ME15 6JG",
        step_free=True,
        hearing_loop=True,
        quiet_room=True,
        parking=False,
        access_notes="Blue badge parking 100 metres away. Ask us about an interpreter or BSL.",
        capacity=30,
        registration_closes_at=start - timedelta(days=2),
    )
    online = Event(
        title="Waiting for an autism or ADHD assessment: what would help while you wait?",
        description="An online session with NHS Kent and Medway clinicians to shape support for "
        "families on the neurodevelopmental waiting list. Cameras optional; you can type in the "
        "chat instead.",
        starts_at=start + timedelta(days=7, hours=-7),
        ends_at=start + timedelta(days=7, hours=-5, minutes=30),
        online_link="https://meet.example.org/send-voice-waiting-well",
        capacity=50,
    )
    db.session.add_all([hub, online])
    for index, (name, kind) in enumerate(
        [
            ("Sam Example", "parent_carer"),
            ("Jo Example", "young_person"),
            ("Alex Example", "professional"),
        ]
    ):
        token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
        db.session.add(
            Registration(
                event=hub,
                name=name,
                email=f"demo{index}@example.org",
                attendee_type=kind,
                state="registered",
                cancel_token_hash=token_hash,
            )
        )
    db.session.commit()
    return {"events": 2}
