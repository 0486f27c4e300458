"""An event as an iCalendar file (RFC 5545) that calendar programs can import.

Lines end with CRLF and are folded at 75 octets (a continuation line starts with one space and
never splits a UTF-8 character); text values escape backslashes, commas, semicolons and line
breaks. Times are in UTC ("Z"), so no time-zone definitions are needed.
"""

import re
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _

from ...models import Event
from ...models.base import utcnow

MAX_LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str | None) -> str:
    """A TEXT property value: backslash, semicolon, comma and newline escaped (RFC 5545 3.3.11)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, joined by CRLF and a space."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size = " ", 1  # the leading space counts towards the next line's 75
        current += character
        size += octets
    pieces.append(current)
    return "\r\n".join(pieces)


def utc_stamp(value: datetime) -> str:
    """A naive UTC datetime as YYYYMMDDTHHMMSSZ."""
    return value.strftime("%Y%m%dT%H%M%SZ")


def uid_domain() -> str:
    server = current_app.config.get("SERVER_NAME") if has_app_context() else None
    return (server or "sendvoice").split(":")[0]


def _location(event: Event, include_online_link: bool) -> str:
    if event.venue:
        parts = [event.venue] + [
            line.strip() for line in (event.address or "").splitlines() if line.strip()
        ]
        return ", ".join(parts)
    if include_online_link and event.online_link:
        return event.online_link
    return _("Online")


def _description(event: Event, include_online_link: bool, url: str | None) -> str:
    parts = [event.description.strip()] if event.description and event.description.strip() else []
    if include_online_link and event.online_link:
        parts.append(_("Join online: %(link)s", link=event.online_link))
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def event_ics(
    event: Event,
    include_online_link: bool = False,
    url: str | None = None,
    now: datetime | None = None,
    product: str | None = None,
) -> str:
    """The event as a VCALENDAR with one VEVENT.

    The online link is left out unless include_online_link (only for people who registered).
    `url` (the event's page) is added as URL and at the end of the description.
    """
    product = (
        product
        or (current_app.config.get("SERVICE_NAME") if has_app_context() else None)
        or "SEND Voice"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(product)}//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{uid_domain()}",
        f"DTSTAMP:{utc_stamp(now or utcnow())}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    description = _description(event, include_online_link, url)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(f"LOCATION:{escape_text(_location(event, include_online_link))}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("STATUS:CANCELLED" if event.cancelled_at else "STATUS:CONFIRMED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
