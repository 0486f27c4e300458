"""Import plan actions from a CSV file.

Every row is checked before anything is stored. If the file cannot be read, or any row has a
problem, nothing is imported and the caller gets the reasons: one message for the file as a
whole, or one message per problem with the line it is on (the column headings are line 1,
as in a spreadsheet). Otherwise all the actions are created in one transaction.

`read_csv`, `column_positions`, `FileError`, `Problem` and `parse_date` are shared with the
import of measure values (domain/plan/measures.py), so both read files the same way.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Action, ActionStatus, ActionUpdate, Area, Organisation, User
from ...models.plan import STATUS_LABELS
from ..people import audit
from ..shared.errors import Problems
from ..thread.open_data import csv_cell
from . import rules

MAX_ROWS = 1000
COLUMNS = (
    "reference",
    "title",
    "description",
    "owner",
    "lead",
    "due_date",
    "status",
    "progress",
    "areas",
)
REQUIRED_COLUMNS = ("reference", "title", "owner", "areas")
IMPORTED_NOTE = "Action imported from a CSV file"

# Signatures of common files that people upload by mistake instead of a CSV.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # .xlsx, .docx, .ods, .zip
    b"\xd0\xcf\x11\xe0",  # old .xls and .doc
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Problem:
    line: int
    message: str
    column: str = ""  # the column's heading, when the problem is in one cell

    def __str__(self) -> str:
        if self.column:
            return _(
                "Line %(line)d, column %(column)s: %(message)s",
                line=self.line,
                column=self.column,
                message=self.message,
            )
        return _("Line %(line)d: %(message)s", line=self.line, message=self.message)


@dataclass
class ImportResult:
    actions: list[Action] = field(default_factory=list)
    file_error: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems


@dataclass
class _Row:
    line: int
    reference: str
    title: str
    description: str
    owner: Organisation
    lead: str
    due_date: date | None
    status: str
    progress: int
    areas: list[Area]


class FileError(Exception):
    pass


def import_actions(actor: User, data: bytes, *, filename: str = "") -> ImportResult:
    """Check the whole file, then create every action in it — or none of them."""
    try:
        header, rows = read_csv(data)
        columns = column_positions(header)
    except FileError as error:
        return ImportResult(file_error=str(error))

    organisations = _organisation_lookup()
    areas = {area.number: area for area in db.session.scalars(db.select(Area))}
    statuses = _status_lookup()
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    checked: list[_Row] = []

    for line, cells in rows:
        row, row_problems = _check_row(
            line, cells, columns, len(header), organisations, areas, statuses
        )
        problems.extend(row_problems)
        if row is None:
            continue
        key = row.reference.upper()
        if key in seen:
            problems.append(
                Problem(
                    line,
                    _(
                        "Reference %(reference)s is also on line %(other)d",
                        reference=key,
                        other=seen[key],
                    ),
                )
            )
            continue
        seen[key] = line
        checked.append(row)

    existing = _existing_references([row.reference for row in checked])
    for row in checked:
        if row.reference.upper() in existing:
            problems.append(
                Problem(
                    row.line,
                    _(
                        "Reference %(reference)s is already in the plan",
                        reference=row.reference.upper(),
                    ),
                )
            )
    if problems:
        problems.sort(key=lambda problem: problem.line)
        return ImportResult(problems=problems)

    try:
        actions = _create(actor, checked, filename)
    except IntegrityError:
        # Someone added one of these references while the file was being checked.
        db.session.rollback()
        return ImportResult(
            file_error=_(
                "Another person changed the plan while the file was being imported. "
                "Nothing was imported. Upload the file again."
            )
        )
    return ImportResult(actions=actions)


def read_csv(
    data: bytes,
    *,
    max_rows: int = MAX_ROWS,
    no_rows: str | None = None,
    too_many: Callable[[int], str] | None = None,
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Decode and split the file; returns the header and the numbered, non-blank rows.

    `no_rows` and `too_many(count)` word the two messages that name what the file holds
    (actions here; other importers, such as measure values, pass their own)."""
    not_csv = _(
        "The selected file must be a CSV file. In Excel, choose 'Save as' and then 'CSV UTF-8 "
        "(comma delimited)'."
    )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        return _raise(_("The selected file is empty"))
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data:
        return _raise(not_csv)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _raise(
            _(
                "The selected file must be saved as UTF-8 text. In Excel, choose 'Save as' and "
                "then 'CSV UTF-8 (comma delimited)'."
            )
        )
    if _CONTROL_CHARACTERS.search(text):
        return _raise(not_csv)

    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return _raise(not_csv)

    numbered = [(line, cells) for line, cells in enumerate(records, start=1)]
    header_index = next(
        (i for i, (_line, cells) in enumerate(numbered) if any(c.strip() for c in cells)), None
    )
    if header_index is None:
        return _raise(_("The selected file is empty"))
    header = numbered[header_index][1]
    rows = [
        (line, cells)
        for line, cells in numbered[header_index + 1 :]
        if any(c.strip() for c in cells)
    ]
    if not rows:
        return _raise(
            no_rows
            or _(
                "The file has column headings but no actions. Add one action on each line below "
                "the headings."
            )
        )
    if len(rows) > max_rows:
        if too_many is not None:
            return _raise(too_many(len(rows)))
        return _raise(
            ngettext(
                "The file has %(num)d actions. Import up to 1,000 actions at a time.",
                "The file has %(num)d actions. Import up to 1,000 actions at a time.",
                len(rows),
            )
        )
    return header, rows


def _raise(message: str):
    raise FileError(message)


CsvFileError = FileError  # a problem with the file as a whole; str() says what


def read_table(
    data: bytes, columns, required_columns, *, max_rows: int, no_rows, too_many
) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Any CSV import's first step, with the same checks and messages as the plan import: the
    position of each known column and the numbered, non-blank rows. Raises CsvFileError."""
    header, rows = read_csv(data, max_rows=max_rows, no_rows=no_rows, too_many=too_many)
    return column_positions(header, columns, required_columns), rows


def column_positions(
    header: list[str],
    known: tuple[str, ...] = COLUMNS,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> dict[str, int]:
    """Map each known column to its position; refuse missing, unknown and repeated columns."""
    names = [re.sub(r"[\s\-]+", "_", cell.strip().lower()) for cell in header]
    if len(names) == 1 and any(separator in header[0] for separator in (";", "\t")):
        _raise(
            _(
                "The columns must be separated by commas. In Excel, choose 'Save as' and then 'CSV "
                "UTF-8 (comma delimited)'."
            )
        )
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in known:
            unknown.append(header[index].strip()[:50])
            continue
        if name in positions:
            _raise(_("The file has more than one column called '%(name)s'", name=name))
        positions[name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        _raise(
            ngettext(
                "The file is missing this column: %(columns)s. The first line must be the column "
                "headings.",
                "The file is missing these columns: %(columns)s. The first line must be the column "
                "headings.",
                len(missing),
                columns=", ".join(missing),
            )
        )
    if unknown:
        _raise(
            _(
                "The file has a column called '%(name)s', which is not one of: %(columns)s",
                name=unknown[0],
                columns=", ".join(known),
            )
        )
    return positions


def _organisation_lookup() -> dict[str, Organisation]:
    lookup: dict[str, Organisation] = {}
    for organisation in db.session.scalars(db.select(Organisation)):
        for name in (organisation.name, organisation.short_name):
            if name:
                lookup.setdefault(name.strip().casefold(), organisation)
    return lookup


def _status_lookup() -> dict[str, str]:
    """Status values, their English labels and their labels in the current language."""
    lookup: dict[str, str] = {}
    for status in ActionStatus:
        # "on_track", "on track" (the English label, any case) and the label in the current language
        for name in (status.value, status.value.replace("_", " "), str(STATUS_LABELS[status])):
            lookup[name.strip().casefold()] = status.value
    return lookup


def _check_row(
    line, cells, columns, width, organisations, areas, statuses
) -> tuple[_Row | None, list[Problem]]:
    if any(extra.strip() for extra in cells[width:]):
        message = _(
            "This line has more values than there are columns. Put any value that contains a comma "
            "in double quotes."
        )
        return None, [Problem(line, message)]
    found = Problems()

    def problem(column: str, message: str) -> None:
        found.add(column, message)

    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    values = {name: cell(name) for name in COLUMNS}

    reference, title, description, lead = (
        values["reference"],
        values["title"],
        values["description"],
        values["lead"],
    )
    rules.check_action_text(
        found, reference=reference, title=title, description=description, lead=lead
    )

    owner = None
    if not values["owner"]:
        problem("owner", _("Enter the owner: the name or short name of an organisation"))
    else:
        owner = organisations.get(values["owner"].casefold())
        if owner is None:
            problem(
                "owner",
                _(
                    "Owner '%(owner)s' is not an organisation. Use the name or short name of one "
                    "of: %(names)s",
                    owner=values["owner"][:100],
                    names=", ".join(sorted({o.name for o in organisations.values()})),
                ),
            )

    due_date = None
    if values["due_date"]:
        due_date = parse_date(values["due_date"])
        if due_date is None:
            problem(
                "due_date", _("Due date must be a real date, written as YYYY-MM-DD or DD/MM/YYYY")
            )

    status = ActionStatus.NOT_STARTED.value
    if values["status"]:
        status = statuses.get(values["status"].casefold())
        if status is None:
            problem(
                "status",
                _(
                    "Status must be one of: %(values)s",
                    values=", ".join(s.value for s in ActionStatus),
                ),
            )

    progress = 0
    if values["progress"]:
        text = values["progress"].rstrip("%").strip()
        if not re.fullmatch(r"[0-9]+", text):
            problem(
                "progress",
                _(
                    "Progress must be a whole number from %(min)s to %(max)s",
                    min=format_number(rules.PROGRESS_MIN),
                    max=format_number(rules.PROGRESS_MAX),
                ),
            )
        else:
            progress = int(text)
            rules.check_progress(found, progress)

    linked: list[Area] = []
    if not values["areas"]:
        problem("areas", _("Enter at least one area number in the areas column, like 1;3"))
    else:
        parts = [part.strip() for part in re.split(r"[;,]", values["areas"]) if part.strip()]
        if not parts or not all(re.fullmatch(r"[0-9]{1,9}", part) for part in parts):
            problem("areas", _("Areas must be area numbers separated by semicolons, like 1;3"))
        else:
            for number in dict.fromkeys(int(part) for part in parts):
                if number in areas:
                    linked.append(areas[number])
                else:
                    problem("areas", _("There is no area %(number)d", number=number))

    if found:
        in_column_order = sorted(found.items, key=lambda item: COLUMNS.index(item[0]))
        return None, [Problem(line, message) for _column, message in in_column_order]
    return _Row(
        line,
        reference.upper(),
        title,
        description,
        owner,
        lead,
        due_date,
        status,
        progress,
        sorted(linked, key=lambda area: area.number),
    ), []


def parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2999:
            return parsed
    return None


def _existing_references(references: list[str]) -> set[str]:
    if not references:
        return set()
    wanted = {reference.upper() for reference in references}
    found = set()
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        found.update(
            db.session.scalars(
                db.select(func.upper(Action.reference)).where(
                    func.upper(Action.reference).in_(chunk[start : start + 500])
                )
            )
        )
    return found


def _create(actor: User, rows: list[_Row], filename: str) -> list[Action]:
    actions = []
    for row in rows:
        action = Action(
            reference=row.reference,
            title=row.title,
            description=row.description,
            owner=row.owner,
            lead=row.lead,
            due_date=row.due_date,
            status=row.status,
            progress=row.progress,
            areas=row.areas,
        )
        db.session.add(action)
        db.session.add(
            ActionUpdate(
                action=action,
                author=actor,
                previous_status=None,
                status=row.status,
                progress=row.progress,
                note=IMPORTED_NOTE,
            )
        )
        actions.append(action)
    db.session.flush()
    for action in actions:
        audit.record(
            "action.created",
            action,
            actor=actor,
            summary=f"{action.reference}: {action.title}"[:500],
            detail={"imported": True},
        )
    audit.record(
        "plan.imported",
        None,
        actor=actor,
        summary=f"{len(actions)} actions imported" + (f" from {filename}" if filename else ""),
        detail={
            "count": len(actions),
            "filename": filename[:200],
            "references": [action.reference for action in actions],
        },
    )
    db.session.commit()
    return actions


def example_csv() -> str:
    """A small file in the import's format, to download and fill in."""
    organisations = list(
        db.session.scalars(db.select(Organisation).order_by(Organisation.name).limit(2))
    )
    owners = [
        csv_cell(organisation.short_name or organisation.name) for organisation in organisations
    ] or ["KCC"]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "EXAMPLE-1.1",
            "Publish the local offer in plain English",
            "Rewrite every page with parents.",
            owners[0],
            "Head of SEND",
            "2026-09-30",
            "on_track",
            "25",
            "1;3",
        ]
    )
    writer.writerow(
        [
            "EXAMPLE-1.2",
            "Train school SENCOs on the new pathway",
            "",
            owners[-1],
            "",
            "31/03/2027",
            "",
            "",
            "2",
        ]
    )
    return output.getvalue()
