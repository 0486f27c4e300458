"""Staff survey results: the page with its charts and filters, every free-text answer, CSV and
XLSX exports (streamed, filtered, audited, formula-safe), and publishing the results."""

import csv
import io
import random
import re
import zipfile
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.extensions import db
from app.models import AuditEntry, Contribution, Survey, SurveyDraft
from app.models.base import utcnow

from ..helpers import error_summary, field_error, heading, main_text, notification, page
from ..survey_results_data import bulk_responses, loaded, option, question, respond

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def ehc():
    return loaded(create_ehc_survey())


@pytest.fixture
def short_breaks():
    return loaded(create_short_breaks_survey())


def results_url(survey, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/manage/surveys/{survey.id}/results" + (f"?{query}" if query else "")


def audit_entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def section_text(soup, q) -> str:
    return re.sub(
        r"\s+", " ", soup.find(id=f"question-{q.id}").find_parent("section").get_text(" ")
    ).strip()


def some_answers(ehc):
    who, told = question(ehc, "Who asked"), question(ehc, "Were you told")
    contact, change = question(ehc, "How did the SEND team"), question(ehc, "If we could change")
    respond(
        ehc,
        {
            who: option(who, "I did (parent or carer)"),
            told: option(told, "Yes"),
            contact: {
                "options": [option(contact, "Email"), option(contact, "Phone")],
                "other": "Texts",
            },
            change: '=HYPERLINK("http://example.com")',
        },
        about={"district": "Ashford", "relationship_to_child": "parent_carer", "ehc_plan": "yes"},
        submitted_at=datetime(2026, 7, 1, 12, 30),
    )
    respond(
        ehc,
        {
            who: option(who, "The school or college"),
            told: option(told, "No"),
            change: "Answer on time",
        },
        about={"district": "Dover"},
        channel="paper",
        submitted_at=datetime(2026, 1, 15, 9, 0),
    )
    return who, told, contact, change


# --- The results page ---------------------------------------------------------------------------


def test_coordinators_see_counts_charts_and_tables(client, signed_in, ehc):
    who, told, contact, change = some_answers(ehc)
    signed_in("coordinator")
    response = client.get(results_url(ehc))
    assert response.status_code == 200
    soup = page(response)
    assert heading(soup) == "Results"
    text = main_text(soup)
    assert "Responses 2" in text
    assert "Online 1 50%" in text and "Paper 1 50%" in text
    assert "9am on 15 January 2026" in text  # first response, UK time (winter)
    assert "1:30pm on 1 July 2026" in text  # latest response, UK time (summer)

    told_section = section_text(soup, told)
    assert "2 people answered this question." in told_section
    assert "Yes 1 50%" in told_section and "No 1 50%" in told_section
    svg = soup.find(id=f"question-{told.id}").find_parent("section").find("svg")
    assert svg["role"] == "img"
    assert svg.find("title").get_text().startswith("Question 3:")
    assert "Yes: 1 (50%)" in svg.find("desc").get_text()

    contact_section = section_text(soup, contact)
    assert "can add up to more than 100%" in contact_section
    assert "Other 1 100%" in contact_section
    assert "Texts" in contact_section  # the "Other" text, listed for coding

    change_section = section_text(soup, change)
    assert "Answer on time" in change_section
    contribution = db.session.scalar(
        db.select(Contribution).where(Contribution.text == "Answer on time")
    )
    link = soup.find("a", href=f"/manage/inbox/{contribution.id}")
    assert link is not None and contribution.reference in link.get_text()


def test_other_staff_cannot_see_results_or_export(client, signed_in, ehc):
    signed_in("officer")
    for path in (
        results_url(ehc),
        f"/manage/surveys/{ehc.id}/responses.csv",
        f"/manage/surveys/{ehc.id}/exports",
        f"/manage/surveys/{ehc.id}/results/publish",
    ):
        assert client.get(path).status_code == 403
    assert audit_entries("survey.exported") == []


def test_unknown_survey_is_not_found(client, signed_in):
    signed_in("admin")
    assert client.get("/manage/surveys/999999/results").status_code == 404
    assert client.get("/manage/surveys/999999/responses.csv").status_code == 404


def test_filters_narrow_every_count(client, signed_in, ehc):
    _who, told, _contact, _change = some_answers(ehc)
    signed_in("coordinator")
    soup = page(client.get(results_url(ehc, district="Ashford")))
    assert "Showing responses where: District : Ashford" in main_text(soup)
    assert "Responses 1" in main_text(soup)
    assert "Yes 1 100%" in section_text(soup, told)
    assert soup.find("select", id="district").find("option", selected=True)["value"] == "Ashford"
    csv_link = soup.find("a", string=re.compile("Download responses \\(CSV\\)"))
    assert csv_link["href"].endswith("responses.csv?district=Ashford")

    soup = page(client.get(results_url(ehc, channel="paper", relationship_to_child="parent_carer")))
    assert "No responses match these filters." in main_text(soup)


def test_a_filter_value_not_in_the_list_is_refused_clearly(client, signed_in, ehc):
    signed_in("coordinator")
    response = client.get(results_url(ehc, district="Atlantis"))
    assert response.status_code == 200
    assert error_summary(response) == ["Select a district from the list"]
    assert field_error(response, "district") == "Select a district from the list"
    # Exports with a bad filter go back to the page that says what is wrong, and export nothing.
    export = client.get(f"/manage/surveys/{ehc.id}/responses.csv?district=Atlantis")
    assert export.status_code == 302 and "district=Atlantis" in export.headers["Location"]
    assert audit_entries("survey.exported") == []


def test_all_answers_to_a_question_are_paged_newest_first(client, signed_in, ehc):
    change = question(ehc, "If we could change")
    start = utcnow() - timedelta(days=100)
    for n in range(60):
        respond(
            ehc,
            {change: f"Answer number {n}"},
            submitted_at=start + timedelta(hours=n),
            about={"district": "Ashford" if n % 2 else "Dover"},
        )
    flagged = db.session.scalar(
        db.select(Contribution).where(Contribution.text == "Answer number 59")
    )
    flagged.safeguarding = True
    db.session.commit()
    signed_in("coordinator")

    soup = page(client.get(results_url(ehc)))
    more = soup.find("a", string=re.compile("See all 60 answers to question 12"))
    response = client.get(more["href"])
    assert response.status_code == 200
    soup = page(response)
    rows = soup.select("tbody tr")
    assert len(rows) == 50
    assert "Answer number 59" in rows[0].get_text() and "Urgent: safeguarding" in rows[0].get_text()
    assert soup.find("a", href=f"/manage/inbox/{flagged.id}") is not None
    older = soup.find("a", rel="next")
    soup = page(client.get(older["href"]))
    assert [
        re.sub(r"\s+", " ", row.find("td").get_text()).strip() for row in soup.select("tbody tr")
    ] == [f"Answer number {n}" for n in range(9, -1, -1)]
    assert soup.find("a", rel="prev") is not None

    filtered = page(
        client.get(f"/manage/surveys/{ehc.id}/results/questions/{change.id}?district=Ashford")
    )
    assert "30 answers, newest first." in main_text(filtered)

    assert (
        client.get(
            f"/manage/surveys/{ehc.id}/results/questions/{question(ehc, 'Who asked').id}"
        ).status_code
        == 404
    )


def test_the_results_page_runs_the_same_queries_whatever_the_number_of_responses(
    client, signed_in, count_queries, ehc
):
    signed_in("coordinator")
    url = results_url(ehc, ehc_plan="yes")
    bulk_responses(ehc, 40, random.Random(1))
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    bulk_responses(ehc, 600, random.Random(2))
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count
    assert small.count <= 20


# --- Exports --------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_has_one_row_per_response_and_one_column_per_question(client, signed_in, ehc):
    who, told, contact, change = some_answers(ehc)
    signed_in("coordinator")
    response = client.get(f"/manage/surveys/{ehc.id}/responses.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert (
        'filename="survey-ehc-plan-experience-responses.csv"'
        in response.headers["Content-Disposition"]
    )
    rows = read_csv(response)
    header = rows[0]
    assert header[:5] == [
        "Reference",
        "Submitted at (UK time)",
        "Channel",
        "Language",
        "Young person version",
    ]
    assert header[5] == "1. Who asked for the EHC needs assessment?"
    assert header[-7:] == [
        "Relationship",
        "District",
        "Age group",
        "Area of need",
        "Setting",
        "EHC plan",
        "Agreed to be quoted",
    ]
    assert len(header) == 5 + 12 + 7
    assert len(rows) == 3
    paper, online = rows[1], rows[2]  # oldest first
    record = dict(zip(header, online, strict=True))
    assert record["Submitted at (UK time)"] == "2026-07-01 13:30"
    assert record["Channel"] == "Online" and record["Language"] == "English"
    assert record["1. Who asked for the EHC needs assessment?"] == "I did (parent or carer)"
    assert record["5. How did the SEND team contact you?"] == "Email; Phone; Other: Texts"
    assert (
        record["12. If we could change one thing first, what should it be?"]
        == '\'=HYPERLINK("http://example.com")'
    )
    assert (
        record["District"] == "Ashford"
        and record["Relationship"] == "Parent or carer"
        and record["EHC plan"] == "Yes"
    )
    assert record["Age group"] == ""
    assert dict(zip(header, paper, strict=True))["Channel"] == "Paper"

    entry = audit_entries("survey.exported")[-1]
    assert entry.detail == {"format": "csv", "count": 2, "filters": {}}
    assert entry.record_id == str(ehc.id)


def test_exports_use_the_current_filters(client, signed_in, ehc):
    some_answers(ehc)
    signed_in("admin")
    rows = read_csv(
        client.get(f"/manage/surveys/{ehc.id}/responses.csv?district=Dover&channel=paper")
    )
    assert len(rows) == 2 and dict(zip(rows[0], rows[1], strict=True))["District"] == "Dover"
    assert audit_entries("survey.exported")[-1].detail == {
        "format": "csv",
        "count": 1,
        "filters": {"district": "Dover", "channel": "paper"},
    }


def xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's rows, read from the workbook's XML (cells placed by their column
    letters)."""
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
        shared = []
        if "xl/sharedStrings.xml" in workbook.namelist():
            strings = ElementTree.fromstring(workbook.read("xl/sharedStrings.xml"))
            shared = [
                "".join(t.text or "" for t in si.iter(f"{{{ns['s']}}}t"))
                for si in strings.findall("s:si", ns)
            ]
    found = []
    for row in sheet.find("s:sheetData", ns).findall("s:row", ns):
        values: dict[int, object] = {}
        for cell in row.findall("s:c", ns):
            letters = re.match(r"[A-Z]+", cell.get("r")).group(0)
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            kind = cell.get("t")
            if kind == "inlineStr":
                values[column - 1] = "".join(t.text or "" for t in cell.iter(f"{{{ns['s']}}}t"))
            elif kind == "s":
                values[column - 1] = shared[int(cell.find("s:v", ns).text)]
            else:
                values[column - 1] = float(cell.find("s:v", ns).text)
        found.append([values.get(i) for i in range(max(values) + 1)] if values else [])
    return found


def test_exports_stream_thousands_of_responses(client, signed_in, ehc):
    bulk_responses(ehc, 2000, random.Random(3))
    signed_in("coordinator")
    response = client.get(f"/manage/surveys/{ehc.id}/responses.csv")
    assert response.is_streamed
    assert "Content-Length" not in response.headers
    rows = read_csv(response)
    assert len(rows) == 2001
    assert len({row[0] for row in rows[1:]}) == 2000
    assert [e.detail["count"] for e in audit_entries("survey.exported")] == [2000]


def test_the_export_reads_every_answer_in_one_pass(app, ehc, count_queries):
    """The responses and their answers, each read through one cursor: two queries, never one
    per response or per batch; a response without answers still has its row."""
    from app.domain.surveys import export as survey_export

    bulk_responses(ehc, 25, random.Random(4))
    respond(ehc, {}, submitted_at=datetime(2100, 1, 1))
    plan = survey_export.ExportPlan.of(loaded(ehc))
    with app.test_request_context(), count_queries() as counter:
        found = list(survey_export._responses(plan, batch_size=7))
    assert counter.count == 2
    assert len(found) == 26 and len({response.id for response, _answers in found}) == 26
    assert found[-1][1] == {} and all(answers for _response, answers in found[:-1])
    with app.test_request_context():
        assert len(list(survey_export.rows(plan, batch_size=7))) == 26


def test_answers_are_merged_with_their_responses_in_order():
    """A response with no answers has none; answers of a response added between the two
    queries (so not among the responses) are passed over, not given to the next one."""
    from app.domain.surveys.export import _merge

    responses = [("2026-01-01", 1), ("2026-01-03", 3), ("2026-01-03", 4), ("2026-01-05", 5)]
    answers = [
        ("2026-01-01", 1, 10, "a"),
        ("2026-01-02", 2, 10, "added meanwhile"),
        ("2026-01-03", 3, 10, "c"),
        ("2026-01-03", 3, 11, "d"),
        ("2026-01-03", 3, 11, "e"),
        ("2026-01-05", 5, 10, "f"),
    ]
    merged = [
        (response[1], {question: [a[3] for a in found] for question, found in by_question.items()})
        for response, by_question in _merge(iter(responses), iter(answers))
    ]
    assert merged == [(1, {10: ["a"]}), (3, {10: ["c"], 11: ["d", "e"]}), (4, {}), (5, {10: ["f"]})]


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_the_results_after_a_confirmation(client, signed_in, short_breaks):
    short_breaks.results_published_at = None
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(results_url(short_breaks)))
    link = soup.find("a", string="Publish the results")
    confirm = client.get(link["href"])
    assert heading(confirm) == "Are you sure you want to publish the results?"

    # A POST without the confirmation (a button elsewhere) is asked first.
    unconfirmed = client.post(f"/manage/surveys/{short_breaks.id}/results/publish", data={})
    assert unconfirmed.status_code == 303
    assert db.session.get(Survey, short_breaks.id).results_published_at is None

    done = client.post(
        f"/manage/surveys/{short_breaks.id}/results/publish",
        data={"confirm": "yes"},
        follow_redirects=True,
    )
    assert "The results are published" in notification(done)
    assert db.session.get(Survey, short_breaks.id).results_published_at is not None
    assert "See the public results page" in main_text(done)
    assert [e.action for e in audit_entries("survey.results_published")] == [
        "survey.results_published"
    ]
    assert client.get("/surveys/short-breaks-2026/results").status_code == 200

    soup = page(done)
    take_down = client.get(soup.find("a", string="Take the published results down")["href"])
    assert heading(take_down) == "Are you sure you want to take the results down?"
    gone = client.post(
        f"/manage/surveys/{short_breaks.id}/results/unpublish",
        data={"confirm": "yes"},
        follow_redirects=True,
    )
    assert "taken down" in notification(gone)
    assert db.session.get(Survey, short_breaks.id).results_published_at is None
    assert client.get("/surveys/short-breaks-2026/results").status_code == 404
    assert len(audit_entries("survey.results_unpublished")) == 1


def test_results_of_an_open_survey_cannot_be_published(client, signed_in, ehc):
    signed_in("coordinator")
    assert "You can publish the results once the survey has closed." in main_text(
        client.get(results_url(ehc))
    )
    confirm = client.get(f"/manage/surveys/{ehc.id}/results/publish")
    assert heading(confirm) == "You cannot publish the results yet"
    refused = client.post(
        f"/manage/surveys/{ehc.id}/results/publish", data={"confirm": "yes"}, follow_redirects=True
    )
    assert "once the survey has closed" in notification(refused)
    assert db.session.get(Survey, ehc.id).results_published_at is None
    assert audit_entries("survey.results_published") == []


def test_publishing_needs_the_csrf_token(app, client, signed_in, short_breaks):
    short_breaks.results_published_at = None
    db.session.commit()
    signed_in("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            f"/manage/surveys/{short_breaks.id}/results/publish", data={"confirm": "yes"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (303, 400)
    assert db.session.get(Survey, short_breaks.id).results_published_at is None


# --- The summary the page opens with -------------------------------------------------------------


def test_the_page_opens_with_a_summary_before_the_detail(client, signed_in, ehc):
    who, told, contact, change = some_answers(ehc)
    for _n in range(2):
        respond(ehc, {who: option(who, "The school or college"), told: option(told, "No")})
    # Someone who started online and has not sent their answers yet.
    db.session.add(SurveyDraft(token="unsent-draft-token", survey_id=ehc.id, answers={}))
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get(results_url(ehc)))
    text = main_text(soup)
    headings = [h.get_text(" ", strip=True) for h in soup.select("main h2")]
    assert headings[0] == "Summary"
    assert headings.index("Summary") < headings.index("Filter the responses")
    assert "Responses 4" in text
    # 3 sent online (1 paper response is not "started online"), 1 started and not sent.
    assert "75% of the people who started online sent their answers (3 of 4)" in text
    table = soup.find("caption", string="The most chosen answer to each question").parent
    rows = {
        tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    }
    assert rows[f"1. {who.text}"] == ["The school or college", "3 (75%)"]
    assert rows[f"3. {told.text}"] == ["No", "3 (75%)"]
    # Headings of number columns never break inside a word (the CSS keeps them whole).
    assert all("govuk-table__header--numeric" in th["class"] for th in table.select("thead th")[2:])


def test_a_tie_names_every_most_chosen_answer(client, signed_in, ehc):
    told = question(ehc, "Were you told")
    respond(ehc, {told: option(told, "Yes")})
    respond(ehc, {told: option(told, "No")})
    signed_in("coordinator")
    soup = page(client.get(results_url(ehc)))
    table = soup.find("caption", string="The most chosen answer to each question").parent
    cells = [td.get_text(" ", strip=True) for td in table.select("tbody tr td")]
    assert cells[:2] == ["Yes and No (equal)", "1 (50%)"]


def test_the_summary_never_names_a_hidden_count_as_the_top(app_ctx, ehc):
    from app.domain.surveys import results

    told = question(ehc, "Were you told")
    for _n in range(3):
        respond(ehc, {told: option(told, "Yes")})
    found = results.published_results(ehc)
    # Three people answered: fewer than 5, so the question is hidden on the public page.
    assert results.top_answers(found.questions) == []
