"""Consultation rules with no web request: stages by date and by hand, and sanitising the rich
text staff write (background, "What we heard")."""

from datetime import timedelta
from itertools import count

import pytest
from bs4 import BeautifulSoup

from app.domain.engagement import consultation_staff, consultations
from app.domain.shared import rich_text
from app.domain.shared.errors import Refused
from app.extensions import db
from app.models import AuditEntry, Consultation, Moderation, Proposal, Stage, User
from app.models.base import utcnow

_slugs = count(1)


def make_consultation(proposals=(), **overrides) -> Consultation:
    """A published consultation, open now, pre-moderated unless told otherwise. Commits."""
    now = utcnow().replace(second=0, microsecond=0)  # staff forms work to the minute
    values = {
        "slug": f"test-consultation-{next(_slugs)}",
        "title": "Designing the SEND enquiries hub",
        "summary": "Help us design the hub.",
        "background_html": "<p>Why we are asking.</p>",
        "moderation": Moderation.PRE.value,
        "published": True,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
    }
    values.update(overrides)
    consultation = Consultation(**values)
    for position, title in enumerate(proposals):
        consultation.proposals.append(
            Proposal(title=title, description=f"About {title}.", position=position)
        )
    db.session.add(consultation)
    db.session.commit()
    return consultation


def coordinator() -> User:
    return db.session.scalar(db.select(User).where(User.email == "coordinator@example.org"))


# --- stages -----------------------------------------------------------------------------------


def test_the_stage_follows_the_dates(app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=10)
    )
    assert consultations.current_stage(consultation, now) == Stage.UPCOMING
    assert (
        consultations.current_stage(consultation, now + timedelta(days=1)) == Stage.OPEN
    )  # opens at opens_at
    assert (
        consultations.current_stage(consultation, now + timedelta(days=9, hours=23)) == Stage.OPEN
    )
    assert (
        consultations.current_stage(consultation, now + timedelta(days=10)) == Stage.REVIEWING
    )  # closed at closes_at
    consultation.outcome_published_at = now + timedelta(days=20)
    assert consultations.current_stage(consultation, now + timedelta(days=30)) == Stage.OUTCOME


def test_comments_are_taken_only_while_open_and_published(app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    assert consultations.is_open(consultation, now)
    assert not consultations.is_open(consultation, now + timedelta(days=2))
    consultation.published = False
    assert not consultations.is_open(consultation, now)


def test_a_stage_set_by_hand_wins_until_it_is_cleared_and_is_audited(app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10)
    )
    assert consultation_staff.set_stage(
        coordinator(), consultation, Stage.REVIEWING.value, "Closed early: enough heard"
    )
    assert consultations.current_stage(consultation) == Stage.REVIEWING
    assert not consultations.is_open(consultation)
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "consultation.stage_changed")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.record_id == str(consultation.id)
    assert entry.detail["from"] == "open" and entry.detail["to"] == "reviewing"
    assert entry.detail["reason"] == "Closed early: enough heard"

    # Setting the same again changes nothing; clearing follows the dates again.
    assert not consultation_staff.set_stage(coordinator(), consultation, Stage.REVIEWING.value)
    assert consultation_staff.set_stage(coordinator(), consultation, None)
    assert consultation.stage_override is None
    assert consultations.current_stage(consultation) == Stage.OPEN


def test_a_stage_set_by_hand_can_keep_a_consultation_open_past_its_dates(app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1)
    )
    assert consultations.current_stage(consultation) == Stage.REVIEWING
    consultation_staff.set_stage(coordinator(), consultation, Stage.OPEN.value)
    assert consultations.is_open(consultation)


def test_an_unknown_stage_is_refused(app_ctx):
    consultation = make_consultation()
    with pytest.raises(Refused):
        consultation_staff.set_stage(coordinator(), consultation, "finished")
    assert consultation.stage_override is None


def test_the_step_indicator_marks_the_current_step_and_those_done(app_ctx):
    consultation = make_consultation()
    steps = consultations.stage_steps(consultation)
    assert [s.stage for s in steps] == [Stage.UPCOMING, Stage.OPEN, Stage.REVIEWING, Stage.OUTCOME]
    assert [s.current for s in steps] == [False, True, False, False]
    assert [s.done for s in steps] == [True, False, False, False]


# --- rich text --------------------------------------------------------------------------------


def tags(html: str) -> set[str]:
    return {tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True)}


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        "<style>body { display: none }</style>",
        "<iframe src='https://evil.example'>frame text</iframe>",
        "<object data='x.swf'></object><embed src='x.swf'>",
        "<svg onload='alert(1)'><script>alert(1)</script></svg>",
        "<img src=x onerror=alert(1)>",
        "<form action='https://evil.example'><input name=q></form>",
    ],
)
def test_sanitising_removes_code_and_its_content(dangerous):
    cleaned = rich_text.sanitise(f"<p>Before</p>{dangerous}<p>After</p>")
    assert cleaned.startswith("<p>Before</p>") and cleaned.endswith("<p>After</p>")
    assert tags(cleaned) <= {"p"}
    assert "alert" not in cleaned and "display" not in cleaned and "frame text" not in cleaned


def test_sanitising_keeps_headings_paragraphs_lists_links_and_emphasis():
    html = (
        "<h2>Why</h2><h3>Sub</h3><p>Some <strong>bold</strong> and <em>stressed</em> words.</p>"
        '<ul><li>One</li></ul><ol><li>Two</li></ol><a href="https://www.kent.gov.uk/send">SEND '
        "pages</a>"
    )
    cleaned = rich_text.sanitise(html)
    assert tags(cleaned) == {"h2", "h3", "p", "strong", "em", "ul", "ol", "li", "a"}
    assert "SEND pages" in cleaned


def test_attributes_are_removed_and_links_get_noopener():
    cleaned = rich_text.sanitise(
        '<p onclick="steal()" style="color:red" class="x">Hi '
        '<a href="https://example.org" onclick="steal()" target="_blank">a link</a> '
        '<a href="mailto:send@kent.example">email us</a></p>'
    )
    assert (
        "onclick" not in cleaned
        and "style" not in cleaned
        and "class" not in cleaned
        and "target" not in cleaned
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    links = soup.find_all("a")
    assert [a["href"] for a in links] == ["https://example.org", "mailto:send@kent.example"]
    assert all(a["rel"] == ["noopener"] for a in links)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "ftp://example.org/file",
    ],
)
def test_links_that_are_not_http_or_mailto_lose_the_link_but_keep_the_words(href):
    cleaned = rich_text.sanitise(f'<p><a href="{href}">click me</a></p>')
    assert "<a" not in cleaned
    assert "click me" in cleaned
    assert "javascript" not in cleaned.lower()


def test_plain_text_becomes_paragraphs_with_its_characters_escaped():
    assert (
        rich_text.sanitise("First & foremost\n\nSecond")
        == "<p>First &amp; foremost</p><p>Second</p>"
    )
    assert rich_text.sanitise("   ") == ""
    assert rich_text.is_blank("<p> </p><script>x</script>")


def test_the_background_is_sanitised_when_it_is_saved(app_ctx):
    now = utcnow().replace(second=0, microsecond=0)
    fields = consultation_staff.ConsultationFields(
        title="Short breaks booking",
        summary="How should booking work?",
        background=(
            '<p onclick="x()">Read this</p><script>alert(1)</script><a href="javascript:x">bad</a>'
        ),
        opens_at=now,
        closes_at=now + timedelta(days=7),
        moderation=Moderation.POST.value,
        published=True,
    )
    consultation = consultation_staff.create(coordinator(), fields)
    assert consultation.background_html == "<p>Read this</p>bad"
    assert consultation.slug == "short-breaks-booking"


def test_made_up_web_addresses_never_clash(app_ctx):
    make_consultation(slug="short-breaks-booking")
    now = utcnow()
    fields = consultation_staff.ConsultationFields(
        title="Short breaks booking!",
        summary="",
        background="",
        opens_at=now,
        closes_at=now + timedelta(days=1),
        moderation=Moderation.PRE.value,
        published=False,
    )
    assert consultation_staff.create(coordinator(), fields).slug == "short-breaks-booking-2"
