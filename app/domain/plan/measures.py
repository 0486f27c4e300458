"""Outcome measures on plan actions: what they hold, their values and corrections, the CSV import
of values, and the one rule that says whether a measure is on track.

The state rule (`judge`), written once:

- **No recent data** when no value is dated in the RECENT_DAYS (90) days up to the day asked
  about: a value dated exactly 90 days before still counts, one dated 91 days before does not.
  Values dated after that day are not looked at (a value cannot be recorded for the future).
- Otherwise the latest value is judged against the straight line from (baseline date, baseline
  value) to (target date, target value), read at the latest value's date: before the baseline
  date the line is the baseline value, on or after the target date it is the target value. When
  the two dates are the same day the line is the baseline before it and the target from it.
- **On track** when the latest value is at least as good as the line in the measure's better
  direction (higher or lower); a value exactly on the line is on track (to a tolerance of a
  millionth, so that rounding in the arithmetic never turns "on the line" into "off track").
  Otherwise **off track**.

Reads for pages, the board report and open data load everything in a fixed number of queries,
however many measures and values there are.
"""

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    Area,
    BetterDirection,
    Measure,
    MeasureCorrection,
    MeasureUnit,
    MeasureValue,
    User,
    action_areas,
)
from ...models.base import LabelledEnum, utcnow
from ..people import audit
from ..shared import charts
from ..shared.dates import day as day_in_words
from ..shared.dates import local_day
from ..shared.errors import Problems, Refused
from ..thread.open_data import Column, Dataset, csv_cell
from . import csv_import

RECENT_DAYS = 90
TOLERANCE = 1e-6
NAME_MAX = 200
DESCRIPTION_MAX = 2000
SOURCE_MAX = 300
NOTE_MAX = 2000
REASON_MAX = 1000
VALUE_LIMIT = 1_000_000_000
IMPORT_COLUMNS = ("measure", "date", "value", "note")
IMPORT_REQUIRED = ("measure", "date", "value")
_MAX_ID = 2**31 - 1


class MeasureState(LabelledEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_RECENT_DATA = "no_recent_data"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ON_TRACK: _l("On track"),
            cls.OFF_TRACK: _l("Off track"),
            cls.NO_RECENT_DATA: _l("No recent data"),
        }

    @property
    def tag_colour(self) -> str:
        return {"on_track": "green", "off_track": "red", "no_recent_data": "grey"}[self.value]


# The rule ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """The straight line from the baseline to the target."""

    baseline_date: date
    baseline_value: float
    target_date: date
    target_value: float

    def at(self, day: date) -> float:
        """The line's value on `day`: the baseline before the baseline date, the target on or
        after the target date, and in between the straight line joining them."""
        if day >= self.target_date:
            return self.target_value
        if day <= self.baseline_date:
            return self.baseline_value
        span = (self.target_date - self.baseline_date).days
        elapsed = (day - self.baseline_date).days
        return self.baseline_value + (self.target_value - self.baseline_value) * elapsed / span


def is_recent(day: date, as_of: date) -> bool:
    """Whether a value dated `day` is recent on `as_of`: within the RECENT_DAYS days up to it."""
    return as_of - timedelta(days=RECENT_DAYS) <= day <= as_of


def at_least_as_good(value: float, expected: float, better: str) -> bool:
    tolerance = TOLERANCE * max(1.0, abs(expected))
    if better == BetterDirection.LOWER.value:
        return value <= expected + tolerance
    return value >= expected - tolerance


def judge(
    line: Line, better: str, latest: tuple[date, float] | None, as_of: date
) -> "MeasureState":
    """The state of a measure on `as_of` whose latest value on or before it is `latest`."""
    if latest is None or not is_recent(latest[0], as_of):
        return MeasureState.NO_RECENT_DATA
    day, value = latest
    if at_least_as_good(value, line.at(day), better):
        return MeasureState.ON_TRACK
    return MeasureState.OFF_TRACK


def latest_on_or_before(values: Iterable[tuple[date, float]], as_of: date):
    """The (date, value) dated last on or before `as_of`, or None."""
    return max(((d, v) for d, v in values if d <= as_of), default=None, key=lambda pair: pair[0])


def line_of(measure) -> Line:
    return Line(
        measure.baseline_date, measure.baseline_value, measure.target_date, measure.target_value
    )


def today() -> date:
    """Today in the service's zone (Europe/London)."""
    return local_day(utcnow())


# Numbers as people read and type them ------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def parse_number(text: str | None) -> float | None:
    """A number typed by a person ("62", "62.5", "1,250", "62%"), or None when it is not one."""
    text = (text or "").strip().removesuffix("%").strip()
    if not text or len(text) > 30 or not _NUMBER.fullmatch(text):
        return None
    number = float(text.replace(",", ""))
    return number if math.isfinite(number) else None


def format_value(value: float | None, unit: str) -> str:
    """A measure's value in words: "62%", "1,250", "18 days", "9.5 weeks"."""
    if value is None:
        return ""
    number = format_decimal(value, format="#,##0.##")
    whole = value == int(value)
    count = int(abs(value)) if whole else 2
    if unit == MeasureUnit.PERCENTAGE.value:
        return _("%(number)s%%", number=number)
    if unit == MeasureUnit.DAYS.value:
        return ngettext("%(number)s day", "%(number)s days", count, number=number)
    if unit == MeasureUnit.WEEKS.value:
        return ngettext("%(number)s week", "%(number)s weeks", count, number=number)
    return number


# Checking what staff give ------------------------------------------------------------------------


def _check_value_in_range(problems: Problems, field_name: str, value, unit: str, label: str):
    if value is None:
        problems.add(field_name, _("Enter the %(label)s as a number, like 62", label=label))
    elif abs(value) > VALUE_LIMIT:
        problems.add(field_name, _("The %(label)s must be less than a billion", label=label))
    elif unit == MeasureUnit.PERCENTAGE.value and not 0 <= value <= 100:
        problems.add(field_name, _("A percentage must be between 0 and 100"))
    elif unit in (MeasureUnit.DAYS.value, MeasureUnit.WEEKS.value) and value < 0:
        problems.add(field_name, _("A number of days or weeks cannot be less than 0"))


def _check_date(problems: Problems, field_name: str, day: date | None, empty: str, as_of: date):
    if day is None:
        problems.add(field_name, empty)
    elif day > as_of:
        problems.add(field_name, _("The date must be today or in the past"))


def check_measure(
    action: Action,
    measure: Measure | None,
    *,
    name: str,
    description: str,
    unit: str | None,
    better: str | None,
    baseline_value: float | None,
    baseline_date: date | None,
    target_value: float | None,
    target_date: date | None,
    source: str,
    public: bool = False,
    as_of: date | None = None,
) -> None:
    """Refused, with every problem, unless: a name no other measure of the action has, a
    description and a source; a unit and a better direction from the lists; a baseline value and
    date (today or earlier) and a target value and a later date; values that fit the unit; and a
    target that is no worse than the baseline."""
    as_of = as_of or today()
    problems = Problems()
    if not name:
        problems.add("name", _("Enter the name of the measure"))
    elif len(name) > NAME_MAX:
        problems.add("name", _("The name must be %(max)d characters or fewer", max=NAME_MAX))
    elif _name_taken(action.id, name, measure.id if measure else None):
        problems.add("name", _("This action already has a measure with this name"))
    if not description:
        problems.add("description", _("Describe the measure in plain English"))
    elif len(description) > DESCRIPTION_MAX:
        problems.add(
            "description",
            _("The description must be %(max)d characters or fewer", max=DESCRIPTION_MAX),
        )
    if unit not in {u.value for u in MeasureUnit}:
        problems.add("unit", _("Select the unit"))
        unit = MeasureUnit.NUMBER.value
    if better not in {b.value for b in BetterDirection}:
        problems.add("better", _("Select whether a higher or a lower value is better"))
    _check_value_in_range(problems, "baseline_value", baseline_value, unit, _("baseline value"))
    _check_date(problems, "baseline_date", baseline_date, _("Enter the baseline date"), as_of)
    _check_value_in_range(problems, "target_value", target_value, unit, _("target value"))
    if target_date is None:
        problems.add("target_date", _("Enter the target date"))
    elif baseline_date is not None and target_date <= baseline_date:
        problems.add("target_date", _("The target date must be after the baseline date"))
    fields_with_problems = {name for name, _message in problems.items}
    if (
        better in {b.value for b in BetterDirection}
        and not fields_with_problems & {"baseline_value", "target_value"}
        and baseline_value is not None
        and target_value is not None
        and not at_least_as_good(target_value, baseline_value, better)
    ):
        problems.add(
            "target_value",
            _("The target must be higher than the baseline, or the same, when higher is better")
            if better == BetterDirection.HIGHER.value
            else _("The target must be lower than the baseline, or the same, when lower is better"),
        )
    if not source:
        problems.add("source", _("Enter where the figures come from, like KCC EHC plan data"))
    elif len(source) > SOURCE_MAX:
        problems.add("source", _("The source must be %(max)d characters or fewer", max=SOURCE_MAX))
    problems.raise_if_any()


def _name_taken(action_id: int, name: str, except_id: int | None) -> bool:
    query = db.select(Measure.id).where(
        Measure.action_id == action_id, func.lower(Measure.name) == name.strip().lower()
    )
    if except_id is not None:
        query = query.where(Measure.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def save_measure(actor: User, action: Action, measure: Measure | None, **values) -> Measure:
    """Add a measure to an action or change one; Refused when it breaks a rule. Audited with
    what changed, before and after. Commits."""
    check_measure(action, measure, **values)
    values.pop("as_of", None)
    created = measure is None
    if measure is None:
        position = db.session.scalar(
            db.select(func.coalesce(func.max(Measure.position), 0)).where(
                Measure.action_id == action.id
            )
        )
        measure = Measure(action_id=action.id, position=position + 1)
    changed = audit.apply_changes(measure, values)
    db.session.add(measure)
    if created or changed:
        audit.record(
            "measure.created" if created else "measure.updated",
            measure,
            actor=actor,
            summary=f"{action.reference}: {measure.name}"[:500],
            detail={"action": action.reference, "changed": _jsonable(changed)},
        )
    db.session.commit()
    return measure


def _jsonable(changed: dict) -> dict:
    return {
        name: {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in change.items()
        }
        for name, change in changed.items()
    }


def _existing_on(measure_id: int, day: date) -> MeasureValue | None:
    return db.session.scalar(
        db.select(MeasureValue).where(
            MeasureValue.measure_id == measure_id, MeasureValue.measured_on == day
        )
    )


def _already_recorded(day: date) -> str:
    return _(
        "There is already a value for %(date)s. To change it, correct that value instead",
        date=day_in_words(day),
    )


def check_value(
    measure: Measure,
    *,
    measured_on: date | None,
    value: float | None,
    note: str,
    as_of: date | None = None,
) -> None:
    """Refused unless the value fits the measure's unit and is dated today or earlier, on a
    date that has no value yet (one value per date: a different figure is a correction)."""
    as_of = as_of or today()
    problems = Problems()
    _check_date(problems, "measured_on", measured_on, _("Enter the date of the value"), as_of)
    if measured_on is not None and measured_on <= as_of and _existing_on(measure.id, measured_on):
        problems.add("measured_on", _already_recorded(measured_on))
    _check_value_in_range(problems, "value", value, measure.unit, _("value"))
    if len(note) > NOTE_MAX:
        problems.add("note", _("The note must be %(max)d characters or fewer", max=NOTE_MAX))
    problems.raise_if_any()


def record_value(
    actor: User,
    measure: Measure,
    *,
    measured_on: date | None,
    value: float | None,
    note: str,
    as_of: date | None = None,
) -> MeasureValue:
    """Record a measure's value for a date; Refused when it breaks a rule. Audited. Commits."""
    note = note.strip()
    check_value(measure, measured_on=measured_on, value=value, note=note, as_of=as_of)
    recorded = MeasureValue(
        measure_id=measure.id, measured_on=measured_on, value=value, note=note, recorded_by=actor
    )
    db.session.add(recorded)
    try:
        db.session.flush()
    except IntegrityError:  # someone recorded the same date a moment ago
        db.session.rollback()
        raise Refused(("measured_on", _already_recorded(measured_on))) from None
    audit.record(
        "measure_value.recorded",
        recorded,
        actor=actor,
        summary=f"{measure.name}: {value} on {measured_on.isoformat()}"[:500],
        detail={"measure_id": measure.id, "date": measured_on.isoformat(), "value": value},
    )
    db.session.commit()
    return recorded


def check_correction(measured: MeasureValue, *, value: float | None, reason: str) -> None:
    """Refused unless the new value fits the unit and differs from the current one, and the
    reason is given (it is published with the correction)."""
    problems = Problems()
    _check_value_in_range(problems, "value", value, measured.measure.unit, _("new value"))
    if value is not None and value == measured.value:
        problems.add("value", _("The new value is the same as the current value"))
    if not reason:
        problems.add("reason", _("Enter the reason for the correction"))
    elif len(reason) > REASON_MAX:
        problems.add("reason", _("The reason must be %(max)d characters or fewer", max=REASON_MAX))
    problems.raise_if_any()


def correct_value(
    actor: User, measured: MeasureValue, *, value: float | None, reason: str
) -> MeasureCorrection:
    """Change a recorded value, keeping the earlier one: the correction (old and new value,
    reason, who, when) is shown in the measure's public history and in the audit log. Commits."""
    reason = reason.strip()
    check_correction(measured, value=value, reason=reason)
    correction = MeasureCorrection(
        measure_value=measured,
        previous_value=measured.value,
        new_value=value,
        reason=reason,
        corrected_by=actor,
    )
    measured.value = value
    db.session.add(correction)
    audit.record(
        "measure_value.corrected",
        measured,
        actor=actor,
        summary=(
            f"{measured.measure.name} on {measured.measured_on.isoformat()}: "
            f"{correction.previous_value} to {value}"
        )[:500],
        detail={
            "measure_id": measured.measure_id,
            "date": measured.measured_on.isoformat(),
            "from": correction.previous_value,
            "to": value,
            "reason": reason,
        },
    )
    db.session.commit()
    return correction


# Importing values --------------------------------------------------------------------------------


@dataclass
class ValuesImport:
    values: list[MeasureValue] = field(default_factory=list)
    file_error: str | None = None
    problems: list[csv_import.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems


def import_values(
    actor: User, action: Action, data: bytes, *, filename: str = "", as_of: date | None = None
) -> ValuesImport:
    """Check every row of a CSV of values for the action's measures, then record them all — or
    none. The measure column holds a measure's number (its id, shown on the page) or its exact
    name (any case); each problem names its line and column."""
    as_of = as_of or today()
    try:
        header, rows = csv_import.read_csv(
            data,
            no_rows=_(
                "The file has column headings but no values. Add one value on each line below "
                "the headings."
            ),
            too_many=lambda count: _(
                "The file has %(count)s values. Import up to %(max)s values at a time.",
                count=format_decimal(count),
                max=format_decimal(csv_import.MAX_ROWS),
            ),
        )
        columns = csv_import.column_positions(header, IMPORT_COLUMNS, IMPORT_REQUIRED)
    except csv_import.FileError as error:
        return ValuesImport(file_error=str(error))

    measures = list(db.session.scalars(db.select(Measure).where(Measure.action_id == action.id)))
    by_id = {str(m.id): m for m in measures}
    by_name = {m.name.strip().casefold(): m for m in measures}
    existing = {
        (measure_id, day)
        for measure_id, day in db.session.execute(
            db.select(MeasureValue.measure_id, MeasureValue.measured_on)
            .join(Measure)
            .where(Measure.action_id == action.id)
        )
    }
    problems: list[csv_import.Problem] = []
    checked: list[tuple[Measure, date, float, str]] = []
    seen: dict[tuple[int, date], int] = {}
    width = len(header)
    for line, cells in rows:
        if any(extra.strip() for extra in cells[width:]):
            problems.append(
                csv_import.Problem(
                    line,
                    _(
                        "This line has more values than there are columns. Put any value that "
                        "contains a comma in double quotes."
                    ),
                )
            )
            continue

        def cell(name: str, cells=cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row_problems = []
        measure = None
        if not cell("measure"):
            row_problems.append(("measure", _("Enter the measure's number or name")))
        else:
            measure = by_id.get(cell("measure")) or by_name.get(cell("measure").casefold())
            if measure is None:
                row_problems.append(
                    (
                        "measure",
                        _(
                            "'%(measure)s' is not a measure of this action. Use a number or an "
                            "exact name from the list on this page",
                            measure=cell("measure")[:100],
                        ),
                    )
                )
        day = None
        if not cell("date"):
            row_problems.append(("date", _("Enter the date of the value")))
        else:
            day = csv_import.parse_date(cell("date"))
            if day is None:
                row_problems.append(
                    ("date", _("The date must be a real date, written as YYYY-MM-DD or DD/MM/YYYY"))
                )
            elif day > as_of:
                row_problems.append(("date", _("The date must be today or in the past")))
                day = None
        value = parse_number(cell("value"))
        if not cell("value"):
            row_problems.append(("value", _("Enter the value")))
        elif value is None:
            row_problems.append(("value", _("The value must be a number, like 62 or 62.5")))
        elif measure is not None:
            found = Problems()
            _check_value_in_range(found, "value", value, measure.unit, _("value"))
            row_problems.extend(found.items)
        note = cell("note")
        if len(note) > NOTE_MAX:
            row_problems.append(
                ("note", _("The note must be %(max)d characters or fewer", max=NOTE_MAX))
            )
        if measure is not None and day is not None:
            key = (measure.id, day)
            if key in existing:
                row_problems.append(("date", _already_recorded(day)))
            elif key in seen:
                row_problems.append(
                    (
                        "date",
                        _(
                            "This measure has another value for this date on line %(other)d",
                            other=seen[key],
                        ),
                    )
                )
            else:
                seen[key] = line
        if row_problems:
            problems.extend(
                csv_import.Problem(line, str(message), column)
                for column, message in sorted(
                    row_problems, key=lambda item: IMPORT_COLUMNS.index(item[0])
                )
            )
        else:
            checked.append((measure, day, value, note))
    if problems:
        return ValuesImport(problems=problems)

    created = [
        MeasureValue(
            measure_id=measure.id, measured_on=day, value=value, note=note, recorded_by=actor
        )
        for measure, day, value, note in checked
    ]
    db.session.add_all(created)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return ValuesImport(
            file_error=_(
                "Another person recorded a value while the file was being imported. Nothing was "
                "imported. Upload the file again."
            )
        )
    for recorded, (measure, day, value, _note) in zip(created, checked, strict=True):
        audit.record(
            "measure_value.recorded",
            recorded,
            actor=actor,
            summary=f"{measure.name}: {value} on {day.isoformat()}"[:500],
            detail={"measure_id": measure.id, "date": day.isoformat(), "value": value},
        )
    audit.record(
        "measure_values.imported",
        action,
        actor=actor,
        summary=f"{len(created)} values imported for {action.reference}"
        + (f" from {filename[:200]}" if filename else ""),
        detail={"count": len(created), "filename": filename[:200]},
    )
    db.session.commit()
    return ValuesImport(values=created)


def example_values_csv(action: Action) -> str:
    """A file in the import's format for this action's measures, to download and fill in."""
    measures = list(
        db.session.scalars(
            db.select(Measure)
            .where(Measure.action_id == action.id)
            .order_by(Measure.position, Measure.id)
        )
    )
    names = [csv_cell(m.name) for m in measures] or ["EHC plans issued within 20 weeks"]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    last_month = today().replace(day=1) - timedelta(days=1)
    month_before = last_month.replace(day=1) - timedelta(days=1)
    writer.writerow([names[0], last_month.isoformat(), "62.5", "Provisional figure"])
    writer.writerow(
        [str(measures[0].id) if measures else names[0], month_before.isoformat(), "58", ""]
    )
    return output.getvalue()


# Reading measures --------------------------------------------------------------------------------


@dataclass
class MeasureSummary:
    """A measure and where it stands on a day: the board report, area pages and the home page.

    `latest_value`/`latest_date` are the value dated last on or before that day (None when
    there is none); `state` is `judge` on that day."""

    measure_id: int
    name: str
    description: str
    unit: MeasureUnit
    better: BetterDirection
    source: str
    public: bool
    action_id: int
    action_reference: str
    action_title: str
    area_ids: list[int]
    latest_value: float | None
    latest_date: date | None
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    state: MeasureState

    @property
    def latest_text(self) -> str:
        return format_value(self.latest_value, self.unit.value)

    @property
    def target_text(self) -> str:
        return format_value(self.target_value, self.unit.value)


def _measures_query(area_ids: list[int] | None, public_only: bool, action_id: int | None = None):
    query = db.select(Measure, Action.reference, Action.title).join(
        Action, Action.id == Measure.action_id
    )
    if public_only:
        query = query.where(Measure.public.is_(True))
    if action_id is not None:
        query = query.where(Measure.action_id == action_id)
    if area_ids is not None:
        query = query.where(
            Measure.action_id.in_(
                db.select(action_areas.c.action_id).where(action_areas.c.area_id.in_(area_ids))
            )
        )
    return query


def measure_summaries(
    as_of: date,
    area_ids: list[int] | None = None,
    public_only: bool = False,
    *,
    action_id: int | None = None,
) -> list[MeasureSummary]:
    """Every measure (of the actions in `area_ids`, or of one action, when given; public ones
    only, when asked) with its latest value on or before `as_of` and its state on that day, in
    plan order. Three queries, however many measures and values."""
    base = _measures_query(area_ids, public_only, action_id)
    rows = db.session.execute(base.order_by(Action.reference, Measure.position, Measure.id)).all()
    if not rows:
        return []
    chosen = base.with_only_columns(Measure.id).scalar_subquery()
    chosen_actions = base.with_only_columns(Measure.action_id).scalar_subquery()
    areas: dict[int, list[int]] = defaultdict(list)
    for action_id, area_id in db.session.execute(
        db.select(action_areas.c.action_id, action_areas.c.area_id)
        .where(action_areas.c.action_id.in_(chosen_actions))
        .order_by(action_areas.c.area_id)
    ):
        areas[action_id].append(area_id)
    latest_day = (
        db.select(MeasureValue.measure_id, func.max(MeasureValue.measured_on).label("day"))
        .where(MeasureValue.measured_on <= as_of, MeasureValue.measure_id.in_(chosen))
        .group_by(MeasureValue.measure_id)
        .subquery()
    )
    latest = {
        measure_id: (day, value)
        for measure_id, day, value in db.session.execute(
            db.select(MeasureValue.measure_id, MeasureValue.measured_on, MeasureValue.value).join(
                latest_day,
                (latest_day.c.measure_id == MeasureValue.measure_id)
                & (latest_day.c.day == MeasureValue.measured_on),
            )
        )
    }
    summaries = []
    for measure, reference, title in rows:
        found = latest.get(measure.id)
        summaries.append(
            MeasureSummary(
                measure_id=measure.id,
                name=measure.name,
                description=measure.description,
                unit=measure.unit_enum,
                better=measure.better_enum,
                source=measure.source,
                public=measure.public,
                action_id=measure.action_id,
                action_reference=reference,
                action_title=title,
                area_ids=areas.get(measure.action_id, []),
                latest_value=found[1] if found else None,
                latest_date=found[0] if found else None,
                baseline_value=measure.baseline_value,
                baseline_date=measure.baseline_date,
                target_value=measure.target_value,
                target_date=measure.target_date,
                state=judge(line_of(measure), measure.better, found, as_of),
            )
        )
    return summaries


def state_counts(as_of: date, public_only: bool = True) -> dict[MeasureState, int]:
    """How many measures are in each state on `as_of` (every state present, in order)."""
    counts = dict.fromkeys(MeasureState, 0)
    for summary in measure_summaries(as_of, public_only=public_only):
        counts[summary.state] += 1
    return counts


@dataclass
class HistoryEntry:
    """A correction as the measure's history shows it: on the public page without the name of
    the person who made it (the product never shows staff names publicly)."""

    corrected_at: object
    measured_on: date
    previous_value: float
    new_value: float
    reason: str
    corrected_by: User | None


@dataclass
class MeasureDetail:
    measure: Measure
    values: list[MeasureValue]
    latest: MeasureValue | None
    state: MeasureState
    chart: charts.LineChart
    corrections: list[HistoryEntry]

    def text(self, value: float | None) -> str:
        return format_value(value, self.measure.unit)

    def expected_on(self, day: date) -> str:
        return self.text(line_of(self.measure).at(day))


def measure_details(
    action_id: int, as_of: date, *, public_only: bool, rtl: bool = False
) -> list[MeasureDetail]:
    """An action's measures with every value, the corrections and the chart: the action's
    public page (public ones only) and its staff pages. Three queries, however many."""
    measures = list(
        db.session.scalars(
            db.select(Measure)
            .where(Measure.action_id == action_id)
            .where(Measure.public.is_(True) if public_only else true())
            .options(_values_loaded(staff=not public_only))
            .order_by(Measure.position, Measure.id)
        )
    )
    return [_detail(measure, as_of, rtl, staff=not public_only) for measure in measures]


def _values_loaded(staff: bool):
    """Values and their corrections; for staff pages also who made each correction (public
    pages never show staff names, so they never load them)."""
    corrections = selectinload(Measure.values).selectinload(MeasureValue.corrections)
    return corrections.selectinload(MeasureCorrection.corrected_by) if staff else corrections


def measure_detail(measure: Measure, as_of: date, rtl: bool = False) -> MeasureDetail:
    """One measure for its staff page (with who made each correction)."""
    return _detail(measure, as_of, rtl, staff=True)


def _detail(measure: Measure, as_of: date, rtl: bool, staff: bool) -> MeasureDetail:
    values = sorted(measure.values, key=lambda v: v.measured_on)
    shown = [v for v in values if v.measured_on <= as_of]
    latest = shown[-1] if shown else None
    state = judge(
        line_of(measure),
        measure.better,
        (latest.measured_on, latest.value) if latest else None,
        as_of,
    )
    corrections = sorted(
        (
            HistoryEntry(
                c.corrected_at,
                v.measured_on,
                c.previous_value,
                c.new_value,
                c.reason,
                c.corrected_by if staff else None,
            )
            for v in values
            for c in v.corrections
        ),
        key=lambda entry: entry.corrected_at,
        reverse=True,
    )
    return MeasureDetail(
        measure=measure,
        values=values,
        latest=latest,
        state=state,
        chart=_chart(measure, shown, latest, state, rtl),
        corrections=corrections,
    )


def _chart(measure: Measure, values, latest, state, rtl: bool) -> charts.LineChart:
    unit = measure.unit

    def text(value: float) -> str:
        return format_value(value, unit)

    parts = [
        _(
            "Baseline %(baseline)s on %(baseline_date)s; target %(target)s by %(target_date)s.",
            baseline=text(measure.baseline_value),
            baseline_date=day_in_words(measure.baseline_date),
            target=text(measure.target_value),
            target_date=day_in_words(measure.target_date),
        )
    ]
    if latest is not None:
        parts.append(
            ngettext(
                "%(num)d value recorded; the latest is %(value)s on %(date)s.",
                "%(num)d values recorded; the latest is %(value)s on %(date)s.",
                len(values),
                value=text(latest.value),
                date=day_in_words(latest.measured_on),
            )
        )
    else:
        parts.append(_("No values have been recorded yet."))
    parts.append(_("State: %(state)s.", state=state.label))
    return charts.line_chart(
        measure.name,
        " ".join(parts),
        [(v.measured_on, v.value) for v in values],
        baseline=(measure.baseline_date, measure.baseline_value),
        target=(measure.target_date, measure.target_value),
        value_text=text,
        date_text=lambda day: day_in_words(day),
        rtl=rtl,
        chart_id=f"measure-{measure.id}-chart",
    )


def measure_by_id(measure_id: int) -> Measure | None:
    """A measure with its action, for its staff pages; ids out of range are simply not found."""
    if not 0 < measure_id <= _MAX_ID:
        return None
    return db.session.scalar(
        db.select(Measure)
        .where(Measure.id == measure_id)
        .options(
            selectinload(Measure.action),
            selectinload(Measure.values)
            .selectinload(MeasureValue.corrections)
            .selectinload(MeasureCorrection.corrected_by),
            selectinload(Measure.values).selectinload(MeasureValue.recorded_by),
        )
    )


def value_by_id(measure: Measure, value_id: int) -> MeasureValue | None:
    """One of the measure's values (None when it is not one of them)."""
    return next((v for v in measure.values if v.id == value_id), None)


# Open data --------------------------------------------------------------------------------------

OPEN_DATASETS = ("measures", "measure_values")


def _measures_dataset() -> Dataset:
    """Every public measure with its latest value and state today (four queries)."""
    numbers = dict(db.session.execute(db.select(Area.id, Area.number)).tuples().all())
    rows = [
        {
            "id": s.measure_id,
            "action": s.action_reference,
            "areas": sorted(numbers[area_id] for area_id in s.area_ids),
            "name": s.name,
            "description": s.description,
            "unit": s.unit.value,
            "better": s.better.value,
            "source": s.source,
            "baseline_value": s.baseline_value,
            "baseline_date": s.baseline_date.isoformat(),
            "target_value": s.target_value,
            "target_date": s.target_date.isoformat(),
            "latest_value": s.latest_value,
            "latest_date": s.latest_date.isoformat() if s.latest_date else None,
            "state": s.state.value,
        }
        for s in measure_summaries(today(), public_only=True)
    ]
    names = [
        "id",
        "action",
        "areas",
        "name",
        "description",
        "unit",
        "better",
        "source",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "latest_value",
        "latest_date",
        "state",
    ]
    columns = [Column(name, "list" if name == "areas" else "text") for name in names]
    return Dataset("measures", columns, rows)


def _values_dataset() -> Dataset:
    """Every value of every public measure, with whether and how it was corrected (two queries)."""
    found = db.session.execute(
        db.select(MeasureValue, Measure.name, Action.reference)
        .join(Measure, Measure.id == MeasureValue.measure_id)
        .join(Action, Action.id == Measure.action_id)
        .where(Measure.public.is_(True))
        .options(selectinload(MeasureValue.corrections))
        .order_by(Action.reference, Measure.position, Measure.id, MeasureValue.measured_on)
    ).all()
    rows = []
    for measured, name, reference in found:
        first = measured.corrections[0] if measured.corrections else None
        last = measured.corrections[-1] if measured.corrections else None
        rows.append(
            {
                "measure_id": measured.measure_id,
                "measure": name,
                "action": reference,
                "date": measured.measured_on.isoformat(),
                "value": measured.value,
                "note": measured.note,
                "corrected": bool(first),
                "original_value": first.previous_value if first else None,
                "corrected_on": last.corrected_at.date().isoformat() if last else None,
                "correction_reason": last.reason if last else "",
            }
        )
    names = [
        "measure_id",
        "measure",
        "action",
        "date",
        "value",
        "note",
        "corrected",
        "original_value",
        "corrected_on",
        "correction_reason",
    ]
    return Dataset("measure_values", [Column(name) for name in names], rows)


def open_dataset(name: str) -> Dataset | None:
    """The measures' open data files: public measures only, never the names of staff."""
    if name == "measures":
        return _measures_dataset()
    if name == "measure_values":
        return _values_dataset()
    return None
