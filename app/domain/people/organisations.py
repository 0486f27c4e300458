"""The organisations staff work for and that own actions and responses (the council, the NHS,
schools, the forum). Administrators add, rename and retire them. A retired organisation is no
longer offered for new staff, actions or responses; records that already name it keep it."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import Action, Organisation, User
from ...models.base import utcnow
from ..shared.errors import Refused
from . import audit

NAME_LIMIT = 200
SHORT_NAME_LIMIT = 60


@dataclass
class OrganisationInUse:
    organisation: Organisation
    staff: int
    actions: int


def in_use(keep_id: int | None = None) -> list[Organisation]:
    """Organisations offered for new staff, actions and responses, by name: those not retired,
    and `keep_id` (the one a record already names) even when it is retired."""
    query = select(Organisation).order_by(Organisation.name)
    if keep_id:
        query = query.where(or_(Organisation.retired_at.is_(None), Organisation.id == keep_id))
    else:
        query = query.where(Organisation.retired_at.is_(None))
    return list(db.session.scalars(query))


def is_retired(organisation_id: int | None) -> bool:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation is not None and organisation.retired_at is not None


def listing() -> list[OrganisationInUse]:
    """Every organisation, in use first, with how many staff and actions name it."""
    staff = dict(
        db.session.execute(
            select(User.organisation_id, func.count()).group_by(User.organisation_id)
        ).all()
    )
    actions = dict(
        db.session.execute(
            select(Action.owner_organisation_id, func.count()).group_by(
                Action.owner_organisation_id
            )
        ).all()
    )
    organisations = db.session.scalars(
        select(Organisation).order_by(Organisation.retired_at.is_not(None), Organisation.name)
    )
    return [OrganisationInUse(o, staff.get(o.id, 0), actions.get(o.id, 0)) for o in organisations]


def organisation_by_id(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def _checked(name: str, short_name: str, organisation_id: int | None = None) -> tuple[str, str]:
    name = " ".join((name or "").split())
    short_name = " ".join((short_name or "").split())
    problems = []
    if not name:
        problems.append(("name", _l("Enter the organisation’s name")))
    elif len(name) > NAME_LIMIT:
        problems.append(
            ("name", _l("The name must be %(limit)d characters or fewer", limit=NAME_LIMIT))
        )
    else:
        taken = db.session.scalar(
            select(Organisation.id).where(
                func.lower(Organisation.name) == name.lower(),
                Organisation.id != (organisation_id or 0),
            )
        )
        if taken:
            problems.append(("name", _l("There is already an organisation with this name")))
    if len(short_name) > SHORT_NAME_LIMIT:
        problems.append(
            (
                "short_name",
                _l("The short name must be %(limit)d characters or fewer", limit=SHORT_NAME_LIMIT),
            )
        )
    if problems:
        raise Refused(*problems)
    return name, short_name


def add(name: str, short_name: str, *, actor: User) -> Organisation:
    name, short_name = _checked(name, short_name)
    organisation = Organisation(name=name, short_name=short_name)
    db.session.add(organisation)
    audit.record(
        "organisation.created", organisation, actor=actor, summary=f"Added organisation {name}"
    )
    db.session.commit()
    return organisation


def rename(organisation: Organisation, name: str, short_name: str, *, actor: User) -> bool:
    """Change the name and short name; records that name it show the new name. False when
    nothing changed (nothing is audited then)."""
    name, short_name = _checked(name, short_name, organisation.id)
    changed = audit.apply_changes(organisation, {"name": name, "short_name": short_name})
    if changed:
        audit.record(
            "organisation.renamed",
            organisation,
            actor=actor,
            summary=f"Renamed organisation to {name}",
            detail=changed,
        )
    db.session.commit()
    return bool(changed)


def set_retired(organisation: Organisation, retired: bool, *, actor: User) -> None:
    """Retire an organisation (no longer offered for anything new) or bring it back."""
    if retired == (organisation.retired_at is not None):
        return
    organisation.retired_at = utcnow() if retired else None
    audit.record(
        "organisation.retired" if retired else "organisation.reinstated",
        organisation,
        actor=actor,
        summary=("Retired" if retired else "Brought back") + f" organisation {organisation.name}",
    )
    db.session.commit()
