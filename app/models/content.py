"""The version of what the public pages show: one row, bumped in the transaction of any change
that alters a public page (app/domain/shared/content_version.py says which)."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class ContentVersion(db.Model):
    """The one row (id 1): how many changes the public content has had and when the last was.
    Rendered public pages are kept under this version, so a change anywhere is seen everywhere
    on the next request."""

    __tablename__ = "content_versions"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
