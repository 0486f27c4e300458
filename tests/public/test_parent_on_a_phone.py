"""What a parent on a phone meets first: the home page's main action, the navigation in plain
words with "Tell us" first, acronyms spelled out, and numbers people can read."""

import re

from app.domain.shared.acronyms import spell_out_html
from tests.helpers import main_text, page

ACRONYMS = {"KCC": "Kent County Council", "EHC": "education, health and care"}


def test_home_page_starts_with_the_main_action(client, app_ctx):
    soup = page(client.get("/"))
    main = soup.find("main")
    start = main.select_one("a.govuk-button--start")
    assert start.get_text(strip=True) == "Tell us about your experience"
    assert start["href"] == "/feedback"
    # "Track your feedback" is beside it, in the same group, straight under the heading's intro.
    group = start.find_parent(class_="govuk-button-group")
    assert group.find("a", string="Track your feedback")["href"] == "/track"
    paragraphs_before = [p for p in start.find_all_previous("p") if main in p.parents]
    assert len(paragraphs_before) == 1
    # The inspection history comes after what people can do.
    text = main_text(soup)
    assert text.index("Tell us about your experience") < text.index("In 2022 inspectors")
    assert text.index("Latest responses") < text.index("In 2022 inspectors")


def test_navigation_puts_tell_us_first_in_plain_words(client, app_ctx):
    soup = page(client.get("/areas"))
    items = [
        (link.get_text(strip=True), link["href"])
        for link in soup.select(".govuk-service-navigation__list a")
    ]
    assert items[0] == ("Tell us", "/feedback")
    assert ("The improvement plan", "/areas") in items
    assert "Areas of weakness" not in [text for text, _href in items]
    active = soup.select_one(".govuk-service-navigation__item--active a")
    assert active.get_text(strip=True) == "The improvement plan"


def test_acronyms_are_spelled_out_the_first_time_on_an_area_page(client, app_ctx):
    text = main_text(client.get("/areas/6"))
    first = text.index("KCC")
    assert text[first - len("Kent County Council (") : first] == "Kent County Council ("
    assert text.count("Kent County Council (KCC)") == 1
    # The title already says "Education, health and care (EHC) plans": not spelled out again.
    assert "education, health and care (EHC)" not in text
    # The plan is named once; its references are left as they are.
    assert "actions in the Accelerated Progress Plan (APP)" in text
    assert re.search(r"(?<!\()APP-\d\.\d", text)


def test_an_acronym_is_spelled_out_after_a_heading_that_uses_it(client, app_ctx):
    soup = page(client.get("/actions/APP-3.3"))
    # The heading stays short; the first use in the text under it is spelled out.
    assert soup.find("h1").get_text(strip=True) == "IASK workshops for parents and practitioners"
    text = main_text(soup)
    assert "Information, Advice and Support Kent (IASK) Manager" in text
    assert text.count("(IASK)") == 1


def test_staff_pages_are_left_as_they_are(client, app_ctx):
    from tests.conftest import sign_in_as

    sign_in_as(client, "officer")
    assert "Kent County Council (KCC)" not in main_text(client.get("/manage/plan"))


def test_spell_out_leaves_markup_and_typed_text_alone():
    html = (
        '<header>KCC</header><main><h1 title="KCC">Plans</h1>'
        '<textarea name="text">KCC said no</textarea>'
        "<p>KCC and KCC's team. An EHC plan.</p><p>KCC again</p></main>"
    )
    assert spell_out_html(html, ACRONYMS) == (
        '<header>KCC</header><main><h1 title="KCC">Plans</h1>'
        '<textarea name="text">KCC said no</textarea>'
        "<p>Kent County Council (KCC) and KCC's team. "
        "An education, health and care (EHC) plan.</p><p>KCC again</p></main>"
    )


def test_spell_out_leaves_the_service_name_alone():
    acronyms = {"SEND": "special educational needs and disabilities"}
    html = "<main><p>SEND Voice is for SEND services.</p></main>"
    assert spell_out_html(html, acronyms, names=("SEND Voice",)) == (
        "<main><p>SEND Voice is for special educational needs and disabilities (SEND) "
        "services.</p></main>"
    )


def test_headings_and_the_error_summary_stay_short():
    html = (
        '<main><div class="govuk-error-summary"><div><ul><li>Enter the KCC team</li></ul></div>'
        "</div><h1>The KCC plan</h1><p>KCC wrote it.</p></main>"
    )
    assert spell_out_html(html, ACRONYMS) == (
        '<main><div class="govuk-error-summary"><div><ul><li>Enter the KCC team</li></ul></div>'
        "</div><h1>The KCC plan</h1><p>Kent County Council (KCC) wrote it.</p></main>"
    )


def test_spell_out_counts_an_existing_spelling_out():
    html = "<main><p>Kent County Council (KCC) runs it.</p><p>KCC.</p></main>"
    assert spell_out_html(html, ACRONYMS) == html
    assert spell_out_html("<p>KCC</p>", ACRONYMS) == "<p>KCC</p>"  # no <main>: not a page


def test_numbers_have_thousands_separators(app, app_ctx):
    from app.domain.shared.suppression import published_count

    with app.test_request_context():
        assert published_count(2022) == "2,022"
        assert published_count(3) == "fewer than 5"


def test_staff_read_the_topic_in_words(client, app_ctx):
    from app.domain.thread.contributions import record_contribution
    from app.extensions import db
    from tests.conftest import sign_in_as

    contribution = record_contribution("feedback", "Still waiting for a plan.", topic="ehc_plan")
    db.session.commit()
    sign_in_as(client, "coordinator")
    text = main_text(client.get(f"/manage/inbox/{contribution.id}"))
    assert "Getting an EHC plan" in text and "ehc_plan" not in text
