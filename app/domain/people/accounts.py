"""Staff accounts: signing in, lock-out, invitations, roles and deactivation.

Every function that changes an account writes its audit entry in the same transaction.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Organisation, Role, User
from ...models.base import utcnow
from ..mail import outbox
from ..shared.errors import Refused
from . import audit
from .passwords import hash_password, needs_rehash, password_problem, verify_password


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def staff_users() -> list[User]:
    """Every staff account with its organisation loaded, for lists and choices."""
    return list(
        db.session.scalars(
            db.select(User).options(selectinload(User.organisation)).order_by(User.name, User.id)
        )
    )


def user_by_id(user_id: int) -> User | None:
    return db.session.scalar(
        db.select(User).options(selectinload(User.organisation)).where(User.id == user_id)
    )


ACCOUNT_STATES = ("active", "invited", "deactivated")


def account_state(user: User, now: datetime | None = None) -> str:
    """One of ACCOUNT_STATES: what an administrator most needs to know first."""
    if not user.is_active_account:
        return "deactivated"
    if not user.has_password:
        return "invited"
    return "active"


@dataclass
class SignInResult:
    """The password was right for an active account (`user`), or not (None). Why it failed is
    audited, never shown: the page says the same thing whatever the reason."""

    user: User | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def attempt_sign_in(email: str, password: str) -> SignInResult:
    """Check an email address and password. The audit log records whether the address matched
    an account and why it failed, never what was typed."""
    user = find_user(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user and password_ok and user.is_active_account:
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        if not user.has_two_step:
            _signed_in(user)
        db.session.commit()
        return SignInResult(user=user)

    if user is None:
        audit.record(
            "auth.sign_in_failed",
            actor=None,
            actor_label="unknown email address",
            summary="No account with that email address",
            detail={"account": False},
        )
        db.session.commit()
        return SignInResult()

    reason = "deactivated" if not user.is_active_account else "wrong password"
    audit.record(
        "auth.sign_in_failed", user, actor=user, detail={"account": True, "reason": reason}
    )
    db.session.commit()
    return SignInResult()


def _signed_in(user: User, **detail) -> None:
    user.last_sign_in_at = utcnow()
    audit.record("auth.sign_in", user, actor=user, detail=detail or None)


def complete_two_step_sign_in(user: User, method: str) -> None:
    """The second step was passed ("app" or "recovery code"): the person is signed in."""
    _signed_in(user, second_step=method)
    db.session.commit()


def record_sign_out(user: User) -> None:
    """Signing out ends every session the person has: a copied cookie stops working."""
    user.session_version += 1
    audit.record("auth.sign_out", user, actor=user)
    db.session.commit()


def record_session_timeout(user: User, reason: str) -> None:
    audit.record("auth.session_expired", user, actor=user, detail={"reason": reason})
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Staff change their own password: the current one first. Other sessions end."""
    if not verify_password(user.password_hash, current or ""):
        raise Refused(_("Your current password is not right"), field="current")
    if verify_password(user.password_hash, new or ""):
        raise Refused(_("Choose a password you have not used here before"), field="password")
    problem = password_problem(new or "", email=user.email, name=user.name)
    if problem:
        raise Refused(problem, field="password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    audit.record("auth.password_changed", user, actor=user)
    db.session.commit()


def send_password_reset(actor: User, user: User) -> None:
    """An administrator sends a link to set a new password: one use, an hour, hashed."""
    if not user.is_active_account:
        raise Refused(_("%(name)s is deactivated. Reactivate the account first", name=user.name))
    if not user.has_password:
        raise Refused(
            _("%(name)s has not set a password yet. Send a new invitation instead", name=user.name)
        )
    minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
    token = secrets.token_urlsafe(32)
    user.invitation_token_hash = _token_hash(token)
    user.invitation_expires_at = utcnow() + timedelta(minutes=minutes)
    audit.record("user.password_reset_sent", user, actor=actor)
    link = url_for("auth.set_password", token=token, _external=True)
    service = current_app.config["SERVICE_NAME"]
    body = _(
        "Hello %(name)s,\n\n%(admin)s has sent you a link to set a new password for "
        "%(service)s:\n%(link)s\n\nThis link works once and expires in %(minutes)d minutes. "
        "Your current password keeps working until you set a new one. If you did not ask for "
        "this, tell %(admin)s or another administrator.\n",
        name=user.name,
        admin=actor.name,
        service=service,
        link=link,
        minutes=minutes,
    )
    outbox.enqueue(
        "password_reset",
        user.email,
        _("Set a new password for %(service)s", service=service),
        body,
    )
    db.session.commit()


def _organisation(name: str | None) -> Organisation | None:
    if not name:
        return None
    organisation = db.session.scalar(
        db.select(Organisation).where(
            (Organisation.name == name) | (Organisation.short_name == name)
        )
    )
    if organisation is None:
        raise Refused(_("There is no organisation called %(name)s", name=name))
    return organisation


def create_user(
    email: str,
    name: str,
    role: str,
    password: str,
    organisation_name: str | None = None,
    actor_label: str = "command line",
) -> User:
    """How the first administrator of a deployment is made (`flask users create`)."""
    email = normalise_email(email)
    name = (name or "").strip()
    if not name:
        raise Refused(_("Enter the person's name"), field="name")
    if len(name) > 120:
        raise Refused(_("Name must be 120 characters or fewer"), field="name")
    _check_email_format(email)
    _check_new_account(email, role)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise Refused(problem)
    user = User(
        email=email,
        name=name,
        role=role,
        organisation=_organisation(organisation_name),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    audit.record(
        "user.created",
        user,
        actor=None,
        actor_label=actor_label,
        summary=f"{email} created as {role}",
    )
    db.session.commit()
    return user


def _check_email_format(email: str) -> None:
    message = _("Enter an email address in the correct format, like name@example.com")
    if len(email) > 254:
        raise Refused(_("Email address must be 254 characters or fewer"), field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Refused(message, field="email") from None


def _check_new_account(email: str, role: str) -> None:
    if role not in {r.value for r in Role}:
        raise Refused(
            _("Role must be one of: %(roles)s", roles=", ".join(r.value for r in Role)),
            field="role",
        )
    if find_user(email):
        raise Refused(_("There is already an account for %(email)s", email=email), field="email")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_invitation(user: User) -> str:
    token = secrets.token_urlsafe(32)
    user.invitation_token_hash = _token_hash(token)
    user.invitation_expires_at = utcnow() + timedelta(
        hours=current_app.config["INVITATION_VALID_HOURS"]
    )
    return token


def _send_invitation(user: User, token: str, inviter: User) -> None:
    link = url_for("auth.set_password", token=token, _external=True)
    hours = current_app.config["INVITATION_VALID_HOURS"]
    service = current_app.config["SERVICE_NAME"]
    body = _(
        "Hello %(name)s,\n\n%(inviter)s has invited you to %(service)s as %(role)s.\n\n"
        "Set your password to start using your account:\n%(link)s\n\n"
        "This link works once and expires in %(hours)d hours. If you were not expecting this "
        "email, you can ignore it.\n",
        name=user.name,
        inviter=inviter.name,
        service=service,
        role=user.role_enum.label,
        link=link,
        hours=hours,
    )
    outbox.enqueue("invitation", user.email, _("Your %(service)s account", service=service), body)


def invite_user(
    inviter: User, email: str, name: str, role: str, organisation_id: int | None
) -> User:
    email = normalise_email(email)
    _check_email_format(email)
    _check_new_account(email, role)
    user = User(email=email, name=name.strip(), role=role, organisation_id=organisation_id)
    db.session.add(user)
    token = _new_invitation(user)
    audit.record("user.invited", user, actor=inviter, summary=f"Invited {email} as {role}")
    _send_invitation(user, token, inviter)
    db.session.commit()
    return user


def resend_invitation(inviter: User, user: User) -> None:
    if user.has_password:
        raise Refused(_("%(name)s has already set a password", name=user.name))
    if not user.is_active_account:
        # The link would be refused (see user_for_invitation): reactivate first.
        raise Refused(
            _(
                "%(name)s is deactivated. Reactivate the account before sending an invitation",
                name=user.name,
            )
        )
    token = _new_invitation(user)
    audit.record("user.invitation_resent", user, actor=inviter)
    _send_invitation(user, token, inviter)
    db.session.commit()


def user_for_invitation(token: str) -> User | None:
    """The invited user if the link is genuine, unused and in date."""
    if not token or len(token) > 200:
        return None
    user = db.session.scalar(
        db.select(User).where(User.invitation_token_hash == _token_hash(token))
    )
    if user is None or not user.is_active_account:
        return None
    if user.invitation_expires_at is None or user.invitation_expires_at < utcnow():
        return None
    return user


def accept_invitation(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise Refused(problem)
    user.password_hash = hash_password(password)
    user.invitation_token_hash = None  # one use only
    user.invitation_expires_at = None
    user.session_version += 1
    audit.record("auth.password_set", user, actor=user)
    db.session.commit()


def change_role(actor: User, user: User, role: str) -> None:
    if role not in {r.value for r in Role}:
        raise Refused(_("Select a role"), field="role")
    if user.id == actor.id:
        raise Refused(
            _("You cannot change your own role. Ask another administrator."), field="role"
        )
    if user.role == role:
        return
    previous = user.role
    user.role = role
    user.session_version += 1  # their next request picks up the new rights with a fresh sign-in
    audit.record(
        "user.role_changed",
        user,
        actor=actor,
        summary=f"{previous} to {role}",
        detail={"from": previous, "to": role},
    )
    db.session.commit()


def deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise Refused(_("You cannot deactivate your own account"))
    if not user.is_active_account:
        return
    user.is_active_account = False
    user.deactivated_at = utcnow()
    user.session_version += 1  # ends every session they have
    user.invitation_token_hash = None
    audit.record("user.deactivated", user, actor=actor)
    db.session.commit()


def reactivate(actor: User, user: User) -> None:
    if user.is_active_account:
        return
    user.is_active_account = True
    user.deactivated_at = None
    audit.record("user.reactivated", user, actor=actor)
    db.session.commit()


def user_for_session(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries a session version, so old sessions stop working."""
    try:
        raw_id, version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version_number = int(version)
    except (ValueError, TypeError):
        return None
    if user is None or not user.is_active_account or user.session_version != version_number:
        return None
    return user
