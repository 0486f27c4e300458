"""Working days for reply dates: weekends and bank holidays in England and Wales are skipped."""

from datetime import date, datetime

from app.domain.shared.dates import add_working_days, reply_due


def test_weekends_are_skipped():
    friday = date(2027, 3, 5)
    assert add_working_days(friday, 1) == date(2027, 3, 8)  # Monday
    assert add_working_days(friday, 10) == date(2027, 3, 19)


def test_bank_holidays_are_skipped():
    # Christmas 2026: Friday 25 and Monday 28 (Boxing Day observed) are bank holidays.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)


def test_reply_due_counts_from_the_local_day_it_arrived(app, app_ctx):
    app.config["REPLY_WORKING_DAYS"] = 10
    # 23:30 UTC on Sunday 30 May 2027 is already Monday 31 May (a bank holiday) in London.
    assert reply_due(datetime(2027, 5, 30, 23, 30)) == date(2027, 6, 14)
    app.config["REPLY_WORKING_DAYS"] = 2
    try:
        assert reply_due(datetime(2027, 6, 1, 9)) == date(2027, 6, 3)
    finally:
        app.config["REPLY_WORKING_DAYS"] = 10
