"""Password hashing (Argon2id) and the rules a new password must meet."""

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext


@lru_cache(maxsize=4)
def _hasher_for(params: tuple) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**dict(params))
    # Verifying against this when there is no account keeps timing the same either way.
    return hasher, hasher.hash("not-a-real-password-but-the-same-cost")


def _hasher() -> tuple[PasswordHasher, str]:
    """Argon2id with the library's recommended cost; tests configure a cheaper one."""
    return _hasher_for(tuple(sorted(current_app.config.get("PASSWORD_HASH_PARAMS", {}).items())))


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The reason a password is refused, in words a person can act on, or None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return ngettext(
            "Password must be %(num)d character or more",
            "Password must be %(num)d characters or more",
            minimum,
        )
    if len(password) > 256:
        return _("Password must be 256 characters or fewer")
    lowered = password.lower()
    if lowered in common_passwords() or _stripped(lowered) in common_passwords():
        return _("That password is too common and easy to guess. Choose a different one")
    if len(set(lowered)) <= 3:
        return _("That password is too easy to guess. Choose a different one")
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        return _("Password must not contain your name or email address")
    return None


def _stripped(password: str) -> str:
    """'password123!' is as weak as 'password': strip trailing digits and symbols."""
    return password.rstrip("0123456789!?.#@$%&*_- ")
