"""Individual cases: a contribution about one family's own situation is handed to a team, who
acknowledge it, reply to the family and close it.

Rules written here and nowhere else:
- A team has a name, an organisation, a shared email address and a target reply time in working
  days (10 unless set, 1 to 60). Teams are retired, never deleted: old cases keep their team.
- Handing over needs a team (a person is optional: an active member of staff). It creates the
  contribution's one case, due `reply_days` working days after the local day of the hand-off
  (`add_working_days`: weekends and England and Wales bank holidays skipped), and emails the
  team's address with the reference and a link to the case, never what the person said or who
  they are. Handing an open case to another team is the same step again ("passed to X" again);
  its due day starts again from then.
- States: passed on -> acknowledged -> replied -> closed. Closing is possible from any open state
  (with an optional note); a closed case can be reopened. Each step is kept with who and when
  (the timeline, `CaseEvent`) and audited.
- Staff may email the family only when the contribution kept contact details with an email
  address and the person asked to hear back (in "Tell us", leaving an email address *is* that
  agreement: `Contact.wants_updates`). Otherwise a reply made another way (phone, letter, in
  person) is recorded. Either way the reply is kept with the case; its text may hold personal
  details, so it is kept as long as the contact details are (`delete_after`) and then blanked
  by the retention job.
- A case is answered on the local day of its first reply; answered within target when that day
  is on or before its due day. Overdue: open, not yet answered and its due day has passed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    Case,
    CaseEvent,
    CaseReply,
    CaseState,
    CaseStep,
    Contribution,
    ContributionState,
    Organisation,
    ReplyMethod,
    Team,
    User,
    contribution_areas,
)
from ...models.base import utcnow
from ..mail import outbox
from ..people import audit, roles
from ..shared import suppression
from ..shared.dates import (
    add_working_days,
    day,
    local_day,
    local_day_bounds,
    working_days_between,
)
from ..shared.errors import NotAllowed, Refused
from ..shared.ids import valid_id
from ..shared.paging import Page, page_of

NAME_LIMIT = 200
EMAIL_LIMIT = 254
REPLY_DAYS_DEFAULT = 10
REPLY_DAYS_MIN, REPLY_DAYS_MAX = 1, 60
NOTE_LIMIT = 2000
REPLY_LIMIT = 5000
PAGE_SIZE = 50

OPEN_STATES = (CaseState.PASSED_ON.value, CaseState.ACKNOWLEDGED.value, CaseState.REPLIED.value)
UNANSWERED_STATES = (CaseState.PASSED_ON.value, CaseState.ACKNOWLEDGED.value)


def today() -> date:
    return local_day(utcnow())


# --- Teams -----------------------------------------------------------------------------------


@dataclass
class TeamInUse:
    team: Team
    open_cases: int
    all_cases: int


def team_by_id(team_id) -> Team | None:
    number = valid_id(team_id)
    return db.session.get(Team, number) if number is not None else None


def teams_in_use(keep_id: int | None = None) -> list[Team]:
    """Teams offered for a hand-off, by name: those not retired (and `keep_id` even if it is)."""
    query = select(Team).order_by(func.lower(Team.name))
    condition = Team.retired_at.is_(None)
    if keep_id:
        condition = or_(condition, Team.id == keep_id)
    return list(db.session.scalars(query.where(condition)))


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(func.lower(Team.name))))


def team_listing() -> list[TeamInUse]:
    """Every team, in use first, with its open and total cases (one query)."""
    rows = db.session.execute(
        select(
            Team,
            func.count(Case.id),
            func.coalesce(func.sum(case((Case.state.in_(OPEN_STATES), 1), else_=0)), 0),
        )
        .outerjoin(Case, Case.team_id == Team.id)
        .options(selectinload(Team.organisation))
        .group_by(Team.id)
        .order_by(Team.retired_at.is_not(None), func.lower(Team.name))
    ).all()
    return [TeamInUse(team, open_cases, total) for team, total, open_cases in rows]


@dataclass
class TeamDetails:
    name: str = ""
    organisation_id: int | None = None
    email: str = ""
    reply_days: int | None = REPLY_DAYS_DEFAULT


def _checked_team(details: TeamDetails, team_id: int | None = None) -> TeamDetails:
    name = " ".join((details.name or "").split())
    email = (details.email or "").strip().lower()
    problems = []
    if not name:
        problems.append(("name", _l("Enter the team’s name")))
    elif len(name) > NAME_LIMIT:
        problems.append(
            ("name", _l("The name must be %(limit)d characters or fewer", limit=NAME_LIMIT))
        )
    elif db.session.scalar(
        select(Team.id).where(func.lower(Team.name) == name.lower(), Team.id != (team_id or 0))
    ):
        problems.append(("name", _l("There is already a team with this name")))
    organisation = (
        db.session.get(Organisation, details.organisation_id) if details.organisation_id else None
    )
    if organisation is None:
        problems.append(("organisation", _l("Select the team’s organisation")))
    if not email:
        problems.append(("email", _l("Enter the team’s shared email address")))
    elif len(email) > EMAIL_LIMIT or "@" not in email or any(c.isspace() for c in email):
        problems.append(
            ("email", _l("Enter an email address in the correct format, like name@example.com"))
        )
    reply_days = details.reply_days
    if reply_days is None or not REPLY_DAYS_MIN <= reply_days <= REPLY_DAYS_MAX:
        problems.append(
            (
                "reply_days",
                _l(
                    "The target reply time must be between %(low)d and %(high)d working days",
                    low=REPLY_DAYS_MIN,
                    high=REPLY_DAYS_MAX,
                ),
            )
        )
    if problems:
        raise Refused(*problems)
    return TeamDetails(name, organisation.id, email, reply_days)


def add_team(actor: User, details: TeamDetails) -> Team:
    details = _checked_team(details)
    team = Team(
        name=details.name,
        organisation_id=details.organisation_id,
        email=details.email,
        reply_days=details.reply_days,
    )
    db.session.add(team)
    db.session.flush()
    audit.record("team.created", team, actor=actor, summary=f"Added team {team.name}")
    db.session.commit()
    return team


def change_team(actor: User, team: Team, details: TeamDetails) -> bool:
    """Save a team's details; False when nothing changed (nothing is audited then). Open cases
    keep the due day they were given."""
    details = _checked_team(details, team.id)
    changed = audit.apply_changes(
        team,
        {
            "name": details.name,
            "organisation_id": details.organisation_id,
            "email": details.email,
            "reply_days": details.reply_days,
        },
    )
    if changed:
        audit.record(
            "team.changed", team, actor=actor, summary=f"Changed team {team.name}", detail=changed
        )
    db.session.commit()
    return bool(changed)


def set_team_retired(actor: User, team: Team, retired: bool) -> None:
    """Retire a team (no longer offered for hand-offs; its cases keep it) or bring it back."""
    if retired == (team.retired_at is not None):
        return
    team.retired_at = utcnow() if retired else None
    audit.record(
        "team.retired" if retired else "team.reinstated",
        team,
        actor=actor,
        summary=("Retired" if retired else "Brought back") + f" team {team.name}",
    )
    db.session.commit()


# --- Handing over ----------------------------------------------------------------------------


def assignable_staff(keep_id: int | None = None) -> list[User]:
    """Active staff who can be named on a case, by name."""
    condition = User.is_active_account.is_(True)
    if keep_id:
        condition = or_(condition, User.id == keep_id)
    return list(db.session.scalars(select(User).where(condition).order_by(func.lower(User.name))))


def case_for_contribution(contribution_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.contribution_id == contribution_id))


def case_by_id(case_id) -> Case | None:
    """One case with what its page shows, or None."""
    number = valid_id(case_id)
    if number is None:
        return None
    return db.session.scalar(
        select(Case)
        .where(Case.id == number)
        .options(
            joinedload(Case.team),
            joinedload(Case.assigned_to),
            joinedload(Case.contribution),
            selectinload(Case.events).joinedload(CaseEvent.by),
            selectinload(Case.events).joinedload(CaseEvent.team),
            selectinload(Case.replies).joinedload(CaseReply.by),
            selectinload(Case.replies).joinedload(CaseReply.outbox_message),
        )
    )


def _due_on(team: Team, moment: datetime) -> date:
    return add_working_days(local_day(moment), team.reply_days)


def _email_team(case_record: Case, team: Team, *, again: bool) -> None:
    """The team's email: the reference, the due day and a link to the case. Never what the
    person said, nor anything about them: the link asks the reader to sign in."""
    link = url_for("manage.case", case_id=case_record.id, _external=True)
    reference = case_record.contribution.reference
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _(
            "Individual case %(reference)s passed to %(team)s", reference=reference, team=team.name
        )
        values = {
            "reference": reference,
            "team": team.name,
            "due": day(case_record.due_on),
            "days": team.reply_days,
            "link": link,
        }
        if again:
            opening = _(
                "A family's feedback (reference %(reference)s) has been passed on to %(team)s "
                "from another team, as an individual case.",
                **values,
            )
        else:
            opening = _(
                "A family's feedback (reference %(reference)s) has been passed to %(team)s as an "
                "individual case.",
                **values,
            )
        body = _(
            "%(opening)s\n\nPlease reply by %(due)s (%(days)d working days).\n\n"
            "Sign in to read it, acknowledge it and reply:\n%(link)s\n\n"
            "For their privacy, this email does not contain what they said or who they are.\n",
            opening=opening,
            **values,
        )
    outbox.enqueue("case.passed_on", team.email, subject, body)


def hand_off(
    actor: User, contribution: Contribution, team_id, assigned_to_id=None, note: str = ""
) -> Case:
    """Hand a contribution to a team as an individual case (or pass its case to another team).

    Only coders make a contribution a case; any caseworker may pass an existing case on.
    Refused without a team in use, with a person who is not active staff, for a hidden
    contribution, or to the team that already has the open case."""
    team = team_by_id(team_id)
    existing = case_for_contribution(contribution.id)
    if existing is None and not actor.has_role(*roles.CODERS):
        raise NotAllowed()  # making a contribution a case is coding it
    problems = []
    if team is None or (team.retired_at is not None):
        problems.append(("team", _l("Select the team who will take this case")))
    person = None
    if assigned_to_id:
        person = db.session.get(User, valid_id(assigned_to_id) or 0)
        if person is None or not person.is_active_account:
            problems.append(("person", _l("Select a member of staff from the list")))
    if contribution.state == ContributionState.HIDDEN.value:
        problems.append(("team", _l("A hidden contribution cannot be handed over")))
    if (
        existing is not None
        and team is not None
        and existing.is_open
        and existing.team_id == team.id
    ):
        problems.append(("team", _("This case is already with %(team)s", team=team.name)))
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        problems.append(
            ("note", _l("The note must be %(limit)d characters or fewer", limit=NOTE_LIMIT))
        )
    if problems:
        raise Refused(*problems)
    now = utcnow()
    again = existing is not None
    if existing is None:
        case_record = Case(contribution=contribution, team=team, created_at=now)
        db.session.add(case_record)
    else:
        case_record = existing
        case_record.team = team
        case_record.closed_at = None
    case_record.assigned_to = person
    case_record.state = CaseState.PASSED_ON.value
    case_record.passed_on_at = now
    case_record.due_on = _due_on(team, now)
    case_record.events.append(
        CaseEvent(kind=CaseStep.PASSED_ON.value, team=team, by_id=actor.id, note=note, at=now)
    )
    if contribution.state != ContributionState.INDIVIDUAL_CASE.value:
        contribution.state = ContributionState.INDIVIDUAL_CASE.value
        contribution.coded_at = now
        contribution.coded_by_id = actor.id
    db.session.flush()
    _email_team(case_record, team, again=again)
    audit.record(
        "case.passed_on",
        case_record,
        actor=actor,
        summary=f"{contribution.reference}: passed to {team.name}",
        detail={
            "team_id": team.id,
            "assigned_to_id": person.id if person else None,
            "due_on": case_record.due_on.isoformat(),
            "again": again,
        },
    )
    db.session.commit()
    return case_record


# --- Working a case --------------------------------------------------------------------------


def _step(actor: User, case_record: Case, kind: CaseStep, note: str = "", at=None) -> CaseEvent:
    event = CaseEvent(kind=kind.value, by_id=actor.id, note=note, at=at or utcnow())
    case_record.events.append(event)
    return event


def acknowledge(actor: User, case_record: Case) -> None:
    """The team has seen it: only a case just passed on can be acknowledged."""
    if case_record.state != CaseState.PASSED_ON.value:
        raise Refused(_l("Only a case that has just been passed on can be acknowledged"))
    case_record.state = CaseState.ACKNOWLEDGED.value
    _step(actor, case_record, CaseStep.ACKNOWLEDGED)
    audit.record(
        "case.acknowledged",
        case_record,
        actor=actor,
        summary=f"{case_record.contribution.reference}: acknowledged",
    )
    db.session.commit()


def email_refusal(case_record: Case):
    """Why staff cannot email the family from this case, or None when they can."""
    contact = case_record.contribution.contact
    if contact is None or not (contact.email or "").strip():
        return _l(
            "The person did not leave an email address (or it has been deleted under the "
            "retention rules), so you cannot email them from here."
        )
    if not contact.wants_updates:
        return _l("The person did not agree to be contacted, so you cannot email them from here.")
    return None


def _reply_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise Refused(_l("Enter your reply"), field="text")
    if len(text) > REPLY_LIMIT:
        raise Refused(
            _l("The reply must be %(limit)d characters or fewer", limit=REPLY_LIMIT), field="text"
        )
    return text


def _mark_replied(actor: User, case_record: Case, reply: CaseReply) -> None:
    if not case_record.is_open:
        raise Refused(_l("This case is closed. Reopen it to reply."))
    case_record.replies.append(reply)
    if case_record.answered_at is None:
        case_record.answered_at = reply.at
        case_record.answered_on = local_day(reply.at)
    case_record.state = CaseState.REPLIED.value
    _step(actor, case_record, CaseStep.REPLIED, at=reply.at)


def _reply_delete_after(case_record: Case, now: datetime) -> datetime:
    contact = case_record.contribution.contact
    if contact is not None and contact.delete_after is not None:
        return contact.delete_after
    return now + timedelta(days=current_app.config.get("CONTACT_RETENTION_DAYS", 365))


def reply_by_email(actor: User, case_record: Case, text: str) -> CaseReply:
    """Email the family through the outbox, in their language's frame, and keep the reply with
    the case (with its outbox message, so its sending is recorded)."""
    refusal = email_refusal(case_record)
    if refusal is not None:
        raise Refused(refusal, field="text")
    text = _reply_text(text)
    contribution = case_record.contribution
    now = utcnow()
    languages = current_app.config["LANGUAGES"]
    language = contribution.language if contribution.language in languages else "en"
    with force_locale(language):
        subject = _("A reply about your feedback %(reference)s", reference=contribution.reference)
        body = _(
            "%(reply)s\n\n---\nThis is a reply to the feedback you gave us (reference "
            "%(reference)s). You can follow it at %(track)s with your reference.\n",
            reply=text,
            reference=contribution.reference,
            track=url_for("public.track", _external=True),
        )
    message = outbox.enqueue("case.reply", contribution.contact.email, subject, body)
    reply = CaseReply(
        method=ReplyMethod.EMAIL.value,
        text=text,
        by_id=actor.id,
        at=now,
        outbox_message=message,
        delete_after=_reply_delete_after(case_record, now),
    )
    _mark_replied(actor, case_record, reply)
    db.session.flush()
    audit.record(
        "case.replied",
        case_record,
        actor=actor,
        summary=f"{contribution.reference}: replied by email",
        detail={"method": reply.method, "outbox_message_id": message.id},
    )
    db.session.commit()
    return reply


OTHER_METHODS = (ReplyMethod.PHONE, ReplyMethod.LETTER, ReplyMethod.IN_PERSON)


def record_reply(actor: User, case_record: Case, method: str, text: str) -> CaseReply:
    """A reply made another way (phone, letter, in person), so the case can be marked replied."""
    if method not in {m.value for m in OTHER_METHODS}:
        raise Refused(_l("Select how you replied"), field="method")
    text = _reply_text(text)
    now = utcnow()
    reply = CaseReply(
        method=method,
        text=text,
        by_id=actor.id,
        at=now,
        delete_after=_reply_delete_after(case_record, now),
    )
    _mark_replied(actor, case_record, reply)
    audit.record(
        "case.replied",
        case_record,
        actor=actor,
        summary=f"{case_record.contribution.reference}: reply recorded ({method})",
        detail={"method": method},
    )
    db.session.commit()
    return reply


def close(actor: User, case_record: Case, note: str = "") -> None:
    """Close an open case, with an optional note for staff."""
    if not case_record.is_open:
        raise Refused(_l("This case is already closed"))
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise Refused(
            _l("The note must be %(limit)d characters or fewer", limit=NOTE_LIMIT), field="note"
        )
    now = utcnow()
    case_record.state = CaseState.CLOSED.value
    case_record.closed_at = now
    _step(actor, case_record, CaseStep.CLOSED, note=note, at=now)
    audit.record(
        "case.closed",
        case_record,
        actor=actor,
        summary=f"{case_record.contribution.reference}: closed",
    )
    db.session.commit()


def reopen(actor: User, case_record: Case) -> None:
    """Open a closed case again, where it was before it closed (replied if it had a reply)."""
    if case_record.is_open:
        raise Refused(_l("This case is already open"))
    case_record.state = (
        CaseState.REPLIED.value if case_record.answered_at else CaseState.ACKNOWLEDGED.value
    )
    case_record.closed_at = None
    _step(actor, case_record, CaseStep.REOPENED)
    audit.record(
        "case.reopened",
        case_record,
        actor=actor,
        summary=f"{case_record.contribution.reference}: reopened",
    )
    db.session.commit()


# --- Lists -----------------------------------------------------------------------------------


def _overdue_condition(as_of: date):
    return and_(Case.state.in_(UNANSWERED_STATES), Case.due_on < as_of)


@dataclass
class CaseFilters:
    team_id: int | None = None
    state: str | None = None  # a CaseState value, "open" (the default) or "all"


@dataclass
class CaseRow:
    case: Case
    overdue_days: int  # working days past the due day; 0 when not overdue


def cases_page(filters: CaseFilters, page: int = 1, as_of: date | None = None) -> Page:
    """A page of cases grouped by team (by name), in each team those past their target reply
    time first, then by due day. Three queries whatever the number of cases."""
    as_of = as_of or today()
    query = select(Case).join(Team, Team.id == Case.team_id)
    if filters.team_id:
        query = query.where(Case.team_id == filters.team_id)
    state = filters.state or "open"
    if state == "open":
        query = query.where(Case.state.in_(OPEN_STATES))
    elif state != "all":
        query = query.where(Case.state == state)
    query = query.order_by(
        func.lower(Team.name),
        Team.id,
        case((_overdue_condition(as_of), 0), else_=1),
        Case.due_on,
        Case.id,
    ).options(joinedload(Case.team), joinedload(Case.contribution), joinedload(Case.assigned_to))
    found = page_of(query, page, PAGE_SIZE)
    found.items = [
        CaseRow(
            row,
            working_days_between(row.due_on, as_of)
            if row.state in UNANSWERED_STATES and row.due_on < as_of
            else 0,
        )
        for row in found.items
    ]
    return found


@dataclass
class TeamCases:
    team_id: int
    team_name: str
    open: int
    overdue: int


def open_by_team(as_of: date | None = None) -> list[TeamCases]:
    """Open cases per team, with how many are past their target reply time: one query."""
    as_of = as_of or today()
    rows = db.session.execute(
        select(
            Team.id,
            Team.name,
            func.count(Case.id),
            func.coalesce(func.sum(case((_overdue_condition(as_of), 1), else_=0)), 0),
        )
        .join(Case, Case.team_id == Team.id)
        .where(Case.state.in_(OPEN_STATES))
        .group_by(Team.id, Team.name)
        .order_by(func.lower(Team.name))
    ).all()
    return [TeamCases(*row) for row in rows]


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class CaseFigures:
    passed_on: int = 0
    answered: int = 0
    answered_within_target: int = 0
    open: int = 0
    overdue: int = 0


def _answered_within():
    return and_(Case.answered_on.is_not(None), Case.answered_on <= Case.due_on)


def answer_figures(
    start: date, end: date, as_of: date | None = None, by_area: bool = True
) -> dict[int | None, CaseFigures]:
    """For cases first handed over from `start` to `end` (local days, both included): per area
    the case's contribution is linked to (None: linked to no area), how many were passed on,
    answered, answered within their target reply time, are open, and are overdue (as of
    `as_of`, today by default). A case linked to several areas counts once in each. With
    `by_area=False`, every case once, under None. One grouped query."""
    as_of = as_of or today()
    first, after_last = local_day_bounds(start, end)
    area = contribution_areas.c.area_id if by_area else literal(None)
    query = (
        select(
            area,
            func.count(Case.id),
            func.coalesce(func.sum(case((Case.answered_on.is_not(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((_answered_within(), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Case.state.in_(OPEN_STATES), 1), else_=0)), 0),
            func.coalesce(func.sum(case((_overdue_condition(as_of), 1), else_=0)), 0),
        )
        .select_from(Case)
        .where(Case.created_at >= first, Case.created_at < after_last)
    )
    if by_area:
        query = query.outerjoin(
            contribution_areas, contribution_areas.c.contribution_id == Case.contribution_id
        ).group_by(contribution_areas.c.area_id)
    rows = db.session.execute(query).all()
    return {
        area_id: CaseFigures(int(p), int(a), int(w), int(o), int(d))
        for area_id, p, a, w, o, d in rows
    }


@dataclass
class AreaAnswers:
    """For an area's page: of the cases whose time has come (answered, or past their due day),
    how many were answered within the target reply time."""

    within_target: int
    counted: int

    @property
    def shown(self) -> bool:
        return self.counted > 0

    @property
    def too_few(self) -> bool:
        """Fewer cases than may be published: no figures at all, so none can be worked out."""
        return suppression.suppressed(self.counted)

    @property
    def threshold(self) -> int:
        return suppression.threshold()

    @property
    def within_target_display(self) -> str:
        return suppression.published_count(self.within_target)

    @property
    def counted_display(self) -> str:
        return suppression.published_count(self.counted)


def area_answers(area_id: int, as_of: date | None = None) -> AreaAnswers:
    as_of = as_of or today()
    counted_condition = or_(Case.answered_on.is_not(None), Case.due_on < as_of)
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((_answered_within(), 1), else_=0)), 0),
            func.count(Case.id),
        )
        .join(contribution_areas, contribution_areas.c.contribution_id == Case.contribution_id)
        .where(contribution_areas.c.area_id == area_id, counted_condition)
    ).one()
    return AreaAnswers(within_target=int(row[0]), counted=int(row[1]))


# --- What the family sees on /track ----------------------------------------------------------


@dataclass(frozen=True)
class TrackedStep:
    kind: str  # passed_on, acknowledged, replied, closed
    on: date
    team: str = ""  # for passed_on only


def tracked_steps(contribution_id: int) -> list[TrackedStep]:
    """A case's steps as the family may see them: what happened and the day, and which team for
    a hand-off. Never the reply's text, notes, or any member of staff."""
    rows = db.session.execute(
        select(CaseEvent.kind, CaseEvent.at, Team.name)
        .join(Case, Case.id == CaseEvent.case_id)
        .outerjoin(Team, Team.id == CaseEvent.team_id)
        .where(Case.contribution_id == contribution_id)
        .order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    steps = []
    for kind, at, team_name in rows:
        if kind == CaseStep.REOPENED.value:
            if steps and steps[-1].kind == CaseStep.CLOSED.value:
                steps.pop()  # closed, then opened again: no longer closed
            continue
        if kind == CaseStep.REPLIED.value and any(s.kind == kind for s in steps):
            continue  # "Replied on" once: the first reply
        steps.append(TrackedStep(kind=kind, on=local_day(at), team=team_name or ""))
    return steps
