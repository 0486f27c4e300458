"""Dates staff type are whole days in the service's own time zone (BABEL_DEFAULT_TIMEZONE,
Europe/London for a UK council); times are stored as naive UTC."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


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
