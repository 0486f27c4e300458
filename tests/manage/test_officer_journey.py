"""The officer's "You said, we did" journey: start a response from an area, an action, a theme
or contributions ticked in the inbox and save it with only a title; the evidence step starts from
the response's own areas and actions and reads as people wrote; "You said" is drafted with the
themes and quotes; a preview shows the public page; the history says what changed."""

import pytest

from app.domain.thread import publishing
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Area, AuditEntry, YouSaidWeDid

from ..conftest import user_for
from ..domain.test_publishing import action, contribution, draft, organisation, theme
from ..helpers import error_summary, field_error, heading, main_text, notification, page


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


@pytest.fixture
def officer_in(signed_in, app_ctx):
    return signed_in("officer")


def fresh_area(number: int = 90) -> Area:
    item = Area(number=number, title=f"Area made for the test {number}", finding="A finding.")
    db.session.add(item)
    db.session.flush()
    return item


def only_title(**extra):
    data = {"title": "Knowing who has your case", "status": "planned"}
    data["organisation"] = str(organisation().id)
    data.update(extra)
    return data


def newest_response() -> YouSaidWeDid:
    return db.session.scalar(db.select(YouSaidWeDid).order_by(YouSaidWeDid.id.desc()))


# ------------------------------------------------------------ starting a response


def test_starting_from_an_area_action_and_theme_ticks_them(client, officer_in):
    linked_area, linked_action, waits = fresh_area(), action("APP-6.1"), theme("Waits")
    answer = client.get(
        f"/manage/responses/new?area={linked_area.id}&action={linked_action.id}&theme={waits.id}"
    )
    assert answer.status_code == 200
    soup = page(answer)
    assert soup.select_one(f"input[name=areas][value='{linked_area.id}']").has_attr("checked")
    assert soup.select_one(f"input[name=actions][value='{linked_action.id}']").has_attr("checked")
    assert soup.select_one(f"input[name=theme][value='{waits.id}']") is not None
    text = main_text(answer)
    assert "You started from:" in text and "Area 90: Area made for the test 90" in text
    assert "APP-6.1" in text and "the theme “Waits”" in text
    # A new response asks only for its title and what it is about: the words come later.
    assert soup.select_one("textarea[name=you_said]") is None


def test_nonsense_in_the_address_is_ignored(client, officer_in):
    answer = client.get(
        "/manage/responses/new?area=abc&action=-1&theme=99999999999999&contribution=%00"
    )
    assert answer.status_code == 200
    assert "You started from:" not in main_text(answer)


def test_a_draft_needs_only_a_title(client, officer_in):
    answer = client.post("/manage/responses/new", data=only_title(title=" "))
    assert error_summary(answer) == ["Enter a title"]
    answer = client.post("/manage/responses/new", data=only_title())
    response = newest_response()
    assert response.title == "Knowing who has your case" and response.state == "draft"
    assert response.you_said == "" and response.we_did == ""
    assert answer.headers["Location"] == f"/manage/responses/{response.id}/evidence"


def test_starting_from_a_theme_opens_the_evidence_on_that_theme(client, officer_in):
    waits = theme("Waits")
    answer = client.post("/manage/responses/new", data=only_title(theme=str(waits.id)))
    response = newest_response()
    assert answer.headers["Location"] == (
        f"/manage/responses/{response.id}/evidence?theme={waits.id}"
    )


def test_starting_from_inbox_contributions_makes_them_the_evidence(client, officer_in):
    linked_area = fresh_area()
    chosen = [contribution(areas=[linked_area]) for _ in range(2)]
    flagged = contribution("He said he would hurt himself", safeguarding=True)
    ids = "&".join(f"contribution={c.id}" for c in [*chosen, flagged])
    answer = client.get(f"/manage/responses/new?{ids}")
    soup = page(answer)
    # The contributions' own area is ticked; the safeguarding one is never evidence.
    assert soup.select_one(f"input[name=areas][value='{linked_area.id}']").has_attr("checked")
    assert "2 contributions chosen in the inbox" in main_text(answer)
    assert len(soup.select("input[type=hidden][name=contribution]")) == 2
    answer = client.post(
        "/manage/responses/new",
        data=only_title(
            contribution=[str(c.id) for c in [*chosen, flagged]], areas=[str(linked_area.id)]
        ),
    )
    response = newest_response()
    assert sorted(c.id for c in response.contributions) == sorted(c.id for c in chosen)
    # Straight on to writing, with "You said" drafted from them.
    assert answer.headers["Location"] == f"/manage/responses/{response.id}/edit"
    answer = client.get(answer.headers["Location"])
    assert "Draft saved with 2 contributions as its evidence." in notification(answer)
    assert "Fewer than 5 people told us about this." in main_text(answer)


def test_use_all_linked_contributions_at_the_start(client, officer_in):
    linked_area = fresh_area()
    for _ in range(6):
        contribution(areas=[linked_area])
    contribution()  # not linked to the area
    answer = client.get(f"/manage/responses/new?area={linked_area.id}")
    assert "Save draft with all 6 linked contributions as evidence" in main_text(answer)
    client.post(
        "/manage/responses/new",
        data=only_title(areas=[str(linked_area.id)], use_all="y"),
    )
    response = newest_response()
    assert len(response.contributions) == 6
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "response.created")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.detail == {"evidence_added": 6}


def test_use_all_is_not_offered_above_the_sensible_number(client, officer_in):
    linked_area = fresh_area()
    for _ in range(publishing.ADD_ALL_WITHOUT_CONFIRMING + 1):
        contribution(areas=[linked_area])
    answer = client.get(f"/manage/responses/new?area={linked_area.id}")
    assert "Save draft with all" not in main_text(answer)
    assert "51 contributions are linked to these areas and actions" in main_text(answer)
    # Sent anyway (an old page): refused, nothing saved.
    answer = client.post(
        "/manage/responses/new", data=only_title(areas=[str(linked_area.id)], use_all="y")
    )
    assert answer.status_code == 200
    assert newest_response() is None or newest_response().title != "Knowing who has your case"


# ------------------------------------------------------------ sending for approval


def test_an_incomplete_draft_is_refused_next_to_its_fields(client, officer_in):
    response = draft(user_for("officer"), you_said="", we_did="")
    answer = client.post(f"/manage/responses/{response.id}/submit")
    assert answer.status_code == 400
    assert heading(answer) == "Edit response"
    assert field_error(answer, "you_said") == "Enter what people told us"
    assert field_error(answer, "we_did") == "Enter what was done or will be done"
    # The form on that page saves the response, not another attempt to send it.
    form = page(answer).select_one("main form[method=post]")
    assert form["action"] == f"/manage/responses/{response.id}/edit"
    db.session.refresh(response)
    assert response.state == "draft"


def test_a_response_awaiting_approval_must_stay_complete(client, officer_in):
    author = user_for("officer")
    response = draft(author)
    publishing.submit_for_approval(author, response)
    answer = client.post(
        f"/manage/responses/{response.id}/edit",
        data={
            "title": response.title,
            "you_said": "",
            "we_did": response.we_did,
            "status": response.status,
            "organisation": str(response.organisation_id),
        },
    )
    assert field_error(answer, "you_said") == "Enter what people told us"


# ------------------------------------------------------------ evidence


def test_evidence_starts_from_the_response_links_and_can_be_widened(client, officer_in):
    linked_area = fresh_area()
    inside = contribution("Linked to the area", areas=[linked_area])
    outside = contribution("About something else entirely")
    response = draft(user_for("officer"), area_ids=[linked_area.id], action_ids=[])
    answer = client.get(f"/manage/responses/{response.id}/evidence")
    text = main_text(answer)
    assert inside.reference in text and outside.reference not in text
    assert "Showing contributions linked to this response’s areas and actions: Area 90." in text
    answer = client.get(f"/manage/responses/{response.id}/evidence?scope=all")
    assert outside.reference in main_text(answer)


def test_adding_many_at_once_needs_a_confirmation(client, officer_in):
    linked_area = fresh_area()
    for _ in range(publishing.ADD_ALL_WITHOUT_CONFIRMING + 2):
        contribution(areas=[linked_area])
    response = draft(user_for("officer"), area_ids=[linked_area.id], action_ids=[])
    url = f"/manage/responses/{response.id}/evidence"
    answer = client.get(url)
    assert "Add all 52 matching…" in main_text(answer)
    assert page(answer).select_one("button[name=add_all], input[name=add_all]") is None
    # Sent without confirming: refused, nothing added.
    answer = client.post(url, data={"add_all": "y"}, follow_redirects=True)
    assert "Adding 52 contributions at once must be confirmed." in notification(answer)
    assert publishing.evidence_ids(response) == []
    answer = client.get(f"{url}?confirm_all=1")
    assert heading(answer) == "Add 52 contributions as evidence?"
    answer = client.post(url, data={"add_all": "y", "confirm_all": "yes"}, follow_redirects=True)
    assert "52 contributions added." in notification(answer)
    assert len(publishing.evidence_ids(response)) == 52


def test_survey_answers_read_as_questions_and_answers_with_dates_in_words(client, officer_in):
    linked_area = fresh_area()
    item = record_contribution(
        "survey_response",
        "When was the assessment asked for?\n2026-06-24\n\nHow did they contact you?\nEmail; Phone",
        area_ids=[linked_area.id],
        topic="EHC needs assessment survey",
    )
    db.session.flush()
    response = draft(user_for("officer"), area_ids=[linked_area.id], action_ids=[])
    soup = page(client.get(f"/manage/responses/{response.id}/evidence"))
    hint = soup.select_one(f"#candidate-{item.id}-hint")
    assert [dt.get_text(strip=True) for dt in hint.select("dt")] == [
        "When was the assessment asked for?",
        "How did they contact you?",
    ]
    assert [dd.get_text(strip=True) for dd in hint.select("dd")] == ["24 June 2026", "Email; Phone"]
    label = soup.select_one(f"label[for=candidate-{item.id}]").get_text(" ", strip=True)
    assert "Survey response" in label and "EHC needs assessment survey" in label
    assert "2026-06-24" not in main_text(soup)


# ------------------------------------------------------------ drafting "You said"


def test_you_said_is_drafted_when_the_writing_page_opens_empty(client, officer_in):
    waits = theme("Waiting times")
    items = [
        contribution(themes=[waits], consent=True, quote="We waited a year." if i < 2 else None)
        for i in range(5)
    ]
    response = draft(user_for("officer"), [c.id for c in items], you_said="", we_did="")
    answer = client.get(f"/manage/responses/{response.id}/edit")
    soup = page(answer)
    drafted = soup.select_one("textarea[name=you_said]").get_text()
    assert drafted.startswith("5 people told us about this.")
    assert "What they raised most: Waiting times (5)." in drafted
    assert drafted.count("We waited a year.") == 1  # the same quote once
    assert "has been drafted from the evidence" in main_text(answer)
    db.session.refresh(response)
    assert response.you_said == ""  # nothing is saved until the officer saves


# ------------------------------------------------------------ preview


def test_preview_shows_the_public_page_before_it_is_sent(client, officer_in):
    item = contribution(consent=True, quote="Nobody called us back.")
    response = draft(user_for("officer"), [item.id])
    answer = client.post(
        f"/manage/responses/{response.id}/edit",
        data={
            "title": response.title,
            "you_said": response.you_said,
            "we_did": "We now call back within two days.",
            "status": response.status,
            "organisation": str(response.organisation_id),
            "areas": [str(a.id) for a in response.areas],
            "actions": [str(a.id) for a in response.actions],
            "preview": "y",
        },
    )
    assert answer.headers["Location"] == f"/manage/responses/{response.id}/preview"
    answer = client.get(answer.headers["Location"])
    soup = page(answer)
    assert "This is a preview. It is not published." in soup.get_text()
    text = main_text(answer)
    assert "We now call back within two days." in text and "Nobody called us back." in text
    assert soup.select_one(f"form[action='/manage/responses/{response.id}/submit']") is not None
    client.post(f"/manage/responses/{response.id}/submit")
    db.session.refresh(response)
    assert response.state == "awaiting_approval"


def test_preview_of_an_incomplete_draft_says_what_is_missing(client, officer_in):
    response = draft(user_for("officer"), we_did="")
    soup = page(client.get(f"/manage/responses/{response.id}/preview"))
    assert "Enter what was done or will be done" in soup.get_text()
    assert soup.select_one(f"form[action='/manage/responses/{response.id}/submit']") is None


def test_preview_is_for_staff_only(client, app_ctx):
    response = draft(user_for("officer"))
    answer = client.get(f"/manage/responses/{response.id}/preview")
    assert answer.status_code == 302 and "/auth/sign-in" in answer.headers["Location"]
    assert client.get(f"/you-said-we-did/{response.id}").status_code == 404


# ------------------------------------------------------------ history


def test_history_says_which_fields_changed_before_and_after(client, officer_in):
    officer = user_for("officer")
    response = draft(officer, title="Old title", status="planned")
    publishing.update_draft(
        officer,
        response,
        publishing.ResponseFields(
            title="New title",
            you_said=response.you_said,
            we_did=response.we_did,
            status="in_progress",
            organisation_id=response.organisation_id,
            area_ids=[a.id for a in response.areas],
            action_ids=[],
        ),
    )
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "response.updated")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.detail["changed"] == ["title", "status", "actions"]
    assert entry.detail["changes"]["title"] == {"from": "Old title", "to": "New title"}
    assert entry.detail["changes"]["actions"] == {"from": ["APP-6.1"], "to": []}
    soup = page(client.get(f"/manage/responses/{response.id}"))
    changes = [
        " ".join(d.get_text(" ", strip=True) for d in [dt, *dt.find_next_siblings("dd", limit=2)])
        for dt in soup.select("dl.app-changes dt")
    ]
    assert changes == [
        "Title Before: Old title After: New title",
        "Status Before: Planned After: In progress",
        "Plan actions Before: APP-6.1 After: None",
    ]


# ------------------------------------------------------------ where a response starts


def test_write_a_response_links_on_the_plan_and_themes_pages(client, signed_in, app_ctx):
    signed_in("admin")
    soup = page(client.get("/manage/plan"))
    area_six = db.session.scalar(db.select(Area).where(Area.number == 6))
    link = soup.find("a", href=f"/manage/responses/new?area={area_six.id}")
    assert link is not None and link.get_text(" ", strip=True) == ("Write a response about area 6")
    app_action = action("APP-6.1")
    assert soup.find("a", href=f"/manage/responses/new?action={app_action.id}") is not None
    waits = theme("Waits")
    soup = page(client.get("/manage/themes"))
    assert soup.find("a", href=f"/manage/responses/new?theme={waits.id}") is not None
