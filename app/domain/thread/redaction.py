"""Mask personal details in a proposed quote. A coordinator reviews and edits before approving."""

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# UK numbers: 07700 900123, +44 7700 900123, 01622 123456, (01622) 123 456, 0300 041 4141 ...
PHONE = re.compile(
    r"(?<![\w])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w])"
)
# The inward code's letters never include C, I, K, M, O or V.
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?(?P<inward>\d[ABD-HJLNP-UW-Z]{2}))\b", re.IGNORECASE
)
ORDINAL = re.compile(r"(?:1st|2nd|3rd|[04-9]th)")


def _ordinary_words(match: re.Match) -> bool:
    """ "KS3 2nd" or "Y6 1st" are school years and ordinals, not postcodes; a typed postcode in
    capitals ("SW1A 1ST") is still masked."""
    inward = match.group("inward") if match.re is POSTCODE else None
    return bool(inward and ORDINAL.fullmatch(inward.lower()) and not inward.isupper())


MASKS = (
    (EMAIL, "[email removed]"),
    (PHONE, "[phone number removed]"),
    (POSTCODE, "[postcode removed]"),
)


def _masker(mask: str):
    def replace(match: re.Match) -> str:
        return match.group(0) if _ordinary_words(match) else mask

    return replace


def propose_quote(text: str) -> str:
    for pattern, mask in MASKS:
        text = pattern.sub(_masker(mask), text)
    return text.strip()


def has_personal_details(text: str) -> bool:
    return any(
        not _ordinary_words(match) for pattern, _mask in MASKS for match in pattern.finditer(text)
    )
