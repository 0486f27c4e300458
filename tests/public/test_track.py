"""/track: a reference shows the contribution's journey, and nothing private."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.domain.shared.dates import reply_due
from app.domain.thread import cases, tracking
from app.domain.thread.contributions import Coding, code_contributions, record_contribution
from app.extensions import db
from app.models import Action, Area, Organisation, YouSaidWeDid
from app.models.base import utcnow
from tests.conftest import user_for
from tests.helpers import error_summary, field_error, field_value, heading, main_text, page

SECRET_TEXT = "Private words about Jamie at Oakfield School, call 07700 900123"
NOT_FOUND = "We could not find feedback with that reference. Check it and try again."
BAD_FORMAT = "Enter your reference in the correct format, like 7KM3-9PQR-XW2H"


@pytest.fixture
def contribution(app_ctx):
    area = db.session.scalar(select(Area).where(Area.number == 6))
    found = record_contribution(
        "feedback",
        SECRET_TEXT,
        topic="area-6",
        rating=2,
        area_ids=[area.id],
        about_you={"district": "Thanet", "relationship_to_child": "parent_carer"},
        contact_email="secret.parent@example.org",
        wants_updates=True,
        consent_to_quote=True,
    )
    found.note = "Coordinator note: spoke to the school"
    db.session.commit()
    return found


def shown_date(moment) -> str:
    """A stored UTC time as the page shows it: the date in London, like 5 March 2026."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    return f"{local.day} {local:%B %Y}"


def steps(response) -> list[tuple[str, str, str]]:
    """(title, hint, status) for each step of the journey."""
    soup = page(response)
    result = []
    for item in soup.select(".govuk-task-list__item"):
        title = " ".join(
            item.select_one(".govuk-task-list__name-and-hint > div:not(.govuk-task-list__hint)")
            .get_text(" ")
            .split()
        )
        hint_el = item.select_one(".govuk-task-list__hint")
        hint = " ".join(hint_el.get_text(" ").split()) if hint_el else ""
        status = " ".join(item.select_one(".govuk-task-list__status").get_text(" ").split())
        result.append((title, hint, status))
    return result


def assert_nothing_private(response):
    text = response.get_data(as_text=True)
    for private in (
        "Private words",
        "Jamie",
        "07700",
        "secret.parent",
        "example.org",
        "Thanet",
        "Coordinator note",
        "Parent or carer",
    ):
        assert private not in text, private


def publish_response(contribution, title="Annual reviews now happen on time", state="published"):
    officer = user_for("officer")
    response = YouSaidWeDid(
        title=title,
        you_said="Reviews were late.",
        we_did="We hired more caseworkers.",
        organisation=db.session.scalar(
            select(Organisation).where(Organisation.short_name == "KCC")
        ),
        author=officer,
        state=state,
        published_at=utcnow() if state == "published" else None,
        contributions=[contribution],
    )
    db.session.add(response)
    db.session.commit()
    return response


def test_empty_form(client):
    response = client.get("/track")
    assert response.status_code == 200
    assert heading(response) == "Track your feedback"
    assert error_summary(response) == []
    assert page(response).find("input", attrs={"name": "reference"}) is not None


def test_blank_reference(client):
    response = client.get("/track?reference=")
    assert response.status_code == 200
    assert field_error(response, "reference") == "Enter your reference"
    assert error_summary(response) == ["Enter your reference"]


@pytest.mark.parametrize(
    "typed", ["abc", "7KM3-9PQR-XW2", "7KM3-9PQR-XW2HH", "OOOO-OOOO-OOOO", "<script>", "9" * 500]
)
def test_reference_in_the_wrong_format(client, typed):
    response = client.get("/track", query_string={"reference": typed})
    assert response.status_code == 200
    assert field_error(response, "reference") == BAD_FORMAT
    assert page(response).select_one(".govuk-task-list") is None


@pytest.mark.parametrize("typed", ["2222-3333-4444", "2222\x003333 4444"])
def test_unknown_reference(client, typed):
    response = client.get("/track", query_string={"reference": typed})
    assert response.status_code == 200
    assert field_error(response, "reference") == NOT_FOUND
    assert error_summary(response) == [NOT_FOUND]
    assert field_value(response, "reference") == typed.replace("\x00", "")
    assert page(response).title.get_text().startswith("Error:")


@pytest.mark.parametrize("how", ["exact", "lower", "spaces", "no dashes"])
def test_reference_as_people_type_it(client, contribution, how):
    ref = contribution.reference
    typed = {
        "exact": ref,
        "lower": ref.lower(),
        "spaces": " " + ref.replace("-", " ") + " ",
        "no dashes": ref.replace("-", ""),
    }[how]
    response = client.get("/track", query_string={"reference": typed})
    assert response.status_code == 200
    assert heading(response) == f"Feedback {ref}"


def test_new_feedback_shows_received_only_as_done(client, contribution):
    response = client.get(f"/track?reference={contribution.reference}")
    due = reply_due(contribution.created_at)
    assert steps(response) == [
        ("Received", f"We received it on {shown_date(contribution.created_at)}", "Done"),
        (
            "Read and coded",
            "A coordinator will read it and link it to the improvement plan by "
            f"{due:%A} {due.day} {due:%B %Y}",
            "Not yet",
        ),
        (
            "Linked to the improvement plan",
            "Which areas of weakness and plan actions it is about",
            "Not yet",
        ),
        (
            "Response published",
            "When a “You said, we did” response uses your feedback, it will be shown here",
            "Not yet",
        ),
    ]
    # The area chosen on the form is a starting point for coding, not yet a link people see.
    assert page(response).find("a", href="/areas/6") is None
    assert response.headers["Cache-Control"] == "no-store"
    assert_nothing_private(response)


def test_coded_feedback_shows_when_it_was_read_and_its_links(client, contribution):
    coordinator = user_for("coordinator")
    action = db.session.scalar(select(Action).where(Action.reference == "APP-6.2"))
    area = db.session.scalar(select(Area).where(Area.number == 6))
    code_contributions(
        coordinator,
        [contribution.id],
        Coding(area_ids=[area.id], action_ids=[action.id], note="Coordinator note: urgent review"),
    )
    response = client.get(f"/track?reference={contribution.reference}")
    found = steps(response)
    assert found[1] == (
        "Read and coded",
        f"A coordinator read it on {shown_date(contribution.coded_at)}",
        "Done",
    )
    assert found[2][0] == "Linked to the improvement plan" and found[2][2] == "Done"
    assert f"Area 6: {area.title}" in found[2][1]
    assert f"Action APP-6.2: {action.title}" in found[2][1]
    soup = page(response)
    assert soup.find("a", href="/areas/6") is not None
    assert soup.find("a", href="/actions/APP-6.2") is not None
    assert found[3][2] == "Not yet"
    assert_nothing_private(response)


def test_published_response_is_shown_with_a_link_but_drafts_are_not(client, contribution):
    code_contributions(
        user_for("coordinator"), [contribution.id], Coding(area_ids=[], sentiment="negative")
    )
    published = publish_response(contribution)
    draft = publish_response(contribution, title="A draft nobody should see", state="draft")
    withdrawn = publish_response(contribution, title="A withdrawn response", state="withdrawn")
    response = client.get(f"/track?reference={contribution.reference}")
    last = steps(response)[-1]
    assert last[0] == "Response published" and last[2] == "Done"
    assert "Annual reviews now happen on time" in last[1]
    soup = page(response)
    link = soup.find("a", string="Annual reviews now happen on time")
    assert link["href"] == f"/you-said-we-did/{published.id}"
    text = main_text(response)
    assert (
        "A draft nobody should see" not in text
        and f'/you-said-we-did/{draft.id}"' not in response.get_data(as_text=True)
    )
    assert "A withdrawn response" not in text and withdrawn.id != published.id
    assert_nothing_private(response)


def test_individual_case(client, contribution):
    """A case shows which team it went to and when, each step in words, never the reply or a
    member of staff."""
    request = client.application.test_request_context("/")
    request.push()
    coordinator, officer = user_for("coordinator"), user_for("officer")
    team = cases.add_team(
        user_for("admin"),
        cases.TeamDetails("Casework East", officer.organisation_id, "east@example.gov.uk"),
    )
    case = cases.hand_off(coordinator, contribution, team.id, assigned_to_id=officer.id)
    passed_on = shown_date(case.passed_on_at)
    cases.acknowledge(officer, case)
    cases.reply_by_email(officer, case, "Dear parent, Officer Olu will ring you on Monday.")
    request.pop()
    response = client.get(f"/track?reference={contribution.reference}")
    found = steps(response)
    assert [step[0] for step in found] == [
        "Received",
        "Read and coded",
        f"Passed to Casework East on {passed_on}",
        f"Acknowledged on {passed_on}",
        f"Replied on {passed_on}",
    ]
    assert found[1][2] == "Done"
    cases.close(officer, case, "Closed after the call")
    response = client.get(f"/track?reference={contribution.reference}")
    assert [step[0] for step in steps(response)][2:] == [
        f"Passed to Casework East on {passed_on}",
        f"Acknowledged on {passed_on}",
        f"Replied on {passed_on}",
        f"Closed on {passed_on}",
    ]
    text = response.get_data(as_text=True)
    for private in ("Officer Olu", "ring you", "Closed after the call", officer.name, "east@"):
        assert private not in text
    assert_nothing_private(response)


def test_hidden_feedback_shows_only_received(client, contribution):
    publish_response(contribution)
    code_contributions(user_for("coordinator"), [contribution.id], Coding(state="hidden"))
    response = client.get(f"/track?reference={contribution.reference}")
    assert [step[0] for step in steps(response)] == ["Received"]
    assert "Annual reviews" not in main_text(response)
    assert_nothing_private(response)


def test_safeguarding_feedback_text_is_never_shown(client, app_ctx):
    flagged = record_contribution("feedback", "My brother said he wants to die", topic="other")
    flagged.safeguarding = True
    db.session.commit()
    response = client.get(f"/track?reference={flagged.reference}")
    assert response.status_code == 200
    assert "wants to die" not in response.get_data(as_text=True)


def test_journey_is_plain_data(contribution):
    journey = tracking.journey(contribution.reference.lower())
    assert journey.reference == contribution.reference
    assert journey.read is False and journey.hidden is False
    assert journey.areas == [] and journey.responses == []
    assert not hasattr(journey, "text")
    assert tracking.journey("nonsense") is None
    assert tracking.journey("2222-3333-4444") is None


def test_looking_up_references_is_rate_limited(client):
    for _ in range(5):
        assert client.get("/track").status_code == 200  # opening the form is free
    for _ in range(30):
        assert client.get("/track?reference=2222-3333-4444").status_code == 200
    assert client.get("/track?reference=2222-3333-4444").status_code == 429
    assert client.get("/track").status_code == 200


def test_track_link_shows_the_response_date(client, contribution):
    published = publish_response(contribution)
    published.published_at = utcnow() - timedelta(days=3)
    db.session.commit()
    response = client.get(f"/track?reference={contribution.reference}")
    assert f"(published {shown_date(published.published_at)})" in steps(response)[-1][1]
