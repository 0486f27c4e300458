"""Dates: what people type as day, month and year in three boxes (the GOV.UK date input), with
what to say when it is not a date; and whole local days as stored times. Days are in the
service's own time zone (BABEL_DEFAULT_TIMEZONE, Europe/London for a UK council); times are
stored as naive UTC."""

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from flask import current_app
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

DATE_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]+")


def missing_parts_message(missing: tuple[str, ...], label: str) -> str:
    """What to say when some parts of a date are missing, as in the GOV.UK date input pattern."""
    messages = {
        ("day",): lambda: _("%(label)s must include a day", label=label),
        ("month",): lambda: _("%(label)s must include a month", label=label),
        ("year",): lambda: _("%(label)s must include a year", label=label),
        ("day", "month"): lambda: _("%(label)s must include a day and month", label=label),
        ("day", "year"): lambda: _("%(label)s must include a day and year", label=label),
        ("month", "year"): lambda: _("%(label)s must include a month and year", label=label),
    }
    return messages[missing]()


def date_parts(formdata, name: str) -> dict[str, str]:
    """What was typed in the three boxes <name>-day, <name>-month and <name>-year."""
    return {part: (formdata.get(f"{name}-{part}") or "").strip()[:20] for part in DATE_PARTS}


def date_from_parts(
    parts: dict[str, str], label: str, after_2000: bool = False
) -> tuple[date | None, str | None]:
    """(the date, None), (None, None) when all three boxes are empty, or (None, what is wrong).

    A date has all three parts, in digits, with a four-digit year from 1900 to 2999 (from 2000
    with `after_2000`: nothing the service records is older than that).
    """
    missing = tuple(part for part in DATE_PARTS if not parts.get(part))
    if len(missing) == 3:
        return None, None
    if missing:
        return None, missing_parts_message(missing, label)
    if not all(_DIGITS.fullmatch(parts[part]) for part in DATE_PARTS):
        return None, _("%(label)s must be a real date", label=label)
    if len(parts["year"]) != 4:
        return None, _("Year must include 4 numbers")
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, _("%(label)s must be a real date", label=label)
    if after_2000 and value.year < 2000:
        return None, _("%(label)s must be after 1 January 2000", label=label)
    if not 1900 <= value.year <= 2999:
        return None, _("%(label)s must be a real date", label=label)
    return value, None


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_midnight_as_utc(day: date) -> datetime:
    """The stored (naive UTC) time at which this local day begins."""
    local = datetime.combine(day, time.min, tzinfo=local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def local_day_bounds(
    date_from: date | None, date_to: date | None
) -> tuple[datetime | None, datetime | None]:
    """A "from" and "to" date filter (both days included) as stored times: keep rows at or after
    the first and before the second. A missing date gives None, meaning no bound."""
    start = local_midnight_as_utc(date_from) if date_from else None
    end = local_midnight_as_utc(date_to + timedelta(days=1)) if date_to else None
    return start, end


# Times as people read them ------------------------------------------------------------------------
# One rule for every page and email that shows a time (GOV.UK style: "9am", "11:03am", "midday",
# "midnight", and the time before the date). Other languages use their own convention from Babel's
# locale data ("11:03" in Polish). Stored times are naive UTC; they are shown in the service's zone.


def time_of_day(value: datetime) -> str:
    """The local time of day: "9am", "5:30pm", "midday", "midnight" in English; the reader's
    language's own short time elsewhere."""
    if str(get_locale() or "en").split("_")[0] != "en":
        return format_time(value, "short")
    local = format_time(value, "H:mm").split(":")
    hour, minute = int(local[0]), int(local[1])
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def day(value: date | datetime, weekday: bool = False) -> str:
    """A day in words ("15 January 2027", or "Friday 15 January 2027"), in the service's zone."""
    return format_date(value, "EEEE d MMMM yyyy" if weekday else "d MMMM yyyy")


def time_and_day(value: datetime, weekday: bool = False) -> str:
    """A moment where the time matters, as in "Open until 11:59pm on 15 January 2027"."""
    return _("%(time)s on %(date)s", time=time_of_day(value), date=day(value, weekday))


def local_day(moment: datetime) -> date:
    """The local date of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(local_zone()).date()


def local_today() -> date:
    """Today in the service's time zone."""
    return datetime.now(UTC).astimezone(local_zone()).date()


def past_date_problem(value: date, label: str, max_age_days: int) -> str | None:
    """What is wrong with a date something happened on (the day a letter or a call reached us):
    not after today, and not more than `max_age_days` before it. None when it is fine."""
    today = local_today()
    if value > today:
        return _("%(label)s must be today or in the past", label=label)
    earliest = today - timedelta(days=max_age_days)
    if value < earliest:
        return _("%(label)s must be the same as or after %(date)s", label=label, date=day(earliest))
    return None


@functools.lru_cache(maxsize=16)
def _bank_holidays(first_year: int, last_year: int) -> holidays.HolidayBase:
    """Bank holidays in England and Wales in these years (and any later year asked about), from
    the `holidays` library, which follows the published dates; made once per process."""
    return holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))


def add_working_days(start: date, count: int) -> date:
    """The day `count` working days after `start`: Mondays to Fridays that are not bank holidays
    in England and Wales."""
    bank_holidays = _bank_holidays(start.year, start.year + 1)
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            count -= 1
    return day


def reply_due(received_at: datetime | date) -> date:
    """The day by which someone who told us something can expect a reply: REPLY_WORKING_DAYS
    working days after the local day it was received (a stored time, or the day itself)."""
    received_on = received_at if not isinstance(received_at, datetime) else local_day(received_at)
    return add_working_days(received_on, current_app.config["REPLY_WORKING_DAYS"])


def working_days_between(start: date, end: date) -> int:
    """How many working days come after `start`, up to and including `end` (0 when `end` is not
    after `start`): `add_working_days(start, n)` is the first day for which this reaches n."""
    if end <= start:
        return 0
    bank_holidays = _bank_holidays(start.year, end.year)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            count += 1
    return count
