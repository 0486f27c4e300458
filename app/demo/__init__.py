"""`flask seed`: demo data a newcomer can explore. Safe to run again: it adds what is missing."""

from datetime import date, timedelta

from ..extensions import db
from ..models import Action, ActionUpdate, Area, Organisation, User
from ..models.base import utcnow
from ..domain.passwords import hash_password
from . import kent


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
    for reference, title, description, owner, lead, due, status, progress, area_numbers in kent.ACTIONS:
        if reference in existing:
            continue
        action = Action(reference=reference, title=title, description=description,
                        owner=organisations[owner], lead=lead, due_date=date.fromisoformat(due),
                        status=status, progress=progress,
                        areas=[areas[n] for n in area_numbers])
        db.session.add(action)
        _seed_history(action, history.get(reference, [(status, progress, "")]))
        added["actions"] += 1

    if with_demo_users:
        users = set(db.session.scalars(db.select(User.email)))
        for email, name, role, organisation in kent.DEMO_USERS:
            if email not in users:
                db.session.add(User(email=email, name=name, role=role, organisation=organisations[organisation],
                                    password_hash=hash_password(kent.DEMO_PASSWORD)))
                added["users"] += 1
    db.session.commit()
    return added


def _seed_history(action: Action, steps: list[tuple[str, int, str]]) -> None:
    """Spread the updates over the past months so the history reads like a real one."""
    start = utcnow() - timedelta(days=60 * len(steps) + 30)
    db.session.add(ActionUpdate(action=action, previous_status=None, status="not_started", progress=0,
                                note="Action added to the plan", created_at=start))
    previous = "not_started"
    for index, (status, progress, note) in enumerate(steps, start=1):
        db.session.add(ActionUpdate(action=action, previous_status=previous, status=status, progress=progress,
                                    note=note or "Progress reviewed by the Partnership Assurance Board.",
                                    created_at=start + timedelta(days=60 * index)))
        previous = status
