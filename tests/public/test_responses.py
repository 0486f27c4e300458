"""Public "You said, we did": the list with filters and paging, each response's page, and the thread
on the area, action and home pages — published only, quotes only when approved, small counts
hidden."""

from datetime import datetime, timedelta

import pytest

from app.domain.thread import publishing
from app.extensions import db
from app.models import YouSaidWeDid

from ..conftest import user_for
from ..domain.test_publishing import (
    action,
    area,
    contribution,
    draft,
    fields,
    organisation,
    published,
    second_officer,
    theme,
)
from ..helpers import error_summary, field_error, heading, main_text, page


@pytest.fixture(autouse=True)
def req(app):
    """Domain calls made by the test itself run as they would in a request (links in emails)."""
    with app.test_request_context():
        yield


def publish(
    title="Shorter waits for EHC needs assessments", when=None, evidence=(), **overrides
) -> YouSaidWeDid:
    response = published(
        user_for("officer"), user_for("admin"), [c.id for c in evidence], title=title, **overrides
    )
    if when is not None:
        response.published_at = when
        db.session.commit()
    return response


def titles(answer) -> list[str]:
    return [
        a.get_text(strip=True) for a in page(answer).select("main h3 a[href^='/you-said-we-did/']")
    ]


# ------------------------------------------------------------ the list


def test_list_shows_published_only_newest_first(client, app_ctx):
    officer = user_for("officer")
    draft(officer, title="A draft nobody sees")
    waiting = draft(officer, title="Awaiting approval")
    publishing.submit_for_approval(officer, waiting)
    gone = publish("Withdrawn one")
    publishing.withdraw(officer, gone, "Duplicate")
    items = [contribution() for _ in range(6)]
    publish("Older response", when=datetime(2027, 1, 5, 10), evidence=items)
    publish("Newer response", when=datetime(2027, 3, 3, 10), evidence=items[:2])

    answer = client.get("/you-said-we-did")
    assert answer.status_code == 200
    assert heading(answer) == "You said, we did"
    assert titles(answer) == ["Newer response", "Older response"]
    text = main_text(answer)
    assert "2 responses" in text
    assert "Based on 6 contributions" in text
    assert "Based on fewer than 5 contributions" in text  # the newer one has 2
    assert (
        "Published 3 March 2027" in text and "Kent County Council" in text and "In progress" in text
    )
    for hidden in ("A draft nobody sees", "Awaiting approval", "Withdrawn one"):
        assert hidden not in text


def test_filters_by_area_action_organisation_status_and_dates(client, app_ctx):
    nhs = organisation("NHS Kent and Medway")
    publish(
        "Area six in progress",
        when=datetime(2027, 1, 10, 12),
        area_ids=[area(6).id],
        action_ids=[action("APP-6.1").id],
    )
    publish(
        "Area two done by the NHS",
        when=datetime(2027, 2, 10, 12),
        area_ids=[area(2).id],
        action_ids=[],
        status="done",
        organisation_id=nhs.id,
    )
    publish(
        "Area two not possible",
        when=datetime(2027, 3, 10, 12),
        area_ids=[area(2).id],
        action_ids=[],
        status="not_possible",
        status_reason="No money",
    )

    assert titles(client.get("/you-said-we-did?area=6")) == ["Area six in progress"]
    assert titles(client.get("/you-said-we-did?action=APP-6.1")) == ["Area six in progress"]
    assert titles(client.get(f"/you-said-we-did?organisation={nhs.id}")) == [
        "Area two done by the NHS"
    ]
    assert titles(client.get("/you-said-we-did?status=not_possible")) == ["Area two not possible"]
    assert titles(client.get("/you-said-we-did?area=2&status=done")) == ["Area two done by the NHS"]
    dates = (
        "/you-said-we-did?published_from=1&published_from=2&published_from=2027"
        "&published_to=28&published_to=2&published_to=2027"
    )
    assert titles(client.get(dates)) == ["Area two done by the NHS"]
    answer = client.get("/you-said-we-did?area=9")
    assert titles(answer) == [] and "No responses match these filters" in main_text(answer)
    # Values that are not in the lists are ignored rather than breaking the page.
    answer = client.get("/you-said-we-did?area=abc&action=NOPE&organisation=x&status=zzz&page=-3")
    assert answer.status_code == 200 and len(titles(answer)) == 3


@pytest.mark.parametrize(
    "query, field, message",
    [
        (
            "published_from=31&published_from=2&published_from=2027",
            "published_from",
            "Published on or after must be a real date",
        ),
        (
            "published_from=1&published_from=&published_from=2027",
            "published_from",
            "Published on or after must include a day, month and year",
        ),
        (
            "published_to=aa&published_to=bb&published_to=cccc",
            "published_to",
            "Published on or before must be a real date",
        ),
        (
            "published_to=1&published_to=1&published_to=99999",
            "published_to",
            "Published on or before must be a real date",
        ),
        (
            "published_to=1",
            "published_to",
            "Published on or before must include a day, month and year",
        ),
        (
            "published_from=2&published_from=3&published_from=2026&published_to=1&published_to=3&published_to=2026",
            "published_to",
            "Published on or before must be the same as or after published on or after",
        ),
    ],
)
def test_bad_dates_get_a_message_next_to_the_field(client, app_ctx, query, field, message):
    publish("Still listed", when=datetime(2027, 6, 1, 12))
    answer = client.get(f"/you-said-we-did?{query}")
    assert answer.status_code == 200
    assert field_error(answer, field) == message
    assert message in error_summary(answer)
    assert page(answer).title.get_text().startswith("Error:")
    assert titles(answer) == ["Still listed"]  # a bad date is ignored, not applied
    # What was typed is shown back.
    typed = [
        value for name, value in (pair.split("=") for pair in query.split("&")) if name == field
    ]
    shown = [
        page(answer).find(id=f"{field}-{part}")["value"] or "" for part in ("day", "month", "year")
    ]
    assert shown[: len(typed)] == typed


def test_list_is_paged_20_at_a_time(client, app_ctx):
    start = datetime(2027, 1, 1, 9)
    for n in range(25):
        publish(f"Response number {n:02d}", when=start + timedelta(days=n))
    first = client.get("/you-said-we-did")
    assert len(titles(first)) == 20
    assert titles(first)[0] == "Response number 24"
    assert page(first).select_one(".govuk-pagination") is not None
    second = client.get("/you-said-we-did?page=2")
    assert titles(second) == [f"Response number {n:02d}" for n in range(4, -1, -1)]
    # Filters are kept in the page links.
    filtered = client.get("/you-said-we-did?status=in_progress")
    next_link = page(filtered).select_one(".govuk-pagination__next a")["href"]
    assert "status=in_progress" in next_link and "page=2" in next_link
    assert client.get("/you-said-we-did?page=99999999999999999999").status_code == 200


# ------------------------------------------------------------ one response


def test_response_page_shows_the_whole_thread(client, app_ctx):
    waits = theme("Waiting times")
    quoted = contribution(
        "raw: my email is jo@example.com",
        themes=[waits],
        consent=True,
        quote="The wait was eleven months.",
    )
    no_consent = contribution(
        "raw words without consent", consent=False, quote="Should never appear"
    )
    proposed = contribution("raw words only proposed", consent=True)
    proposed.quote_text = "Proposed, never approved"
    others = [contribution() for _ in range(3)]
    db.session.flush()
    response = publish(
        "Shorter waits",
        evidence=[quoted, no_consent, proposed, *others],
        status="not_possible",
        status_reason="The budget for this year is spent.",
        area_ids=[area(6).id],
        action_ids=[action("APP-6.1").id],
    )
    answer = client.get(f"/you-said-we-did/{response.id}")
    assert answer.status_code == 200
    assert heading(answer) == "Shorter waits"
    text = main_text(answer)
    assert "You said" in text and "Parents told us the wait for an assessment was too long." in text
    assert "We did" in text and "We added two assessment teams" in text
    assert "Not possible" in text and "The budget for this year is spent." in text
    assert "Kent County Council" in text
    assert "Based on 6 contributions" in text
    assert "The wait was eleven months." in text
    for never in ("Should never appear", "Proposed, never approved", "raw", "jo@example.com"):
        assert never not in text
    links = {a["href"] for a in page(answer).select("main a")}
    assert "/areas/6" in links and "/actions/APP-6.1" in links
    assert "Not updated since it was published" in text


def test_safeguarding_contributions_are_never_quoted_or_counted(client, app_ctx):
    item = contribution("ok words", consent=True, quote="A fine quote")
    response = publish("With evidence", evidence=[item])
    urgent = contribution(
        "I am frightened for my son", consent=True, quote="Frightened quote", safeguarding=True
    )
    # Even if one were linked by hand, the public page never shows or counts it.
    db.session.execute(
        db.insert(publishing.response_contributions).values(
            response_id=response.id, contribution_id=urgent.id
        )
    )
    db.session.commit()
    text = main_text(client.get(f"/you-said-we-did/{response.id}"))
    assert "A fine quote" in text
    assert "Frightened" not in text and "frightened" not in text
    assert "Based on fewer than 5 contributions" in text


def test_updates_after_publishing_are_shown_publicly(client, app_ctx):
    response = publish("Shorter waits", when=datetime(2027, 3, 1, 10))
    publishing.edit_published(
        user_for("officer"),
        response,
        fields(title="Shorter waits", status="done"),
        "The new teams started work.",
    )
    publishing.approve_change(user_for("admin"), response)
    answer = client.get(f"/you-said-we-did/{response.id}")
    text = main_text(answer)
    today = response.revisions[0].created_at
    assert f"Updated on {today.day} {today:%B %Y}: The new teams started work." in text
    assert "Done" in text
    assert "Published 1 March 2027" in text


def test_withdrawn_response_shows_only_the_notice(client, app_ctx):
    response = publish(
        "Something we got wrong", evidence=[contribution(consent=True, quote="Quoted words")]
    )
    publishing.withdraw(user_for("officer"), response, "It repeated another response.")
    answer = client.get(f"/you-said-we-did/{response.id}")
    assert answer.status_code == 200
    assert heading(answer) == "This response has been withdrawn"
    text = main_text(answer)
    when = response.updated_at
    assert (
        f"This response was withdrawn on {when.day} {when:%B %Y}: It repeated another response."
        in text
    )
    for hidden in ("Something we got wrong", "Quoted words", "We added two assessment teams"):
        assert hidden not in text


def test_drafts_awaiting_and_unknown_are_404(client, app_ctx):
    officer = user_for("officer")
    waiting = draft(officer)
    publishing.submit_for_approval(officer, waiting)
    for url in (
        f"/you-said-we-did/{draft(officer).id}",
        f"/you-said-we-did/{waiting.id}",
        "/you-said-we-did/999999",
        "/you-said-we-did/abc",
        "/you-said-we-did/-1",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert heading(answer) == "Page not found"


# ------------------------------------------------------------ areas, actions and home


def test_area_page_shows_responses_themes_and_loop_metrics(client, app_ctx):
    six = area(6)
    waits, communication = theme("Waiting times"), theme("Communication")
    base = datetime(2027, 1, 1, 9)
    used = [contribution(areas=[six], themes=[waits], created_at=base) for _ in range(4)]
    for _ in range(5):
        contribution(areas=[six], themes=[communication], state="new", created_at=base)
    contribution("secret", areas=[six], themes=[waits], safeguarding=True, created_at=base)
    publish("Area six response", when=base + timedelta(days=12), evidence=used, area_ids=[six.id])
    publish("Area two response", area_ids=[area(2).id])

    answer = client.get("/areas/6")
    assert answer.status_code == 200
    text = main_text(answer)
    assert "Area six response" in text and "Area two response" not in text
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page(answer).select("#what-people-told-us ~ table tbody tr")
    }
    assert rows == {"Communication": "5", "Waiting times": "fewer than 5"}
    rows = page(answer).select("#closing-the-loop ~ dl .govuk-summary-list__row")
    summary = {
        row.select_one("dt").get_text(strip=True): (
            row.select_one("dd .app-figure") or row.select_one("dd")
        ).get_text(strip=True)
        for row in rows
    }
    explained = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in rows
    }
    # 10 contributions: 4 used + 1 safeguarding (coded) + 5 new
    assert summary["Contributions received"] == "10"
    # Says what it measures, so "0%" never reads as "nobody read it".
    assert summary["Linked to the plan"] == "50%"
    assert "Every contribution is read." in explained["Linked to the plan"]
    # 4 of 10 used would read 40%, and the median would be about those four people: withheld.
    assert "Used in a published response" not in summary
    assert "Typical time from contribution to published response" not in summary
    assert summary["Responses published"] == "1"
    assert "a share or a typical time is not shown when it is about fewer than 5 people" in text


def test_area_with_nothing_yet_says_so(client, app_ctx):
    text = main_text(client.get("/areas/9"))
    assert "No responses have been published for this area yet." in text
    assert "Nothing has been coded to this area yet." in text
    # The loop figures are hidden until there is something to count.
    assert "Are we answering what people say?" not in text
    assert "Not enough information yet" not in text


def test_loop_figures_show_only_what_has_happened(client, app_ctx):
    nine = area(9)
    for _ in range(1001):
        contribution(areas=[nine], state="new")
    answer = client.get("/areas/9")
    rows = page(answer).select("#closing-the-loop ~ dl .govuk-summary-list__row")
    # Nothing coded, used or published yet: only the figures that have something behind them
    # (a share of none coded is a share of a count under 5, so it is withheld too).
    assert [row.select_one("dt").get_text(strip=True) for row in rows] == [
        "Contributions received",
    ]
    assert rows[0].select_one("dd .app-figure").get_text(strip=True) == "1,001"


def test_action_page_shows_its_responses_and_inputs(client, app_ctx):
    target = action("APP-6.1")
    items = [contribution(actions=[target], themes=[theme("Waiting times")]) for _ in range(5)]
    publish("Action response", evidence=items, action_ids=[target.id], area_ids=[])
    answer = client.get("/actions/APP-6.1")
    text = main_text(answer)
    assert "Action response" in text
    assert "Based on 5 contributions" in text
    assert "Waiting times 5" in text
    assert "Used in a published response 100%" in text
    assert "No responses have been published for this action yet." in main_text(
        client.get("/actions/APP-2.1")
    )


def test_home_shows_latest_three_and_responses_per_area(client, app_ctx):
    start = datetime(2027, 1, 1, 9)
    for n in range(4):
        publish(f"Home response {n}", when=start + timedelta(days=n), area_ids=[area(1).id])
    answer = client.get("/")
    text = main_text(answer)
    assert "Latest responses" in text
    assert titles(answer) == ["Home response 3", "Home response 2", "Home response 1"]
    cards = page(answer).select(".app-card")
    assert len(cards) == 9
    assert "4 responses published" in cards[0].get_text(" ")
    assert "0 responses published" in cards[1].get_text(" ")


def test_public_pages_run_a_constant_number_of_queries(
    client, app_ctx, count_queries, rendered_every_time
):
    """Adding responses, contributions and themes must not add queries to any page."""
    second_officer()
    urls = ["/", "/areas/6", "/actions/APP-6.1", "/you-said-we-did"]

    def measure(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200, url
        return counter.count

    first = publish(
        "First",
        evidence=[contribution(areas=[area(6)], themes=[theme("T0")], consent=True, quote="q")],
        area_ids=[area(6).id],
    )
    urls.append(f"/you-said-we-did/{first.id}")
    for url in urls:
        measure(url)  # warm up
    before = {url: measure(url) for url in urls}

    six, target = area(6), action("APP-6.1")
    for n in range(30):
        items = [
            contribution(
                areas=[six],
                actions=[target],
                themes=[theme(f"T{n % 6}"), theme("Shared")],
                consent=True,
                quote=f"quote {n}-{k}",
            )
            for k in range(3)
        ]
        publish(
            f"Bulk {n}",
            evidence=items,
            area_ids=[six.id, area(n % 9 + 1).id],
            action_ids=[target.id],
        )
    publishing.edit_published(
        user_for("officer"),
        db.session.get(YouSaidWeDid, first.id),
        fields(title="First", status="done", area_ids=[six.id]),
        "Changed",
    )
    after = {url: measure(url) for url in urls}
    assert after == before


def test_area_page_shows_no_raw_markup(client, app_ctx):
    answer = client.get("/areas/6")
    details = page(answer).select_one("main .govuk-details__text")
    assert details.select_one("p.govuk-body") is not None
    assert "<p" not in main_text(answer)


# ------------------------------------------------------------ read as a parent on a phone would


def test_we_did_comes_before_you_said(client, app_ctx):
    response = publish("What we did first", evidence=[contribution() for _ in range(5)])
    soup = page(client.get(f"/you-said-we-did/{response.id}"))
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert headings.index("We did") < headings.index("You said")


def test_quotes_are_shown_once_each_three_first_and_the_rest_behind_show_more(client, app_ctx):
    start = datetime(2027, 2, 1, 10)
    said = [
        "Nobody called us back.",
        "nobody called us back",  # the same words: shown once
        "  Nobody  called us back!  ",
        "The letters were hard to read.",
        "We waited eleven months.",
        "The school did not know what to do.",
        "I had to chase every step.",
    ]
    evidence = [
        contribution(consent=True, quote=words, created_at=start + timedelta(days=n))
        for n, words in enumerate(said)
    ]
    response = publish("Quoted once each", evidence=evidence)
    soup = page(client.get(f"/you-said-we-did/{response.id}"))
    quotes = [q.get_text(strip=True) for q in soup.select("main blockquote")]
    assert len(quotes) == 5 and len({q.casefold().strip("!. ") for q in quotes}) == 5
    # Three straight away, newest first; the other two inside a <details> that works without JS.
    first = [
        q.get_text(strip=True)
        for q in soup.select("main blockquote")
        if not q.find_parent("details")
    ]
    assert first == [
        "I had to chase every step.",
        "The school did not know what to do.",
        "We waited eleven months.",
    ]
    more = soup.select_one("main details")
    assert more is not None and "Show 2 more quotes" in more.summary.get_text(" ", strip=True)
    hidden = [q.get_text(strip=True) for q in more.select("blockquote")]
    assert hidden[0] == "The letters were hard to read."
    assert len(hidden) == 2 and hidden[1].startswith("Nobody")  # the newest of the three wordings


def test_three_quotes_or_fewer_need_no_show_more(client, app_ctx):
    evidence = [contribution(consent=True, quote=f"Quote {n}") for n in range(3)]
    response = publish("Few quotes", evidence=evidence)
    soup = page(client.get(f"/you-said-we-did/{response.id}"))
    assert len(soup.select("main blockquote")) == 3 and soup.select_one("main details") is None


def test_the_list_shows_results_before_the_filters_with_a_button_to_them(client, app_ctx):
    publish("A response", evidence=[contribution() for _ in range(5)])
    soup = page(client.get("/you-said-we-did"))
    main = str(soup.find("main"))
    assert main.index('id="results"') < main.index('id="filters"')
    jump = soup.select_one("main a.govuk-button[href='#filters']")
    assert jump is not None and jump.get_text(strip=True) == "Filter responses"
    # "Apply filters" is the primary (green) button, not grey on the grey panel.
    apply = [b for b in soup.select("#filters .govuk-button") if "Apply filters" in b.get_text()]
    assert apply and "govuk-button--secondary" not in apply[0]["class"]
    filtered = page(client.get("/you-said-we-did?status=done"))
    jump = filtered.select_one("main a.govuk-button[href='#filters']")
    assert jump.get_text(" ", strip=True) == "Filter responses (filters applied)"


def test_a_change_waiting_for_approval_is_not_public_and_each_approved_one_is_listed(
    client, app_ctx
):
    response = publish("Shorter waits", when=datetime(2027, 3, 1, 10))
    officer, admin = user_for("officer"), user_for("admin")
    publishing.edit_published(
        officer, response, fields(title="Shorter waits", status="done"), "Teams started."
    )
    text = main_text(client.get(f"/you-said-we-did/{response.id}"))
    assert "Teams started." not in text and "Not updated since it was published" in text
    publishing.approve_change(admin, response)
    publishing.edit_published(
        officer,
        response,
        fields(title="Shorter waits", status="done", we_did="Waits are now 12 weeks."),
        "New figures.",
    )
    publishing.approve_change(admin, response)
    text = main_text(client.get(f"/you-said-we-did/{response.id}"))
    assert "Teams started." in text and "New figures." in text
    assert "Waits are now 12 weeks." in text
