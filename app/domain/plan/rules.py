"""What an area of weakness, an action and a progress update may hold. One set of rules for the
staff pages and the CSV import; each problem names the field it is about (see shared.errors)."""

import re
from datetime import date

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import and_, func

from ...extensions import db
from ...models import Action, ActionStatus, Area, Organisation
from ..shared.errors import Problems
from ..shared.records import by_ids

AREA_NUMBER_MIN, AREA_NUMBER_MAX = 1, 99
TITLE_MAX = 300
FINDING_MAX = 5000
SUMMARY_MAX = 5000
REFERENCE_MAX = 30
DESCRIPTION_MAX = 5000
LEAD_MAX = 200
NOTE_MAX = 2000
PROGRESS_MIN, PROGRESS_MAX = 0, 100
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*")
_MAX_ID = 2**31 - 1  # ids outside the database's integer range are simply not found


def _number(value: int) -> str:
    return format_number(value)


def check_area(
    problems: Problems,
    *,
    number: int | None,
    title: str,
    finding: str,
    plain_summary: str,
    young_person_summary: str,
    area_id: int | None = None,
) -> None:
    """An area has a number no other area has, within the plan's range, a title and the
    inspection's finding; the summaries are optional."""
    if number is None:
        problems.add("number", _("Enter the area number"))
    elif not AREA_NUMBER_MIN <= number <= AREA_NUMBER_MAX:
        problems.add(
            "number",
            _(
                "Area number must be between %(min)s and %(max)s",
                min=_number(AREA_NUMBER_MIN),
                max=_number(AREA_NUMBER_MAX),
            ),
        )
    elif area_number_taken(number, except_id=area_id):
        problems.add("number", _("Area %(number)d already exists", number=number))
    _check_title(problems, title)
    if not finding.strip():
        problems.add("finding", _("Enter the inspection's finding"))
    elif len(finding) > FINDING_MAX:
        problems.add(
            "finding",
            _("The finding must be %(max)s characters or fewer", max=_number(FINDING_MAX)),
        )
    if len(plain_summary) > SUMMARY_MAX:
        problems.add(
            "plain_summary",
            _(
                "The plain-English summary must be %(max)s characters or fewer",
                max=_number(SUMMARY_MAX),
            ),
        )
    if len(young_person_summary) > SUMMARY_MAX:
        problems.add(
            "young_person_summary",
            _(
                "The young-person summary must be %(max)s characters or fewer",
                max=_number(SUMMARY_MAX),
            ),
        )


def check_action_text(
    problems: Problems, *, reference: str, title: str, description: str, lead: str
) -> None:
    """An action has a short reference of letters, numbers, dots and hyphens and a title; the
    description and lead are optional. (Whether the reference is free is `check_reference_free`.)"""
    if not reference:
        problems.add("reference", _("Enter a reference"))
    elif len(reference) > REFERENCE_MAX:
        problems.add(
            "reference",
            _("Reference must be %(max)s characters or fewer", max=_number(REFERENCE_MAX)),
        )
    elif not REFERENCE_PATTERN.fullmatch(reference):
        problems.add(
            "reference",
            _("Reference must contain only letters, numbers, dots and hyphens, like APP-3.2"),
        )
    _check_title(problems, title)
    if len(description) > DESCRIPTION_MAX:
        problems.add(
            "description",
            _("Description must be %(max)s characters or fewer", max=_number(DESCRIPTION_MAX)),
        )
    if len(lead) > LEAD_MAX:
        problems.add("lead", _("Lead must be %(max)s characters or fewer", max=_number(LEAD_MAX)))


def _check_title(problems: Problems, title: str) -> None:
    if not title.strip():
        problems.add("title", _("Enter a title"))
    elif len(title) > TITLE_MAX:
        problems.add(
            "title", _("Title must be %(max)s characters or fewer", max=_number(TITLE_MAX))
        )


def check_reference_free(problems: Problems, reference: str, action_id: int | None) -> None:
    """No two actions share a reference, whatever its case."""
    if reference and reference_taken(reference, except_id=action_id):
        problems.add(
            "reference",
            _(
                "Reference %(reference)s is already used by another action",
                reference=reference.strip().upper(),
            ),
        )


def check_owner_and_areas(
    problems: Problems, owner_organisation_id: int | None, area_ids: list
) -> list[Area]:
    """An action is owned by an organisation and helps to fix at least one area; returns the
    areas, in plan order."""
    if owner_organisation_id is None or db.session.get(Organisation, owner_organisation_id) is None:
        problems.add("owner_organisation_id", _("Choose the organisation that owns this action"))
    wanted = list(area_ids or [])
    if not wanted:
        problems.add("areas", _("Select at least one area of weakness"))
        return []
    areas = by_ids(Area, [i for i in wanted if _is_id(i)], order_by=Area.number)
    if len(areas) != len(set(wanted)):
        problems.add("areas", _("Select areas of weakness from the list"))
    return areas


def _is_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= _MAX_ID


def check_status(problems: Problems, status: str | None) -> None:
    if status not in {s.value for s in ActionStatus}:
        problems.add("status", _("Choose a status"))


def check_progress(problems: Problems, progress: int | None) -> None:
    """Progress is a whole percentage."""
    if progress is None:
        problems.add(
            "progress",
            _(
                "Enter progress as a whole number from %(min)s to %(max)s",
                min=_number(PROGRESS_MIN),
                max=_number(PROGRESS_MAX),
            ),
        )
    elif not PROGRESS_MIN <= progress <= PROGRESS_MAX:
        problems.add(
            "progress",
            _(
                "Progress must be between %(min)s and %(max)s",
                min=_number(PROGRESS_MIN),
                max=_number(PROGRESS_MAX),
            ),
        )


def check_note(problems: Problems, note: str) -> None:
    """A progress update says what has changed: it is published on the action's page."""
    if not note.strip():
        problems.add("note", _("Enter what has changed"))
    elif len(note) > NOTE_MAX:
        problems.add(
            "note",
            _("What has changed must be %(max)s characters or fewer", max=_number(NOTE_MAX)),
        )


def reference_taken(reference: str, except_id: int | None = None) -> bool:
    query = db.select(Action.id).where(func.upper(Action.reference) == reference.strip().upper())
    if except_id:
        query = query.where(Action.id != except_id)
    return db.session.scalar(query) is not None


def area_number_taken(number: int, except_id: int | None = None) -> bool:
    query = db.select(Area.id).where(Area.number == number)
    if except_id:
        query = query.where(Area.id != except_id)
    return db.session.scalar(query) is not None


def overdue(on: date, status=None):
    """The condition that an action is overdue on a day: its due date has passed (it was due
    before that day) and it is not complete. `status` is the status column or expression to judge
    (the action's current status unless given, e.g. its status as it stood at a period's end)."""
    status = Action.status if status is None else status
    return and_(Action.due_date < on, status != ActionStatus.COMPLETE.value)
