"""Slowing down someone guessing a password or a code, without letting a stranger lock the real
person out.

Failures are counted per email address *and* client address, in the rate limiter's storage
(Redis in production, so every worker shares the counts). The limits widen as failures go on
(SIGN_IN_FAILURE_LIMITS, e.g. 5 in 5 minutes, then 10 in an hour, then 20 a day), so a guesser
gets a handful of tries a day; the real person, signing in from their own address, is not
affected by what a stranger does elsewhere. The per-address limit on the sign-in form
(SIGN_IN_RATE_LIMIT) bounds how many accounts one address can try.
"""

import hashlib
import time
from datetime import UTC, datetime

from flask import current_app
from limits import parse_many

from ..extensions import client_address, limiter


def _key(kind: str, who: str) -> str:
    # Hashed, so the storage never holds what someone typed.
    digest = hashlib.sha256(f"{kind}:{who.strip().lower()}:{client_address()}".encode())
    return "sign-in-failures:" + digest.hexdigest()


def _limits():
    return parse_many(current_app.config["SIGN_IN_FAILURE_LIMITS"])


def blocked_until(kind: str, who: str) -> datetime | None:
    """When this email address (or account) may be tried again from this client, or None."""
    strategy = limiter.limiter
    key = _key(kind, who)
    waits = []
    for item in _limits():
        if not strategy.test(item, key):
            stats = strategy.get_window_stats(item, key)
            waits.append(stats.reset_time)
    if not waits:
        return None
    return datetime.fromtimestamp(max(max(waits), time.time() + 1), UTC).replace(tzinfo=None)


def failed(kind: str, who: str) -> None:
    strategy = limiter.limiter
    key = _key(kind, who)
    for item in _limits():
        strategy.hit(item, key)


def succeeded(kind: str, who: str) -> None:
    strategy = limiter.limiter
    key = _key(kind, who)
    for item in _limits():
        strategy.clear(item, key)
