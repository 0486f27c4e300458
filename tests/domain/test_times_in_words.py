"""Times as people read them: one rule for every page and email (GOV.UK style in English, the
language's own convention in Polish and Urdu), and texts said once."""

from datetime import datetime

import pytest
from flask_babel import force_locale

from app.domain.shared.dates import day, time_and_day, time_of_day
from app.domain.shared.text import distinct_texts

WINTER = datetime(2027, 1, 15, 11, 3)  # stored as UTC; January is GMT, so UK time is the same


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (datetime(2027, 1, 15, 9, 0), "9am"),
        (datetime(2027, 1, 15, 11, 3), "11:03am"),
        (datetime(2027, 1, 15, 12, 0), "midday"),
        (datetime(2027, 1, 15, 0, 0), "midnight"),
        (datetime(2027, 1, 15, 17, 30), "5:30pm"),
        (datetime(2027, 1, 15, 23, 59), "11:59pm"),
        (datetime(2027, 1, 15, 12, 45), "12:45pm"),
        (datetime(2027, 1, 15, 0, 15), "12:15am"),
        # July is British Summer Time: 08:00 UTC is 9am in the UK.
        (datetime(2027, 7, 1, 8, 0), "9am"),
    ],
)
def test_english_times_are_in_govuk_style(app, stored, shown):
    with app.test_request_context():
        assert time_of_day(stored) == shown


def test_a_moment_reads_time_then_date(app):
    with app.test_request_context():
        assert time_and_day(WINTER) == "11:03am on 15 January 2027"
        assert time_and_day(WINTER, weekday=True) == "11:03am on Friday 15 January 2027"
        assert day(WINTER) == "15 January 2027"
        # 23:30 UTC on 30 June is 00:30 on 1 July in the UK: the day is the UK's.
        assert day(datetime(2027, 6, 30, 23, 30)) == "1 July 2027"


def test_polish_and_urdu_use_their_own_conventions(app):
    with app.test_request_context():
        with force_locale("pl"):
            assert time_of_day(WINTER) == "11:03"
            assert day(WINTER) == "15 stycznia 2027"
            assert "am" not in time_of_day(datetime(2027, 1, 15, 17, 30))
        with force_locale("ur"):
            shown = time_of_day(datetime(2027, 1, 15, 17, 30))
            assert shown.startswith("5:30") and "pm" not in shown


def test_texts_that_differ_only_in_case_spacing_or_punctuation_are_said_once():
    assert distinct_texts(
        ["Nobody called back.", "nobody  called back", "Nobody called back!", "", None, "Other"]
    ) == ["Nobody called back.", "Other"]
