"""Small numbers of people are never published: a count below the threshold (SUPPRESS_BELOW in
the configuration, 5 for the council) is shown as "fewer than 5" so nobody can be identified.

Every published count, page, data file and draft text reads the threshold here, and only here.
"""

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _


def threshold() -> int:
    """The smallest count that may be published as a number."""
    return current_app.config["SUPPRESS_BELOW"]


def suppressed(count: int) -> bool:
    """Whether this count of people or contributions must be withheld."""
    return count < threshold()


def published_count(count: int) -> str:
    """A count as the public sees it: the number with the reader's thousands separator (2,022), or
    "fewer than 5"."""
    if suppressed(count):
        return fewer_than()
    return format_number(count)


def fewer_than() -> str:
    """The words that stand in for a withheld count."""
    return _("fewer than %(num)d", num=threshold())


def publishable_percent(part: int, whole: int) -> int | None:
    """A percentage (`part` of `whole`, rounded) as it may be published, or None when it must be
    withheld: a percentage beside a withheld count would give the count back (4 of "fewer than 5"
    reads as 80%), so it is shown only when neither the whole nor the part is suppressed.
    Every published share (area and action pages, the board report, open data) reads this."""
    if not whole or suppressed(whole) or suppressed(part):
        return None
    return round(100 * part / whole)


def publishable_figure(people: int, figure):
    """A figure about a group of people (a median of days, say) as it may be published: withheld
    (None) when the group itself is too small to publish."""
    return None if suppressed(people) else figure
