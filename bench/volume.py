"""The volume database `bench/run` measures: a year of a busy service, built in minutes.

Migrations and the demo seed (as `flask seed` adds it, with the demo staff so the run can sign
in), then in bulk: plan actions up to 40 across the areas, 50,000 contributions over a year
(states, channels and sources mixed; two in three coded to areas, themes and often an action;
1 in 100 urgent), 500 published "You said, we did" responses answering them, and one survey of
10 questions of every kind with 100,000 responses (answers, "About you", a contribution for each
free-text answer: tests/survey_results_data.bulk_responses), closed and its results published
through the real domain function. The search index follows every insert (its session hooks).

    build(database_url, Scale.full())   # or Scale.quick() for trying the run

The builders here (`add_themes`, `add_actions`, `add_contributions`, `add_published_responses`)
are what bench/inbox.py, bench/report.py and bench/search.py build their data with too.
"""

import os
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from bench.harness import BENCH_ENV

VOLUME_SURVEY_SLUG = "bench-volume-survey"
BATCH = 5000

SENTENCES = [
    "We waited eleven months for the EHC needs assessment and nobody told us what was happening.",
    "The SEND hub answered my call quickly and the caseworker explained the next steps clearly.",
    "My daughter's school does not follow the support in her plan; the SENCo is overwhelmed.",
    "The annual review was cancelled twice and the new date is after she changes school.",
    "Speech and language therapy stopped when he turned eleven and we cannot get it back.",
    "The parent carer forum event in Maidstone was useful but it was in working hours.",
    "Letters from the council are hard to understand and arrive after the deadline to reply.",
    "The neurodevelopmental pathway waiting list is over two years for an autism assessment.",
    "Transport to his special school changed with two days' notice and he was very distressed.",
    "We were told there are no specialist places so he is out of school with six hours of tuition.",
]
THEMES = [
    "Communication",
    "Waiting times",
    "School support",
    "Annual reviews",
    "Transport",
    "Therapies",
]
WE_DID = [
    "We added two assessment teams and EHC needs assessments now take 14 weeks.",
    "Speech and language therapy is now offered until 19 in every special school.",
    "Transport changes are agreed with families four weeks ahead, with a named contact.",
    "Letters were rewritten in plain English with families from the parent carer forum.",
    "Annual reviews are booked a term ahead and the SENCo gets the paperwork in time.",
    "The autism assessment pathway has a new triage team and a waiting-list helpline.",
]


@dataclass(frozen=True)
class Scale:
    actions: int
    contributions: int
    published_responses: int
    survey_responses: int

    @classmethod
    def full(cls) -> "Scale":
        return cls(
            actions=40, contributions=50_000, published_responses=500, survey_responses=100_000
        )

    @classmethod
    def quick(cls) -> "Scale":
        return cls(actions=40, contributions=5_000, published_responses=100, survey_responses=5_000)


def insert_in_batches(table, rows: list[dict]) -> None:
    """Core INSERT, executemany in batches (the search index hook indexes what each adds)."""
    from app.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def new_references(count: int, column=None) -> list[str]:
    """`count` references not yet in `column` (contributions' by default)."""
    from app.domain.thread.references import new_reference
    from app.extensions import db
    from app.models import Contribution

    taken = set(db.session.scalars(select(column or Contribution.reference)))
    found = []
    while len(found) < count:
        reference = new_reference()
        if reference not in taken:
            taken.add(reference)
            found.append(reference)
    return found


def add_themes() -> list[int]:
    from app.extensions import db
    from app.models import Theme

    for name in THEMES:
        if db.session.scalar(select(Theme.id).where(Theme.name == name)) is None:
            db.session.add(Theme(name=name))
    db.session.commit()
    return list(db.session.scalars(select(Theme.id)))


def add_actions(count: int, rng: random.Random) -> list[int]:
    """Plan actions up to `count`, each in one or two areas. Commits; returns every action id."""
    from app.extensions import db
    from app.models import Action, Area, Organisation, action_areas

    area_ids = list(db.session.scalars(select(Area.id)))
    owner = db.session.scalar(select(Organisation.id))
    have = db.session.scalar(select(db.func.count()).select_from(Action))
    for n in range(have, count):
        action = Action(
            reference=f"BENCH-{n + 1}",
            title=f"Bench action {n + 1}",
            owner_organisation_id=owner,
            status=rng.choice(["not_started", "on_track", "at_risk", "off_track", "complete"]),
            due_date=date.today() + timedelta(days=rng.randint(-200, 300)),
        )
        db.session.add(action)
        db.session.flush()
        for area_id in rng.sample(area_ids, rng.choice([1, 2])):
            db.session.execute(action_areas.insert().values(action_id=action.id, area_id=area_id))
    db.session.commit()
    return list(db.session.scalars(select(Action.id)))


def add_contributions(
    count: int,
    rng: random.Random,
    *,
    coded_every: int = 3,
    with_actions: bool = True,
    days: int = 365,
) -> list[int]:
    """`count` contributions over the last `days` days, of every source and channel; all but one
    in `coded_every` coded to an area and a theme (and an action, every other one), 1 in 100
    urgent. Commits; returns the ids of the coded ones."""
    from app.extensions import db
    from app.models import (
        Action,
        Area,
        Channel,
        Contribution,
        ContributionSource,
        Theme,
        contribution_actions,
        contribution_areas,
        contribution_themes,
    )
    from app.models.base import utcnow

    area_ids = list(db.session.scalars(select(Area.id)))
    action_ids = list(db.session.scalars(select(Action.id)))
    theme_ids = list(db.session.scalars(select(Theme.id)))
    now = utcnow()
    sources, channels = [s.value for s in ContributionSource], [c.value for c in Channel]
    references = new_references(count)
    rows = []
    for n, reference in enumerate(references):
        coded = n % coded_every != 0
        rows.append(
            {
                "reference": reference,
                "source_type": rng.choice(sources),
                "source_id": None,
                "topic": "",
                "text": f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)} (#{n})",
                "language": rng.choice(["en", "en", "en", "pl", "ur"]),
                "channel": rng.choice(channels),
                "state": "coded" if coded else "new",
                "rating": rng.choice([None, 1, 2, 3, 4, 5]),
                "sentiment": rng.choice(["negative", "mixed", "positive"]) if coded else None,
                "safeguarding": n % 100 == 0,
                "personal_details": False,
                "note": "",
                "consent_to_quote": n % 2 == 0,
                "created_at": now - timedelta(minutes=rng.randint(0, days * 24 * 60)),
            }
        )
    insert_in_batches(Contribution, rows)
    db.session.commit()
    by_reference = {}
    for start in range(0, len(references), 1000):
        chunk = references[start : start + 1000]
        by_reference.update(
            db.session.execute(
                select(Contribution.reference, Contribution.id).where(
                    Contribution.reference.in_(chunk)
                )
            ).all()
        )
    ids = [by_reference[r] for n, r in enumerate(references) if n % coded_every != 0]
    areas, themes, actions = [], [], []
    for n, contribution_id in enumerate(ids):
        for area_id in rng.sample(area_ids, rng.choice([1, 1, 2])):
            areas.append({"contribution_id": contribution_id, "area_id": area_id})
        themes.append({"contribution_id": contribution_id, "theme_id": rng.choice(theme_ids)})
        if with_actions and action_ids and n % 2 == 0:
            actions.append(
                {"contribution_id": contribution_id, "action_id": rng.choice(action_ids)}
            )
    insert_in_batches(contribution_areas, areas)
    insert_in_batches(contribution_themes, themes)
    insert_in_batches(contribution_actions, actions)
    db.session.commit()
    return ids


def add_published_responses(
    count: int, coded: list[int], rng: random.Random, *, answering: int = 20
) -> None:
    """`count` published "You said, we did" responses over the last year, each in an area and
    for an action, answering `answering` of the coded contributions. Commits."""
    from app.extensions import db
    from app.models import (
        Action,
        ApprovalState,
        Area,
        Organisation,
        User,
        YouSaidWeDid,
        response_actions,
        response_areas,
        response_contributions,
    )
    from app.models.base import utcnow

    now = utcnow()
    area_ids = list(db.session.scalars(select(Area.id)))
    action_ids = list(db.session.scalars(select(Action.id)))
    organisation_id = db.session.scalar(select(Organisation.id))
    author_id = db.session.scalar(select(User.id).order_by(User.id))
    first = (db.session.scalar(select(db.func.max(YouSaidWeDid.id))) or 0) + 1
    rows = []
    for n in range(count):
        published_at = now - timedelta(days=rng.randint(0, 364), minutes=n)
        rows.append(
            {
                "id": first + n,
                "title": f"{rng.choice(THEMES)}: what changed ({n + 1})",
                "you_said": f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}",
                "we_did": rng.choice(WE_DID),
                "status": rng.choice(["planned", "in_progress", "done"]),
                "organisation_id": organisation_id,
                "state": ApprovalState.PUBLISHED.value,
                "author_id": author_id,
                "approved_by_id": author_id,
                "created_at": published_at - timedelta(days=5),
                "submitted_at": published_at - timedelta(days=2),
                "published_at": published_at,
            }
        )
    insert_in_batches(YouSaidWeDid, rows)
    links = {response_areas: [], response_actions: [], response_contributions: []}
    for row in rows:
        links[response_areas].append({"response_id": row["id"], "area_id": rng.choice(area_ids)})
        links[response_actions].append(
            {"response_id": row["id"], "action_id": rng.choice(action_ids)}
        )
        for contribution_id in rng.sample(coded, min(answering, len(coded))):
            links[response_contributions].append(
                {"response_id": row["id"], "contribution_id": contribution_id}
            )
    for table, values in links.items():
        insert_in_batches(table, values)
    _move_sequence("responses")
    db.session.commit()


def _move_sequence(table: str) -> None:
    """Explicit ids do not move PostgreSQL's sequences on."""
    from app.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        )


def create_volume_survey():
    """One survey of 10 questions of every kind over two pages, with "About you", open for the
    last year and closed yesterday. Commits."""
    from app.demo.common import plan_areas
    from app.demo.surveys import RATING_POINTS, _Builder
    from app.extensions import db
    from app.models import QuestionKind, Survey, SurveyStatus
    from app.models.base import utcnow

    now = utcnow()
    survey = Survey(
        slug=VOLUME_SURVEY_SLUG,
        title="SEND services in the last year",
        summary="What families thought of SEND services over the last year.",
        audience="Parents and carers of children and young people with SEND in Kent.",
        use_of_answers="The results shape the improvement plan.",
        estimated_minutes=8,
        status=SurveyStatus.PUBLISHED.value,
        opens_at=now - timedelta(days=366),
        closes_at=now - timedelta(days=1),
        about_you=True,
        ask_consent_to_quote=True,
    )
    survey.areas = plan_areas(1, 2, 6)
    db.session.add(survey)
    build = _Builder(survey)
    build.add_section("Services you used")
    build.add_question(
        QuestionKind.SINGLE_CHOICE,
        "How did you first hear about the SEND hub?",
        required=True,
        options=["School", "GP or health visitor", "Another parent", "Online", "Other"],
    )
    build.add_question(
        QuestionKind.MULTIPLE_CHOICE,
        "Which services has your child used this year?",
        required=True,
        allow_other=True,
        options=[
            "Speech and language therapy",
            "Occupational therapy",
            "CAMHS",
            "Short breaks",
            "School transport",
            "None of these",
        ],
    )
    build.add_question(
        QuestionKind.RATING,
        "How good was communication from the SEND team?",
        required=True,
        options=RATING_POINTS,
    )
    build.add_question(QuestionKind.YES_NO, "Did you know who your caseworker was?", required=True)
    build.add_question(
        QuestionKind.NUMBER,
        "How many weeks did the EHC needs assessment take?",
        required=True,
        min_value=0,
        max_value=200,
    )
    build.add_section("Your child's school")
    build.add_question(
        QuestionKind.DATE, "When did your child start at their school?", required=True
    )
    build.add_question(
        QuestionKind.RATING,
        "How well does your child's school meet their needs?",
        required=True,
        options=RATING_POINTS,
    )
    build.add_question(
        QuestionKind.SINGLE_CHOICE,
        "How would you like us to keep in touch?",
        required=True,
        options=["Email", "Text message", "Letter", "Phone call"],
    )
    build.add_question(
        QuestionKind.YES_NO, "Would you recommend the SEND hub to another family?", required=True
    )
    build.add_question(
        QuestionKind.LONG_TEXT, "Is there anything else you want to tell us?", max_length=2000
    )
    db.session.commit()
    return survey


def reset_database(database_url: str) -> None:
    """A fresh, empty database: the SQLite file removed, or the PostgreSQL database dropped and
    created again."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return
    import psycopg

    server, name = database_url.rsplit("/", 1)
    server = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label:<52} {now - started:6.1f} s", flush=True)
    return now


def seed_as_flask_seed() -> None:
    """What `flask seed` adds, with the demo staff (production's `flask seed` leaves them out;
    the run signs in as them)."""
    from app.demo import seed, seed_consultations, seed_events, seed_surveys, seed_voices
    from app.demo.reach import seed_reach_baselines

    seed(with_demo_users=True)
    seed_voices()
    seed_events()
    seed_surveys()
    seed_consultations()
    seed_reach_baselines()


def build(database_url: str, scale: Scale) -> dict:
    """Build the volume database from nothing; returns what it holds (counts)."""
    reset_database(database_url)
    os.environ.update(DATABASE_URL=database_url, **BENCH_ENV)
    from flask_migrate import upgrade

    from app import create_app
    from app.domain.surveys.results import publish_results
    from app.extensions import db
    from app.models import User
    from tests.survey_results_data import bulk_responses

    app = create_app("production")
    rng = random.Random(2026)
    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        upgrade()
        started = _step("migrations", started)
        seed_as_flask_seed()
        started = _step("demo seed (flask seed)", started)
        add_themes()
        add_actions(scale.actions, rng)
        started = _step(f"actions up to {scale.actions}", started)
        coded = add_contributions(scale.contributions, rng)
        started = _step(f"{scale.contributions:,} contributions, coded and indexed", started)
        add_published_responses(scale.published_responses, coded, rng)
        started = _step(f'{scale.published_responses} published "You said, we did"', started)
        survey = create_volume_survey()
        bulk_responses(survey, scale.survey_responses, rng)
        started = _step(f"{scale.survey_responses:,} survey responses with answers", started)
        admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
        publish_results(admin, db.session.merge(survey))
        started = _step("survey results published (domain publish)", started)
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        _step("ANALYZE", started)
        return counts()


def counts() -> dict:
    """What the volume database holds (in an app context)."""
    from app.extensions import db

    tables = (
        "contributions",
        "survey_responses",
        "survey_answers",
        "responses",
        "actions",
        "search_entries",
    )
    return {
        table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        for table in tables
    }


def main() -> None:
    """`python -m bench.volume DATABASE_URL [--quick]`: build it and say what it holds."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    held = build(args.database_url, Scale.quick() if args.quick else Scale.full())
    print("  holds: " + ", ".join(f"{count:,} {table}" for table, count in held.items()))


if __name__ == "__main__":
    main()
