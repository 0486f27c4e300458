"""The staff inbox: filters, urgent first, keyset paging, bulk coding, one contribution's page,
quotes, and working through new contributions one after another."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from app.domain.shared import full_text
from app.domain.thread import inbox
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Action, Area, AuditEntry, Contribution, SafeguardingPhrase, Theme

from ..helpers import (
    error_summary,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)


def add(text="Waiting too long for an assessment", **kwargs) -> Contribution:
    created_at = kwargs.pop("created_at", None)
    contribution = record_contribution(kwargs.pop("source_type", "feedback"), text, **kwargs)
    db.session.flush()
    if created_at:
        contribution.created_at = created_at
    return contribution


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def theme(name: str, active: bool = True) -> Theme:
    found = Theme(name=name, active=active)
    db.session.add(found)
    db.session.flush()
    return found


def references_on(response) -> list[str]:
    soup = page(response)
    return [
        a.get_text(strip=True)
        for a in soup.select("main table tbody tr td a.govuk-link")
        if "/manage/inbox/" in a.get("href", "")
    ]


def next_link(response) -> str | None:
    link = page(response).select_one(".govuk-pagination__next a")
    return link.get("href") if link else None


# --- Filters --------------------------------------------------------------------------------


@pytest.fixture
def mixed(app_ctx):
    """A small inbox with one contribution to find for each filter."""
    work = theme("Communication")
    made = {
        "plain": add("Nobody called me back about the plan"),
        "paper": add(
            "Written on the paper form at the library", source_type="paper", channel="paper"
        ),
        "event": add("Said at the Maidstone event", source_type="event_note", channel="event"),
        "area6": add("The EHC plan was vague", area_ids=[area(6).id]),
        "action": add("The hub answered quickly", action_ids=[action("APP-1.1").id]),
        "theme": add("Letters are confusing"),
        "old": add("An old complaint from last year", created_at=datetime(2024, 3, 10, 12, 0)),
        "percent": add("Only 50% of my questions were answered"),
        "underscore": add("My username is jo_bloggs"),
    }
    made["theme"].themes = [work]
    made["coded"] = add("Already coded")
    made["coded"].state = "coded"
    db.session.commit()
    return made


def listed(client, **params) -> list[str]:
    response = client.get("/manage/inbox", query_string=params)
    assert response.status_code == 200
    return references_on(response)


def test_each_filter_narrows_the_list(client, signed_in, mixed):
    signed_in("officer")
    everything = listed(client, state="any")
    assert set(everything) == {c.reference for c in mixed.values()}
    # The inbox opens on what is waiting to be read.
    assert set(listed(client)) == {c.reference for k, c in mixed.items() if k != "coded"}

    assert listed(client, state="coded") == [mixed["coded"].reference]
    assert set(listed(client, state="new")) == {
        c.reference for k, c in mixed.items() if k != "coded"
    }
    assert listed(client, source="paper") == [mixed["paper"].reference]
    assert listed(client, channel="event") == [mixed["event"].reference]
    assert listed(client, area=str(area(6).id)) == [mixed["area6"].reference]
    assert listed(client, action=str(action("APP-1.1").id)) == [mixed["action"].reference]
    assert listed(client, theme=str(mixed["theme"].themes[0].id)) == [mixed["theme"].reference]
    old_only = {"date_to-day": "31", "date_to-month": "12", "date_to-year": "2024"}
    assert listed(client, **old_only) == [mixed["old"].reference]
    assert mixed["old"].reference not in listed(
        client, **{"date_from-day": "1", "date_from-month": "1", "date_from-year": "2025"}
    )
    assert listed(
        client,
        **{"date_from-day": "10", "date_from-month": "3", "date_from-year": "2024"},
        **old_only,
    ) == [mixed["old"].reference]


def test_text_search_is_case_insensitive_and_finds_references(client, signed_in, mixed):
    signed_in("coordinator")
    assert listed(client, q="NOBODY CALLED") == [mixed["plain"].reference]
    assert listed(client, q=mixed["event"].reference.lower()) == [mixed["event"].reference]
    typed = mixed["paper"].reference.replace("-", " ")
    assert listed(client, q=typed) == [mixed["paper"].reference]
    # % and _ are never wildcards: the search index holds words, so "jo_b" looks for words
    # starting "jo" and "b", and punctuation alone finds nothing.
    assert listed(client, q="50%") == [mixed["percent"].reference]
    assert listed(client, q="jo_b") == [mixed["underscore"].reference]
    assert listed(client, q="%") == []
    assert listed(client, q="_") == []
    # The start of a word finds the word, as the whole-text search did.
    assert listed(client, q="blogg") == [mixed["underscore"].reference]
    assert listed(client, q="confus") == [mixed["theme"].reference]
    assert listed(client, q="no such words anywhere") == []
    assert "No contributions match these filters." in main_text(client.get("/manage/inbox?q=zzzz"))


def test_filters_combine(client, signed_in, mixed):
    signed_in("coordinator")
    assert listed(client, source="paper", q="library") == [mixed["paper"].reference]
    assert listed(client, source="paper", q="Maidstone") == []


def test_invalid_filters_are_explained_next_to_the_field(client, signed_in, mixed):
    signed_in("coordinator")
    cases = [
        (
            {"date_from-day": "31", "date_from-month": "2", "date_from-year": "2025"},
            "date_from",
            "Received from must be a real date",
        ),
        (
            {"date_to-day": "1", "date_to-month": "", "date_to-year": "2025"},
            "date_to",
            "Received to must include a month",
        ),
        (
            {"date_from-day": "aa", "date_from-month": "bb", "date_from-year": "cc"},
            "date_from",
            "Received from must be a real date",
        ),
        (
            {"date_from-day": "1", "date_from-month": "1", "date_from-year": "25"},
            "date_from",
            "Year must include 4 numbers",
        ),
        (
            {
                "date_from-day": "1",
                "date_from-month": "1",
                "date_from-year": "99999999999999999999",
            },
            "date_from",
            "Year must include 4 numbers",
        ),
        (
            {
                "date_from-day": "2",
                "date_from-month": "1",
                "date_from-year": "2025",
                "date_to-day": "1",
                "date_to-month": "1",
                "date_to-year": "2025",
            },
            "date_to",
            "Received to must be the same as or after received from",
        ),
        ({"state": "deleted"}, "state", "Select a state from the list"),
        ({"area": "999999"}, "area", "Select an area from the list"),
        ({"theme": "abc"}, "theme", "Select a theme from the list"),
        ({"q": "x" * 201}, "q", "Search must be 200 characters or fewer"),
    ]
    for params, field, message in cases:
        response = client.get("/manage/inbox", query_string=params)
        assert response.status_code == 200, params
        assert field_error(response, field) == message, params
        assert message in error_summary(response)
        assert "Correct the filters to see contributions." in main_text(response)
        assert page(response).title.get_text().startswith("Error:")
    # What was typed is kept.
    response = client.get(
        "/manage/inbox",
        query_string={
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2025",
            "q": "letters",
        },
    )
    assert field_value(response, "date_from-day") == "31"
    assert field_value(response, "q") == "letters"


# --- Urgent first, and paging -----------------------------------------------------------------


def test_urgent_contributions_come_first_with_a_warning(client, signed_in, app_ctx):
    db.session.add(SafeguardingPhrase(phrase="not safe at home"))
    db.session.flush()
    older_urgent = add("My son is NOT SAFE AT HOME")
    newer = [add(f"Ordinary contribution {n}") for n in range(3)]
    checked_urgent = add("She is not safe at home either")
    checked_urgent.state = "coded"
    db.session.commit()
    assert older_urgent.safeguarding and checked_urgent.safeguarding

    signed_in("officer")
    response = client.get("/manage/inbox?state=any")
    order = references_on(response)
    assert order[:2] == [checked_urgent.reference, older_urgent.reference]
    assert order[2:] == [c.reference for c in reversed(newer)]
    soup = page(response)
    # Only the one nobody has checked yet needs a safeguarding check.
    assert "1 urgent contribution needs a safeguarding check" in soup.select_one(
        ".govuk-warning-text"
    ).get_text(" ")
    urgent_rows = [row for row in soup.select("main tbody tr") if "Urgent" in row.get_text()]
    assert len(urgent_rows) == 2


def test_keyset_paging_returns_every_contribution_exactly_once(client, signed_in, app_ctx):
    db.session.add(SafeguardingPhrase(phrase="bruises"))
    db.session.flush()
    made = [
        add(f"Contribution number {n}" + (" with bruises" if n % 17 == 0 else ""))
        for n in range(123)
    ]
    db.session.commit()
    assert sum(c.safeguarding for c in made) == 8

    # In the domain, with small pages: with 3 a page, the first pages end inside the urgent part.
    expected = [c.id for c in reversed(made) if c.safeguarding] + [
        c.id for c in reversed(made) if not c.safeguarding
    ]
    for size, page_count in ((3, 41), (10, 13), (123, 1)):
        seen, cursor, pages = [], None, 0
        while True:
            result = inbox.search(inbox.InboxFilters(), after=cursor, limit=size)
            assert len(result.rows) <= size
            seen += [c.id for c in result.rows]
            pages += 1
            cursor = result.next_cursor
            if cursor is None:
                break
        assert pages == page_count
        assert seen == expected  # every one exactly once, urgent first, newest first
    # Filters apply in the urgent part too.
    flagged_filter = inbox.InboxFilters(text="bruises")
    first = inbox.search(flagged_filter, limit=5)
    second = inbox.search(flagged_filter, after=first.next_cursor, limit=5)
    assert [c.id for c in first.rows + second.rows] == expected[:8] and second.next_cursor is None

    # Through the pages, following "Next page" (50 a page).
    signed_in("coordinator")
    url, on_pages = "/manage/inbox", []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        on_pages.append(references_on(response))
        url = next_link(response)
    assert [len(p) for p in on_pages] == [50, 50, 23]
    everything = [ref for refs in on_pages for ref in refs]
    assert sorted(everything) == sorted(c.reference for c in made)
    assert "First page" in main_text(client.get(next_link(client.get("/manage/inbox"))))


def test_next_page_keeps_the_filters(client, signed_in, app_ctx):
    for n in range(55):
        add(f"Paper form {n}", source_type="paper", channel="paper")
    add("Online one")
    db.session.commit()
    signed_in("coordinator")
    first = client.get("/manage/inbox?source=paper")
    link = next_link(first)
    assert parse_qs(urlsplit(link).query)["source"] == ["paper"]
    second = client.get(link)
    assert len(references_on(first)) + len(references_on(second)) == 55


def test_a_broken_cursor_shows_the_first_page(client, signed_in, app_ctx):
    add("Only one")
    db.session.commit()
    signed_in("coordinator")
    for cursor in ("nonsense", "1-", "2-5", "0-99999999999999999999", "1--4"):
        response = client.get("/manage/inbox", query_string={"after": cursor})
        assert response.status_code == 200, cursor
        assert len(references_on(response)) == 1


def test_inbox_query_count_does_not_grow_with_contributions(
    client, signed_in, app_ctx, count_queries
):
    urgent = SafeguardingPhrase(phrase="scared to go home")
    db.session.add(urgent)
    themes = [theme("Waiting"), theme("Letters")]

    def fill(count):
        for n in range(count):
            contribution = add(
                f"Contribution {n}" + (" scared to go home" if n % 5 == 0 else ""),
                area_ids=[area(1 + n % 9).id],
                action_ids=[action("APP-6.1").id],
            )
            contribution.themes = [themes[n % 2]]
        db.session.commit()

    def measure():
        with count_queries() as counter:
            response = client.get("/manage/inbox")
            assert response.status_code == 200
        return counter.count, len(references_on(response))

    signed_in("coordinator")
    fill(5)
    measure()  # warm up
    few, shown_few = measure()
    fill(195)
    many, shown_many = measure()
    assert (shown_few, shown_many) == (5, 50)
    assert many == few
    assert few <= 12


def test_a_searched_and_filtered_page_runs_as_many_queries_with_more_contributions(
    client, signed_in, app_ctx, count_queries, monkeypatch
):
    """Past a few matches the page walks the inbox's order instead of listing them first (see
    `inbox.FEW_LINKED`, `full_text.FEW_MATCHES`): the number of queries stays the same."""
    monkeypatch.setattr(inbox, "FEW_LINKED", 20)
    monkeypatch.setattr(full_text, "FEW_MATCHES", 20)
    waiting = theme("Waiting")

    def fill(count):
        for n in range(count):
            add(f"School transport was late ({n})", area_ids=[area(6).id]).themes = [waiting]
        db.session.commit()

    def measure():
        wanted = {"q": "transport", "area": area(6).id, "theme": waiting.id}
        with count_queries() as counter:
            response = client.get("/manage/inbox", query_string=wanted)
            assert response.status_code == 200
        return counter.count, len(references_on(response))

    signed_in("coordinator")
    fill(6)
    measure()  # warm up
    few, shown_few = measure()
    fill(60)
    many, shown_many = measure()
    assert (shown_few, shown_many) == (6, 50)
    assert many == few


# --- Bulk coding --------------------------------------------------------------------------------


def test_bulk_coding_codes_every_selected_contribution(client, signed_in, app_ctx):
    waiting = theme("Waiting times")
    chosen = [add(f"Waited {n} months") for n in range(3)]
    left_alone = add("Not selected")
    chosen[0].areas = [area(2)]
    db.session.commit()
    user = signed_in("coordinator")

    response = client.post(
        "/manage/inbox/code",
        data={
            "contribution_ids": [str(c.id) for c in chosen],
            "areas": [str(area(8).id)],
            "actions": [str(action("APP-8.1").id)],
            "themes": [str(waiting.id)],
            "sentiment": "negative",
            "state": "",
        },
    )
    assert response.status_code == 302
    assert "3 contributions coded." in notification(client.get(response.headers["Location"]))
    db.session.expire_all()
    for contribution in chosen:
        assert contribution.state == "coded"
        assert area(8) in contribution.areas
        assert [a.reference for a in contribution.actions] == ["APP-8.1"]
        assert [t.name for t in contribution.themes] == ["Waiting times"]
        assert contribution.sentiment == "negative"
        assert contribution.coded_by_id == user.id
    # Bulk coding adds; it never takes away.
    assert {a.number for a in chosen[0].areas} == {2, 8}
    assert left_alone.state == "new" and not left_alone.areas
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "contribution.coded")
    ).all()
    assert sorted(e.record_id for e in entries) == sorted(str(c.id) for c in chosen)
    assert all(e.actor_id == user.id for e in entries)


def test_bulk_hides_but_never_marks_an_individual_case_without_a_team(client, signed_in, app_ctx):
    spam, case = add("Buy cheap things"), add("Please call me about my son's annual review")
    db.session.commit()
    signed_in("admin")
    assert (
        client.post(
            "/manage/inbox/code", data={"contribution_ids": [spam.id], "state": "hidden"}
        ).status_code
        == 302
    )
    inbox_page = page(client.get("/manage/inbox"))
    assert not inbox_page.select('input[name="state"][value="individual_case"]')
    response = client.post(
        "/manage/inbox/code", data={"contribution_ids": [case.id], "state": "individual_case"}
    )
    assert response.status_code == 200
    assert field_error(response, "state") == "Select a state from the list"
    db.session.expire_all()
    assert (spam.state, case.state) == ("hidden", "new")


def test_bulk_coding_needs_a_selection_and_a_change(client, signed_in, app_ctx):
    contribution = add("Something")
    db.session.commit()
    signed_in("coordinator")
    response = client.post("/manage/inbox/code?source=feedback", data={"areas": [str(area(1).id)]})
    assert response.status_code == 200
    assert field_error(response, "contribution_ids") == "Select at least one contribution to code"
    # The page still shows the filtered list, so the coordinator can tick and try again.
    assert references_on(response) == [contribution.reference]
    response = client.post("/manage/inbox/code", data={"contribution_ids": [contribution.id]})
    assert error_summary(response) == [
        "Choose what to change: areas, actions, themes, sentiment or state"
    ]
    assert (
        page(response)
        .find("input", attrs={"name": "contribution_ids", "value": str(contribution.id)})
        .has_attr("checked")
    )
    db.session.expire_all()
    assert contribution.state == "new"


def test_forged_ids_in_the_coding_post_are_ignored(client, signed_in, app_ctx):
    real = add("Real one")
    inactive = theme("Old theme", active=False)
    db.session.commit()
    signed_in("coordinator")
    response = client.post(
        "/manage/inbox/code",
        data={
            "contribution_ids": [str(real.id), "999999", "abc", "-4", "99999999999999999999", ""],
            "areas": [str(area(3).id), "424242", "x", "99999999999999999999"],
            "actions": ["0", "77777"],
            "themes": [str(inactive.id), "55555"],
            "sentiment": "furious",
            "state": "",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "sentiment") == "Select a sentiment from the list"
    response = client.post(
        "/manage/inbox/code",
        data={
            "contribution_ids": [str(real.id), "999999", "abc", "99999999999999999999"],
            "areas": [str(area(3).id), "424242", "x"],
            "themes": [str(inactive.id)],
            "state": "deleted",
        },
    )
    assert field_error(response, "state") == "Select a state from the list"
    response = client.post(
        "/manage/inbox/code",
        data={
            "contribution_ids": [str(real.id), "999999", "abc", "99999999999999999999"],
            "areas": [str(area(3).id), "424242", "x"],
            "themes": [str(inactive.id)],
        },
    )
    assert response.status_code == 302
    assert "1 contribution coded." in notification(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert [a.number for a in real.areas] == [3]
    assert real.themes == []  # inactive themes are not offered for coding
    only_ghosts = client.post(
        "/manage/inbox/code", data={"contribution_ids": ["999999"], "state": "hidden"}
    )
    assert only_ghosts.status_code == 302
    assert "nothing was changed" in notification(client.get(only_ghosts.headers["Location"]))


def test_officers_see_the_inbox_read_only(client, signed_in, app_ctx):
    contribution = add("Read only for officers")
    db.session.commit()
    signed_in("officer")
    response = client.get("/manage/inbox")
    assert response.status_code == 200
    assert references_on(response) == [contribution.reference]
    soup = page(response)
    # Officers tick rows only to start a response from them; they cannot code.
    assert soup.find("input", attrs={"name": "contribution_ids"}) is not None
    assert "Code selected contributions" not in main_text(soup)
    assert soup.find("input", attrs={"name": "areas"}) is None
    assert "Start a response from the selected" in main_text(soup)
    data = {"contribution_ids": [contribution.id], "state": "hidden"}
    assert client.post("/manage/inbox/code", data=data).status_code == 403
    assert (
        client.post(
            f"/manage/inbox/{contribution.id}/code", data={"state": "hidden", "note": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/manage/inbox/{contribution.id}/quote", data={"quote": "x"}).status_code
        == 403
    )
    db.session.expire_all()
    assert contribution.state == "new"


def test_anonymous_people_are_sent_to_sign_in(client, app_ctx):
    contribution = add("Private")
    db.session.commit()
    for url in ("/manage/inbox", f"/manage/inbox/{contribution.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert (
        client.post("/manage/inbox/code", data={"contribution_ids": [contribution.id]}).status_code
        == 302
    )


def test_bulk_coding_needs_a_csrf_token(app, client, signed_in, app_ctx):
    contribution = add("Needs a token")
    db.session.commit()
    signed_in("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/manage/inbox/code", data={"contribution_ids": [contribution.id], "state": "hidden"}
        )
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert contribution.state == "new"


# --- One contribution -------------------------------------------------------------------------


def test_contribution_page_shows_the_full_text_escaped(client, signed_in, app_ctx):
    long_text = "<script>alert('x')</script> First line\nSecond line " + "word " * 100
    contribution = add(
        long_text,
        about_you={"district": "maidstone", "relationship_to_child": "parent_carer"},
        contact_email="Parent@Example.com",
        wants_updates=True,
        rating=2,
    )
    db.session.commit()
    signed_in("coordinator")
    response = client.get(f"/manage/inbox/{contribution.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert heading(response) == f"Contribution {contribution.reference}"
    text = main_text(response)
    assert "Second line" in text and text.count("word") >= 100
    assert "Maidstone" in text and "Parent carer" in text
    assert "parent@example.com" in text
    assert "2 out of 5" in text
    # The inbox shows only the first 200 characters.
    listing = main_text(client.get("/manage/inbox"))
    assert "First line" in listing and listing.count("word") < 45


def test_officers_see_that_contact_details_exist_but_not_the_email(client, signed_in, app_ctx):
    contribution = add("Please reply", contact_email="private.person@example.com")
    db.session.commit()
    signed_in("officer")
    response = client.get(f"/manage/inbox/{contribution.id}")
    text = main_text(response)
    assert "private.person@example.com" not in response.get_data(as_text=True)
    assert "Yes, kept separately" in text
    assert (
        page(response).find("form", attrs={"action": f"/manage/inbox/{contribution.id}/code"})
        is None
    )


def test_unknown_contribution_ids_are_404(client, signed_in, app_ctx):
    signed_in("coordinator")
    for url in (
        "/manage/inbox/999999",
        "/manage/inbox/0",
        "/manage/inbox/99999999999999999999",
        "/manage/inbox/abc",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/manage/inbox/999999/code", data={"state": "coded"}).status_code == 404
    assert (
        client.post("/manage/inbox/99999999999999999999/quote", data={"quote": "x"}).status_code
        == 404
    )


def test_coding_one_contribution_replaces_its_links(client, signed_in, app_ctx):
    old_theme, new_theme = theme("Old"), theme("New")
    contribution = add(
        "Coded once already", area_ids=[area(1).id, area(2).id], action_ids=[action("APP-1.1").id]
    )
    contribution.themes = [old_theme]
    db.session.commit()
    user = signed_in("coordinator")

    form = page(client.get(f"/manage/inbox/{contribution.id}"))
    assert form.find("input", attrs={"name": "areas", "value": str(area(2).id)}).has_attr("checked")
    response = client.post(
        f"/manage/inbox/{contribution.id}/code",
        data={
            "areas": [str(area(5).id)],
            "actions": [],
            "themes": [str(new_theme.id)],
            "sentiment": "mixed",
            "state": "coded",
            "note": "  Spoke to the caseworker.  ",
            "personal_details": "y",
        },
    )
    assert response.status_code == 302
    assert "Coding saved" in notification(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert [a.number for a in contribution.areas] == [5]
    assert contribution.actions == []
    assert [t.name for t in contribution.themes] == ["New"]
    assert (contribution.sentiment, contribution.state, contribution.note) == (
        "mixed",
        "coded",
        "Spoke to the caseworker.",
    )
    assert contribution.personal_details is True and contribution.safeguarding is False
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "contribution.coded")
    )
    assert entry.actor_id == user.id and entry.record_id == str(contribution.id)


def test_flagging_safeguarding_by_hand_puts_it_first(client, signed_in, app_ctx):
    worrying, newer = add("Something worrying that no phrase caught"), add("Newer")
    db.session.commit()
    signed_in("coordinator")
    client.post(f"/manage/inbox/{worrying.id}/code", data={"safeguarding": "y", "state": "coded"})
    listed = references_on(client.get("/manage/inbox?state=any"))
    assert listed[:2] == [worrying.reference, newer.reference]


def test_hiding_needs_a_reason_and_bad_input_is_kept(client, signed_in, app_ctx):
    contribution = add("Off topic")
    db.session.commit()
    signed_in("admin")
    response = client.post(
        f"/manage/inbox/{contribution.id}/code",
        data={"state": "hidden", "note": "  ", "areas": [str(area(4).id)]},
    )
    assert response.status_code == 200
    assert field_error(response, "note") == "Enter why you are hiding this contribution"
    assert (
        page(response)
        .find("input", attrs={"name": "areas", "value": str(area(4).id)})
        .has_attr("checked")
    )
    response = client.post(
        f"/manage/inbox/{contribution.id}/code", data={"state": "coded", "note": "n" * 2001}
    )
    assert field_error(response, "note") == "Note must be 2000 characters or fewer"
    assert field_value(response, "note") == "n" * 2001
    response = client.post(
        f"/manage/inbox/{contribution.id}/code", data={"state": "used_up", "areas": ["x", "9999"]}
    )
    assert field_error(response, "state") == "Select a state from the list"
    response = client.post(
        f"/manage/inbox/{contribution.id}/code", data={"state": "hidden", "note": "Spam advert"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (contribution.state, contribution.note) == ("hidden", "Spam advert")


# --- Quotes ----------------------------------------------------------------------------------

QUOTE_TEXT = "The hub was great, call me on 07700 900123 or email jo@example.com, ME14 1XX"


def test_quote_is_proposed_masked_and_approved(client, signed_in, app_ctx):
    contribution = add(QUOTE_TEXT, consent_to_quote=True)
    db.session.commit()
    user = signed_in("coordinator")
    response = client.get(f"/manage/inbox/{contribution.id}")
    proposed = field_value(response, "quote")
    assert proposed == (
        "The hub was great, call me on [phone number removed] or email [email removed], "
        "[postcode removed]"
    )
    # The original stays private and unchanged; the page still shows it to staff.
    assert QUOTE_TEXT in main_text(response)

    edited = "The hub was great. Ring 01622 694000 any time."
    response = client.post(f"/manage/inbox/{contribution.id}/quote", data={"quote": edited})
    assert response.status_code == 302
    db.session.expire_all()
    assert contribution.quote_text == "The hub was great. Ring [phone number removed] any time."
    assert contribution.quote_approved_by_id == user.id and contribution.quote_approved_at
    assert contribution.text == QUOTE_TEXT
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "contribution.quote_approved")
    )
    text = main_text(client.get(f"/manage/inbox/{contribution.id}"))
    assert "Approved quote:" in text and "Ring [phone number removed] any time." in text


@pytest.mark.parametrize(
    "consent,phrase,message",
    [
        (
            False,
            False,
            "The person did not agree to be quoted, so this contribution cannot be quoted.",
        ),
        (True, True, "This contribution is flagged for safeguarding, so it is never quoted."),
    ],
)
def test_quotes_are_refused_without_consent_or_for_safeguarding(
    client, signed_in, app_ctx, consent, phrase, message
):
    db.session.add(SafeguardingPhrase(phrase="hit me"))
    db.session.flush()
    contribution = add(QUOTE_TEXT + (" and he hit me" if phrase else ""), consent_to_quote=consent)
    db.session.commit()
    signed_in("coordinator")
    response = client.get(f"/manage/inbox/{contribution.id}")
    assert message in main_text(response)
    assert page(response).find("textarea", attrs={"name": "quote"}) is None
    response = client.post(
        f"/manage/inbox/{contribution.id}/quote", data={"quote": "Anything at all"}
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    db.session.expire_all()
    assert contribution.quote_text is None and contribution.quote_approved_at is None


def test_an_empty_quote_is_refused(client, signed_in, app_ctx):
    contribution = add("Fine words", consent_to_quote=True)
    db.session.commit()
    signed_in("coordinator")
    response = client.post(f"/manage/inbox/{contribution.id}/quote", data={"quote": "   "})
    assert response.status_code == 200
    assert field_error(response, "quote") == "Enter the quote to approve"


def test_the_dates_in_the_list_are_shown(client, signed_in, app_ctx):
    add("Dated", created_at=datetime(2025, 6, 1, 9, 30))
    db.session.commit()
    signed_in("coordinator")
    assert "1 Jun 2025" in main_text(client.get("/manage/inbox"))


# --- Working through the inbox (issue 14) ------------------------------------------------------


def test_the_inbox_opens_on_new_contributions_newest_received_first(client, signed_in, app_ctx):
    # Ids do not follow the time received (paper forms typed in later, imported data), so the
    # order must come from when each was received.
    older = add("Received last week", created_at=datetime(2026, 11, 1, 9, 0))
    newest = add("Received yesterday", created_at=datetime(2026, 11, 30, 9, 0))
    middle = add("Received mid-month", created_at=datetime(2026, 11, 15, 9, 0))
    coded = add("Already coded, received today", created_at=datetime(2026, 12, 1, 9, 0))
    coded.state = "coded"
    db.session.commit()
    signed_in("coordinator")
    response = client.get("/manage/inbox")
    assert references_on(response) == [newest.reference, middle.reference, older.reference]
    soup = page(response)
    assert "Showing contributions in the state “New”" in main_text(soup)
    assert soup.select_one("#state option[selected]").get("value") == "new"

    everything = client.get("/manage/inbox?state=any")
    assert references_on(everything)[0] == coded.reference
    assert "Showing contributions in every state" in main_text(everything)
    assert "Clear filters" in main_text(everything)


def test_paging_by_time_received_returns_every_contribution_once(app_ctx):
    db.session.add(SafeguardingPhrase(phrase="bruises"))
    db.session.flush()
    made = []
    for n in range(40):
        # Received times out of id order, some the same to the microsecond.
        when = datetime(2026, 1, 1) + (n * 7 % 13) * (datetime(2026, 1, 2) - datetime(2026, 1, 1))
        made.append(add(f"Number {n}" + (" bruises" if n % 9 == 0 else ""), created_at=when))
    db.session.commit()

    def key(c):
        return (c.safeguarding, c.created_at, c.id)

    expected = [c.id for c in sorted(made, key=key, reverse=True)]
    for size in (3, 7, 40):
        seen, cursor = [], None
        while True:
            result = inbox.search(inbox.InboxFilters(), after=cursor, limit=size)
            seen += [c.id for c in result.rows]
            cursor = result.next_cursor
            if cursor is None:
                break
        assert seen == expected


def test_save_and_go_to_the_next_uncoded(client, signed_in, app_ctx):
    third = add("Oldest new one", created_at=datetime(2026, 11, 1, 9, 0))
    first = add("Newest new one", created_at=datetime(2026, 11, 3, 9, 0))
    done = add("Coded already", created_at=datetime(2026, 11, 2, 12, 0))
    done.state = "coded"
    second = add("Middle new one", created_at=datetime(2026, 11, 2, 9, 0))
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(f"/manage/inbox/{first.id}"))
    assert soup.find("button", string=lambda s: s and "Save and go to the next uncoded" in s) or (
        soup.find("input", attrs={"value": "Save and go to the next uncoded"})
    )

    visited = []
    current = first
    for _ in range(3):
        response = client.post(
            f"/manage/inbox/{current.id}/code",
            data={"areas": [area(2).id], "state": "coded", "save_and_next": "y"},
        )
        assert response.status_code == 302
        visited.append(response.headers["Location"])
        landed = client.get(response.headers["Location"])  # as a browser would
        if len(visited) == 1:
            assert "This is the next new contribution" in notification(landed)
        if "/manage/inbox/" in response.headers["Location"]:
            current = db.session.get(
                Contribution, int(response.headers["Location"].rsplit("/", 1)[1])
            )
    assert visited[0].endswith(f"/manage/inbox/{second.id}")
    assert visited[1].endswith(f"/manage/inbox/{third.id}")
    # The last one: nothing new is left, so back to the inbox, saying so.
    assert visited[2].endswith("/manage/inbox")
    assert "no more new contributions" in notification(landed)
    db.session.expire_all()
    assert {c.state for c in (first, second, third)} == {"coded"}
    assert all(c.areas == [area(2)] for c in (first, second, third))


def test_the_coding_form_names_areas_and_groups_actions_under_them(client, signed_in, app_ctx):
    contribution = add("The plan arrived late", area_ids=[area(6).id])
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(f"/manage/inbox/{contribution.id}"))
    area_labels = [label.get_text(strip=True) for label in soup.select("label[for^=areas]")]
    assert f"Area 6: {area(6).title}" in area_labels
    # The area ticked on arrival is ticked, and its actions are shown open under it.
    assert soup.find("input", attrs={"name": "areas", "value": str(area(6).id)}).has_attr("checked")
    groups = {
        d.select_one("summary").get_text(" ", strip=True): d for d in soup.select("form details")
    }
    six = next(d for name, d in groups.items() if name.startswith("Area 6:"))
    assert six.has_attr("open")
    # (an action of several areas is shown under the first of them)
    first_action = next(a for a in area(6).actions if a.areas[0] == area(6))
    assert f"{first_action.reference} {first_action.title}" in six.get_text(" ", strip=True)
    assert not next(d for n, d in groups.items() if n.startswith("Area 1:")).has_attr("open")
    # Every action is offered once.
    values = [i["value"] for i in soup.select("input[name=actions]")]
    assert len(values) == len(set(values)) == db.session.scalar(db.select(db.func.count(Action.id)))


def test_starting_codes_follow_the_consultation_commented_on(client, signed_in, app_ctx):
    from app.domain.engagement import moderation

    from ..domain.test_consultations import make_consultation

    consultation = make_consultation(title="Designing the SEND enquiries hub")
    consultation.areas = [area(3)]
    db.session.commit()
    comment = moderation.record_comment(
        consultation, text="Please answer the phone", consent_to_publish=True
    )
    # A link added after the comment came in is suggested too.
    consultation.actions = [action("APP-6.1")]
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(f"/manage/inbox/{comment.contribution_id}"))
    assert soup.find("input", attrs={"name": "areas", "value": str(area(3).id)}).has_attr("checked")
    assert soup.find(
        "input", attrs={"name": "actions", "value": str(action("APP-6.1").id)}
    ).has_attr("checked")
    assert "from the consultation “Designing the SEND enquiries hub”" in soup.select_one(
        "#starting-codes"
    ).get_text(" ", strip=True)

    # Once coded, the page shows what was chosen, not the suggestion.
    client.post(
        f"/manage/inbox/{comment.contribution_id}/code",
        data={"areas": [area(3).id], "state": "coded"},
    )
    soup = page(client.get(f"/manage/inbox/{comment.contribution_id}"))
    assert not soup.find(
        "input", attrs={"name": "actions", "value": str(action("APP-6.1").id)}
    ).has_attr("checked")
    assert soup.select_one("#starting-codes") is None


def test_language_is_shown_by_name(client, signed_in, app_ctx):
    contribution = add("Napisałam do rady trzy razy", language="pl")
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(f"/manage/inbox/{contribution.id}"))
    row = next(r for r in soup.select(".govuk-summary-list__row") if "Language" in r.get_text())
    assert row.select_one("dd").get_text(strip=True) == "Polish"


def test_the_tell_us_topic_is_shown_by_name(client, signed_in, app_ctx):
    contribution = add("The plan was late", topic="area-6", area_ids=[area(6).id])
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(f"/manage/inbox/{contribution.id}"))
    row = next(r for r in soup.select(".govuk-summary-list__row") if "About" in r.get_text())
    assert row.select_one("dd").get_text(strip=True) == f"Area 6: {area(6).title}"


def test_ticked_rows_start_a_response(client, signed_in, app_ctx):
    one, two = add("First"), add("Second")
    db.session.commit()
    signed_in("officer")
    soup = page(client.get("/manage/inbox"))
    bar = soup.select_one("#bulk-bar")
    button = bar.find("button", string=lambda s: s and "Start a response from the selected" in s)
    assert button["formaction"].startswith("/manage/inbox/start-response")
    response = client.post(
        "/manage/inbox/start-response", data={"contribution_ids": [one.id, two.id]}
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert urlsplit(response.headers["Location"]).path == "/manage/responses/new"
    assert sorted(query["contribution"]) == sorted([str(one.id), str(two.id)])
    # Nothing ticked: back to the inbox, saying what to do.
    nothing = client.post("/manage/inbox/start-response", data={})
    assert nothing.status_code == 302
    assert "Select the contributions" in notification(client.get(nothing.headers["Location"]))


def test_the_bulk_bar_comes_after_the_rows_and_names_what_it_adds(client, signed_in, app_ctx):
    add("Something")
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get("/manage/inbox"))
    bar = soup.select_one("form .app-bulk-bar")
    assert bar is not None and bar.find_previous("table") is not None
    labels = [label.get_text(strip=True) for label in bar.select("label[for^=areas]")]
    assert f"Area 1: {area(1).title}" in labels
    assert bar.find("button", string=lambda s: s and "Start a response" in s)
