"""The staff home page says what is waiting, for the roles that can act on it."""

from datetime import date, timedelta

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Action, ActionStatus

from ..conftest import sign_in_as
from ..helpers import main_text, page


def _links(response) -> dict[str, str]:
    document = page(response)
    return {a.get_text(" ", strip=True): a["href"] for a in document.select("main li a")}


def test_new_and_urgent_contributions_are_counted_with_links_to_the_inbox(client, app_ctx):
    record_contribution("feedback", "The school was helpful.")
    record_contribution("feedback", "Something worrying.").safeguarding = True
    db.session.commit()
    sign_in_as(client, "officer")
    links = _links(client.get("/manage/"))
    urgent = [text for text in links if "urgent safeguarding" in text]
    assert urgent and urgent[0].startswith("1 urgent")
    new = next(text for text in links if "new contribution" in text)
    assert links[new] == "/manage/inbox?state=new"


def test_overdue_actions_shown_to_officers_but_not_coordinators(client, app_ctx):
    action = db.session.scalar(db.select(Action).where(Action.reference == "APP-1.3"))
    action.due_date = date.today() - timedelta(days=1)
    action.status = ActionStatus.ON_TRACK.value
    db.session.commit()
    sign_in_as(client, "officer")
    assert any("past" in text and "due date" in text for text in _links(client.get("/manage/")))
    client.post("/auth/sign-out")
    sign_in_as(client, "coordinator")
    assert not any("due date" in text for text in _links(client.get("/manage/")))


def test_the_home_page_query_count_does_not_grow_with_data(client, app_ctx, count_queries):
    sign_in_as(client, "admin")
    with count_queries() as before:
        assert client.get("/manage/").status_code == 200
    for number in range(20):
        record_contribution("feedback", f"Feedback number {number}")
    db.session.commit()
    with count_queries() as after:
        text = main_text(page(client.get("/manage/")))
    assert "Needs attention" in text
    assert after.count == before.count
