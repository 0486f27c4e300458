"""Survey results: what people answered, counted by the database, and what may be published.

Staff see every count, filtered by any "About you" answer and by channel, with the free-text
answers. The public see published results only, with no filters (they would let someone take
one filtered count from another): counts below SUPPRESS_BELOW become "fewer than 5", one more
count is hidden when the small one could otherwise be worked out from the total, and free text
appears only as quotes a coordinator approved from people who agreed to be quoted.

Counts come from the survey's kept counts (app/domain/surveys/tallies.py): unfiltered and
filtered by one answer they are read, not counted; filtered by several answers they are counted
live in a few grouped queries. Published results are read from the one row stored when they
were published. The number of queries never depends on how many responses there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, func, select, tuple_, union_all

from ...extensions import db
from ...models import (
    Channel,
    Contribution,
    ContributionSource,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyQuestion,
    SurveyResponse,
    User,
)
from ...models.base import utcnow
from ..people import audit
from ..shared import charts, suppression
from ..shared.errors import Refused
from ..shared.suppression import SECONDARY, SMALL, suppress
from ..shared.wording import localised
from ..thread import about_you
from . import tallies
from .recording import SURVEY_CHANNELS
from .structure import SurveyPhase, phase
from .tallies import FILTER_FIELDS, OTHER

TEXT_ANSWERS_SHOWN = 10  # on the results page; the rest are a link away
TEXT_PAGE_SIZE = 50
MAX_BANDS = 6
MAX_MONTHS = 36  # a longer spread of dates is counted by year
NICE_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilters:
    """Responses to count: any About-you answer and the channel; None means "any"."""

    relationship_to_child: str | None = None
    district: str | None = None
    age_group: str | None = None
    need: str | None = None
    setting: str | None = None
    ehc_plan: str | None = None
    channel: str | None = None

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_FIELDS if getattr(self, name)}

    def conditions(self) -> list:
        return [
            about_you.need_matches(SurveyResponse.need, value)
            if name == "need"
            else getattr(SurveyResponse, name) == value
            for name, value in self.active().items()
        ]

    def labels(self) -> list[tuple[str, str]]:
        """(what, value) in words, for "Showing responses where ..." and the audit log."""
        return [
            (str(filter_label(name)), value_label(name, value))
            for name, value in self.active().items()
        ]


def filter_label(name: str) -> str:
    return {
        "relationship_to_child": _("Relationship"),
        "district": _("District"),
        "age_group": _("Age group"),
        "need": _("Area of need"),
        "setting": _("Setting"),
        "ehc_plan": _("EHC plan"),
        "channel": _("Channel"),
    }[name]


def filter_choices(name: str) -> list[tuple[str, str]]:
    if name == "channel":
        return [(value, Channel(value).label) for value in SURVEY_CHANNELS]
    return [(value, str(label)) for value, label in about_you.choices(name)]


def value_label(name: str, value: str | None) -> str:
    if not value:
        return ""
    if name == "channel":
        return dict(Channel.choices()).get(value, value)
    return about_you.label(name, value)


def _scope(survey_id: int, filters: ResultFilters) -> list:
    return [SurveyResponse.survey_id == survey_id, *filters.conditions()]


# --- What a page shows -----------------------------------------------------------------------


@dataclass
class Cell:
    """One row of a question's table (an option, "Other", a range of numbers, a month)."""

    key: str
    label: str
    count: int
    percent: float | None = None  # of the people who answered the question
    hidden: str | None = None  # None, SMALL or SECONDARY

    @property
    def percent_text(self) -> str:
        if self.hidden or self.percent is None:
            return ""
        if 0 < self.percent < 0.5:
            return _("less than 1%")
        return f"{round(self.percent)}%"

    @property
    def count_text(self) -> str:
        if self.hidden == SMALL:
            return suppression.fewer_than()
        if self.hidden == SECONDARY:
            return _("not shown")
        return format_number(self.count)


@dataclass
class NumberStats:
    count: int
    minimum: int | None
    median: float | None
    maximum: int | None

    @property
    def median_text(self) -> str:
        if self.median is None:
            return ""
        return str(int(self.median)) if float(self.median).is_integer() else f"{self.median:.1f}"


@dataclass
class TextAnswer:
    answer_id: int
    response_id: int
    question_id: int
    text: str
    submitted_at: datetime
    is_other: bool  # the "Other, please say" text of a multiple-choice question
    contribution_id: int | None
    contribution_reference: str | None
    safeguarding: bool
    contribution_state: str | None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    number: int  # 1, 2, 3 ... in survey order
    text: str
    kind: QuestionKind
    answered: int  # people who answered it
    hidden: bool = False  # published: fewer than the threshold answered, so nothing else shows
    cells: list[Cell] = field(default_factory=list)
    chart: charts.BarChart | None = None
    stats: NumberStats | None = None
    by_year: bool = False
    texts: list[TextAnswer] = field(default_factory=list)  # staff: the newest answers
    text_count: int = 0  # staff: free-text answers, including "Other" texts
    quotes: list[str] = field(default_factory=list)  # published: approved quotes only

    @property
    def multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE_CHOICE

    @property
    def has_hidden_cells(self) -> bool:
        return any(cell.hidden for cell in self.cells)

    @property
    def answered_text(self) -> str:
        if self.hidden:
            return _(
                "Fewer than %(num)d people answered this question.", num=suppression.threshold()
            )
        if not self.answered:
            return _("Nobody has answered this question yet.")
        return ngettext(
            "%(num)d person answered this question.",
            "%(num)d people answered this question.",
            self.answered,
        )


@dataclass
class Headline:
    responses: int
    hidden: bool
    channels: list[Cell]
    first_at: datetime | None
    last_at: datetime | None

    @property
    def responses_text(self) -> str:
        return suppression.fewer_than() if self.hidden else format_number(self.responses)


@dataclass
class TopAnswer:
    """A question's most-chosen answer (several when they tie), for the results summary."""

    number: int
    question_id: int
    text: str
    labels: list[str]
    count_text: str
    percent_text: str


@dataclass
class ResultsSummary:
    """What the staff results page says first: how many responded, how many of the people who
    started online finished, and each question's most-chosen answer."""

    responses: int
    started_online: int | None  # None: not known (filters apply only to sent responses)
    sent_online: int
    top_answers: list[TopAnswer]

    @property
    def completion_percent(self) -> int | None:
        if not self.started_online:
            return None
        return round(100 * self.sent_online / self.started_online)


@dataclass
class SurveyResults:
    survey: Survey
    headline: Headline
    questions: list[QuestionResult]
    filters: ResultFilters
    published: bool  # the public view: suppressed, no free text but approved quotes
    summary: ResultsSummary | None = None


# --- Counting (GROUP BY in the database) -------------------------------------------------------


def _answers(
    survey_id: int, filters: ResultFilters, question_ids, *columns, with_responses: bool = False
):
    """Answers to these questions of the survey, from the responses the filters allow.

    Unfiltered counts need no join: every answer to a survey's question belongs to one of its
    responses, and the (question, option) index answers most counts on its own. Filtered
    counts pick the responses first (IN a subquery), so the database reads only their answers.
    """
    query = (
        select(*columns)
        .select_from(SurveyAnswer)
        .where(SurveyAnswer.question_id.in_(list(question_ids)))
    )
    if with_responses:
        return query.join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id).where(
            *_scope(survey_id, filters)
        )
    if filters.active():
        query = query.where(
            SurveyAnswer.response_id.in_(
                select(SurveyResponse.id).where(*_scope(survey_id, filters))
            )
        )
    return query


def number_stats(values: list[tuple[int, int]]) -> NumberStats:
    """Count, lowest, median and highest from (value, answers) pairs, lowest first.

    The median is the average of the middle one or two answers: ranks r of n with
    n <= 2r <= n + 2.
    """
    total = sum(count for _value, count in values)
    if not total:
        return NumberStats(0, None, None, None)
    ranks = [r for r in (total // 2, total // 2 + 1) if r and total <= 2 * r <= total + 2]
    found, seen = [], 0
    for value, count in values:
        found += [value for r in ranks if seen < r <= seen + count]
        seen += count
    return NumberStats(
        count=total, minimum=values[0][0], maximum=values[-1][0], median=sum(found) / len(found)
    )


def _band_counts(values: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> list[int]:
    return [sum(count for value, count in values if lo <= value <= hi) for lo, hi in ranges]


def bands(low: int, high: int, most: int = MAX_BANDS) -> list[tuple[int, int]]:
    """Ranges covering low..high: one per value when few, else equal "nice" widths
    (5, 10, 20...)."""
    span = high - low + 1
    if span <= most:
        return [(value, value) for value in range(low, high + 1)]
    width = next((w for w in NICE_WIDTHS if w * most >= span), None)
    if width is None:
        width = -(-span // most)
    start = (low // width) * width
    found = []
    while start <= high:
        found.append((start, start + width - 1))
        start += width
    return found


def _text_answer(row) -> TextAnswer:
    return TextAnswer(
        answer_id=row.answer_id,
        response_id=row.response_id,
        question_id=row.question_id,
        text=row.text,
        submitted_at=row.submitted_at,
        is_other=row.is_choice,
        contribution_id=row.contribution_id,
        contribution_reference=row.contribution_reference,
        safeguarding=bool(row.safeguarding),
        contribution_state=row.contribution_state,
    )


def _with_contributions(answers):
    """Free-text answer rows with their question kind and inbox contribution, joined after
    paging so only the rows shown are looked up."""
    return (
        select(
            answers.c.answer_id,
            answers.c.response_id,
            answers.c.question_id,
            answers.c.text,
            answers.c.submitted_at,
            (SurveyQuestion.kind == QuestionKind.MULTIPLE_CHOICE.value).label("is_choice"),
            Contribution.id.label("contribution_id"),
            Contribution.reference.label("contribution_reference"),
            Contribution.safeguarding.label("safeguarding"),
            Contribution.state.label("contribution_state"),
        )
        .join(SurveyQuestion, SurveyQuestion.id == answers.c.question_id)
        .outerjoin(
            Contribution,
            and_(
                Contribution.source_type == ContributionSource.SURVEY_ANSWER.value,
                Contribution.source_id == answers.c.answer_id,
            ),
        )
    )


def _newest_texts(survey_id: int, filters: ResultFilters, question_id: int):
    """One question's free-text answers ("Other" texts for multiple choice), newest first.

    Ordered by (submitted, response) — one text per response and question — so the database
    walks the responses' (survey, submitted_at, id) index backwards and stops at the limit."""
    return (
        _answers(
            survey_id,
            filters,
            [question_id],
            SurveyAnswer.id.label("answer_id"),
            SurveyAnswer.response_id.label("response_id"),
            SurveyAnswer.question_id.label("question_id"),
            SurveyAnswer.text.label("text"),
            SurveyResponse.submitted_at.label("submitted_at"),
            with_responses=True,
        )
        .where(SurveyAnswer.option_id.is_(None), SurveyAnswer.text.is_not(None))
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
    )


def _latest_texts(
    survey_id: int,
    filters: ResultFilters,
    question_ids: list[int],
    per_question: int = TEXT_ANSWERS_SHOWN,
) -> dict[int, list[TextAnswer]]:
    """The newest free-text answers to each question, with their contributions, in one query
    (a UNION ALL of one short, index-ordered list per question)."""
    if not question_ids:
        return {}
    lists = [
        select(_newest_texts(survey_id, filters, question_id).limit(per_question).subquery())
        for question_id in question_ids
    ]
    newest = (union_all(*lists) if len(lists) > 1 else lists[0]).subquery()
    rows = db.session.execute(
        _with_contributions(newest).order_by(
            newest.c.question_id, newest.c.submitted_at.desc(), newest.c.response_id.desc()
        )
    ).all()
    found: dict[int, list[TextAnswer]] = defaultdict(list)
    for row in rows:
        found[row.question_id].append(_text_answer(row))
    return found


# --- Putting a page together -----------------------------------------------------------------


def survey_questions(survey: Survey) -> list[SurveyQuestion]:
    """Questions in the order people meet them (sections, then positions); needs load_survey."""
    return [question for section in survey.sections for question in section.questions]


def _months(found: dict) -> tuple[list[tuple[str, str, int]], bool]:
    """(key, label, count) for every month from the first to the last answer (empty months
    too, so the chart reads as a timeline); by year when that spans more than MAX_MONTHS."""
    if not found:
        return [], False
    (y0, m0), (y1, m1) = min(found), max(found)
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    if span > MAX_MONTHS:
        years: dict[int, int] = defaultdict(int)
        for (y, _m), count in found.items():
            years[y] += count
        return [(str(y), str(y), years.get(y, 0)) for y in range(y0, y1 + 1)], True
    rows = []
    y, m = y0, m0
    for _step in range(span):
        rows.append(
            (f"{y:04d}-{m:02d}", format_date(date(y, m, 1), "MMMM yyyy"), found.get((y, m), 0))
        )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return rows, False


def _finish_cells(cells: list[Cell], answered: int, *, published: bool, additive: bool) -> bool:
    """Percentages of the people who answered; on the published page, hide small counts.
    Returns whether the whole question is hidden."""
    hidden = False
    if published:
        hidden, marks = suppress([cell.count for cell in cells], answered, additive=additive)
        for cell, mark in zip(cells, marks, strict=True):
            cell.hidden = mark
    for cell in cells:
        cell.percent = None if (cell.hidden or not answered) else 100 * cell.count / answered
    return hidden


def _chart(result: QuestionResult, *, rtl: bool) -> charts.BarChart:
    if result.kind == QuestionKind.NUMBER:
        label_heading = _("Answer (range)")
    elif result.kind == QuestionKind.DATE:
        label_heading = _("Year") if result.by_year else _("Month")
    else:
        label_heading = _("Answer")
    bars = []
    for cell in result.cells:
        value_text = (
            cell.count_text if cell.hidden else f"{cell.count_text} ({cell.percent_text or '0%'})"
        )
        bars.append(
            charts.Bar(
                label=cell.label,
                value=None if cell.hidden else cell.count,
                value_text=value_text,
                count_text=cell.count_text,
                percent_text=cell.percent_text,
            )
        )
    description = _(
        "Bar chart. %(answers)s",
        answers="; ".join(f"{bar.label}: {bar.value_text}" for bar in bars),
    )
    return charts.bar_chart(
        _("Question %(number)d: %(text)s", number=result.number, text=result.text),
        description,
        bars,
        rtl=rtl,
        chart_id=f"chart-question-{result.question.id}",
        label_heading=label_heading,
        count_heading=_("People"),
        percent_heading=_("Percentage of people who answered"),
    )


def _tally(survey: Survey, questions: list[SurveyQuestion], filters: ResultFilters):
    """No filter, or one: the kept counts. Several: counted live into the same buckets."""
    active = filters.active()
    if len(active) <= 1:
        key = "".join(tallies.filter_key(name, value) for name, value in active.items())
        return tallies.kept_tally(survey.id, key=key, conditions=filters.conditions())
    return tallies.live_tally(
        survey.id,
        filters.conditions(),
        [q.id for q in questions],
        [q.id for q in questions if q.kind_enum == QuestionKind.MULTIPLE_CHOICE],
    )


def _results(
    survey: Survey,
    filters: ResultFilters,
    *,
    published: bool,
    language: str,
    rtl: bool,
) -> SurveyResults:
    questions = survey_questions(survey)
    text_ids = [
        q.id
        for q in questions
        if q.kind_enum.is_free_text
        or (q.kind_enum == QuestionKind.MULTIPLE_CHOICE and q.allow_other)
    ]
    if published:
        tally, quotes = tallies.stored_published(survey.id)
        texts: dict = {}
    else:
        tally, quotes = _tally(survey, questions, filters), {}
        texts = _latest_texts(survey.id, filters, text_ids) if tally.counts else {}
    headline = _headline(tally, published=published)

    def words(obj, name):
        return localised(obj, name, language) if published else getattr(obj, name)

    found = []
    for number, question in enumerate(questions, start=1):
        kind = question.kind_enum
        result = QuestionResult(
            question=question, number=number, text=words(question, "text"), kind=kind, answered=0
        )
        additive = True
        if kind.has_options:
            result.cells = [
                Cell(
                    key=str(option.id),
                    label=words(option, "label"),
                    count=tally.get(question.id, tallies.option_bucket(option.id)),
                )
                for option in question.options
            ]
            if kind == QuestionKind.MULTIPLE_CHOICE:
                additive = False
                if question.allow_other:
                    result.cells.append(
                        Cell(key="other", label=_("Other"), count=tally.get(question.id, OTHER))
                    )
                result.answered = tally.get(question.id, tallies.PEOPLE)
                result.text_count = tally.get(question.id, OTHER)
            else:
                result.answered = sum(cell.count for cell in result.cells)
        elif kind == QuestionKind.NUMBER:
            values = tally.numbers(question.id)
            result.stats = number_stats(values)
            result.answered = result.stats.count
            ranges = bands(values[0][0], values[-1][0]) if values else []
            result.cells = [
                Cell(
                    key=f"{lo}-{hi}",
                    label=str(lo) if lo == hi else _("%(low)d to %(high)d", low=lo, high=hi),
                    count=count,
                )
                for (lo, hi), count in zip(ranges, _band_counts(values, ranges), strict=True)
            ]
        elif kind == QuestionKind.DATE:
            rows, result.by_year = _months(tally.months(question.id))
            result.cells = [Cell(key=key, label=label, count=count) for key, label, count in rows]
            result.answered = sum(cell.count for cell in result.cells)
        else:
            result.answered = result.text_count = tally.get(question.id, OTHER)
        result.texts = texts.get(question.id, [])
        result.quotes = quotes.get(question.id, [])
        if published:
            result.hidden = suppression.suppressed(result.answered)
            if result.stats is not None:  # the lowest and highest are each one person's answer
                result.stats = NumberStats(
                    count=result.stats.count,
                    minimum=None,
                    maximum=None,
                    median=None if result.hidden else result.stats.median,
                )
        if result.cells:
            whole_hidden = _finish_cells(
                result.cells, result.answered, published=published, additive=additive
            )
            result.hidden = result.hidden or whole_hidden
            if not result.hidden and result.answered:
                result.chart = _chart(result, rtl=rtl)
        found.append(result)
    return SurveyResults(
        survey=survey, headline=headline, questions=found, filters=filters, published=published
    )


def _headline(tally: tallies.Tally, *, published: bool) -> Headline:
    channels = [
        Cell(key=value, label=Channel(value).label, count=tally.channel(value))
        for value in SURVEY_CHANNELS
    ]
    total = sum(cell.count for cell in channels)
    hidden = _finish_cells(channels, total, published=published, additive=True)
    return Headline(
        responses=total,
        hidden=hidden,
        channels=channels,
        first_at=tally.first_at,
        last_at=tally.last_at,
    )


def top_answers(questions: list[QuestionResult]) -> list[TopAnswer]:
    """Each choice or rating question's most-chosen answer, from the counts as the page shows
    them: a question or a count that is hidden ("fewer than 5") is never named as the top."""
    found = []
    for result in questions:
        if result.hidden or not result.kind.has_options or not result.answered:
            continue
        shown = [cell for cell in result.cells if not cell.hidden and cell.count]
        if not shown:
            continue
        most = max(cell.count for cell in shown)
        tied = [cell for cell in shown if cell.count == most]
        found.append(
            TopAnswer(
                number=result.number,
                question_id=result.question.id,
                text=result.text,
                labels=[cell.label for cell in tied],
                count_text=tied[0].count_text,
                percent_text=tied[0].percent_text,
            )
        )
    return found


def _unsent_online_drafts(survey_id: int) -> int:
    """People answering online who have not sent their answers (yet): drafts kept on the
    server, not staff typing in paper forms. Unsent drafts are deleted after a few days."""
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyDraft)
        .where(SurveyDraft.survey_id == survey_id, SurveyDraft.entered_by_id.is_(None))
    )


def results_summary(found: SurveyResults) -> ResultsSummary:
    online = next(
        (cell.count for cell in found.headline.channels if cell.key == Channel.ONLINE.value), 0
    )
    started = None
    if not found.filters.active():
        started = online + _unsent_online_drafts(found.survey.id)
    return ResultsSummary(
        responses=found.headline.responses,
        started_online=started,
        sent_online=online,
        top_answers=top_answers(found.questions),
    )


def staff_results(survey: Survey, filters: ResultFilters | None = None) -> SurveyResults:
    """Every count, for coordinators: filtered, with the newest free-text answers, and a
    summary to read first.

    `survey` must come from `surveys.load_survey` (questions and options already loaded).
    """
    found = _results(survey, filters or ResultFilters(), published=False, language="en", rtl=False)
    found.summary = results_summary(found)
    return found


def published_results(survey: Survey, language: str = "en", rtl: bool = False) -> SurveyResults:
    """What the public results page shows: suppressed counts, approved quotes, no filters."""
    return _results(survey, ResultFilters(), published=True, language=language, rtl=rtl)


# --- All the free-text answers to one question (staff) ----------------------------------------


@dataclass
class TextAnswerPage:
    answers: list[TextAnswer]
    total: int
    next_cursor: str | None


def encode_cursor(answer: TextAnswer) -> str:
    return f"{answer.submitted_at:%Y%m%d%H%M%S%f}-{answer.response_id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """Where the next page starts; anything unreadable means "the first page"."""
    if not cursor or len(cursor) > 40:
        return None
    stamp, _sep, number = cursor.partition("-")
    try:
        at = datetime.strptime(stamp, "%Y%m%d%H%M%S%f")
        response_id = int(number)
    except ValueError:
        return None
    return (at, response_id) if 0 < response_id < 2**31 else None


def text_answers_page(
    survey: Survey,
    question: SurveyQuestion,
    filters: ResultFilters | None = None,
    after: str | None = None,
    per_page: int = TEXT_PAGE_SIZE,
) -> TextAnswerPage:
    """Newest first, paged by (submitted, response) so a deep page costs the same as the first."""
    filters = filters or ResultFilters()
    query = _newest_texts(survey.id, filters, question.id)
    position = decode_cursor(after)
    if position is not None:
        query = query.where(
            tuple_(SurveyResponse.submitted_at, SurveyResponse.id) < tuple_(*position)
        )
    page = query.limit(per_page + 1).subquery()
    rows = db.session.execute(
        _with_contributions(page).order_by(page.c.submitted_at.desc(), page.c.response_id.desc())
    ).all()
    total = (
        db.session.scalar(
            _answers(survey.id, filters, [question.id], func.count()).where(
                SurveyAnswer.option_id.is_(None), SurveyAnswer.text.is_not(None)
            )
        )
        or 0
    )
    answers = [_text_answer(row) for row in rows[:per_page]]
    more = len(rows) > per_page
    return TextAnswerPage(
        answers=answers, total=total, next_cursor=encode_cursor(answers[-1]) if more else None
    )


# --- Publishing the results --------------------------------------------------------------------


def publish_refusal(survey: Survey) -> str | None:
    """Results are published once the survey has closed: publishing while answers still arrive
    would let someone compare two versions of the page and find one person's answers."""
    if phase(survey) != SurveyPhase.CLOSED:
        return _("You can publish the results once the survey has closed.")
    return None


def publish_results(actor: User, survey: Survey) -> bool:
    """Make the results public; False when they already were. Audited, one transaction, in
    which the published results are stored (tallies' session hooks)."""
    if survey.results_published_at is not None:
        return False
    refusal = publish_refusal(survey)
    if refusal:
        raise Refused(refusal)
    survey.results_published_at = utcnow()
    audit.record("survey.results_published", survey, actor=actor, summary=survey.title)
    db.session.commit()
    return True


def unpublish_results(actor: User, survey: Survey) -> bool:
    """Take the public results page down; False when it was not published."""
    if survey.results_published_at is None:
        return False
    survey.results_published_at = None
    audit.record("survey.results_unpublished", survey, actor=actor, summary=survey.title)
    db.session.commit()
    return True
