"""The inbox finds the same contributions, in the same order, however it chooses to fetch them:
by listing the few that match a search or a link first, or by walking its own order and checking
each row when many do."""

from datetime import timedelta

import pytest

from app.domain.shared import full_text
from app.domain.shared.records import by_ids
from app.domain.thread import inbox
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Area, Contribution, SafeguardingPhrase, Theme
from app.models.base import utcnow


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


@pytest.fixture
def inbox_of_forty(app_ctx):
    """Forty contributions an hour apart: every third about transport, every fourth linked to
    area 6, every fifth to a theme, every sixth coded, every seventh urgent."""
    db.session.add(SafeguardingPhrase(phrase="frightened"))
    waiting = Theme(name="Waiting for transport")
    db.session.add(waiting)
    db.session.flush()
    start = utcnow() - timedelta(days=3)
    made = []
    for n in range(40):
        text = "The school transport" if n % 3 == 0 else "A long wait for an assessment"
        contribution = record_contribution(
            "feedback",
            f"{text} ({n})" + (" and he is frightened" if n % 7 == 0 else ""),
            area_ids=[area(6).id] if n % 4 == 0 else [],
        )
        db.session.flush()
        contribution.created_at = start + timedelta(hours=n)
        if n % 5 == 0:
            contribution.themes = [waiting]
        if n % 6 == 0:
            contribution.state = "coded"
        made.append(contribution)
    db.session.commit()
    return {"theme": waiting.id, "area": area(6).id}


def every_page(filters: inbox.InboxFilters) -> list[int]:
    """Each page of three, following the cursor to the end (through the urgent part)."""
    found, cursor = [], None
    while True:
        result = inbox.search(filters, after=cursor, limit=3)
        found += [row.id for row in result.rows]
        cursor = result.next_cursor
        if cursor is None:
            return found


def both_ways(monkeypatch, filters: inbox.InboxFilters) -> list[int]:
    """What the inbox lists when every match counts as few, then as many; they must agree."""
    listed = every_page(filters)
    monkeypatch.setattr(inbox, "FEW_LINKED", -1)
    monkeypatch.setattr(full_text, "FEW_MATCHES", -1)
    walked = every_page(filters)
    monkeypatch.undo()
    assert walked == listed
    return listed


def test_link_filters_find_the_same_rows_either_way(monkeypatch, inbox_of_forty):
    ids = inbox_of_forty
    by_area = both_ways(monkeypatch, inbox.InboxFilters(area_id=ids["area"]))
    assert len(by_area) == 10
    assert len(both_ways(monkeypatch, inbox.InboxFilters(theme_id=ids["theme"]))) == 8
    both = both_ways(monkeypatch, inbox.InboxFilters(area_id=ids["area"], theme_id=ids["theme"]))
    assert len(both) == 2  # every twentieth
    new_only = both_ways(monkeypatch, inbox.InboxFilters(state="new", area_id=ids["area"]))
    assert len(new_only) == 6  # of the ten, 0, 12, 24 and 36 are coded
    assert both_ways(monkeypatch, inbox.InboxFilters(action_id=1)) == []


def test_text_search_finds_the_same_rows_either_way(monkeypatch, inbox_of_forty):
    transport = both_ways(monkeypatch, inbox.InboxFilters(text="transport"))
    assert len(transport) == 14
    assert len(both_ways(monkeypatch, inbox.InboxFilters(state="new", text="TRANSP"))) == 7
    with_area = both_ways(
        monkeypatch, inbox.InboxFilters(text="school transport", area_id=inbox_of_forty["area"])
    )
    assert len(with_area) == 4  # every twelfth
    assert both_ways(monkeypatch, inbox.InboxFilters(text="hovercraft")) == []


def test_urgent_contributions_come_first_either_way(monkeypatch, inbox_of_forty):
    found = both_ways(monkeypatch, inbox.InboxFilters(text="transport"))
    rows = by_ids(Contribution, found)
    flags = [row.safeguarding for row in rows]
    assert flags == sorted(flags, reverse=True) and flags[0]
    times = [row.created_at for row in rows if not row.safeguarding]
    assert times == sorted(times, reverse=True)
