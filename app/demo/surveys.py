"""Demo surveys: an open one about the EHC plan process that uses every question type, a
condition, "About you" and a young-person version; and a closed one with published results.

`create_ehc_survey()` and `create_short_breaks_survey()` build the questions only, so tests can
use the same survey without generating hundreds of responses.
"""

import random
from datetime import date, timedelta

from ..extensions import db
from ..models import (
    Channel,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyCondition,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
)
from ..models.base import utcnow
from .common import plan_actions, plan_areas

RATING_POINTS = ["Very poor", "Poor", "Neither good nor poor", "Good", "Very good"]
RATING_POINTS_YP = ["Really bad", "Bad", "OK", "Good", "Really good"]


class _Builder:
    """Adds sections and questions in order, numbering positions across the whole survey."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.section: SurveySection | None = None
        self.position = 0

    def add_section(
        self, title: str, description: str = "", translations: dict | None = None
    ) -> SurveySection:
        self.section = SurveySection(
            title=title,
            description=description,
            translations=translations or {},
            position=len(self.survey.sections),
        )
        self.survey.sections.append(self.section)
        return self.section

    def add_question(
        self, kind: QuestionKind, text: str, *, options=(), option_translations=None, **fields
    ) -> SurveyQuestion:
        self.position += 1
        question = SurveyQuestion(
            survey=self.survey,
            kind=kind.value,
            text=text,
            position=self.position,
            translations=fields.pop("translations", {}),
            **fields,
        )
        if kind == QuestionKind.YES_NO and not options:
            options = ["Yes", "No"]
            option_translations = option_translations or [
                {"pl": {"label": "Tak"}, "ur": {"label": "جی ہاں"}},
                {"pl": {"label": "Nie"}, "ur": {"label": "نہیں"}},
            ]
        for index, label in enumerate(options, start=1):
            translations = (option_translations or [{}] * len(options))[index - 1]
            question.options.append(
                QuestionOption(label=label, position=index, translations=translations)
            )
        self.section.questions.append(question)
        return question


def _rating_translations() -> list[dict]:
    return [{"yp": {"label": label}} for label in RATING_POINTS_YP]


def create_ehc_survey(
    *, opens_at=None, closes_at=None, slug: str = "ehc-plan-experience"
) -> Survey:
    """The open demo survey, with every question type, a section shown only for one answer,
    young-person wording and some Polish and Urdu texts. Commits."""
    now = utcnow()
    survey = Survey(
        slug=slug,
        title="Your experience of the EHC plan process",
        summary="Tell us what it was like to ask for an education, health and care (EHC) needs "
        "assessment, and to get a plan. Your answers shape how the new SEND enquiries hub keeps "
        "families informed.",
        audience="Parents and carers of children and young people who have asked for an EHC needs "
        "assessment in the last two years, and young people who have asked for one themselves.",
        use_of_answers="The SEND team and PACT read every answer. We publish what we heard, and "
        'what we are changing because of it, on "You said, we did". We never publish anything '
        "that could identify you.",
        estimated_minutes=10,
        status=SurveyStatus.PUBLISHED.value,
        opens_at=opens_at or now - timedelta(days=20),
        closes_at=closes_at or now + timedelta(days=40),
        young_person_version=True,
        about_you=True,
        ask_consent_to_quote=True,
        translations={
            "yp": {
                "title": "What was getting your EHC plan like?",
                "summary": "An EHC plan says what help you get at school or college. Tell us what "
                "it was like to get one, so we can make it better for other young people.",
            },
            "pl": {
                "title": "Twoje doświadczenia z procesem planu EHC",
                "summary": "Opowiedz nam, jak wyglądało wnioskowanie o ocenę potrzeb i otrzymanie "
                "planu edukacji, zdrowia i opieki (EHC).",
            },
            "ur": {"title": "ای ایچ سی پلان کے عمل کا آپ کا تجربہ"},
        },
    )
    survey.areas = plan_areas(1, 6)
    survey.actions = plan_actions("APP-1.2", "APP-6.1")
    db.session.add(survey)
    build = _Builder(survey)

    build.add_section(
        "Asking for an assessment",
        "About the request for an EHC needs assessment.",
        {"yp": {"title": "Asking for help"}, "pl": {"title": "Wniosek o ocenę potrzeb"}},
    )
    who = build.add_question(
        QuestionKind.SINGLE_CHOICE,
        "Who asked for the EHC needs assessment?",
        required=True,
        options=[
            "I did (parent or carer)",
            "The young person",
            "The school or college",
            "A health professional",
            "Someone else",
            "I do not know",
        ],
        # The young person's version speaks as the young person: "Me", "My parent or carer".
        option_translations=[
            {"yp": {"label": label}}
            for label in (
                "My parent or carer",
                "Me",
                "My school or college",
                "A doctor, nurse or therapist",
                "Someone else",
                "I do not know",
            )
        ],
        translations={
            "yp": {"text": "Who asked for you to be assessed?"},
            "pl": {"text": "Kto złożył wniosek o ocenę potrzeb EHC?"},
        },
    )
    build.add_question(
        QuestionKind.DATE,
        "When was the assessment asked for?",
        hint="If you are not sure, give your best guess, for example 1 9 2025.",
        translations={"yp": {"text": "When was this?"}},
    )
    build.add_question(
        QuestionKind.YES_NO,
        "Were you told within 6 weeks whether there would be an assessment?",
        required=True,
        translations={"yp": {"text": "Did someone tell you within 6 weeks what would happen?"}},
    )

    build.add_section(
        "Keeping you informed", translations={"yp": {"title": "Being kept up to date"}}
    )
    informed = build.add_question(
        QuestionKind.RATING,
        "How well were you kept informed while you waited?",
        required=True,
        options=RATING_POINTS,
        option_translations=_rating_translations(),
        translations={
            "yp": {"text": "How well did people keep you up to date?"},
            "pl": {"text": "Jak dobrze informowano cię w czasie oczekiwania?"},
        },
    )
    informed.areas = plan_areas(1)
    informed.actions = plan_actions("APP-1.2")
    build.add_question(
        QuestionKind.MULTIPLE_CHOICE,
        "How did the SEND team contact you?",
        hint="Select all that apply.",
        options=[
            "Email",
            "Phone",
            "Letter",
            "Through the school or college",
            "They did not contact me",
        ],
        allow_other=True,
    )
    build.add_question(
        QuestionKind.NUMBER,
        "How many times did you have to chase for an update?",
        hint="Enter 0 if you never had to.",
        min_value=0,
        max_value=200,
        translations={
            "yp": {"text": "How many times did you or your family have to ask what was happening?"}
        },
    )
    outcome = build.add_question(
        QuestionKind.SINGLE_CHOICE,
        "Is there an EHC plan now?",
        required=True,
        options=["Yes", "No, the council decided not to issue one", "We are still waiting"],
        translations={"yp": {"text": "Do you have an EHC plan now?"}},
    )

    plan_section = build.add_section(
        "The plan", "About the EHC plan itself.", {"yp": {"title": "Your plan"}}
    )
    described = build.add_question(
        QuestionKind.RATING,
        "How well does the plan describe the child or young person?",
        required=True,
        options=RATING_POINTS,
        option_translations=_rating_translations(),
        translations={"yp": {"text": "How well does your plan describe you?"}},
    )
    described.areas = plan_areas(6)
    described.actions = plan_actions("APP-6.1")
    better = build.add_question(
        QuestionKind.LONG_TEXT,
        "What would have made the plan better?",
        hint="For example, what is missing, or what is wrong.",
        max_length=2000,
        translations={"yp": {"text": "What would make your plan better?"}},
    )
    better.areas = plan_areas(6)

    build.add_section("Anything else", translations={"yp": {"title": "Anything else"}})
    iask = build.add_question(
        QuestionKind.YES_NO,
        "Did you get help from IASK (Information, Advice and Support Kent)?",
        translations={"yp": {"text": "Did IASK help you?"}},
    )
    iask_help = build.add_question(
        QuestionKind.SHORT_TEXT, "What help did IASK give you?", max_length=300
    )
    build.add_question(
        QuestionKind.SHORT_TEXT,
        "If we could change one thing first, what should it be?",
        required=True,
        max_length=300,
        translations={
            "yp": {"text": "What is the one thing we should change first?"},
            "pl": {"text": "Co powinniśmy zmienić w pierwszej kolejności?"},
        },
    )
    db.session.flush()
    survey.conditions = [
        SurveyCondition(section_id=plan_section.id, option_id=outcome.options[0].id),
        SurveyCondition(question_id=iask_help.id, option_id=iask.options[0].id),
    ]
    assert who.options  # every choice question has its options
    db.session.commit()
    return survey


def create_short_breaks_survey(*, slug: str = "short-breaks-2026") -> Survey:
    """A closed survey whose results are published. Commits."""
    now = utcnow()
    survey = Survey(
        slug=slug,
        title="Short breaks and holiday activities 2026",
        summary="What families thought of short breaks and holiday activities this year.",
        audience="Families of disabled children and young people in Kent.",
        use_of_answers="The results shape next year's short breaks offer.",
        estimated_minutes=5,
        status=SurveyStatus.PUBLISHED.value,
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=60),
        results_published_at=now - timedelta(days=45),
        about_you=True,
        ask_consent_to_quote=True,
    )
    survey.areas = plan_areas(4)
    db.session.add(survey)
    build = _Builder(survey)
    build.add_section("Short breaks")
    build.add_question(
        QuestionKind.MULTIPLE_CHOICE,
        "Which short breaks did you use?",
        required=True,
        options=[
            "After-school clubs",
            "Holiday activities",
            "Overnight breaks",
            "Direct payments",
            "None",
        ],
    )
    build.add_question(
        QuestionKind.RATING, "Overall, how good were they?", required=True, options=RATING_POINTS
    )
    build.add_question(
        QuestionKind.YES_NO, "Could you find activities that met your child's needs?", required=True
    )
    build.add_question(
        QuestionKind.LONG_TEXT, "What would make short breaks better?", max_length=2000
    )
    db.session.commit()
    return survey


_COMMENTS = [
    "Nobody told us anything for months. I had to ring every week.",
    "The caseworker was kind, but she left and we started again with someone new.",
    "The plan was copied from the school report and got my son's diagnosis wrong.",
    "It took 31 weeks. Our daughter was out of school for most of that time.",
    "Emails were answered quickly once we had a named officer.",
    "The draft plan did not mention speech and language therapy at all.",
    "Please send a short update every few weeks, even if nothing has changed.",
    "IASK helped me write the request and came to the meeting with me.",
    "One person to speak to who knows our case.",
    "Tell families what is happening without us having to chase.",
    "Being listened to at the meeting made a real difference.",
    "The outcomes in the plan are vague and nobody checks them.",
    "More holiday places for children who need one-to-one support.",
    "Activities near where we live, not an hour's drive away.",
]


def _random_answers(survey: Survey, rng: random.Random) -> dict:
    from ..domain.thread.about_you import (
        AGE_GROUPS,
        EHC_PLAN,
        NEEDS,
        RELATIONSHIPS,
        SETTINGS,
        districts,
    )

    answers: dict = {}
    for question in survey.questions:
        kind = question.kind_enum
        if not question.required and rng.random() < 0.25:
            continue
        key = str(question.id)
        if kind == QuestionKind.RATING:
            answers[key] = question.options[min(4, int(rng.triangular(0, 5, 1.5)))].id
        elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
            answers[key] = rng.choice(question.options).id
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = rng.sample(question.options, rng.randint(1, 2))
            other = (
                rng.choice(["", "", "", "Text messages", "Through our social worker"])
                if question.allow_other
                else ""
            )
            answers[key] = {"options": [o.id for o in chosen], "other": other}
        elif kind == QuestionKind.NUMBER:
            answers[key] = rng.choice([0, 1, 2, 3, 5, 8, 12])
        elif kind == QuestionKind.DATE:
            answers[key] = (date.today() - timedelta(days=rng.randint(60, 700))).isoformat()
        elif rng.random() < 0.6 or question.required:
            answers[key] = rng.choice(_COMMENTS)
    if survey.about_you and rng.random() < 0.85:
        answers["about_you"] = {
            "relationship_to_child": rng.choice(RELATIONSHIPS)[0] if rng.random() < 0.95 else "",
            "district": rng.choice(districts())[0] if rng.random() < 0.9 else "",
            "age_group": rng.choice(AGE_GROUPS)[0],
            "need": rng.choice(NEEDS)[0],
            "setting": rng.choice(SETTINGS)[0],
            "ehc_plan": rng.choice(EHC_PLAN)[0],
        }
    answers["consent_to_quote"] = "yes" if rng.random() < 0.6 else "no"
    return answers


def generate_responses(survey: Survey, count: int, rng: random.Random) -> int:
    """Record `count` responses through the same domain function people's answers go through,
    spread over the time the survey has been open."""
    from ..domain.surveys.recording import record_response
    from ..domain.surveys.structure import Structure, load_survey

    survey = load_survey(survey.id)
    structure = Structure.of(survey)
    start = survey.opens_at
    end = min(survey.closes_at or utcnow(), utcnow())
    span = max(1, int((end - start).total_seconds()))
    for _ in range(count):
        channel = rng.choices(
            [Channel.ONLINE.value, Channel.PAPER.value, Channel.EVENT.value], [85, 10, 5]
        )[0]
        response = record_response(
            structure,
            _random_answers(survey, rng),
            channel=channel,
            young_person=survey.young_person_version and rng.random() < 0.1,
            check_open=False,
        )
        response.submitted_at = start + timedelta(seconds=rng.randint(0, span))
    db.session.commit()
    return count


def seed_surveys(rng_seed: int = 2026) -> dict[str, int]:
    """Added once: skipped when any survey exists."""
    if db.session.scalar(db.select(Survey.id).limit(1)) is not None:
        return {"surveys": 0, "survey responses": 0}
    rng = random.Random(rng_seed)
    ehc = create_ehc_survey()
    short_breaks = create_short_breaks_survey()
    responses = generate_responses(ehc, 240, rng) + generate_responses(short_breaks, 120, rng)
    return {"surveys": 2, "survey responses": responses}
