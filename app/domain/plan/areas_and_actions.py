"""The improvement plan: what the public pages show and how staff change it.

Reads load everything a page needs in a fixed number of queries, whatever the plan's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Action, ActionStatus, ActionUpdate, Area, Organisation, User, action_areas
from ..mail import updates
from ..people import audit
from ..people import organisations as people_organisations
from ..shared.errors import Problems
from ..thread.metrics import (
    LoopMetrics,
    ThemeHeard,
    loop_metrics,
    responses_published_by_area,
    themes_heard,
)
from ..thread.you_said_we_did import PublicList, latest_published
from . import rules


@dataclass
class StatusCounts:
    """How many actions are at each status; `items` keeps the plan's status order."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[tuple[ActionStatus, int]]:
        return [(status, self.counts.get(status.value, 0)) for status in ActionStatus]


@dataclass
class AreaSummary:
    area: Area
    statuses: StatusCounts
    responses_published: int | None = None


def areas_at_a_glance() -> list[AreaSummary]:
    areas = db.session.scalars(db.select(Area).order_by(Area.number)).all()
    rows = db.session.execute(
        db.select(action_areas.c.area_id, Action.status, func.count())
        .join(Action, Action.id == action_areas.c.action_id)
        .group_by(action_areas.c.area_id, Action.status)
    ).all()
    by_area: dict[int, dict[str, int]] = defaultdict(dict)
    for area_id, status, count in rows:
        by_area[area_id][status] = count
    published = responses_published_by_area()
    return [
        AreaSummary(area, StatusCounts(by_area.get(area.id, {})), published.get(area.id, 0))
        for area in areas
    ]


@dataclass
class LoopSection:
    """What an area or action page shows of the golden thread: its latest published
    responses, the themes heard (small counts suppressed) and the loop-closure metrics."""

    responses: PublicList
    themes: list[ThemeHeard]
    metrics: LoopMetrics


def loop_for(
    *, area_id: int | None = None, action_id: int | None = None, responses: int = 5
) -> LoopSection:
    return LoopSection(
        responses=latest_published(responses, area_id=area_id, action_id=action_id),
        themes=themes_heard(area_id=area_id, action_id=action_id),
        metrics=loop_metrics(area_id=area_id, action_id=action_id),
    )


def plan_status_counts() -> StatusCounts:
    rows = db.session.execute(db.select(Action.status, func.count()).group_by(Action.status)).all()
    return StatusCounts(dict(rows))


def area_by_number(number: int) -> Area | None:
    return db.session.scalar(
        db.select(Area)
        .where(Area.number == number)
        .options(selectinload(Area.actions).selectinload(Action.owner))
    )


def action_by_reference(reference: str) -> Action | None:
    return db.session.scalar(
        db.select(Action)
        .where(func.upper(Action.reference) == reference.upper())
        .options(
            selectinload(Action.owner),
            selectinload(Action.areas),
            selectinload(Action.updates).selectinload(ActionUpdate.author),
        )
    )


def all_areas() -> list[Area]:
    return list(db.session.scalars(db.select(Area).order_by(Area.number)))


def all_actions(status: str | None = None, area_id: int | None = None) -> list[Action]:
    query = (
        db.select(Action)
        .options(selectinload(Action.owner), selectinload(Action.areas))
        .order_by(Action.reference)
    )
    if status:
        query = query.where(Action.status == status)
    if area_id:
        query = query.where(Action.areas.any(Area.id == area_id))
    return list(db.session.scalars(query))


def organisations(keep_id: int | None = None) -> list[Organisation]:
    """Organisations offered for a new action or staff member: retired ones are left out,
    except `keep_id`, the one a record being edited already names."""
    return people_organisations.in_use(keep_id)


def _audit_saved(actor: User, record, kind: str, created: bool, changed: list, summary: str):
    """A new area or action, or one that changed, goes in the audit log; an unchanged one not."""
    if created or changed:
        audit.record(
            f"{kind}.created" if created else f"{kind}.updated",
            record,
            actor=actor,
            summary=summary[:500],
            detail={"changed": changed},
        )


def check_area(area: Area | None, **values) -> None:
    """Refused, with every problem, when the area's values break a rule in `rules`."""
    problems = Problems()
    rules.check_area(problems, **values, area_id=area.id if area else None)
    problems.raise_if_any()


def save_area(
    actor: User,
    area: Area | None,
    *,
    number: int,
    title: str,
    finding: str,
    plain_summary: str,
    young_person_summary: str,
) -> Area:
    """Add or change an area of weakness; Refused when it breaks a rule. Commits."""
    check_area(
        area,
        number=number,
        title=title,
        finding=finding,
        plain_summary=plain_summary,
        young_person_summary=young_person_summary,
    )
    created = area is None
    area = area or Area()
    changed = list(
        audit.apply_changes(
            area,
            {
                "number": number,
                "title": title,
                "finding": finding,
                "plain_summary": plain_summary,
                "young_person_summary": young_person_summary,
            },
        )
    )
    db.session.add(area)
    _audit_saved(actor, area, "area", created, changed, f"Area {number}: {title}")
    db.session.commit()
    return area


def check_action(
    action: Action | None,
    *,
    reference: str,
    title: str,
    description: str,
    owner_organisation_id: int | None,
    lead: str,
    area_ids: list,
    status: str | None = None,
    progress: int | None = None,
    due_date: date | None = None,  # any real date, or none
) -> list[Area]:
    """Refused, with every problem, when the action's values break a rule in `rules`; a new
    action also needs its starting status and progress. Returns its areas, in plan order."""
    problems = Problems()
    rules.check_action_text(
        problems, reference=reference, title=title, description=description, lead=lead
    )
    rules.check_reference_free(problems, reference, action.id if action else None)
    areas = rules.check_owner_and_areas(problems, owner_organisation_id, area_ids)
    kept = action is not None and action.owner_organisation_id == owner_organisation_id
    if not kept and people_organisations.is_retired(owner_organisation_id):
        problems.add(
            "owner_organisation_id",
            _l("This organisation has been retired. Choose one that is in use"),
        )
    if action is None:
        rules.check_status(problems, status)
        rules.check_progress(problems, progress)
    problems.raise_if_any()
    return areas


def save_action(
    actor: User,
    action: Action | None,
    *,
    reference: str,
    title: str,
    description: str,
    owner_organisation_id: int,
    lead: str,
    due_date: date | None,
    area_ids: list[int],
    status: str | None = None,
    progress: int | None = None,
) -> Action:
    """Create or edit an action. Status and progress change only through progress updates,
    so that every change of status is in the history — except when the action is new.
    Refused when it breaks a rule. Commits."""
    created = action is None
    new_areas = check_action(
        action,
        reference=reference,
        title=title,
        description=description,
        owner_organisation_id=owner_organisation_id,
        lead=lead,
        area_ids=area_ids,
        status=status,
        progress=progress,
    )
    action = action or Action(status=status, progress=progress)
    changed = list(
        audit.apply_changes(
            action,
            {
                "reference": reference.strip().upper(),
                "title": title,
                "description": description,
                "owner_organisation_id": owner_organisation_id,
                "lead": lead,
                "due_date": due_date,
            },
        )
    )
    if created or {a.id for a in action.areas} != {a.id for a in new_areas}:
        if not created:
            changed.append("areas")
        action.areas = new_areas
    db.session.add(action)
    if created:
        db.session.flush()
        db.session.add(
            ActionUpdate(
                action=action,
                author=actor,
                previous_status=None,
                status=action.status,
                progress=action.progress,
                note="Action added to the plan",
            )
        )
    _audit_saved(actor, action, "action", created, changed, f"{action.reference}: {action.title}")
    db.session.commit()
    return action


def check_progress_update(*, status: str | None, progress: int | None, note: str) -> None:
    """Refused, with every problem, when a progress update breaks a rule in `rules`."""
    problems = Problems()
    rules.check_status(problems, status)
    rules.check_progress(problems, progress)
    rules.check_note(problems, note)
    problems.raise_if_any()


def post_progress_update(
    actor: User, action: Action, *, status: str, progress: int | None, note: str
) -> ActionUpdate:
    """Record where an action is now; the note is published on its page, and subscribers of the
    action and of its areas are told (now or in their weekly summary) in the same commit.
    Refused when it breaks a rule. Commits."""
    check_progress_update(status=status, progress=progress, note=note)
    update = ActionUpdate(
        action=action,
        author=actor,
        previous_status=action.status,
        status=status,
        progress=progress,
        note=note.strip(),
    )
    action.status = status
    action.progress = progress
    db.session.add(update)
    audit.record(
        "action.progress",
        action,
        actor=actor,
        summary=f"{action.reference}: {update.previous_status} to {status}, {progress}%",
        detail={"from": update.previous_status, "to": status, "progress": progress},
    )
    db.session.flush()
    updates.tell_subscribers(
        "action_update",
        update.id,
        area_ids=[area.id for area in action.areas],
        action_ids=[action.id],
    )
    db.session.commit()
    return update


# Staff pages look records up by id; ids outside the database's integer range are simply not found.
_MAX_ID = 2**31 - 1


def area_by_id(area_id: int) -> Area | None:
    if not 0 < area_id <= _MAX_ID:
        return None
    return db.session.get(Area, area_id)


def action_by_id(action_id: int) -> Action | None:
    """An action with everything its staff pages show: owner, areas and history with authors."""
    if not 0 < action_id <= _MAX_ID:
        return None
    return db.session.scalar(
        db.select(Action)
        .where(Action.id == action_id)
        .options(
            selectinload(Action.owner),
            selectinload(Action.areas),
            selectinload(Action.updates).selectinload(ActionUpdate.author),
        )
    )
