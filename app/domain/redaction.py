"""Mask personal details in a proposed quote. A coordinator reviews and edits before approving."""

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# UK numbers: 07700 900123, +44 7700 900123, 01622 123456, (01622) 123 456, 0300 041 4141 ...
PHONE = re.compile(r"(?<![\w])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w])")
POSTCODE = re.compile(r"\b(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", re.IGNORECASE)

MASKS = (
    (EMAIL, "[email removed]"),
    (PHONE, "[phone number removed]"),
    (POSTCODE, "[postcode removed]"),
)


def propose_quote(text: str) -> str:
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return text.strip()


def has_personal_details(text: str) -> bool:
    return any(pattern.search(text) for pattern, _mask in MASKS)
