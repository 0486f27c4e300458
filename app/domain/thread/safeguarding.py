"""Safeguarding: text that suggests a child may be at risk is flagged urgent on arrival.

The phrase list is data that admins maintain; matching is deliberately generous — a false
alarm costs a coordinator a minute, a missed one can cost a child far more.
"""

import re

from ...extensions import db
from ...models import SafeguardingPhrase

DEFAULT_PHRASES = [
    "abuse",
    "abused",
    "abusing",
    "hit me",
    "hits me",
    "hits him",
    "hits her",
    "hitting him",
    "hitting her",
    "beat him",
    "beats him",
    "beat her",
    "beats her",
    "hurt himself",
    "hurt herself",
    "hurting himself",
    "hurting herself",
    "hurts himself",
    "hurts herself",
    "self-harm",
    "self harm",
    "self-harming",
    "harming himself",
    "harming herself",
    "cutting himself",
    "cutting herself",
    "suicide",
    "suicidal",
    "kill myself",
    "kill himself",
    "kill herself",
    "wants to die",
    "want to die",
    "end his life",
    "end her life",
    "not safe at home",
    "unsafe at home",
    "scared to go home",
    "afraid to go home",
    "locked in his room",
    "locked in her room",
    "locked him in",
    "locked her in",
    "neglect",
    "neglected",
    "no food",
    "not being fed",
    "bruise",
    "bruises",
    "bruising",
    "touched him",
    "touched her",
    "sexual",
    "groomed",
    "grooming",
    "exploited",
    "exploitation",
    "county lines",
    "ran away from home",
    "running away from home",
    "missing from home",
    "threatened to",
    "restrained",
    "restraint",
]


def active_phrases() -> list[str]:
    return list(
        db.session.scalars(db.select(SafeguardingPhrase.phrase).order_by(SafeguardingPhrase.phrase))
    )


def _pattern(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = sorted(
        (re.escape(p.strip()) for p in phrases if p.strip()), key=len, reverse=True
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def matches(text: str, phrases: list[str] | None = None) -> list[str]:
    """The phrases found in `text` (lower case, each once)."""
    pattern = _pattern(active_phrases() if phrases is None else phrases)
    if pattern is None or not text:
        return []
    found = []
    for match in pattern.finditer(text):
        phrase = match.group(0).lower()
        if phrase not in found:
            found.append(phrase)
    return found


def seed_default_phrases() -> int:
    existing = set(active_phrases())
    added = [p for p in DEFAULT_PHRASES if p not in existing]
    db.session.add_all(SafeguardingPhrase(phrase=p) for p in added)
    return len(added)
