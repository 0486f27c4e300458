"""Loop-closure metrics and themes heard, on small hand-made data sets with known answers."""

from datetime import datetime, timedelta

import pytest

from app.domain.thread import metrics, publishing
from app.extensions import db
from app.models import YouSaidWeDid

from ..conftest import user_for
from .test_publishing import action, area, contribution, draft, published, theme


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


BASE = datetime(2027, 1, 1, 9, 0)


def set_published_at(response: YouSaidWeDid, when: datetime) -> None:
    response.published_at = when
    db.session.commit()


def test_loop_metrics_on_a_hand_made_area(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    six = area(6)
    # Five visible contributions in area 6, plus one hidden one that never counts.
    a = contribution(areas=[six], state="new", created_at=BASE)
    b = contribution(areas=[six], state="coded", created_at=BASE)
    c = contribution(areas=[six], state="coded", created_at=BASE + timedelta(days=2))
    d = contribution(areas=[six], state="individual_case", created_at=BASE)
    e = contribution(areas=[six], state="new", created_at=BASE)
    contribution(areas=[six], state="hidden", created_at=BASE)
    contribution(areas=[area(2)], state="coded", created_at=BASE)  # another area

    first = published(officer, admin, [b.id, c.id], area_ids=[six.id])
    set_published_at(first, BASE + timedelta(days=10))
    # b is used again later: only the FIRST published response counts for b.
    second = published(officer, admin, [b.id, d.id], area_ids=[six.id])
    set_published_at(second, BASE + timedelta(days=30))
    # A draft and a withdrawn response count for nothing.
    draft(officer, [a.id], area_ids=[six.id])
    gone = published(officer, admin, [e.id], area_ids=[six.id])
    publishing.withdraw(officer, gone, "Published by mistake")

    result = metrics.loop_metrics(area_id=six.id)
    assert result.contributions == 5
    # coded: b, c (now used), d (individual case), e (used by the withdrawn one); a is new.
    assert result.coded == 4
    # 4 of 5 coded would read as 80%: a percentage beside a suppressed count is withheld.
    assert result.coded_percent is None
    # used in a published response: b (10 days), c (8 days), d (30 days)
    assert result.used == 3
    assert result.used_percent is None
    assert result.median_days == pytest.approx(10.0)
    assert result.median_days_display is None  # a median of three people's waits is withheld
    assert result.responses_published == 2


def test_median_of_an_even_number_of_days(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    three = area(3)
    items = [
        contribution(areas=[three], created_at=BASE - timedelta(days=days)) for days in (1, 2, 5, 9)
    ]
    response = published(officer, admin, [c.id for c in items], area_ids=[three.id])
    set_published_at(response, BASE)
    assert metrics.loop_metrics(area_id=three.id).median_days == pytest.approx(3.5)


def test_loop_metrics_for_an_action_and_with_nothing_yet(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    empty = metrics.loop_metrics(action_id=action("APP-2.1").id)
    assert (
        empty.contributions,
        empty.coded_share,
        empty.used_share,
        empty.median_days,
        empty.responses_published,
    ) == (0, None, None, None, 0)

    target = action("APP-6.1")
    used = contribution(actions=[target], created_at=BASE)
    contribution(actions=[target], state="new", created_at=BASE)
    response = published(officer, admin, [used.id], action_ids=[target.id], area_ids=[])
    set_published_at(response, BASE + timedelta(days=6, hours=12))
    result = metrics.loop_metrics(action_id=target.id)
    assert (result.contributions, result.coded, result.used, result.responses_published) == (
        2,
        1,
        1,
        1,
    )
    assert result.median_days == pytest.approx(6.5)
    assert result.contributions_display == "fewer than 5"


def test_themes_heard_suppresses_small_counts_and_skips_safeguarding(app_ctx):
    six = area(6)
    waits, communication = theme("Waiting times"), theme("Communication")
    for _ in range(4):
        contribution(areas=[six], themes=[waits])
    contribution(areas=[six], themes=[waits], safeguarding=True)  # never counted publicly
    contribution(areas=[six], themes=[waits], state="hidden")  # nor hidden ones
    for _ in range(5):
        contribution(areas=[six], themes=[communication])
    contribution(areas=[area(2)], themes=[waits])  # another area

    heard = {t.name: t for t in metrics.themes_heard(area_id=six.id)}
    assert str(heard["Waiting times"].display) == "fewer than 5"
    assert heard["Waiting times"].suppressed
    assert not hasattr(heard["Waiting times"], "count")  # the raw small count is never handed out
    assert heard["Communication"].display == "5"
    assert [t.name for t in metrics.themes_heard(area_id=six.id)] == [
        "Communication",
        "Waiting times",
    ]

    contribution(areas=[six], themes=[waits])  # the fifth real one
    heard = {t.name: t for t in metrics.themes_heard(area_id=six.id)}
    assert heard["Waiting times"].display == "5"


def test_responses_published_by_area_in_one_query(app_ctx, count_queries):
    officer, admin = user_for("officer"), user_for("admin")
    published(officer, admin, area_ids=[area(1).id, area(2).id])
    published(officer, admin, area_ids=[area(2).id])
    draft(officer, area_ids=[area(3).id])
    with count_queries() as counter:
        by_area = metrics.responses_published_by_area()
    assert counter.count == 1
    assert by_area == {area(1).id: 1, area(2).id: 2}


def test_metric_queries_do_not_grow_with_data(app_ctx, count_queries):
    officer, admin = user_for("officer"), user_for("admin")
    six = area(6)
    six_id = six.id
    waits = theme("Waiting times")

    def measure():
        with count_queries() as counter:
            metrics.loop_metrics(area_id=six_id)
            metrics.themes_heard(area_id=six_id)
        return counter.count

    before = measure()
    items = [contribution(areas=[six], themes=[waits, theme(f"Theme {n % 7}")]) for n in range(60)]
    for start in range(0, 60, 20):
        published(officer, admin, [c.id for c in items[start : start + 20]], area_ids=[six.id])
    assert measure() == before == 4


def test_percentages_and_the_median_are_published_once_the_counts_behind_them_are(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    seven = area(7)
    used = [
        contribution(areas=[seven], state="coded", created_at=BASE - timedelta(days=days))
        for days in (1, 2, 3, 4, 5)
    ]
    for _ in range(3):
        contribution(areas=[seven], state="new", created_at=BASE)
    response = published(officer, admin, [c.id for c in used], area_ids=[seven.id])
    set_published_at(response, BASE)
    result = metrics.loop_metrics(area_id=seven.id)
    assert (result.contributions, result.coded, result.used) == (8, 5, 5)
    assert result.coded_percent == 62  # 5 of 8
    assert result.used_percent == 62
    assert result.median_days_display == 3


def test_the_grouped_metrics_agree_with_each_area_s_own(app_ctx, count_queries):
    officer, admin = user_for("officer"), user_for("admin")
    one, two = area(1), area(2)
    items = [
        contribution(areas=[one] if n % 3 else [one, two], created_at=BASE - timedelta(days=n))
        for n in range(12)
    ]
    response = published(officer, admin, [c.id for c in items[:7]], area_ids=[one.id, two.id])
    set_published_at(response, BASE + timedelta(days=1))
    with count_queries() as counter:
        grouped = metrics.loop_metrics_by_area()
    assert counter.count == 6
    for found in (one, two):
        single = metrics.loop_metrics(area_id=found.id)
        assert grouped[found.id].contributions == single.contributions
        assert grouped[found.id].coded == single.coded
        assert grouped[found.id].used == single.used
        assert grouped[found.id].median_days == pytest.approx(single.median_days)
    assert grouped[None].contributions == 12 and grouped[None].used == 7
    assert grouped[None].median_days == pytest.approx(4.0)  # days 1..7 after 0..6 days: median 4
