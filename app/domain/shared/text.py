"""Text as people typed it, made safe to store."""

import re

from .errors import Refused


def clean_text(value):
    """Line endings as the browser counts them, and no NUL characters (PostgreSQL refuses them)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def clean_line(value):
    """One line of text: cleaned as `clean_text`, without spaces at either end."""
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


def checked_text(value, max_length: int, *, field: str, too_long, missing=None) -> str:
    """What was typed, without spaces at either end. It may be no longer than `max_length`
    (else `too_long` is the refusal), and when `missing` is given it must not be empty (else
    `missing` is the refusal); each refusal is about `field`."""
    text = (value or "").strip()
    if missing is not None and not text:
        raise Refused(missing, field=field)
    if len(text) > max_length:
        raise Refused(too_long, field=field)
    return text


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character "\\") that finds the text anywhere, its % and _ taken
    as they are."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sameness_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def distinct_texts(texts) -> list[str]:
    """The texts in their order, each said once: two that differ only in case, spacing or
    punctuation ("Nobody called back." and "nobody called back") count as the same."""
    seen, kept = set(), []
    for text in texts:
        key = _sameness_key(text or "")
        if key and key not in seen:
            seen.add(key)
            kept.append(text.strip())
    return kept
