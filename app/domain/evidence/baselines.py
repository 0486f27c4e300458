"""Reach baselines, kept by administrators: for each dimension, each group's share of the
population (in per cent), where the figure comes from and what date it describes.

The rules, for the form and the CSV import alike:
- a group is one of the dimension's groups (the codes the "about you" questions store; a CSV may
  also name a group by its English label or its code in any case);
- a share is a number from 0 to 100, with up to two decimal places ("12.5", "12.5%");
- a dimension's shares add up to no more than 100;
- a share needs its source and the date it describes.
A share left empty on the form removes that group's baseline. Each change is audited; a CSV with
any problem changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ...extensions import db
from ...models import ReachBaseline, User
from ...models.base import utcnow
from ..people import audit
from ..plan import csv_import
from ..plan.csv_import import Problem
from ..shared.errors import Problems, Refused
from ..thread.open_data import csv_cell
from . import reach

MAX_SOURCE_LENGTH = 300
MAX_ROWS = 500
COLUMNS = ("dimension", "group", "share", "source", "as_of")
REQUIRED_COLUMNS = COLUMNS
_SHARE = re.compile(r"^\d{1,3}(\.\d{1,2})?%?$")


def read_share(text: str) -> tuple[float | None, str | None]:
    """(the share, None), (None, None) when empty, or (None, what is wrong)."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None, None
    if not _SHARE.match(text):
        return None, _("Enter the share as a number from 0 to 100, like 12.5")
    value = float(text.rstrip("%"))
    if value > 100:
        return None, _("The share must be 100 or less")
    return value, None


@dataclass
class DimensionBaselines:
    key: str
    label: str
    groups: list[tuple[str, str, ReachBaseline | None]]  # code, label, its baseline

    @property
    def total(self) -> float:
        return round(sum(b.share for _c, _l, b in self.groups if b is not None), 2)

    @property
    def source(self) -> str:
        return next((b.source for _c, _l, b in self.groups if b is not None), "")

    @property
    def as_of(self) -> date | None:
        return next((b.as_of for _c, _l, b in self.groups if b is not None), None)


def all_baselines() -> list[DimensionBaselines]:
    """Every dimension with its groups and their baselines (one query)."""
    kept = reach.baseline_lookup()
    return [
        DimensionBaselines(
            key,
            reach.dimension_label(key),
            [(code, name, kept.get(key, {}).get(code)) for code, name in reach.groups(key)],
        )
        for key in reach.dimension_keys()
    ]


def dimension_baselines(dimension: str) -> DimensionBaselines | None:
    return next((d for d in all_baselines() if d.key == dimension), None)


def _total_message(total: float) -> str:
    return _(
        "The shares add up to %(total)s%%. They must add up to 100%% or less",
        total=_number(total),
    )


def _number(value: float) -> str:
    return f"{value:g}"


def check_dimension(
    dimension: str,
    shares: dict[str, str],
    *,
    source: str,
    as_of: date | None,
    date_required: bool = True,
) -> dict[str, float | None]:
    """Every problem with one dimension's baselines as typed (Refused, field = the group's code,
    "source" or "as_of"), or each group's share. `date_required=False` when the date could not
    be read, which the form already says."""
    if dimension not in reach.dimension_keys():
        raise Refused(_l("Select a dimension from the list"), field="dimension")
    codes = [code for code, _label in reach.groups(dimension)]
    problems = Problems()
    values: dict[str, float | None] = {}
    for code in codes:
        value, error = read_share(shares.get(code, ""))
        if error:
            problems.add(code, error)
        values[code] = value
    given = [v for v in values.values() if v is not None]
    source = (source or "").strip()
    if given:
        if not source:
            problems.add("source", _("Enter where the figures come from"))
        elif len(source) > MAX_SOURCE_LENGTH:
            problems.add("source", _("Source must be 300 characters or fewer"))
        if as_of is None and date_required:
            problems.add("as_of", _("Enter the date the figures describe"))
    total = round(sum(given), 2)
    if total > 100:
        problems.add("", _total_message(total))
    problems.raise_if_any()
    return values


def save_dimension(
    actor: User, dimension: str, shares: dict[str, str], *, source: str, as_of: date | None
) -> int:
    """Set one dimension's baselines from the form: `shares` maps each group's code to what was
    typed. Refused (see `check_dimension`) when anything is wrong. Returns how many groups have
    a baseline now."""
    values = check_dimension(dimension, shares, source=source, as_of=as_of)
    codes = list(values)
    source = (source or "").strip()
    given = [v for v in values.values() if v is not None]
    kept = reach.baseline_lookup().get(dimension, {})
    changes = {}
    for code in codes:
        value = values[code]
        baseline = kept.get(code)
        if value is None:
            if baseline is not None:
                changes[code] = [baseline.share, None]
                db.session.delete(baseline)
            continue
        if baseline is None:
            baseline = ReachBaseline(dimension=dimension, group_code=code)
            db.session.add(baseline)
            changes[code] = [None, value]
        elif (baseline.share, baseline.source, baseline.as_of) != (value, source, as_of):
            changes[code] = [baseline.share, value]
        baseline.share = value
        baseline.source = source
        baseline.as_of = as_of
        baseline.updated_by_id = actor.id
        baseline.updated_at = utcnow()
    audit.record(
        "reach.baselines_saved",
        actor=actor,
        summary=f"Reach baselines for {dimension} saved ({len(given)} groups)",
        detail={
            "dimension": dimension,
            "source": source,
            "as_of": as_of.isoformat() if as_of else None,
            "changes": changes,
        },
    )
    db.session.commit()
    return len(given)


# CSV import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    saved: int = 0
    file_error: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems


def _group_lookup() -> dict[str, dict[str, str]]:
    """For each dimension: its codes, English labels and labels in the reader's language
    (case-folded) to the code."""
    lookup: dict[str, dict[str, str]] = {}
    for key in reach.dimension_keys():
        found = {}
        for code, name in reach.groups(key):
            found[str(name).strip().casefold()] = code
        for code, _name in reach.groups(key):
            found[code.casefold()] = code
        lookup[key] = found
    return lookup


def import_csv(actor: User, data: bytes, *, filename: str = "") -> ImportResult:
    """Check every line, then set every baseline in the file — or none of them. Groups the file
    does not list keep their baseline; a dimension's shares, with those, must add up to 100 or
    less."""
    try:
        columns, rows = csv_import.read_table(
            data,
            COLUMNS,
            REQUIRED_COLUMNS,
            max_rows=MAX_ROWS,
            no_rows=_(
                "The file has column headings but no baselines. Add one group on each line below "
                "the headings."
            ),
            too_many=lambda count: ngettext(
                "The file has %(num)d baselines. Import up to 500 at a time.",
                "The file has %(num)d baselines. Import up to 500 at a time.",
                count,
            ),
        )
    except csv_import.CsvFileError as error:
        return ImportResult(file_error=str(error))

    lookup = _group_lookup()
    dimensions = {key.casefold(): key for key in reach.dimension_keys()}
    problems: list[Problem] = []
    checked: list[tuple[int, str, str, float, str, date]] = []
    seen: dict[tuple[str, str], int] = {}
    width = max(columns.values()) + 1
    for line, cells in rows:
        if any(extra.strip() for extra in cells[width:]):
            problems.append(
                Problem(
                    line,
                    _(
                        "This line has more values than there are columns. Put any value that "
                        "contains a comma in double quotes."
                    ),
                )
            )
            continue

        def cell(name: str, cells=cells) -> str:
            index = columns[name]
            return cells[index].strip() if index < len(cells) else ""

        found = []
        dimension = dimensions.get(cell("dimension").casefold())
        if dimension is None:
            found.append(
                _(
                    "Dimension '%(given)s' is not one of: %(names)s",
                    given=cell("dimension")[:50],
                    names=", ".join(reach.dimension_keys()),
                )
            )
        code = None
        if dimension is not None:
            code = lookup[dimension].get(cell("group").casefold())
            if code is None:
                found.append(
                    _(
                        "Group '%(given)s' is not a group of %(dimension)s. Use one of: %(codes)s",
                        given=cell("group")[:60],
                        dimension=dimension,
                        codes=", ".join(c for c, _n in reach.groups(dimension)),
                    )
                )
        share, error = read_share(cell("share"))
        if error or share is None:
            found.append(error or _("Enter the share as a number from 0 to 100, like 12.5"))
        source = cell("source")
        if not source:
            found.append(_("Enter where the figures come from"))
        elif len(source) > MAX_SOURCE_LENGTH:
            found.append(_("Source must be 300 characters or fewer"))
        as_of = csv_import.parse_date(cell("as_of")) if cell("as_of") else None
        if as_of is None:
            found.append(
                _("Enter the date the figures describe as YYYY-MM-DD (2026-01-31) or DD/MM/YYYY")
            )
        if dimension and code and (dimension, code) in seen:
            found.append(
                _(
                    "%(dimension)s %(group)s is also on line %(other)d",
                    dimension=dimension,
                    group=code,
                    other=seen[(dimension, code)],
                )
            )
        if found:
            problems.extend(Problem(line, message) for message in found)
            continue
        seen[(dimension, code)] = line
        checked.append((line, dimension, code, share, source, as_of))

    kept = reach.baseline_lookup()
    totals: dict[str, float] = {}
    first_line: dict[str, int] = {}
    for line, dimension, _code, share, _source, _as_of in checked:
        totals[dimension] = totals.get(dimension, 0) + share
        first_line.setdefault(dimension, line)
    for dimension, total in totals.items():
        listed = {code for _l, d, code, *_rest in checked if d == dimension}
        total += sum(b.share for c, b in kept.get(dimension, {}).items() if c not in listed)
        total = round(total, 2)
        if total > 100:
            problems.append(
                Problem(
                    first_line[dimension],
                    _(
                        "The shares for %(dimension)s would add up to %(total)s%%. They must add "
                        "up to 100%% or less",
                        dimension=dimension,
                        total=_number(total),
                    ),
                )
            )
    if problems:
        problems.sort(key=lambda problem: problem.line)
        return ImportResult(problems=problems)

    for _line, dimension, code, share, source, as_of in checked:
        baseline = kept.get(dimension, {}).get(code)
        if baseline is None:
            baseline = ReachBaseline(dimension=dimension, group_code=code)
            db.session.add(baseline)
        baseline.share = share
        baseline.source = source
        baseline.as_of = as_of
        baseline.updated_by_id = actor.id
        baseline.updated_at = utcnow()
    audit.record(
        "reach.baselines_imported",
        actor=actor,
        summary=f"{len(checked)} reach baselines imported from {filename or 'a CSV file'}",
        detail={
            "filename": filename,
            "baselines": [
                [dimension, code, share, source, as_of.isoformat()]
                for _line, dimension, code, share, source, as_of in checked
            ],
        },
    )
    db.session.commit()
    return ImportResult(saved=len(checked))


def current_csv() -> str:
    """Every baseline kept now, as a file the import accepts (to edit and upload again)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for baseline in db.session.scalars(
        select(ReachBaseline).order_by(ReachBaseline.dimension, ReachBaseline.group_code)
    ):
        writer.writerow(
            [
                csv_cell(baseline.dimension),
                csv_cell(baseline.group_code),
                _number(baseline.share),
                csv_cell(baseline.source),
                baseline.as_of.isoformat() if baseline.as_of else "",
            ]
        )
    return out.getvalue()
