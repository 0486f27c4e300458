"""Small numbers of people are never published: a count below the threshold (SUPPRESS_BELOW in
the configuration, 5 for the council) is shown as "fewer than 5" so nobody can be identified.

Every published count, page, data file and draft text reads the threshold here, and only here.
"""

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _

SMALL = "small"  # below the threshold: "fewer than 5"
SECONDARY = "secondary"  # hidden so that a small count cannot be worked out from the total


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


def suppress(
    counts: list[int], total: int, *, additive: bool, below: int | None = None
) -> tuple[bool, list]:
    """Which counts a published table must hide: (whole question hidden, a mark per count).

    A count from 1 to below-1 is SMALL. When the counts add up to the total (single choice,
    rating, yes/no, number ranges, months, channels), more counts are hidden — the smallest
    shown first — until no small count can be worked out exactly from the total and the counts
    still shown; counts that do not add up (multiple choice) follow the simple rule: when
    exactly one count is small, hide the next smallest too. With fewer than `below` answers in
    all, nothing is shown but that.
    """
    below = threshold() if below is None else below
    if total < below:
        return True, [SMALL] * len(counts)
    marks: list = [SMALL if 0 < count < below else None for count in counts]

    def next_smallest():
        shown = [
            (count, index)
            for index, count in enumerate(counts)
            if marks[index] is None and count > 0
        ]
        return min(shown)[1] if shown else None

    if not additive:
        if marks.count(SMALL) == 1 and (index := next_smallest()) is not None:
            marks[index] = SECONDARY
        return False, marks
    while _worked_out(counts, marks, total, below):
        index = next_smallest()
        if index is None:
            break
        marks[index] = SECONDARY
    return False, marks


def _worked_out(counts: list[int], marks: list, total: int, below: int) -> bool:
    """Could someone who knows these rules pin a hidden small count to one value?

    They know the hidden counts add up to the total less the shown ones, that a small count
    is 1 to below-1, and that a count hidden with it is at least `below` and no larger than
    the smallest count still shown.
    """
    small = [count for count, mark in zip(counts, marks, strict=True) if mark == SMALL]
    if not small:
        return False
    hidden_sum = total - sum(
        count for count, mark in zip(counts, marks, strict=True) if mark is None
    )
    shown = [count for count, mark in zip(counts, marks, strict=True) if mark is None and count > 0]
    ceiling = max(below, min(shown) if shown else hidden_sum)
    ranges = [(1, below - 1)] * len(small) + [(below, ceiling)] * marks.count(SECONDARY)
    lowest, highest = sum(lo for lo, _hi in ranges), sum(hi for _lo, hi in ranges)
    lo, hi = ranges[0]  # every small count has the same range
    could_be_low = max(lo, hidden_sum - (highest - hi))
    could_be_high = min(hi, hidden_sum - (lowest - lo))
    return could_be_low >= could_be_high
