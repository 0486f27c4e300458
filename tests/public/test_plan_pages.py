from app.extensions import db
from app.models import Action, ActionStatus, Area, Organisation

from ..helpers import heading, main_text, page


def test_home_shows_the_nine_areas_at_a_glance(client):
    response = client.get("/")
    assert response.status_code == 200
    soup = page(response)
    cards = soup.select(".app-card")
    assert len(cards) == 9
    first = cards[0].get_text(" ")
    assert "Area 1" in first
    # Each card counts its actions by status, e.g. "Complete 2".
    assert "Complete" in first


def test_area_page_shows_finding_summary_and_actions(client):
    response = client.get("/areas/6")
    assert response.status_code == 200
    text = main_text(response)
    assert heading(response) == "Education, health and care (EHC) plans"
    assert "inconsistent quality of the EHC process" in text
    assert "In plain English" in text
    assert "APP-6.1" in text and "APP-6.2" in text


def test_unknown_area_is_a_clear_404(client):
    for url in ("/areas/99", "/areas/0", "/areas/nine", "/areas/-1"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert heading(response) == "Page not found"


def test_action_page_shows_owner_lead_due_history_and_areas(client):
    response = client.get("/actions/APP-1.1")
    assert response.status_code == 200
    text = main_text(response)
    assert "Kent County Council" in text
    assert "Head of SEND Operations" in text
    assert "31 March 2026" in text
    assert "Status changed from At risk to Complete" in text
    assert "Area 1:" in text and "Area 3:" in text


def test_area_and_home_query_counts_do_not_grow_with_actions(
    client, app_ctx, count_queries, rendered_every_time
):
    def measure(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    for url in ("/", "/areas/2"):
        measure(url)  # warm up: first requests load translations and other one-off things
    before = {url: measure(url) for url in ("/", "/areas/2")}
    area = db.session.scalar(db.select(Area).where(Area.number == 2))
    owner = db.session.scalar(db.select(Organisation))
    for n in range(200):
        db.session.add(
            Action(
                reference=f"BULK-{n}",
                title=f"Bulk action {n}",
                owner=owner,
                status=ActionStatus.ON_TRACK.value,
                areas=[area],
            )
        )
    db.session.commit()
    assert client.get("/areas/2").get_data(as_text=True).count("BULK-") >= 200
    after = {url: measure(url) for url in ("/", "/areas/2")}
    assert after == before
