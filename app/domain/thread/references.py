"""Short references people can read over the phone, long enough that guessing is not practical."""

import secrets

# No 0/O, 1/I/L or U/V pairs that are easy to confuse when read aloud or written down.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS, GROUP_LENGTH = 3, 4  # 29**12: about 58 bits


def new_reference() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_reference(typed: str) -> str | None:
    """Accept what people type: any case, with or without spaces and dashes."""
    cleaned = "".join(ch for ch in (typed or "").upper() if ch.isalnum())
    if len(cleaned) != GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + GROUP_LENGTH] for i in range(0, len(cleaned), GROUP_LENGTH))
