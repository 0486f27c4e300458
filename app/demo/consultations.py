"""Demo consultations:

- open, pre-moderated: designing the new SEND enquiries hub (three proposals, approved and
  pending comments, the hub co-production event, the EHC plan survey, young-person wording);
- open, post-moderated: keeping families informed during EHC needs assessments (published
  comments, one reported and one hidden by a moderator with the reason);
- at its outcome: information for young people preparing for adulthood, with "What we heard"
  and a published "You said, we did" response whose evidence is its comments.

Comments go through the same domain function people's comments do, so each is a contribution.
"""

from datetime import timedelta

from ..domain.engagement.moderation import record_comment
from ..domain.shared.rich_text import sanitise
from ..extensions import db
from ..models import (
    Comment,
    CommentReport,
    CommentState,
    Consultation,
    Contribution,
    Event,
    Moderation,
    Organisation,
    Proposal,
    Survey,
    User,
)
from ..models.base import utcnow
from .common import approve_quote, plan_actions, plan_areas, publish_response, user_with_role

# In these HTML texts a backslash at the end of a line joins it to the next: the HTML is unchanged.
HUB_BACKGROUND = """
<h3>Why we are doing this</h3>
<p>Families told us that getting an answer from the \
SEND service was too hard: calls went unanswered,
emails were lost and nobody owned an enquiry. The 2022 Ofsted and CQC revisit found the same.</p>
<p>From next year, one <strong>SEND enquiries hub</strong> \
will answer every enquiry about special educational
needs and disabilities, by phone, email or online form. We want to design it with you.</p>
<h3>What we want to know</h3>
<ul>
<li>how quickly you expect a first reply, and from whom;</li>
<li>how you want to be kept up to date while something is sorted out;</li>
<li>what would make the hub easy to use for young people.</li>
</ul>
<p>Read the <a \
href="https://www.kent.gov.uk/education-and-children/special-educational-needs">SEND pages on
the council's website</a> for more about the improvement plan.</p>
"""

HUB_PROPOSALS = [
    (
        "A named caseworker for every enquiry",
        "Every enquiry gets a reference and a named person within 2 working days. If they are "
        "away, someone else picks it up and tells you.",
        {
            "yp": {
                "title": "One person who knows about your question",
                "description": "When you or your family ask something, one person looks after it "
                "and tells you their name within 2 school days.",
            }
        },
    ),
    (
        "Replies within 10 working days",
        "Every enquiry gets a full answer within 10 working days, or a call to say why it is "
        "taking longer and when you will hear.",
        {"yp": {"title": "An answer within 2 weeks"}},
    ),
    (
        "Text message updates",
        "You can choose to get a short text message whenever something changes, as well as or "
        "instead of email.",
        {"yp": {"title": "Updates by text"}},
    ),
]

INFORMED_BACKGROUND = """
<p>While an education, health and care (EHC) needs assessment \
is happening, families often hear nothing
for weeks. We are changing the letters and updates families get at each stage.</p>
<p>Tell us what you think of the updates we plan to \
send. Comments are shown straight away; anyone can
report a comment that breaks the rules.</p>
"""

ADULTHOOD_BACKGROUND = """
<p>At 16, young people with SEND start to make decisions about college, work, health and money.
We asked young people and families what information they need, and when.</p>
"""

ADULTHOOD_WHAT_WE_HEARD = """
<p>Thank you to everyone who took part. Young people told \
us they want information <strong>before</strong>
year 11, written for them, and a single place to find it.</p>
<h3>The main things we heard</h3>
<ul>
<li>Information arrives too late, often after decisions about college have been made.</li>
<li>Letters are written for parents, not for young people.</li>
<li>Young people want to talk to someone, not just read a leaflet.</li>
</ul>
"""


def _consultation(**values) -> Consultation:
    proposals = values.pop("proposals", [])
    consultation = Consultation(background_html=sanitise(values.pop("background")), **values)
    for position, (title, description, translations) in enumerate(proposals):
        consultation.proposals.append(
            Proposal(
                title=title, description=description, translations=translations, position=position
            )
        )
    db.session.add(consultation)
    db.session.flush()
    return consultation


def _comment(
    consultation: Consultation,
    text: str,
    *,
    name: str = "",
    proposal: int | None = None,
    days_ago: float = 1,
) -> Comment:
    """A comment recorded as a person's is (with its contribution), dated in the past."""
    comment = record_comment(
        consultation,
        text=text,
        display_name=name,
        consent_to_publish=True,
        check_open=False,
        proposal_id=consultation.proposals[proposal].id if proposal is not None else None,
    )
    when = utcnow() - timedelta(days=days_ago)
    comment.created_at = when
    contribution = db.session.get(Contribution, comment.contribution_id)
    contribution.created_at = when
    return comment


def _moderate(comment: Comment, moderator: User | None, state: str, reason: str = "") -> None:
    comment.state = state
    comment.moderation_reason = reason
    comment.moderated_by_id = moderator.id if moderator else None
    comment.moderated_at = comment.created_at + timedelta(hours=5)


def seed_consultations() -> dict[str, int]:
    """Added once: skipped when any consultation exists."""
    if db.session.scalar(db.select(Consultation.id).limit(1)) is not None:
        return {"consultations": 0, "consultation comments": 0}
    now = utcnow().replace(second=0, microsecond=0)
    coordinator = user_with_role("coordinator")
    survey = db.session.scalar(db.select(Survey).where(Survey.slug == "ehc-plan-experience"))

    hub = _consultation(
        slug="send-enquiries-hub",
        title="Designing the new SEND enquiries hub",
        summary="Help us decide how the new SEND enquiries hub answers families: how quickly, by "
        "whom, and how you are kept up to date.",
        background=HUB_BACKGROUND,
        moderation=Moderation.PRE.value,
        published=True,
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=28),
        outcome_due_at=now + timedelta(days=70),
        survey_id=survey.id if survey else None,
        created_by_id=coordinator.id if coordinator else None,
        proposals=HUB_PROPOSALS,
        translations={
            "yp": {
                "title": "Help us design the new SEND help line",
                "summary": "We are setting up one place to ask about SEND support. Tell us what "
                "would make it work for you.",
            }
        },
    )
    hub.areas = plan_areas(1, 3)
    hub.actions = plan_actions("APP-1.1", "APP-1.2")
    db.session.flush()
    comments = [
        _comment(
            hub,
            "Yes please. We had four different people in one year and had to explain everything "
            "again each time.",
            name="Sam, parent in Ashford",
            proposal=0,
            days_ago=12,
        ),
        _comment(
            hub,
            "A named person is only useful if they answer. Please publish how often they reply on "
            "time.",
            name="Priya",
            proposal=0,
            days_ago=9,
        ),
        _comment(
            hub,
            "Ten working days is still a long time when your child is out of school. Could urgent "
            "enquiries be faster?",
            proposal=1,
            days_ago=8,
        ),
        _comment(
            hub,
            "Texts would help me a lot. I cannot check email at work.",
            name="Dan",
            proposal=2,
            days_ago=6,
        ),
        _comment(
            hub,
            "Please make sure the hub also works for young people asking for themselves.",
            name="Jordan, 17",
            days_ago=5,
        ),
    ]
    for comment in comments:
        _moderate(comment, coordinator, CommentState.PUBLISHED.value)
    _comment(
        hub,
        "Will the hub be open in the evenings? Most of us work in the day.",
        name="Lou",
        proposal=1,
        days_ago=0.5,
    )  # waiting for a moderator
    _comment(
        hub,
        "Text messages must not include anything private about my child.",
        proposal=2,
        days_ago=0.2,
    )

    hub_event = db.session.scalar(
        db.select(Event)
        .where(Event.title.like("Designing the SEND enquiries hub%"))
        .order_by(Event.id)
    )
    if hub_event is not None:
        hub_event.consultation_id = hub.id

    informed = _consultation(
        slug="keeping-families-informed",
        title="Keeping families informed during EHC needs assessments",
        summary="What updates should families get while an EHC needs assessment happens?",
        background=INFORMED_BACKGROUND,
        moderation=Moderation.POST.value,
        published=True,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        created_by_id=coordinator.id if coordinator else None,
        proposals=[
            (
                "An update letter at every stage",
                "A short letter or email at each of the five stages, saying what happens next and "
                "when.",
                {},
            ),
            (
                "A monthly phone call",
                "A call from your caseworker every month until the plan is final.",
                {},
            ),
        ],
    )
    informed.areas = plan_areas(1, 6)
    informed.actions = plan_actions("APP-1.2")
    db.session.flush()
    _comment(
        informed,
        "An email at each stage would stop me chasing. Please say who to contact.",
        name="Helen",
        proposal=0,
        days_ago=7,
    )
    _comment(
        informed,
        "A call is nicer than a letter, but only if it is at a time that suits families.",
        proposal=1,
        days_ago=6,
    )
    reported = _comment(
        informed,
        "Letters are pointless, nobody reads them. The whole team should be sacked.",
        name="Fed up",
        proposal=0,
        days_ago=4,
    )
    db.session.add(
        CommentReport(
            comment=reported,
            reason="This is rude about staff and does not help.",
            created_at=reported.created_at + timedelta(hours=3),
        )
    )
    hidden = _comment(
        informed,
        "Our caseworker at Oakwood Primary, Mrs Example, never calls back on 07700 900123.",
        proposal=1,
        days_ago=3,
    )
    _moderate(hidden, coordinator, CommentState.HIDDEN.value, "contains personal details")

    adulthood = _consultation(
        slug="preparing-for-adulthood-information",
        title="Information for young people preparing for adulthood",
        summary="What information young people with SEND need from 14 onwards, and how they want "
        "to get it.",
        background=ADULTHOOD_BACKGROUND,
        moderation=Moderation.PRE.value,
        published=True,
        opens_at=now - timedelta(days=150),
        closes_at=now - timedelta(days=100),
        outcome_due_at=now - timedelta(days=40),
        created_by_id=coordinator.id if coordinator else None,
        proposals=[
            (
                'A "moving on" guide written with young people',
                "A short guide, online and on paper, about college, work, health and money after "
                "16.",
                {},
            ),
            (
                "Drop-in sessions in every district",
                "A monthly drop-in where young people can ask questions in person.",
                {},
            ),
        ],
    )
    adulthood.areas = plan_areas(5, 9)
    db.session.flush()
    evidence = [
        _comment(
            adulthood,
            "I found out about college options after I had already applied. Tell us in year 9.",
            name="Aisha, 16",
            proposal=0,
            days_ago=140,
        ),
        _comment(
            adulthood,
            "Make the guide short, with pictures. I will not read ten pages.",
            name="Kai",
            proposal=0,
            days_ago=135,
        ),
        _comment(
            adulthood,
            "A drop-in would be good if it is after school and not in a council office.",
            proposal=1,
            days_ago=130,
        ),
        _comment(
            adulthood,
            "My son needed someone to talk to, not a leaflet.",
            name="Mo, parent",
            days_ago=120,
        ),
        _comment(
            adulthood,
            "Please include what happens to health appointments at 18.",
            name="Ellie",
            proposal=0,
            days_ago=115,
        ),
        _comment(
            adulthood,
            "Drop-ins in Thanet please, everything is in Maidstone.",
            proposal=1,
            days_ago=110,
        ),
    ]
    for comment in evidence:
        _moderate(comment, coordinator, CommentState.PUBLISHED.value)
    adulthood.what_we_heard_html = sanitise(ADULTHOOD_WHAT_WE_HEARD)
    adulthood.outcome_published_at = now - timedelta(days=45)

    officer = user_with_role("officer")
    admin = user_with_role("admin")
    kcc = db.session.scalar(db.select(Organisation).where(Organisation.short_name == "KCC"))
    if officer and admin and kcc:
        contributions = list(
            db.session.scalars(
                db.select(Contribution).where(
                    Contribution.id.in_([c.contribution_id for c in evidence])
                )
            )
        )
        for contribution in contributions:
            approve_quote(contribution, coordinator, contribution.created_at + timedelta(days=2))
        publish_response(
            published_at=now - timedelta(days=44),
            contributions=contributions,
            title='A "moving on" guide, written with young people, from year 9',
            you_said="Young people said information about life after 16 comes too late, is "
            "written for parents, and that they want someone to talk to.",
            we_did='We are writing a short "moving on" guide with a group of young people, '
            "sent to every young person with an EHC plan in year 9. From September, monthly "
            "drop-ins run after school in Thanet, Maidstone and Ashford.",
            status="in_progress",
            organisation=kcc,
            author=officer,
            approved_by=admin,
            areas=adulthood.areas,
            actions=plan_actions("APP-9.2"),
        )
    db.session.commit()
    added = db.session.scalar(db.select(db.func.count()).select_from(Comment))
    return {"consultations": 3, "consultation comments": added}
