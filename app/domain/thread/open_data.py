"""Open data: published responses, plan actions and per-area counts, as rows for CSV and JSON.

Each dataset is built in a fixed number of queries (GROUP BY for the counts), whatever the
size of the plan or the number of contributions. Nothing personal is included: no contribution
text, no contact details, no staff names; counts of contributions below SUPPRESS_BELOW are
withheld so that nobody can be identified.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    ActionStatus,
    ApprovalState,
    Area,
    Survey,
    SurveyResponse,
    SurveyStatus,
    YouSaidWeDid,
    action_areas,
    response_contributions,
)
from ..shared import suppression
from .metrics import LoopMetrics, loop_metrics_by_area

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SUPPRESSED_SHARE_TEXT = "suppressed"
DATASETS = ("responses", "actions", "areas", "surveys")
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
    """Per area: actions by status, contributions, the share coded, the share used in a published
    response, the median days to a response, and responses published (eight queries).

    The contribution figures are the loop metrics of the area pages (`metrics.loop_metrics_by_area`,
    the same rules: hidden contributions are not counted). The contributions count is withheld
    when fewer than SUPPRESS_BELOW; a share or median is withheld whenever it would give a
    withheld count away (`suppression.publishable_percent`), and says so in its own column.
    Action and response counts are about published records, not people, so they are shown as
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
    loops = loop_metrics_by_area()
    rows = []
    for area in found:
        loop = loops.get(area.id) or LoopMetrics(0, 0, 0, None, 0)
        hidden = suppression.suppressed(loop.contributions)
        row = {"number": area.number, "title": area.title}
        for status in ActionStatus:
            row[f"actions_{status.value}"] = by_status[area.id].get(status.value, 0)
        row.update(
            {
                "contributions": None if hidden else loop.contributions,
                "contributions_suppressed": hidden,
                "share_coded_percent": loop.coded_percent,
                "share_coded_percent_suppressed": loop.coded_percent is None,
                "share_used_percent": loop.used_percent,
                "share_used_percent_suppressed": loop.used_percent is None,
                "median_days_to_response": loop.median_days_display,
                "median_days_to_response_suppressed": loop.used > 0
                and loop.median_days_display is None,
                "responses_published": loop.responses_published,
            }
        )
        rows.append(row)
    columns = (
        [Column("number"), Column("title")]
        + [Column(f"actions_{status.value}") for status in ActionStatus]
        + [
            Column("contributions", "count"),
            Column("share_coded_percent", "share"),
            Column("share_used_percent", "share"),
            Column("median_days_to_response", "share"),
            Column("responses_published"),
        ]
    )
    return Dataset("areas", columns, rows)


def surveys() -> Dataset:
    """Every published survey with how many responses it has had (one query). A count under
    SUPPRESS_BELOW is withheld. Only the total is given: counts by channel or group beside it
    could be subtracted to give a withheld count back."""
    count = func.count(SurveyResponse.id)
    found = db.session.execute(
        select(Survey.slug, Survey.title, Survey.opens_at, Survey.closes_at, count)
        .outerjoin(SurveyResponse, SurveyResponse.survey_id == Survey.id)
        .where(Survey.status == SurveyStatus.PUBLISHED.value)
        .group_by(Survey.id, Survey.slug, Survey.title, Survey.opens_at, Survey.closes_at)
        .order_by(Survey.opens_at.desc(), Survey.id.desc())
    ).all()
    rows = [
        {
            "slug": slug,
            "title": title,
            "opens_at": _timestamp(opens_at),
            "closes_at": _timestamp(closes_at),
            "responses": None if suppression.suppressed(total) else total,
            "responses_suppressed": suppression.suppressed(total),
        }
        for slug, title, opens_at, closes_at, total in found
    ]
    columns = [
        Column("slug"),
        Column("title"),
        Column("opens_at"),
        Column("closes_at"),
        Column("responses", "count"),
    ]
    return Dataset("surveys", columns, rows)


BUILDERS = {"responses": responses, "actions": actions, "areas": areas, "surveys": surveys}


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
            elif column.kind == "share" and record.get(f"{column.name}_suppressed"):
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
            f"Counts of people or contributions below {suppression.threshold()} are withheld: "
            "the count is null and its <name>_suppressed field is true. A share or median that "
            "would give a withheld count away is null, and its <name>_suppressed field is true."
        ),
        "data": data.rows,
    }
