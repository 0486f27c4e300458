"""Record ids typed into a URL or sent back by a form.

Anything that could not be a real id (not digits, zero, larger than a 32-bit integer) is not an
id: it is None, never an error from the database or a 500.
"""

import re

MAX_ID = 2_147_483_647  # ids beyond a 32-bit integer cannot exist; asking the database would fail
_DIGITS = re.compile(r"[0-9]{1,10}")


def valid_id(value) -> int | None:
    """The id a submitted value names, if it could be a real one; surrounding spaces are allowed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def valid_ids(values) -> list[int]:
    """The usable ids among submitted values, each once, in order; anything else is ignored."""
    seen: list[int] = []
    for value in values or ():
        number = valid_id(value)
        if number is not None and number not in seen:
            seen.append(number)
    return seen


def page_number(value) -> int:
    """The page of a list asked for in a URL: the first page unless it is a whole number from 1."""
    return valid_id(value) or 1
