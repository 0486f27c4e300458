"""Survey results counted once: every response adds itself to its survey's counts as it is
recorded, and published results are stored when they are published.

A response adds one to a bucket per answer (an option, a number, the month of a date, a free
text) and per multiple-choice question it answered ("people"), and one to its channel, in the
transaction that records it. The unfiltered results read these few hundred rows instead of
counting a survey's answers again; filtered results count live, in a few grouped queries,
into the same buckets, so both are read the same way.

Published results (the counts and the approved quotes, in no language) are stored in
`published_survey_results`, in the same transaction as any change that would alter them, by
session hooks, as the search index is (app/domain/search/indexing.py), so no code path can
forget: results published or taken down, a response recorded afterwards (a paper form can
arrive after the closing date), and a quote approved, withdrawn, flagged, hidden or erased
afterwards (contributions are changed in the thread package, below surveys).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, delete, distinct, event, extract, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import (
    Contribution,
    ContributionSource,
    PublishedSurveyResults,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyResultCount,
)
from ...models.base import utcnow
from ..thread import about_you
from ..thread.contributions import ABOUT_YOU_FIELDS, quotable

RESPONSES = 0  # the question id of response-level buckets
OTHER = "other"
PEOPLE = "people"
QUOTES_SHOWN = 20
FILTER_FIELDS = ABOUT_YOU_FIELDS + ("channel",)  # what staff can filter results by
QUOTE_COLUMNS = {"quote_text", "quote_approved_at", "safeguarding", "state", "consent_to_quote"}


def channel_bucket(channel: str) -> str:
    return f"channel:{channel}"


def option_bucket(option_id: int) -> str:
    return f"option:{option_id}"


def answer_bucket(option_id: int | None, number: int | None, year, month) -> str:
    """Where one answer row is counted: its option, its number, its date's month, or (free
    text, and the "Other" text of a multiple-choice question) OTHER."""
    if option_id is not None:
        return option_bucket(option_id)
    if number is not None:
        return f"number:{number}"
    if year is not None:
        return f"month:{int(year):04d}-{int(month):02d}"
    return OTHER


@dataclass
class Tally:
    """A survey's counts by (question id, bucket), and when its first and last responses came."""

    counts: dict[tuple[int, str], int] = field(default_factory=dict)
    first_at: datetime | None = None
    last_at: datetime | None = None

    def get(self, question_id: int, bucket: str) -> int:
        return self.counts.get((question_id, bucket), 0)

    def channel(self, channel: str) -> int:
        return self.get(RESPONSES, channel_bucket(channel))

    def numbers(self, question_id: int) -> list[tuple[int, int]]:
        """(value, answers) for a number question, lowest first."""
        return sorted(
            (int(bucket[7:]), count)
            for (found, bucket), count in self.counts.items()
            if found == question_id and bucket.startswith("number:")
        )

    def months(self, question_id: int) -> dict[tuple[int, int], int]:
        return {
            (int(bucket[6:10]), int(bucket[11:13])): count
            for (found, bucket), count in self.counts.items()
            if found == question_id and bucket.startswith("month:")
        }

    def to_data(self) -> dict:
        return {
            "counts": [[q, bucket, count] for (q, bucket), count in sorted(self.counts.items())],
            "first_at": self.first_at.isoformat() if self.first_at else None,
            "last_at": self.last_at.isoformat() if self.last_at else None,
        }

    @classmethod
    def from_data(cls, data: dict) -> "Tally":
        def when(text):
            return datetime.fromisoformat(text) if text else None

        return cls(
            counts={(q, bucket): count for q, bucket, count in data["counts"]},
            first_at=when(data["first_at"]),
            last_at=when(data["last_at"]),
        )


# --- Which counts a response is in -----------------------------------------------------------


def filter_key(name: str, value: str) -> str:
    return f"{name}={value}"


def filter_keys(response: SurveyResponse) -> list[str]:
    """All responses (""), and each of the response's About-you answers (each area of need)
    and its channel: the one-filter views it is counted in."""
    keys = [""]
    for name in FILTER_FIELDS:
        value = getattr(response, name)
        values = about_you.needs(value) if name == "need" else [value] if value else []
        keys += [filter_key(name, found) for found in values]
    return keys


# --- Counting live (results filtered by several answers, and counting again) -----------------


def _grouped_counts(
    session: Session,
    survey_id: int,
    conditions: list,
    question_ids: list[int],
    multiple_choice_ids: list[int],
    by: str | None = None,
) -> dict[str, Counter]:
    """{filter key: counts} of the responses the conditions allow: one filter key ("") or,
    `by` an About-you field or "channel", one per value of it. Three grouped queries."""
    scope = [SurveyResponse.survey_id == survey_id, *conditions]
    group = getattr(SurveyResponse, by) if by else literal("")
    found: dict[str, Counter] = {}

    def add(value, key, count):
        if by is None:
            names = [""]
        elif by == "need":
            names = [filter_key(by, code) for code in about_you.needs(value)]
        else:
            names = [filter_key(by, value)] if value else []
        for name in names:
            found.setdefault(name, Counter())[key] += count

    for value, channel, count in session.execute(
        select(group, SurveyResponse.channel, func.count())
        .where(*scope)
        .group_by(group, SurveyResponse.channel)
    ):
        add(value, (RESPONSES, channel_bucket(channel)), count)
    if not found or not question_ids:
        return found
    answers = (
        select(group)
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyAnswer.question_id.in_(question_ids), *scope)
    )
    year = extract("year", SurveyAnswer.date_value)
    month = extract("month", SurveyAnswer.date_value)
    columns = (SurveyAnswer.question_id, SurveyAnswer.option_id, SurveyAnswer.number, year, month)
    for value, question_id, option_id, number, y, m, count in session.execute(
        answers.add_columns(*columns, func.count()).group_by(group, *columns)
    ):
        add(value, (question_id, answer_bucket(option_id, number, y, m)), count)
    if multiple_choice_ids:
        for value, question_id, count in session.execute(
            answers.add_columns(
                SurveyAnswer.question_id, func.count(distinct(SurveyAnswer.response_id))
            )
            .where(SurveyAnswer.question_id.in_(multiple_choice_ids))
            .group_by(group, SurveyAnswer.question_id)
        ):
            add(value, (question_id, PEOPLE), count)
    return found


def _first_and_last(session: Session, survey_id: int, conditions: list) -> tuple:
    """Unfiltered, each is one step along the (survey, submitted_at) index."""
    first = select(SurveyResponse.submitted_at).where(
        SurveyResponse.survey_id == survey_id, *conditions
    )
    return session.execute(
        select(
            first.order_by(SurveyResponse.submitted_at).limit(1).scalar_subquery(),
            first.order_by(SurveyResponse.submitted_at.desc()).limit(1).scalar_subquery(),
        )
    ).one()


def live_tally(
    survey_id: int, conditions: list, question_ids: list[int], multiple_choice_ids: list[int]
) -> Tally:
    """Count the responses the conditions (on SurveyResponse) allow, whatever their number in
    four queries."""
    counts = _grouped_counts(
        db.session, survey_id, conditions, question_ids, multiple_choice_ids
    ).get("")
    if not counts:
        return Tally()
    first_at, last_at = _first_and_last(db.session, survey_id, conditions)
    return Tally(counts=dict(counts), first_at=first_at, last_at=last_at)


# --- The kept counts --------------------------------------------------------------------------


def _add(session: Session, survey_id: int, counts: dict[str, Counter]) -> None:
    """Add to the kept counts in one statement; two responses recorded at once both count."""
    rows = [
        {"survey_id": survey_id, "filter_key": key, "question_id": q, "bucket": b, "count": n}
        for key, found in counts.items()
        for (q, b), n in found.items()
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SurveyResultCount.__table__
    for start in range(0, len(rows), 1000):
        statement = insert(table).values(rows[start : start + 1000])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    table.c.survey_id,
                    table.c.filter_key,
                    table.c.question_id,
                    table.c.bucket,
                ],
                set_={"count": table.c.count + statement.excluded["count"]},
            )
        )


def count_response(response: SurveyResponse, multiple_choice_ids: set[int]) -> None:
    """Add a response being recorded (its answers in memory) to its survey's kept counts."""
    counts: Counter = Counter({(RESPONSES, channel_bucket(response.channel)): 1})
    for row in response.answers:
        day: date | None = row.date_value
        bucket = answer_bucket(
            row.option_id, row.number, day.year if day else None, day.month if day else None
        )
        counts[(row.question_id, bucket)] += 1
    for question_id in {row.question_id for row in response.answers} & multiple_choice_ids:
        counts[(question_id, PEOPLE)] += 1
    _add(db.session, response.survey_id, dict.fromkeys(filter_keys(response), counts))


def kept_tally(
    survey_id: int,
    session: Session | None = None,
    key: str = "",
    conditions: list | None = None,
) -> Tally:
    """The kept counts of all responses, or of those with one answer (`key`, which
    `conditions` say in SQL), and when the first and last of them came."""
    session = session or db.session
    counts = {
        (q, bucket): count
        for q, bucket, count in session.execute(
            select(
                SurveyResultCount.question_id, SurveyResultCount.bucket, SurveyResultCount.count
            ).where(SurveyResultCount.survey_id == survey_id, SurveyResultCount.filter_key == key)
        )
    }
    if not counts:
        return Tally()
    first_at, last_at = _first_and_last(session, survey_id, conditions or [])
    return Tally(counts=counts, first_at=first_at, last_at=last_at)


def recount(survey_id: int, session: Session | None = None) -> None:
    """Count a survey's responses again from scratch into its kept counts (responses inserted
    in bulk, and the migration that started keeping them). Does not commit."""
    session = session or db.session
    questions = session.execute(
        select(SurveyQuestion.id, SurveyQuestion.kind).where(SurveyQuestion.survey_id == survey_id)
    ).all()
    question_ids = [q for q, _kind in questions]
    multiple = [q for q, kind in questions if kind == QuestionKind.MULTIPLE_CHOICE.value]
    session.execute(delete(SurveyResultCount).where(SurveyResultCount.survey_id == survey_id))
    for by in (None, *FILTER_FIELDS):
        _add(
            session,
            survey_id,
            _grouped_counts(session, survey_id, [], question_ids, multiple, by),
        )
    _note(session, surveys={survey_id})


# --- Published results ------------------------------------------------------------------------


def approved_quotes(
    survey_id: int, session: Session | None = None, per_question: int = QUOTES_SHOWN
) -> dict[int, list[str]]:
    """Quotes that may be published: the person agreed, a coordinator approved the redacted
    version (that version is what is shown), and nothing is flagged or hidden."""
    rank = func.row_number().over(
        partition_by=SurveyAnswer.question_id,
        order_by=(Contribution.quote_approved_at, Contribution.id),
    )
    ranked = (
        select(
            SurveyAnswer.question_id.label("question_id"),
            Contribution.quote_text.label("quote"),
            rank.label("rank"),
        )
        .select_from(Contribution)
        .join(
            SurveyAnswer,
            and_(
                Contribution.source_type == ContributionSource.SURVEY_ANSWER.value,
                Contribution.source_id == SurveyAnswer.id,
            ),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.survey_id == survey_id,
            SurveyResponse.consent_to_quote.is_(True),
            quotable(),
        )
        .subquery()
    )
    found: dict[int, list[str]] = {}
    for question_id, quote in (session or db.session).execute(
        select(ranked.c.question_id, ranked.c.quote)
        .where(ranked.c.rank <= per_question)
        .order_by(ranked.c.question_id, ranked.c.rank)
    ):
        found.setdefault(question_id, []).append(quote)
    return found


def published_data(survey_id: int, session: Session | None = None) -> dict:
    """What the public results page shows, before labels and suppression: the counts and the
    approved quotes."""
    return {
        **kept_tally(survey_id, session).to_data(),
        "quotes": {str(q): quotes for q, quotes in approved_quotes(survey_id, session).items()},
    }


def stored_published(survey_id: int) -> tuple[Tally, dict[int, list[str]]]:
    """The stored published results: one row."""
    data = db.session.scalar(
        select(PublishedSurveyResults.data).where(PublishedSurveyResults.survey_id == survey_id)
    )
    if data is None:  # published outside a session (never by the service): work it out
        data = published_data(survey_id)
    quotes = {int(q): found for q, found in data["quotes"].items()}
    return Tally.from_data(data), quotes


def store_published(session: Session, survey_ids: set[int]) -> None:
    """Store the published results of these surveys, or remove them when not published."""
    published = set(
        session.scalars(
            select(Survey.id).where(
                Survey.id.in_(survey_ids), Survey.results_published_at.is_not(None)
            )
        )
    )
    table = PublishedSurveyResults.__table__
    session.execute(delete(table).where(table.c.survey_id.in_(survey_ids)))
    for survey_id in sorted(published):
        session.execute(
            table.insert().values(
                survey_id=survey_id, data=published_data(survey_id, session), computed_at=utcnow()
            )
        )


# --- Keeping the published results in step (session hooks) ----------------------------------

_PENDING = "published_results_pending"


def _note(session: Session, *, surveys=(), answers=()) -> None:
    pending = session.info.setdefault(_PENDING, {"surveys": set(), "answers": set()})
    pending["surveys"].update(surveys)
    pending["answers"].update(answers)


def _changed(obj, names) -> bool:
    state = db.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush_context) -> None:
    surveys, answers = set(), set()
    for obj in session.new:
        if isinstance(obj, Survey) and obj.results_published_at is not None:
            surveys.add(obj.id)
        elif isinstance(obj, SurveyResponse):
            surveys.add(obj.survey_id)
    for obj in session.dirty:
        if isinstance(obj, Survey) and _changed(obj, ["results_published_at"]):
            surveys.add(obj.id)
        elif (
            isinstance(obj, Contribution)
            and obj.source_type == ContributionSource.SURVEY_ANSWER.value
            and _changed(obj, QUOTE_COLUMNS)
        ):
            answers.add(obj.source_id)
    for obj in session.deleted:
        if (
            isinstance(obj, Contribution)
            and obj.source_type == ContributionSource.SURVEY_ANSWER.value
        ):
            answers.add(obj.source_id)
        elif isinstance(obj, SurveyResponse):
            surveys.add(obj.survey_id)
    if surveys or answers:
        _note(session, surveys=surveys, answers=answers)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statements(state):
    """A bulk change to contributions (data rights erasure) that could remove a quote: note the
    surveys of the answers it touches, before it runs."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if state.bind_mapper.class_ is not Contribution:
        return
    if state.is_update:
        values = getattr(state.statement, "_values", None) or {}
        if not {getattr(column, "key", str(column)) for column in values} & QUOTE_COLUMNS:
            return
    where = state.statement.whereclause
    query = select(Contribution.source_id).where(
        Contribution.source_type == ContributionSource.SURVEY_ANSWER.value
    )
    if where is not None:
        query = query.where(where)
    _note(state.session, answers=set(state.session.scalars(query)))


@event.listens_for(Session, "before_commit")
def _store_pending(session: Session) -> None:
    session.flush()  # what the commit would flush is noted now, while it can still be stored
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    surveys = set(pending["surveys"])
    answer_ids = sorted(pending["answers"])
    for start in range(0, len(answer_ids), 500):
        surveys.update(
            session.scalars(
                select(distinct(SurveyResponse.survey_id))
                .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
                .where(SurveyAnswer.id.in_(answer_ids[start : start + 500]))
            )
        )
    surveys.discard(None)
    if surveys:
        store_published(session, surveys)
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)
