"""Open data: published responses, plan actions and per-area counts, as rows for CSV and JSON.

Each dataset is built in a fixed number of queries (GROUP BY for the counts), whatever the
size of the plan or the number of contributions. Nothing personal is included: no contribution
text, no contact details, no staff names; counts of contributions below SUPPRESS_BELOW are
withheld so that nobody can be identified.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    ActionStatus,
    ApprovalState,
    Area,
    Contribution,
    ContributionState,
    YouSaidWeDid,
    action_areas,
    contribution_areas,
    response_areas,
    response_contributions,
)
from ..shared import suppression

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SUPPRESSED_SHARE_TEXT = "suppressed"
DATASETS = ("responses", "actions", "areas")
FORMATS = ("csv", "json")


@dataclass
class Column:
    name: str
    kind: str = "text"  # text, count (suppressible), share (suppressed with its count), list


@dataclass
class Dataset:
    name: str
    columns: list[Column]
    rows: list[dict]


def _timestamp(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _published():
    return YouSaidWeDid.state == ApprovalState.PUBLISHED.value


def responses() -> Dataset:
    """Published responses only, newest first (four queries)."""
    found = db.session.scalars(
        select(YouSaidWeDid)
        .where(_published())
        .options(
            selectinload(YouSaidWeDid.organisation),
            selectinload(YouSaidWeDid.areas),
            selectinload(YouSaidWeDid.actions),
        )
        .order_by(YouSaidWeDid.published_at.desc(), YouSaidWeDid.id.desc())
    ).all()
    counts = dict(
        db.session.execute(
            select(response_contributions.c.response_id, func.count())
            .join(YouSaidWeDid, YouSaidWeDid.id == response_contributions.c.response_id)
            .where(_published())
            .group_by(response_contributions.c.response_id)
        ).all()
    )
    rows = []
    for response in found:
        count = counts.get(response.id, 0)
        rows.append(
            {
                "id": response.id,
                "title": response.title,
                "you_said": response.you_said,
                "we_did": response.we_did,
                "status": response.status,
                "status_reason": response.status_reason or "",
                "organisation": response.organisation.name,
                "published_at": _timestamp(response.published_at),
                "updated_at": _timestamp(response.updated_at),
                "areas": [area.number for area in response.areas],
                "actions": [action.reference for action in response.actions],
                "contributions": None if suppression.suppressed(count) else count,
                "contributions_suppressed": suppression.suppressed(count),
            }
        )
    columns = [
        Column("id"),
        Column("title"),
        Column("you_said"),
        Column("we_did"),
        Column("status"),
        Column("status_reason"),
        Column("organisation"),
        Column("published_at"),
        Column("updated_at"),
        Column("areas", "list"),
        Column("actions", "list"),
        Column("contributions", "count"),
    ]
    return Dataset("responses", columns, rows)


def actions() -> Dataset:
    """Every plan action with its status and progress (three queries)."""
    found = db.session.scalars(
        select(Action)
        .options(selectinload(Action.owner), selectinload(Action.areas))
        .order_by(Action.reference)
    ).all()
    rows = [
        {
            "reference": action.reference,
            "title": action.title,
            "owner": action.owner.name,
            "lead": action.lead or "",
            "due_date": _day(action.due_date),
            "status": action.status,
            "progress_percent": action.progress,
            "areas": [area.number for area in action.areas],
        }
        for action in found
    ]
    columns = [
        Column("reference"),
        Column("title"),
        Column("owner"),
        Column("lead"),
        Column("due_date"),
        Column("status"),
        Column("progress_percent"),
        Column("areas", "list"),
    ]
    return Dataset("actions", columns, rows)


def areas() -> Dataset:
    """Per area: actions by status, contributions, share coded, responses published (four queries).

    Hidden contributions (removed by moderators) are not counted. The contributions count and the
    share coded are withheld together when fewer than SUPPRESS_BELOW contributions are linked;
    action and response counts are about published records, not people, so they are shown as
    they are.
    """
    found = db.session.execute(select(Area.id, Area.number, Area.title).order_by(Area.number)).all()
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    for area_id, status, count in db.session.execute(
        select(action_areas.c.area_id, Action.status, func.count())
        .join(Action, Action.id == action_areas.c.action_id)
        .group_by(action_areas.c.area_id, Action.status)
    ):
        by_status[area_id][status] = count
    contributions = {
        row.area_id: (row.total, row.coded)
        for row in db.session.execute(
            select(
                contribution_areas.c.area_id,
                func.count().label("total"),
                func.sum(case((Contribution.coded_at.is_not(None), 1), else_=0)).label("coded"),
            )
            .join(Contribution, Contribution.id == contribution_areas.c.contribution_id)
            .where(Contribution.state != ContributionState.HIDDEN.value)
            .group_by(contribution_areas.c.area_id)
        )
    }
    published = dict(
        db.session.execute(
            select(response_areas.c.area_id, func.count())
            .join(YouSaidWeDid, YouSaidWeDid.id == response_areas.c.response_id)
            .where(_published())
            .group_by(response_areas.c.area_id)
        ).all()
    )
    rows = []
    for area in found:
        total, coded = contributions.get(area.id, (0, 0))
        hidden = suppression.suppressed(total)
        row = {"number": area.number, "title": area.title}
        for status in ActionStatus:
            row[f"actions_{status.value}"] = by_status[area.id].get(status.value, 0)
        row.update(
            {
                "contributions": None if hidden else total,
                "contributions_suppressed": hidden,
                "share_coded_percent": None if hidden else round(100 * (coded or 0) / total),
                "responses_published": published.get(area.id, 0),
            }
        )
        rows.append(row)
    columns = (
        [Column("number"), Column("title")]
        + [Column(f"actions_{status.value}") for status in ActionStatus]
        + [
            Column("contributions", "count"),
            Column("share_coded_percent", "share"),
            Column("responses_published"),
        ]
    )
    return Dataset("areas", columns, rows)


BUILDERS = {"responses": responses, "actions": actions, "areas": areas}


def dataset(name: str) -> Dataset | None:
    builder = BUILDERS.get(name)
    return builder() if builder else None


# --- Writing the files -------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Spreadsheet-safe text: a cell a spreadsheet would run as a formula starts with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_rows(data: Dataset) -> list[list[str]]:
    """The header row, then one row per record; suppressed counts say so in words."""
    rows = [[column.name for column in data.columns]]
    for record in data.rows:
        cells = []
        for column in data.columns:
            value = record[column.name]
            if column.kind == "count" and record.get(f"{column.name}_suppressed"):
                value = f"fewer than {suppression.threshold()}"  # English in every language
            elif column.kind == "share" and record.get("contributions_suppressed"):
                value = SUPPRESSED_SHARE_TEXT
            elif column.kind == "list":
                value = "; ".join(str(item) for item in value)
            cells.append(csv_cell(value))
        rows.append(cells)
    return rows


def json_document(data: Dataset, generated_at: datetime) -> dict:
    return {
        "generated_at": _timestamp(generated_at),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "dataset": data.name,
        "suppression": (
            f"Counts of contributions below {suppression.threshold()} are withheld: the count is "
            "null "
            "and contributions_suppressed is true."
        ),
        "data": data.rows,
    }
