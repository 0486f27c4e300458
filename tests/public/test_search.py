"""/search: one search over the public content in the reader's language — titles above body
text, drafts never found, a count, paging, an empty state, any query safe — and the search box
in the header of every public page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Area, Consultation, Event, Survey
from app.models.base import utcnow

from ..conftest import user_for
from ..domain.test_publishing import draft, published
from ..helpers import main_text, page, squash


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


def new_area(title: str, finding: str = "A finding.") -> Area:
    number = (db.session.scalar(select(func.max(Area.number))) or 0) + 1
    area = Area(number=number, title=title, finding=finding)
    db.session.add(area)
    db.session.flush()
    return area


def survey(slug: str, title: str, status="published", **values) -> Survey:
    found = Survey(
        slug=slug,
        title=title,
        status=status,
        opens_at=values.pop("opens_at", utcnow() - timedelta(days=1)),
        **values,
    )
    db.session.add(found)
    db.session.flush()
    return found


def consultation(slug: str, title: str, published=True, **values) -> Consultation:
    found = Consultation(
        slug=slug,
        title=title,
        published=published,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=20),
        **values,
    )
    db.session.add(found)
    db.session.flush()
    return found


def event(title: str, **values) -> Event:
    starts = utcnow() + timedelta(days=10)
    found = Event(
        title=title, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=20, **values
    )
    db.session.add(found)
    db.session.flush()
    return found


def results(client, q, **args) -> list[dict]:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    soup = page(response)
    return [
        {
            "kind": squash(item.select_one(".app-search-results__kind").get_text()),
            "title": squash(item.select_one("h3 a").get_text()),
            "href": item.select_one("h3 a")["href"],
            "lang": item.select_one("h3 a").get("lang"),
            "extract": item.select_one(".app-search-results__extract"),
        }
        for item in soup.select(".app-search-results__item")
    ]


def count_line(client, q, **args) -> str:
    soup = page(client.get("/search", query_string={"q": q, **args}))
    found = soup.find(id="result-count")
    return squash(found.get_text()) if found else ""


def test_each_kind_is_found_with_its_kind_title_link_and_extract(client, app_ctx):
    area = new_area("Fennelwick support", "Families said the fennelwick service never called.")
    survey("fennelwick-survey", "Your views on fennelwick", summary="Tell us.")
    consultation("fennelwick-plan", "Designing fennelwick", summary="Help us design it.")
    event("Fennelwick drop-in", description="Come and talk.")
    response = published(user_for("officer"), user_for("admin"), title="We fixed fennelwick")
    db.session.commit()
    found = results(client, "fennelwick")
    assert {(r["kind"], r["title"]) for r in found} == {
        ("Area of weakness", "Fennelwick support"),
        ("Survey", "Your views on fennelwick"),
        ("Consultation", "Designing fennelwick"),
        ("Event", "Fennelwick drop-in"),
        ("You said, we did", "We fixed fennelwick"),
    }
    hrefs = {r["title"]: r["href"] for r in found}
    assert hrefs["Fennelwick support"] == f"/areas/{area.number}"
    assert hrefs["We fixed fennelwick"] == f"/you-said-we-did/{response.id}"
    assert hrefs["Your views on fennelwick"] == "/surveys/fennelwick-survey"
    area_extract = next(r for r in found if r["kind"] == "Area of weakness")["extract"]
    assert "never called" in area_extract.get_text()
    assert count_line(client, "fennelwick") == "5 results for ‘fennelwick’"
    assert count_line(client, "FENNELWICK support") == "1 result for ‘FENNELWICK support’"


def test_demo_content_is_searchable_after_the_migrations(client):
    # The schema is built by the migrations, then the demo seeded: both paths index.
    titles = [r["title"] for r in results(client, "EHC")]
    assert titles, "the demo plan mentions EHC plans"


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(client, app_ctx):
    body_only = new_area(
        "Waiting for assessments",
        "Many families told us about the gallowglass wait, again and again: gallowglass.",
    )
    in_title = new_area("Gallowglass therapy", "Speech therapy stopped at eleven.")
    db.session.commit()
    found = results(client, "gallowglass")
    assert [r["title"] for r in found] == [in_title.title, body_only.title]


def test_drafts_hidden_and_withdrawn_things_are_never_found(client, app_ctx):
    survey("quokka-draft", "Quokka draft survey", status="draft")
    consultation("quokka-unpublished", "Quokka consultation", published=False)
    event("Quokka unpublished event", published=False)
    event("Quokka cancelled event", cancelled_at=utcnow())
    draft(user_for("officer"), title="Quokka draft response")
    withdrawn = published(user_for("officer"), user_for("admin"), title="Quokka withdrawn")
    withdrawn.state = "withdrawn"
    db.session.commit()
    assert results(client, "quokka") == []
    assert "There are no matching results." in main_text(
        client.get("/search", query_string={"q": "quokka"})
    )


def test_visibility_is_decided_when_the_search_runs(client, app_ctx):
    found = survey("numbat-survey", "Numbat survey", status="draft")
    db.session.commit()
    assert results(client, "numbat") == []
    found.status = "published"
    found.opens_at = utcnow() + timedelta(days=3)  # forthcoming: listed on /surveys too
    db.session.commit()
    assert [r["title"] for r in results(client, "numbat")] == ["Numbat survey"]


def test_contributions_are_never_public_results(client, app_ctx):
    from app.domain.thread.contributions import record_contribution

    record_contribution("feedback", "The wombatcare team never rang back")
    db.session.commit()
    assert results(client, "wombatcare") == []


def test_the_readers_language_where_translated_else_english_marked_as_english(client, app_ctx):
    survey(
        "ocelot-survey",
        "Ocelot survey",
        summary="About ocelot breaks.",
        translations={"pl": {"title": "Ankieta ocelot", "summary": "O przerwach ocelot."}},
    )
    consultation("ocelot-plan", "Ocelot consultation", summary="English only.")
    db.session.commit()
    polish = {"Accept-Language": "pl"}
    response = client.get("/search?q=ocelot", headers=polish)
    soup = page(response)
    items = soup.select(".app-search-results__item")
    assert len(items) == 2  # one result per object, whatever languages matched
    titles = {squash(item.select_one("h3 a").get_text()): item for item in items}
    assert set(titles) == {"Ankieta ocelot", "Ocelot consultation"}
    assert titles["Ankieta ocelot"].select_one("h3 a").get("lang") is None
    assert titles["Ocelot consultation"].select_one("h3 a").get("lang") == "en"
    extract = titles["Ankieta ocelot"].select_one(".app-search-results__extract")
    assert squash(extract.get_text()) == "O przerwach ocelot." and extract.get("lang") is None
    # A Polish word finds the Polish text; English readers never see the Polish.
    assert [
        squash(i.select_one("h3 a").get_text())
        for i in page(client.get("/search?q=ankieta", headers=polish)).select(
            ".app-search-results__item"
        )
    ] == ["Ankieta ocelot"]
    english = results(client, "ocelot")
    assert {r["title"] for r in english} == {"Ocelot survey", "Ocelot consultation"}
    assert all(r["lang"] is None for r in english)


def test_english_on_an_urdu_page_is_marked_and_set_left_to_right(client, app_ctx):
    new_area("Pangolin support")
    db.session.commit()
    soup = page(client.get("/search?q=pangolin", headers={"Accept-Language": "ur"}))
    link = soup.select_one(".app-search-results__item h3 a")
    assert (link.get("lang"), link.get("dir")) == ("en", "ltr")
    # What was typed keeps its own direction inside the count's sentence.
    assert squash(soup.select_one("#result-count bdi").get_text()) == "pangolin"
    assert soup.find("html")["dir"] == "rtl"


def test_results_are_paged_twenty_at_a_time(client, app_ctx):
    for number in range(25):
        new_area(f"Axolotl area {number:02d}")
    db.session.commit()
    first = client.get("/search", query_string={"q": "axolotl"})
    assert count_line(client, "axolotl") == "25 results for ‘axolotl’"
    assert len(page(first).select(".app-search-results__item")) == 20
    pagination = page(first).select_one(".govuk-pagination")
    assert pagination is not None
    assert "q=axolotl" in pagination.select_one("a[rel=next]")["href"]
    second = page(client.get("/search", query_string={"q": "axolotl", "page": "2"}))
    assert len(second.select(".app-search-results__item")) == 5
    far = page(client.get("/search", query_string={"q": "axolotl", "page": "999999"}))
    assert len(far.select(".app-search-results__item")) == 5  # the last page
    assert "25 results" in squash(far.find(id="result-count").get_text())


def test_the_empty_state_suggests_what_to_try(client):
    text = main_text(client.get("/search?q=xyzzyplughnothing"))
    assert count_line(client, "xyzzyplughnothing") == "0 results for ‘xyzzyplughnothing’"
    assert "using fewer words" in text and "double-checking your spelling" in text
    soup = page(client.get("/search?q=xyzzyplughnothing"))
    links = {a["href"] for a in soup.select("main a")}
    assert {"/areas", "/you-said-we-did"} <= links
    blank = main_text(client.get("/search?q="))
    assert "Enter a word or two" in blank
    assert "result" not in squash(page(client.get("/search")).find("main").get_text()).lower()


HOSTILE = [
    "",
    " ",
    "x" * 2000,
    "ehc " * 600,
    '"',
    "'",
    '"unclosed',
    "it's",
    "%",
    "_",
    "%_%",
    "\\",
    "\\\\'",
    "'; DROP TABLE search_entries; --",
    "1 OR 1=1",
    "AND",
    "OR NOT",
    "NEAR(a b, 2)",
    "ehc*",
    "*",
    "^plan",
    "title:ehc",
    "body : x",
    "-ehc",
    "(ehc",
    ")",
    "a & b | !c <-> d",
    "plan:*",
    "{title body}: x",
    "😀",
    "EHC 🎉 plan",
    "خدمات کی کمی",
    "שלום",
    "\u202ertl override",
    "\x00",
    "a\x00b",
    "\t\n\r",
    "null",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_any_query_gives_a_page(client, typed):
    response = client.get("/search", query_string={"q": typed})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.data


@pytest.mark.parametrize("typed", ["%", "_", "\\", "'", '"', "NOT", "ehc AND NOT plan"])
def test_the_inbox_search_is_safe_too(client, signed_in, typed):
    signed_in("coordinator")
    assert client.get("/manage/inbox", query_string={"q": typed}).status_code == 200


def test_odd_page_numbers_give_a_page(client):
    for value in ("0", "-1", "abc", "1e9", "99999999999999999999"):
        assert client.get("/search", query_string={"q": "ehc", "page": value}).status_code == 200


def test_a_search_runs_a_fixed_number_of_queries(
    client, app_ctx, count_queries, rendered_every_time
):
    for number in range(5):
        new_area(f"Capybara area {number}")
        event(f"Capybara event {number}")
        survey(f"capybara-{number}", f"Capybara survey {number}")
    db.session.commit()
    client.get("/search?q=capybara")  # warm up (session, language)
    with count_queries() as few:
        client.get("/search?q=capybara")
    for number in range(5, 15):
        new_area(f"Capybara area {number}")
        event(f"Capybara event {number}")
    db.session.commit()
    with count_queries() as more:
        client.get("/search?q=capybara")
    # the page (which carries the count), then one query per kind on it (three kinds here)
    assert few.count == 1 + 3
    assert more.count <= few.count


def test_measures_found_by_search_are_read_with_their_actions_in_one_go(
    client, app_ctx, count_queries, rendered_every_time
):
    """A measure's result links to its action's page: the actions load with the measures, so
    more measures on a page of results are not more queries."""
    from datetime import date

    from app.models import Action, Measure

    actions = db.session.scalars(select(Action).order_by(Action.id).limit(4)).all()

    def measures(first: int, last: int) -> None:
        for number in range(first, last):
            db.session.add(
                Measure(
                    action_id=actions[number % len(actions)].id,
                    name=f"Wombat waiting time {number}",
                    unit="days",
                    better="lower",
                    baseline_value=100,
                    baseline_date=date(2026, 1, 1),
                    target_value=50,
                    target_date=date(2027, 1, 1),
                    public=True,
                )
            )
        db.session.commit()

    measures(0, 2)
    client.get("/search?q=wombat")  # warm up (session, language)
    with count_queries() as few:
        response = client.get("/search?q=wombat")
    measures(2, 12)
    with count_queries() as more:
        response = client.get("/search?q=wombat")
    assert "12 results" in main_text(response)
    assert f"/actions/{actions[0].reference}#measure-" in response.get_data(as_text=True)
    assert more.count == few.count


def test_the_header_has_a_search_box_on_public_pages_only(client, signed_in):
    for url in ("/", "/areas", "/you-said-we-did", "/feedback", "/track"):
        soup = page(client.get(url))
        form = soup.select_one("header form[role=search]")
        assert form is not None, url
        assert form["method"] == "get" and form["action"] == "/search"
        field = form.select_one("input[name=q]")
        label = soup.find("label", attrs={"for": field["id"]})
        assert label is not None and squash(label.get_text()) == "Search this site"
        assert form.select_one("button[type=submit]") is not None
    signed_in("coordinator")
    assert page(client.get("/manage")).select_one("header form[role=search]") is None
    assert page(client.get("/manage/inbox")).select_one("header form[role=search]") is None


def test_the_search_page_keeps_what_was_typed(client):
    soup = page(client.get("/search", query_string={"q": 'EHC "plan"'}))
    assert soup.find(id="search-q")["value"] == 'EHC "plan"'
    assert "Search" in squash(soup.find("title").get_text())
