"""Survey responses for results tests and the results benchmark.

`respond()` records one response through the real domain function, for tests that check exact
counts. `bulk_responses()` inserts thousands in a few statements (record_response is too slow
for 100,000), with the same shape: answers by question kind, About-you values, channels, and a
contribution for every free-text answer so results link to the inbox.
"""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from app.demo.surveys import _COMMENTS
from app.domain.surveys.recording import record_response
from app.domain.surveys.results import survey_questions
from app.domain.surveys.structure import Structure, load_survey
from app.domain.surveys.tallies import recount
from app.domain.thread import about_you as about_you_choices
from app.domain.thread.references import new_reference
from app.extensions import db
from app.models import Contribution, QuestionKind, SurveyAnswer, SurveyResponse
from app.models.base import utcnow


def loaded(survey):
    return load_survey(survey.id)


def question(survey, starts_with: str):
    return next(q for q in survey_questions(survey) if q.text.startswith(starts_with))


def option(q, label: str) -> int:
    return next(o.id for o in q.options if o.label == label)


def respond(
    survey,
    answers: dict,
    *,
    about: dict | None = None,
    channel: str = "online",
    consent: bool = False,
    submitted_at: datetime | None = None,
    young_person: bool = False,
) -> SurveyResponse:
    """Record a response: `answers` maps questions (objects) to values in the domain's answer
    shape."""
    survey = loaded(survey)
    values = {str(q.id): value for q, value in answers.items()}
    if about:
        values["about_you"] = about
    values["consent_to_quote"] = "yes" if consent else "no"
    response = record_response(
        Structure.of(survey), values, channel=channel, check_open=False, young_person=young_person
    )
    if submitted_at is not None:
        response.submitted_at = submitted_at
        db.session.commit()
    return response


def _next_id(column) -> int:
    return (db.session.scalar(select(func.max(column))) or 0) + 1


def bulk_responses(
    survey, count: int, rng: random.Random | None = None, *, batch: int = 5000
) -> int:
    """Insert `count` responses with answers (and contributions for free text) in bulk. Commits."""
    rng = rng or random.Random(7)
    survey = loaded(survey)
    questions = survey_questions(survey)
    districts = [value for value, _label in about_you_choices.districts()]
    choices = {
        name: [value for value, _label in about_you_choices.choices(name)]
        for name in ("relationship_to_child", "age_group", "need", "setting", "ehc_plan")
    }
    start = survey.opens_at or (utcnow() - timedelta(days=60))
    span = max(60, int(((survey.closes_at or utcnow()) - start).total_seconds()) - 60)
    response_id, answer_id, contribution_id = (
        _next_id(SurveyResponse.id),
        _next_id(SurveyAnswer.id),
        _next_id(Contribution.id),
    )
    taken: set[str] = set()

    def reference() -> str:
        while True:
            found = new_reference()
            if found not in taken:
                taken.add(found)
                return found

    responses, answers, contributions = [], [], []

    def flush():
        for table, rows in (
            (SurveyResponse, responses),
            (SurveyAnswer, answers),
            (Contribution, contributions),
        ):
            if rows:
                db.session.execute(insert(table), rows)
                rows.clear()

    for _n in range(count):
        channel = rng.choices(["online", "paper", "event"], [85, 10, 5])[0]
        consent = rng.random() < 0.6
        submitted = start + timedelta(seconds=rng.randint(0, span))
        about = {
            name: rng.choice(values) if rng.random() < 0.85 else None
            for name, values in choices.items()
        }
        about["district"] = rng.choice(districts) if districts and rng.random() < 0.85 else None
        responses.append(
            {
                "id": response_id,
                "survey_id": survey.id,
                "reference": reference(),
                "channel": channel,
                "language": "en",
                "young_person": False,
                "consent_to_quote": consent,
                "submitted_at": submitted,
                **about,
            }
        )
        for q in questions:
            if not q.required and rng.random() < 0.25:
                continue
            kind = q.kind_enum
            row = {
                "response_id": response_id,
                "question_id": q.id,
                "option_id": None,
                "text": None,
                "number": None,
                "date_value": None,
            }
            rows = []
            if kind == QuestionKind.MULTIPLE_CHOICE:
                for chosen in rng.sample(q.options, rng.randint(1, min(2, len(q.options)))):
                    rows.append({**row, "option_id": chosen.id})
                if q.allow_other and rng.random() < 0.2:
                    rows.append(
                        {**row, "text": rng.choice(["Text messages", "Through our social worker"])}
                    )
            elif kind.has_options:
                rows.append({**row, "option_id": rng.choice(q.options).id})
            elif kind == QuestionKind.NUMBER:
                rows.append({**row, "number": rng.choice([0, 1, 2, 3, 5, 8, 12, 20])})
            elif kind == QuestionKind.DATE:
                rows.append(
                    {**row, "date_value": date.today() - timedelta(days=rng.randint(30, 700))}
                )
            elif rng.random() < 0.6:
                rows.append({**row, "text": rng.choice(_COMMENTS)})
            for answer in rows:
                answer["id"] = answer_id
                answers.append(answer)
                if answer["text"]:
                    contributions.append(
                        {
                            "id": contribution_id,
                            "reference": reference(),
                            "source_type": "survey_answer",
                            "source_id": answer_id,
                            "topic": survey.title[:60],
                            "text": answer["text"],
                            "language": "en",
                            "channel": channel,
                            "state": "new",
                            "safeguarding": False,
                            "personal_details": False,
                            "note": "",
                            "consent_to_quote": consent,
                            "created_at": submitted,
                        }
                    )
                    contribution_id += 1
                answer_id += 1
        response_id += 1
        if len(responses) >= batch:
            flush()
    flush()
    if (
        db.session.get_bind().dialect.name == "postgresql"
    ):  # explicit ids do not move the sequences on
        for table in ("survey_responses", "survey_answers", "contributions"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    recount(survey.id)  # bulk inserts skip record_response, which keeps the counts
    db.session.commit()
    return count
