"""Two-step sign-in: a code from an authenticator app (TOTP, RFC 6238), one-use recovery codes
kept only as hashes, and the administrators' setting that requires it for chosen roles."""

import secrets

import pyotp
from flask import current_app
from flask_babel import gettext as _

from ...extensions import db
from ...models import RecoveryCode, Role, Setting, User
from ...models.base import utcnow
from ..shared.errors import Refused
from . import audit
from .passwords import hash_password, verify_password

REQUIRED_ROLES_KEY = "two_step_required_roles"
RECOVERY_CODE_COUNT = 10
# A code from the step before or after still counts: phone clocks drift.
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """What the QR code holds: the app shows the service's name and the person's email."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _matching_counter(secret: str, code: str) -> int | None:
    """The time step the six-digit code belongs to, or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        at = now.timestamp() + offset * totp.interval
        if secrets.compare_digest(totp.at(at), code):
            return totp.timecode(now) + offset
    return None


def required_roles() -> set[str]:
    setting = db.session.get(Setting, REQUIRED_ROLES_KEY)
    return set(setting.value or []) if setting else set()


def is_required_for(user: User) -> bool:
    return user.role in required_roles()


def set_required_roles(actor: User, roles: list[str]) -> None:
    chosen = sorted({Role(role).value for role in roles})
    before = sorted(required_roles())
    if chosen == before:
        return
    setting = db.session.get(Setting, REQUIRED_ROLES_KEY)
    if setting is None:
        setting = Setting(key=REQUIRED_ROLES_KEY, value=chosen)
        db.session.add(setting)
    else:
        setting.value = chosen
    audit.record(
        "settings.two_step_required",
        actor=actor,
        summary="Two-step sign-in required for: " + (", ".join(chosen) or "nobody"),
        detail={"from": before, "to": chosen},
    )
    db.session.commit()


def _new_recovery_codes(user: User) -> list[str]:
    for code in list(user.recovery_codes):
        db.session.delete(code)
    user.recovery_codes = []
    codes = [
        "-".join(secrets.token_hex(5)[i : i + 5] for i in (0, 5))
        for _n in range(RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        user.recovery_codes.append(RecoveryCode(code_hash=hash_password(_clean(code))))
    return codes


def enable(user: User, secret: str, code: str) -> list[str]:
    """Confirm the app works (the person types a code it shows) and turn two-step on. Returns
    the recovery codes, in clear this once only."""
    counter = _matching_counter(secret, _clean(code))
    if counter is None:
        raise Refused(_("Enter the 6-digit code your authenticator app shows now"), field="code")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_counter = counter
    codes = _new_recovery_codes(user)
    audit.record("auth.two_step_enabled", user, actor=user)
    db.session.commit()
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code (the old ones stop working); shown once."""
    if not user.has_two_step:
        raise Refused(_("Set up two-step sign-in first"))
    codes = _new_recovery_codes(user)
    audit.record("auth.recovery_codes_replaced", user, actor=user)
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    return sum(1 for code in user.recovery_codes if code.used_at is None)


def check_code(user: User, code: str) -> str | None:
    """Check the second step: "app" or "recovery code" when it is right, else None. A code from
    the app works once; a recovery code works once."""
    cleaned = _clean(code)
    if not user.has_two_step or not cleaned:
        return None
    counter = _matching_counter(user.totp_secret, cleaned)
    if counter is not None:
        if user.totp_last_counter is not None and counter <= user.totp_last_counter:
            method = None  # the same code again, perhaps seen over someone's shoulder
        else:
            user.totp_last_counter = counter
            method = "app"
    else:
        method = None
        if len(cleaned) == 10:
            for recovery in user.recovery_codes:
                if recovery.used_at is None and verify_password(recovery.code_hash, cleaned):
                    recovery.used_at = utcnow()
                    method = "recovery code"
                    break
    if method is None:
        audit.record("auth.two_step_failed", user, actor=user)
    db.session.commit()
    return method


def reset(actor: User, user: User) -> None:
    """An administrator removes a person's second step (a lost phone): they set it up again at
    their next sign-in if their role needs it. Their sessions end."""
    if not user.has_two_step:
        raise Refused(_("%(name)s has not set up two-step sign-in", name=user.name))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    for code in list(user.recovery_codes):
        db.session.delete(code)
    user.session_version += 1
    audit.record("user.two_step_reset", user, actor=actor)
    db.session.commit()
