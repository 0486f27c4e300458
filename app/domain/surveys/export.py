"""Exporting a survey's responses as CSV or XLSX: one row per response, one column per question.

Exports are streamed: one query reads the responses joined to their answers, in order, through
a server-side cursor, and each response's row is written as soon as its answers have arrived, so
100,000 responses never sit in memory at once. The CSV is written while it is sent. The XLSX
is built by a background job (export_jobs.py) with XlsxWriter's constant-memory mode into a
temporary file. Every cell of the CSV passes through `open_data.csv_cell`, so text that
a spreadsheet would run as a formula is not; XLSX cells are written as plain strings, numbers
and dates, never formulas. Exports hold what people told us: coordinators and administrators
only, and each one is in the audit log with its format, filters and number of responses.
"""

import csv
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...models import Channel, QuestionKind, Survey, SurveyAnswer, SurveyResponse, User
from ..people import audit
from ..thread import about_you
from ..thread.contributions import ABOUT_YOU_FIELDS
from ..thread.open_data import csv_cell
from .results import ResultFilters, filter_label, survey_questions

BATCH_SIZE = 1000
CHUNK_SIZE = 64 * 1024
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class QuestionColumn:
    id: int
    kind: QuestionKind
    heading: str
    options: dict[int, str]  # option id -> label


@dataclass(frozen=True)
class ExportPlan:
    """Everything the rows need, read before streaming starts (no lazy loads while streaming)."""

    survey_id: int
    slug: str
    questions: tuple[QuestionColumn, ...]
    filters: ResultFilters
    time_zone: str
    languages: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, survey: Survey, filters: ResultFilters | None = None) -> "ExportPlan":
        """`survey` must come from `surveys.load_survey`."""
        questions = tuple(
            QuestionColumn(
                id=q.id,
                kind=q.kind_enum,
                heading=f"{number}. {q.text}",
                options={option.id: option.label for option in q.options},
            )
            for number, q in enumerate(survey_questions(survey), start=1)
        )
        return cls(
            survey_id=survey.id,
            slug=survey.slug,
            questions=questions,
            filters=filters or ResultFilters(),
            time_zone=current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/London",
            languages=tuple(current_app.config.get("LANGUAGES", {}).items()),
        )

    def headings(self) -> list[str]:
        return (
            [
                _("Reference"),
                _("Submitted at (UK time)"),
                _("Channel"),
                _("Language"),
                _("Young person version"),
            ]
            + [question.heading for question in self.questions]
            + [filter_label(name) for name in ABOUT_YOU_FIELDS]
            + [_("Agreed to be quoted")]
        )

    def filename(self, fmt: str) -> str:
        return f"survey-{self.slug}-responses.{fmt}"


def count_responses(plan: ExportPlan) -> int:
    return (
        db.session.scalar(
            select(func.count(SurveyResponse.id)).where(
                SurveyResponse.survey_id == plan.survey_id, *plan.filters.conditions()
            )
        )
        or 0
    )


def record_export(actor: User, survey: Survey, plan: ExportPlan, fmt: str) -> int:
    """Write the audit entry for an export and commit, before the first byte is sent. Returns
    the number of responses."""
    count = audit_export(actor, survey, plan, fmt)
    db.session.commit()
    return count


def audit_export(actor: User, survey: Survey, plan: ExportPlan, fmt: str, **detail) -> int:
    """Add the audit entry for an export (format, filters, how many responses, and any `detail`)
    to the caller's transaction. Returns the number of responses."""
    count = count_responses(plan)
    filters = dict(plan.filters.active())
    audit.record(
        "survey.exported",
        survey,
        actor=actor,
        summary=f"{survey.title}: {count} response(s) exported as {fmt.upper()}",
        detail={"format": fmt, "count": count, "filters": filters, **detail},
    )
    return count


RESPONSE_COLUMNS = (
    SurveyResponse.id,
    SurveyResponse.reference,
    SurveyResponse.submitted_at,
    SurveyResponse.channel,
    SurveyResponse.language,
    SurveyResponse.young_person,
    SurveyResponse.consent_to_quote,
    *(getattr(SurveyResponse, name).label(name) for name in ABOUT_YOU_FIELDS),
)
ANSWER_COLUMNS = (
    SurveyAnswer.question_id,
    SurveyAnswer.option_id,
    SurveyAnswer.text,
    SurveyAnswer.number,
    SurveyAnswer.date_value,
)
_ANSWER_AT = len(RESPONSE_COLUMNS)  # where a joined row's answer columns start (names unique)


def _responses(plan: ExportPlan, batch_size: int):
    """(response row, its answers) oldest first, from ONE query over the responses joined to
    their answers, read through a server-side cursor (`stream_results`: PostgreSQL sends
    `batch_size` rows at a time; SQLite steps its cursor) and grouped as the rows arrive. Core
    rows, not ORM objects: no bookkeeping per row."""
    query = (
        select(*RESPONSE_COLUMNS, *ANSWER_COLUMNS)
        .select_from(SurveyResponse)
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == plan.survey_id, *plan.filters.conditions())
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id, SurveyAnswer.id)
        .execution_options(stream_results=True, yield_per=batch_size)
    )
    current, answers = None, []
    for row in db.session.connection().execute(query):
        if current is None or row[0] != current[0]:
            if current is not None:
                yield current, answers
            current, answers = row, []
        if row[_ANSWER_AT] is not None:  # a response with no answers joins to one empty row
            answers.append(row)
    if current is not None:
        yield current, answers


def _answer_value(question: QuestionColumn, rows: list, other: str):
    """One cell: an option's label, options joined with "; " and then "Other: ...", a number,
    a date or the text; None when not answered."""
    if not rows:
        return None
    kind = question.kind
    if kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [
            question.options.get(row.option_id, "") for row in rows if row.option_id is not None
        ]
        chosen += [other % {"text": row.text} for row in rows if row.option_id is None and row.text]
        return "; ".join(chosen)
    row = rows[0]
    if kind.has_options:
        return question.options.get(row.option_id, "")
    if kind == QuestionKind.NUMBER:
        return row.number
    if kind == QuestionKind.DATE:
        return row.date_value
    return row.text


def rows(plan: ExportPlan, batch_size: int = BATCH_SIZE):
    """One list of Python values per response (str, int, date, datetime in UK time, bool, None).

    Labels are translated once here, not once per cell: a 100,000-row export would otherwise
    spend most of its time looking up the same few words."""
    zone = ZoneInfo(plan.time_zone)
    languages = dict(plan.languages)
    channels = {value: str(label) for value, label in Channel.choices()}
    about_labels = [
        (name, {value: str(label) for value, label in about_you.choices(name)})
        for name in ABOUT_YOU_FIELDS
    ]
    other = _("Other: %(text)s")
    for response, answers in _responses(plan, batch_size):
        by_question: dict[int, list] = defaultdict(list)
        for answer in answers:
            by_question[answer.question_id].append(answer)
        submitted = response.submitted_at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        yield (
            [
                response.reference,
                submitted,
                channels.get(response.channel, response.channel),
                languages.get(response.language, response.language),
                bool(response.young_person),
            ]
            + [
                _answer_value(question, by_question.get(question.id), other)
                for question in plan.questions
            ]
            + [_about_you_cell(getattr(response, name), labels) for name, labels in about_labels]
            + [bool(response.consent_to_quote)]
        )


def _csv_value(value) -> str:
    """Numbers as they are (a negative number is not a formula); everything else through
    csv_cell."""
    if value is None or type(value) is str:
        return csv_cell(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return csv_cell(value)


def csv_chunks(plan: ExportPlan, batch_size: int = BATCH_SIZE):
    """The CSV, a few hundred rows at a time. Starts with a byte order mark so spreadsheet
    programs read Polish and Urdu text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(heading) for heading in plan.headings()])
    for written, row in enumerate(rows(plan, batch_size), start=1):
        writer.writerow([_csv_value(value) for value in row])
        if written % 200 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(plan: ExportPlan, path: str, batch_size: int = BATCH_SIZE) -> int:
    """Write the workbook to `path` in constant memory; returns the number of responses."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": os.path.dirname(path),
            # Text stays text: never a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        sheet = workbook.add_worksheet(_("Responses")[:31])
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        headings = plan.headings()
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 17)
        sheet.set_column(2, len(headings) - 1, 24)
        for column, heading in enumerate(headings):
            sheet.write_string(0, column, heading, bold)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows(plan, batch_size), start=1):
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_string(count, column, _("Yes") if value else _("No"))
                elif isinstance(value, int):
                    sheet.write_number(count, column, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(count, column, value, when)
                elif isinstance(value, date):
                    sheet.write_datetime(
                        count, column, datetime.combine(value, datetime.min.time()), day
                    )
                else:
                    sheet.write_string(count, column, str(value))
    finally:
        workbook.close()
    return count


def _about_you_cell(value: str | None, labels: dict[str, str]) -> str:
    """An "About you" answer in words; several areas of need are joined by commas."""
    if not value:
        return ""
    return ", ".join(labels.get(code, code) for code in value.split(about_you.NEED_SEPARATOR))
