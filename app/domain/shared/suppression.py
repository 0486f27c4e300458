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
