"""/open-data: what the files contain, suppression, spreadsheet safety, headers and 404s."""

import csv
import io

import pytest

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Action, ActionStatus, Area, Organisation, YouSaidWeDid, action_areas
from app.models.base import utcnow

from ..conftest import user_for
from ..helpers import heading, main_text, page

RESPONSE_COLUMNS = [
    "id",
    "title",
    "you_said",
    "we_did",
    "status",
    "status_reason",
    "organisation",
    "published_at",
    "updated_at",
    "areas",
    "actions",
    "contributions",
]
ACTION_COLUMNS = [
    "reference",
    "title",
    "owner",
    "lead",
    "due_date",
    "status",
    "progress_percent",
    "areas",
]
AREA_COLUMNS = (
    ["number", "title"]
    + [f"actions_{s.value}" for s in ActionStatus]
    + [
        "contributions",
        "share_coded_percent",
        "share_used_percent",
        "median_days_to_response",
        "responses_published",
    ]
)


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def contributions(
    count: int, *, areas=(), coded: int = 0, text="Something private", email=None, state=None
):
    made = []
    for n in range(count):
        contribution = record_contribution(
            "feedback",
            f"{text} {n}",
            area_ids=[a.id for a in areas],
            contact_email=email,
            wants_updates=bool(email),
        )
        if n < coded:
            contribution.coded_at = utcnow()
            contribution.state = "coded"
        if state:
            contribution.state = state
        made.append(contribution)
    db.session.flush()
    return made


def response(
    title: str, *, state="published", evidence=(), areas=(), actions=(), **values
) -> YouSaidWeDid:
    made = YouSaidWeDid(
        title=title,
        you_said=values.pop("you_said", "Parents said the wait was too long."),
        we_did=values.pop("we_did", "We added two clinics."),
        status=values.pop("status", "in_progress"),
        state=state,
        published_at=utcnow() if state in ("published", "withdrawn") else None,
        author=user_for("officer"),
        organisation=db.session.scalar(
            db.select(Organisation).where(Organisation.short_name == "KCC")
        )
        or db.session.scalar(db.select(Organisation).order_by(Organisation.id)),
        areas=list(areas),
        actions=list(actions),
        contributions=list(evidence),
        **values,
    )
    db.session.add(made)
    db.session.commit()
    return made


def read_csv(client, url: str) -> list[dict]:
    got = client.get(url)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = got.get_data().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def header_row(client, url: str) -> list[str]:
    return next(csv.reader(io.StringIO(client.get(url).get_data().decode("utf-8"))))


def read_json(client, url: str) -> dict:
    got = client.get(url)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == "application/json"
    return got.get_json()


# --- The page --------------------------------------------------------------------------------


def test_the_page_explains_the_data_and_links_to_every_file(client):
    got = client.get("/open-data")
    assert got.status_code == 200
    assert heading(got) == "Open data"
    text = main_text(got)
    assert "Open Government Licence v3.0" in text
    assert "Nothing personal is included" in text
    assert "fewer than 5" in text
    for what in ('"You said, we did" responses', "Plan actions", "Areas of weakness"):
        assert what in text
    links = {a["href"] for a in page(got).select("main a")}
    for name in ("responses", "actions", "areas"):
        for fmt in ("csv", "json"):
            assert f"/open-data/{name}.{fmt}" in links


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/users.csv",
        "/open-data/audit_entries.json",
        "/open-data/areas.xml",
        "/open-data/areas",
        "/open-data/responses.csv.bak",
        "/open-data/contributions.csv",
        "/open-data/.csv",
        "/open-data/areas.CSV",
    ],
)
def test_anything_else_is_a_404(client, url):
    got = client.get(url)
    assert got.status_code == 404
    assert heading(got) == "Page not found"


# --- Responses -------------------------------------------------------------------------------


def test_responses_are_published_ones_only_with_suppressed_small_counts(client, app_ctx):
    many = response(
        "Six parents asked for shorter waits",
        areas=[area(8), area(3)],
        actions=[action("APP-8.1")],
        evidence=contributions(6),
        status="done",
    )
    few = response("Two parents asked about transport", areas=[area(2)], evidence=contributions(2))
    response("A draft nobody may see yet", state="draft", evidence=contributions(7))
    response("Withdrawn and hidden", state="withdrawn", withdrawn_reason="Duplicate")

    assert header_row(client, "/open-data/responses.csv") == RESPONSE_COLUMNS
    rows = {row["title"]: row for row in read_csv(client, "/open-data/responses.csv")}
    assert set(rows) == {many.title, few.title}
    row = rows[many.title]
    assert row["id"] == str(many.id)
    assert row["status"] == "done"
    assert row["organisation"] == many.organisation.name
    assert row["areas"] == "3; 8"
    assert row["actions"] == "APP-8.1"
    assert row["contributions"] == "6"
    assert row["published_at"] == many.published_at.replace(microsecond=0).isoformat() + "Z"
    assert row["you_said"] == many.you_said and row["we_did"] == many.we_did
    assert rows[few.title]["contributions"] == "fewer than 5"

    document = read_json(client, "/open-data/responses.json")
    assert set(document) >= {"generated_at", "licence", "data"}
    assert "Open Government Licence" in document["licence"]
    assert document["generated_at"].endswith("Z")
    records = {record["title"]: record for record in document["data"]}
    assert set(records) == {many.title, few.title}
    assert records[many.title]["contributions"] == 6
    assert records[many.title]["contributions_suppressed"] is False
    assert records[many.title]["areas"] == [3, 8]
    assert records[many.title]["actions"] == ["APP-8.1"]
    assert records[few.title]["contributions"] is None
    assert records[few.title]["contributions_suppressed"] is True


def test_the_files_are_attachments_with_a_filename_and_utf8(client, app_ctx):
    response("Wózki inwalidzkie — naprawy szybciej", evidence=contributions(5))
    for name in ("responses", "actions", "areas"):
        got = client.get(f"/open-data/{name}.csv")
        assert got.headers["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    text = client.get("/open-data/responses.csv").get_data().decode("utf-8")
    assert "Wózki inwalidzkie — naprawy szybciej" in text
    assert text.startswith("id,title,")  # a header row, no byte-order mark
    assert (
        read_json(client, "/open-data/responses.json")["data"][0]["title"]
        == "Wózki inwalidzkie — naprawy szybciej"
    )


def test_nothing_personal_is_in_any_file(client, app_ctx):
    evidence = contributions(
        6, areas=[area(1)], text="My son Jack at Oak School", email="mum@example.org"
    )
    response("Published with evidence", areas=[area(1)], evidence=evidence)
    officer = user_for("officer")
    everything = "".join(
        client.get(f"/open-data/{name}.{fmt}").get_data(as_text=True)
        for name in ("responses", "actions", "areas")
        for fmt in ("csv", "json")
    )
    for private in (
        "Jack",
        "Oak School",
        "mum@example.org",
        officer.email,
        officer.name,
        evidence[0].reference,
    ):
        assert private not in everything


def test_cells_a_spreadsheet_would_run_as_formulas_are_made_safe(client, app_ctx):
    response(
        '=HYPERLINK("http://evil.example","Click")',
        you_said="+1 more",
        we_did="-2 fewer",
        status_reason="@SUM(A1)",
        evidence=contributions(5),
    )
    [row] = read_csv(client, "/open-data/responses.csv")
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["you_said"] == "'+1 more"
    assert row["we_did"] == "'-2 fewer"
    assert row["status_reason"] == "'@SUM(A1)"
    # JSON is data, not a spreadsheet: it keeps the text as written.
    [record] = read_json(client, "/open-data/responses.json")["data"]
    assert record["title"].startswith("=HYPERLINK")


# --- Actions ---------------------------------------------------------------------------------


def test_actions_have_owner_lead_due_status_progress_and_areas(client, app_ctx):
    assert header_row(client, "/open-data/actions.csv") == ACTION_COLUMNS
    rows = {row["reference"]: row for row in read_csv(client, "/open-data/actions.csv")}
    assert len(rows) == db.session.scalar(db.select(db.func.count()).select_from(Action))
    hub = rows["APP-1.1"]
    assert hub == {
        "reference": "APP-1.1",
        "title": "Open a single SEND enquiries hub",
        "owner": "Kent County Council",
        "lead": "Head of SEND Operations",
        "due_date": "2026-03-31",
        "status": "complete",
        "progress_percent": "100",
        "areas": "1; 3",
    }
    records = {r["reference"]: r for r in read_json(client, "/open-data/actions.json")["data"]}
    assert records["APP-1.1"]["areas"] == [1, 3]
    assert records["APP-1.1"]["progress_percent"] == 100
    assert records["APP-1.1"]["due_date"] == "2026-03-31"


# --- Areas -----------------------------------------------------------------------------------


def test_areas_count_actions_contributions_share_coded_and_responses(client, app_ctx):
    contributions(6, areas=[area(2)], coded=5)
    contributions(3, areas=[area(2)], state="hidden")  # removed by moderators: not counted
    contributions(3, areas=[area(4)], coded=3)
    response("About area 2", areas=[area(2)], evidence=contributions(1))
    response("Also about area 2", areas=[area(2), area(4)])
    response("Draft about area 2", areas=[area(2)], state="draft")

    assert header_row(client, "/open-data/areas.csv") == AREA_COLUMNS
    rows = {row["number"]: row for row in read_csv(client, "/open-data/areas.csv")}
    assert len(rows) == 9
    assert rows["2"]["title"] == "Inclusion in schools"
    assert rows["2"]["contributions"] == "6"
    assert rows["2"]["share_coded_percent"] == "83"
    assert rows["2"]["responses_published"] == "2"
    assert rows["4"]["contributions"] == "fewer than 5"
    assert rows["4"]["share_coded_percent"] == "suppressed"
    assert rows["4"]["responses_published"] == "1"
    assert rows["9"]["contributions"] == "fewer than 5"

    expected = {status.value: 0 for status in ActionStatus}
    for (status,) in db.session.execute(
        db.select(Action.status)
        .join(action_areas, action_areas.c.action_id == Action.id)
        .where(action_areas.c.area_id == area(2).id)
    ):
        expected[status] += 1
    assert {s: int(rows["2"][f"actions_{s}"]) for s in expected} == expected

    records = {r["number"]: r for r in read_json(client, "/open-data/areas.json")["data"]}
    assert records[2]["contributions"] == 6 and records[2]["contributions_suppressed"] is False
    assert records[2]["share_coded_percent"] == 83
    assert records[4]["contributions"] is None and records[4]["contributions_suppressed"] is True
    assert records[4]["share_coded_percent"] is None
    assert (
        records[2]["actions_" + ActionStatus.ON_TRACK.value]
        == expected[ActionStatus.ON_TRACK.value]
    )


def test_the_files_take_the_same_number_of_queries_however_much_is_published(
    client, app_ctx, count_queries
):
    urls = [
        f"/open-data/{name}.{fmt}"
        for name in ("responses", "actions", "areas")
        for fmt in ("csv", "json")
    ]

    def measure():
        counts = {}
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts[url] = counter.count
        return counts

    response(
        "One",
        areas=[area(1)],
        actions=[action("APP-1.1")],
        evidence=contributions(2, areas=[area(1)]),
    )
    measure()  # warm up
    before = measure()
    for n in range(12):
        response(
            f"More {n}",
            areas=[area(n % 9 + 1), area((n + 3) % 9 + 1)],
            actions=[action("APP-2.1"), action("APP-6.2")],
            evidence=contributions(6, areas=[area(5)]),
        )
    after = measure()
    assert len(read_json(client, "/open-data/responses.json")["data"]) == 13
    assert after == before
