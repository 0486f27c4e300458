"""Organisations and the staff who work for them."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class Role(str, enum.Enum):
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def description(self) -> str:
        return str(ROLE_DESCRIPTIONS[self])


ROLE_LABELS = {
    Role.COORDINATOR: _l("Forum coordinator"),
    Role.OFFICER: _l("Officer"),
    Role.ADMIN: _l("Administrator"),
}
ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: _l("Runs surveys, consultations and events, and codes what people say."),
    Role.OFFICER: _l("Keeps plan actions up to date and publishes responses."),
    Role.ADMIN: _l("Manages staff accounts, areas of weakness and the audit log."),
}


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(30), default="other")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A retired organisation is not offered for new staff, actions or responses; old records
    # keep it.
    retired_at: Mapped[datetime | None]

    users: Mapped[list["User"]] = relationship(back_populates="organisation")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('coordinator', 'officer', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column("active", default=True)
    # Bumped when a session must end (deactivation, role or password change).
    session_version: Mapped[int] = mapped_column(default=1)
    last_sign_in_at: Mapped[datetime | None]
    # Two-step sign-in: the authenticator app's shared secret once confirmed, and the last time
    # step used, so one code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_counter: Mapped[int | None]
    invitation_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {Role(r).value for r in roles}

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def has_two_step(self) -> bool:
        return bool(self.totp_secret and self.totp_enabled_at)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """A one-use code for when the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class Setting(db.Model):
    """A setting an administrator changes in the service (not deployment configuration)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
