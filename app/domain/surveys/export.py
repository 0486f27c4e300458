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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from itertools import groupby
from operator import itemgetter
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, func, select, type_coerce

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
    SurveyResponse.reference,
    SurveyResponse.submitted_at,
    SurveyResponse.channel,
    SurveyResponse.language,
    SurveyResponse.young_person,
    SurveyResponse.consent_to_quote,
    *(getattr(SurveyResponse, name).label(name) for name in ABOUT_YOU_FIELDS),
)
# Where a response comes in the export's order, as the database sends it (no conversion per row),
# and its id: both streams start with these, so they are merged in the order the database sorted.
_POSITION = (type_coerce(SurveyResponse.submitted_at, String).label("position"), SurveyResponse.id)
# Where each response column is in a response row (after the position).
RESPONSE_COLUMNS_AT = {
    column.name: at for at, column in enumerate(RESPONSE_COLUMNS, start=len(_POSITION))
}
ANSWER_COLUMNS = (
    SurveyAnswer.question_id,
    SurveyAnswer.option_id,
    SurveyAnswer.text,
    SurveyAnswer.number,
    SurveyAnswer.date_value,
)


def _responses(plan: ExportPlan, batch_size: int):
    """(response row, its answers by question id) oldest first, in one pass: the responses
    in order, and beside them every answer in the same order (answers joined to their
    responses), both read through server-side cursors (`stream_results`: PostgreSQL sends
    `batch_size` rows at a time; SQLite steps its cursor) and merged as the rows arrive. Two
    queries whatever the number of responses, and each response's columns are read once, not
    once per answer. Core rows, not ORM objects: no bookkeeping per row."""
    scope = (SurveyResponse.survey_id == plan.survey_id, *plan.filters.conditions())
    order = (SurveyResponse.submitted_at, SurveyResponse.id)
    streamed = {"stream_results": True, "yield_per": batch_size}
    connection = db.session.connection()
    responses = connection.execute(
        select(*_POSITION, *RESPONSE_COLUMNS)
        .where(*scope)
        .order_by(*order)
        .execution_options(**streamed)
    )
    answers = connection.execute(
        select(*_POSITION, *ANSWER_COLUMNS)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(*scope)
        .order_by(*order, SurveyAnswer.id)
        .execution_options(**streamed)
    )
    yield from _merge(_each(responses), _each(answers))


def _merge(responses, answers):
    """Each response with its answers by question id. Both arrive in the order of their first
    two columns (where the response comes, its id). Answers of a response the first stream does
    not have (one added between the two queries, under READ COMMITTED) are passed over."""
    by_response = groupby(answers, key=itemgetter(0, 1))
    pending = next(by_response, None)
    for response in responses:
        here = (response[0], response[1])
        while pending is not None and pending[0] < here:
            pending = next(by_response, None)
        by_question: dict[int, list] = {}
        if pending is not None and pending[0] == here:
            for answer in pending[1]:
                by_question.setdefault(answer[2], []).append(answer)
            pending = next(by_response, None)
        yield response, by_question


def _each(result):
    """A streamed result's rows, a batch at a time (cheaper per row than fetching one by one)."""
    for batch in result.partitions():
        yield from batch


def _cell_reader(question: QuestionColumn, other: str):
    """How one question's cell is read from its answers (a list of one or more rows): an
    option's label, options joined with "; " and then "Other: ...", a number, a date or the
    text. Chosen once per export, not once per cell."""
    kind, options = question.kind, question.options
    if kind == QuestionKind.MULTIPLE_CHOICE:

        def chosen(rows):
            labels = [options.get(row.option_id, "") for row in rows if row.option_id is not None]
            labels += [
                other % {"text": row.text} for row in rows if row.option_id is None and row.text
            ]
            return "; ".join(labels)

        return chosen
    if kind.has_options:
        return lambda rows: options.get(rows[0].option_id, "")
    if kind == QuestionKind.NUMBER:
        return lambda rows: rows[0].number
    if kind == QuestionKind.DATE:
        return lambda rows: rows[0].date_value
    return lambda rows: rows[0].text


class _Memo(dict):
    """value -> its cell, worked out the first time a value is seen (for columns with a few
    values each, such as labels)."""

    def __init__(self, work_out):
        super().__init__()
        self.work_out = work_out

    def __missing__(self, value):
        self[value] = found = self.work_out(value)
        return found


def rows(plan: ExportPlan, batch_size: int = BATCH_SIZE):
    """One list of Python values per response (str, int, date, datetime in UK time, bool, None);
    None where a question was not answered.

    Labels are translated once here, not once per cell: a 100,000-row export would otherwise
    spend most of its time looking up the same few words."""
    zone = ZoneInfo(plan.time_zone)
    languages = dict(plan.languages)
    channels = {value: str(label) for value, label in Channel.choices()}
    about_cells = [
        _Memo(partial(_about_you_cell, labels={v: str(label) for v, label in about_you.choices(n)}))
        for n in ABOUT_YOU_FIELDS
    ]
    about_at = [RESPONSE_COLUMNS_AT[name] for name in ABOUT_YOU_FIELDS]
    other = _("Other: %(text)s")
    readers = [(question.id, _cell_reader(question, other)) for question in plan.questions]
    for response, by_question in _responses(plan, batch_size):
        submitted = response.submitted_at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        row = [
            response.reference,
            submitted,
            channels.get(response.channel, response.channel),
            languages.get(response.language, response.language),
            bool(response.young_person),
        ]
        for question_id, read in readers:
            found = by_question.get(question_id)
            row.append(read(found) if found else None)
        row += [cell[response[at]] for cell, at in zip(about_cells, about_at, strict=True)]
        row.append(bool(response.consent_to_quote))
        yield row


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


def _csv_columns(plan: ExportPlan) -> list:
    """How each column's values are written. Columns with a few values each (labels, yes and
    no) work each value out once and then look it up; references, times, free text, numbers
    and dates are written one by one. The same text either way (`_csv_value`)."""
    few = {QuestionKind.SINGLE_CHOICE, QuestionKind.RATING, QuestionKind.YES_NO}

    def labels():
        return _Memo(_csv_value).__getitem__

    return (
        [_csv_value, _csv_value, labels(), labels(), labels()]
        + [labels() if question.kind in few else _csv_value for question in plan.questions]
        + [labels() for _name in ABOUT_YOU_FIELDS]
        + [labels()]
    )


def csv_chunks(plan: ExportPlan, batch_size: int = BATCH_SIZE):
    """The CSV, a few hundred rows at a time. Starts with a byte order mark so spreadsheet
    programs read Polish and Urdu text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(heading) for heading in plan.headings()])
    columns = _csv_columns(plan)
    for written, row in enumerate(rows(plan, batch_size), start=1):
        writer.writerow([write(value) for write, value in zip(columns, row, strict=True)])
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
