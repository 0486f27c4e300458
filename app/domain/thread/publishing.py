""" "You said, we did": drafting, evidence, approval, publishing, later edits and withdrawal.
What the public sees is read in you_said_we_did.py.

Rules kept here, not in views:
- officers and admins write and publish; forum coordinators may draft and submit for approval,
  never approve, publish, edit a published response or withdraw one;
- the two-person rule: nobody who wrote or edited a version may approve it; editing a response
  awaiting approval sends it back to draft; a change to a published response waits for the same
  approval (the published version stays public until then); an approval given on a page opened
  before the last change is refused (`version`);
- officers approve for their own organisation; an approver from another organisation only when
  an administrator allows it (`cross_organisation_approval`);
- safeguarding-flagged and hidden contributions are never evidence and never quoted;
- nothing is deleted: edits after publishing keep a revision, withdrawing keeps the response.

Each change is one transaction with its audit entry (and, on publishing, its queued emails).
"""

from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    ApprovalState,
    Area,
    AuditEntry,
    Contribution,
    ContributionSource,
    ContributionState,
    Organisation,
    Setting,
    Theme,
    User,
    WeDidStatus,
    YouSaidWeDid,
    YouSaidWeDidRevision,
    contribution_actions,
    contribution_areas,
    contribution_themes,
    response_actions,
    response_areas,
    response_contributions,
)
from ...models.base import utcnow
from ..mail import notifications
from ..people import audit, roles
from ..shared import suppression
from ..shared.errors import NotAllowed, Refused
from ..shared.paging import page_of
from ..shared.records import by_ids, linked
from ..shared.text import checked_text, contains_pattern
from .contributions import EVIDENCE_STATES, linked_to, quotable, usable_as_evidence

TITLE_MAX = 300
TEXT_MAX = 10_000
REASON_MAX = 2_000
WHAT_CHANGED_MAX = 500
EVIDENCE_PAGE_SIZE = 50
QUOTES_ON_PAGE = 10

ONLY_APPROVERS_APPROVE = _l(
    "Forum coordinators cannot approve or publish responses. "
    "An officer or administrator must approve it."
)

EDITABLE_STATES = (ApprovalState.DRAFT.value, ApprovalState.AWAITING_APPROVAL.value)
RESPONSE_AUDIT_ACTIONS = (
    "response.created",
    "response.updated",
    "response.submitted",
    "response.approved",
    "response.published",
    "response.withdrawn",
    "response.returned",
    "response.change_proposed",
    "response.change_approved",
    "response.sent_back_to_draft",
    "response.change_turned_down",
)
CROSS_ORGANISATION_KEY = "responses.cross_organisation_approval"
STALE = _l(
    "This response has changed since you opened it. Check the latest version before you approve it."
)


# ---------------------------------------------------------------- drafting


@dataclass
class ResponseFields:
    title: str
    you_said: str = ""
    we_did: str = ""
    status: str = WeDidStatus.PLANNED.value
    status_reason: str = ""
    organisation_id: int | None = None
    area_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)


YOU_SAID_MISSING = _l("Enter what people told us")
WE_DID_MISSING = _l("Enter what was done or will be done")


def _check_fields(fields: ResponseFields, complete: bool = True) -> ResponseFields:
    """The fields as they will be stored. A draft needs only its title (`complete=False`); a
    response sent for approval, or published, needs "You said" and "We did" too."""
    title = checked_text(
        fields.title,
        TITLE_MAX,
        field="title",
        missing=_l("Enter a title"),
        too_long=_l("Title must be %(max)d characters or fewer", max=TITLE_MAX),
    )
    you_said = checked_text(
        fields.you_said,
        TEXT_MAX,
        field="you_said",
        missing=YOU_SAID_MISSING if complete else None,
        too_long=_l("“You said” must be %(max)d characters or fewer", max=TEXT_MAX),
    )
    we_did = checked_text(
        fields.we_did,
        TEXT_MAX,
        field="we_did",
        missing=WE_DID_MISSING if complete else None,
        too_long=_l("“We did” must be %(max)d characters or fewer", max=TEXT_MAX),
    )
    if fields.status not in {s.value for s in WeDidStatus}:
        raise Refused(_l("Select a status"), field="status")
    if fields.status == WeDidStatus.NOT_POSSIBLE.value:
        reason = _checked_reason(
            fields.status_reason, _l("Enter why it is not possible"), field="status_reason"
        )
    else:
        reason = ""  # a reason only belongs to "not possible"
    if not fields.organisation_id or db.session.get(Organisation, fields.organisation_id) is None:
        raise Refused(_l("Select an organisation"), field="organisation")
    return ResponseFields(
        title=title,
        you_said=you_said,
        we_did=we_did,
        status=fields.status,
        status_reason=reason,
        organisation_id=fields.organisation_id,
        area_ids=sorted(set(fields.area_ids or [])),
        action_ids=sorted(set(fields.action_ids or [])),
    )


def _checked_reason(reason: str, missing, field: str = "reason") -> str:
    """A reason is required and at most REASON_MAX characters."""
    return checked_text(
        reason,
        REASON_MAX,
        field=field,
        missing=missing,
        too_long=_l("The reason must be %(max)d characters or fewer", max=REASON_MAX),
    )


def _require_role(actor: User, allowed, message: str) -> None:
    if actor is None or not actor.has_role(*allowed):
        raise NotAllowed(message)


def _area_label(area: Area) -> str:
    return f"Area {area.number}"


def _apply(response: YouSaidWeDid, fields: ResponseFields) -> dict[str, dict]:
    """Set the fields on the response. What changed, for the history: {field: {"from", "to"}},
    with the organisation, areas and actions by name so the history reads without looking up."""
    names = ("title", "you_said", "we_did", "status", "status_reason")
    changed = audit.apply_changes(response, {name: getattr(fields, name) for name in names})
    if response.organisation_id != fields.organisation_id:
        before = response.organisation
        organisation = db.session.get(Organisation, fields.organisation_id)
        response.organisation_id = fields.organisation_id
        response.organisation = organisation
        changed["organisation"] = {
            "from": before.name if before else None,
            "to": organisation.name if organisation else None,
        }
    areas = by_ids(Area, fields.area_ids)
    if {a.id for a in response.areas} != {a.id for a in areas}:
        changed["areas"] = {
            "from": [_area_label(a) for a in response.areas],
            "to": [_area_label(a) for a in sorted(areas, key=lambda a: a.number)],
        }
        response.areas = areas
    actions = by_ids(Action, fields.action_ids)
    if {a.id for a in response.actions} != {a.id for a in actions}:
        changed["actions"] = {
            "from": [a.reference for a in response.actions],
            "to": sorted(a.reference for a in actions),
        }
        response.actions = actions
    return changed


def _changed_detail(changes: dict[str, dict]) -> dict:
    """The audit detail of an edit: which fields changed, and each one's before and after."""
    return {"changed": list(changes), "changes": changes}


def create_draft(
    actor: User,
    fields: ResponseFields,
    contribution_ids=(),
    add_matching: "EvidenceFilter | None" = None,
) -> YouSaidWeDid:
    """A new draft: only its title is needed. It may start with chosen contributions as its
    evidence (from the inbox) and with every contribution matching `add_matching` (the
    contributions linked to its areas and actions), in the same transaction."""
    _require_role(actor, roles.RESPONSE_WRITERS, _l("Only staff can write responses."))
    fields = _check_fields(fields, complete=False)
    if add_matching is not None:
        _check_add_all(matching_count(add_matching), confirmed=False)
    response = YouSaidWeDid(
        author_id=actor.id,
        state=ApprovalState.DRAFT.value,
        title="",
        you_said="",
        we_did="",
        version=1,
        editor_ids=[actor.id],
    )
    _apply(response, fields)
    db.session.add(response)
    db.session.flush()
    added = _attach(response, list(contribution_ids)) if contribution_ids else 0
    if add_matching is not None:
        added += _insert_links(
            response,
            _not_attached(_filtered(select(Contribution.id), add_matching), response).order_by(
                Contribution.id
            ),
        )
    audit.record(
        "response.created",
        response,
        actor=actor,
        summary=response.title[:500],
        detail={"evidence_added": added},
    )
    db.session.commit()
    return response


def _edited(actor: User, response: YouSaidWeDid) -> bool:
    """Note a change by `actor`: the version moves on (so an approval page opened before it is
    out of date), the actor may no longer approve this version, and a response awaiting
    approval goes back to draft, to be checked and sent again. Returns whether it went back."""
    response.version = (response.version or 0) + 1
    response.editor_ids = sorted({*(response.editor_ids or []), actor.id})
    if response.state != ApprovalState.AWAITING_APPROVAL.value:
        return False
    response.state = ApprovalState.DRAFT.value
    response.submitted_at = None
    audit.record(
        "response.sent_back_to_draft",
        response,
        actor=actor,
        summary=response.title[:500],
        detail={"reason": "edited while awaiting approval"},
    )
    return True


def translation_changed(actor: User, response: YouSaidWeDid) -> None:
    """A translation is part of what a response says, so the two-person rule covers it.

    Before publishing it belongs to the version being approved: the version moves on, the
    translator may not approve it, and a response awaiting approval goes back to draft, like
    any other edit. Once published, a translation is shown at once (it renders the approved
    English, it does not change what was decided); the audit log keeps each text before and
    after, so a second person can check it (`domain.engagement.translations.save`).
    """
    if response.state in EDITABLE_STATES:
        _edited(actor, response)


def update_draft(actor: User, response: YouSaidWeDid, fields: ResponseFields) -> list[str]:
    """Change a draft (which may stay incomplete) or a response awaiting approval, which goes
    back to draft: what an approver sees is never changed under them. Returns the names of the
    fields that changed."""
    _require_role(actor, roles.RESPONSE_WRITERS, _l("Only staff can write responses."))
    if response.state not in EDITABLE_STATES:
        raise Refused(_l("Only a draft or a response awaiting approval can be edited here."))
    # A response awaiting approval stays complete: the edit that sends it back to draft is
    # checked as if it were being sent again.
    fields = _check_fields(fields, complete=response.state != ApprovalState.DRAFT.value)
    changes = _apply(response, fields)
    if changes:
        audit.record(
            "response.updated",
            response,
            actor=actor,
            summary=response.title[:500],
            detail=_changed_detail(changes),
        )
        _edited(actor, response)
    db.session.commit()
    return list(changes)


def missing_for_approval(response: YouSaidWeDid) -> list[tuple[str, object]]:
    """What a draft still needs before it can be sent for approval, as (field, message) pairs."""
    problems = []
    if not (response.you_said or "").strip():
        problems.append(("you_said", YOU_SAID_MISSING))
    if not (response.we_did or "").strip():
        problems.append(("we_did", WE_DID_MISSING))
    if (
        response.status == WeDidStatus.NOT_POSSIBLE.value
        and not (response.status_reason or "").strip()
    ):
        problems.append(("status_reason", _l("Enter why it is not possible")))
    return problems


# ---------------------------------------------------------------- evidence


# "Add all matching" adds up to this many at once; more needs a confirmation.
ADD_ALL_WITHOUT_CONFIRMING = 50


@dataclass
class EvidenceFilter:
    area_id: int | None = None
    action_id: int | None = None
    theme_id: int | None = None
    state: str | None = None
    text: str = ""
    # The response's own areas and actions: a contribution linked to any of them matches.
    # Empty lists mean "everything" (the officer widened the search, or there are no links).
    scope_area_ids: list[int] = field(default_factory=list)
    scope_action_ids: list[int] = field(default_factory=list)

    @property
    def scoped(self) -> bool:
        return bool(self.scope_area_ids or self.scope_action_ids)


def scope_of(response_or_ids) -> tuple[list[int], list[int]]:
    """The area and action ids the evidence step starts from."""
    return [a.id for a in response_or_ids.areas], [a.id for a in response_or_ids.actions]


def _in_scope(f: EvidenceFilter):
    conditions = []
    if f.scope_area_ids:
        conditions.append(
            exists().where(
                contribution_areas.c.contribution_id == Contribution.id,
                contribution_areas.c.area_id.in_(f.scope_area_ids),
            )
        )
    if f.scope_action_ids:
        conditions.append(
            exists().where(
                contribution_actions.c.contribution_id == Contribution.id,
                contribution_actions.c.action_id.in_(f.scope_action_ids),
            )
        )
    return or_(*conditions)


def _filtered(query, evidence_filter: EvidenceFilter):
    f = evidence_filter
    query = query.where(usable_as_evidence())
    if f.scoped:
        query = query.where(_in_scope(f))
    query = query.where(*linked_to(f.area_id or None, f.action_id or None, f.theme_id or None))
    if f.state in EVIDENCE_STATES:
        query = query.where(Contribution.state == f.state)
    if f.text:
        query = query.where(Contribution.text.ilike(contains_pattern(f.text), escape="\\"))
    return query


def _not_attached(query, response: YouSaidWeDid):
    return query.where(
        ~exists().where(
            response_contributions.c.response_id == response.id,
            response_contributions.c.contribution_id == Contribution.id,
        )
    )


@dataclass
class EvidenceCandidates:
    contributions: list[Contribution]
    count: int


def evidence_candidates(
    response: YouSaidWeDid, evidence_filter: EvidenceFilter, limit: int = EVIDENCE_PAGE_SIZE
) -> EvidenceCandidates:
    """The first `limit` matching contributions (newest first, themes loaded) and how many match."""
    base = _not_attached(_filtered(select(Contribution), evidence_filter), response)
    count = db.session.scalar(
        _not_attached(_filtered(select(func.count(Contribution.id)), evidence_filter), response)
    )
    contributions = list(
        db.session.scalars(
            base.options(selectinload(Contribution.themes))
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(limit)
        )
    )
    return EvidenceCandidates(contributions=contributions, count=count or 0)


def current_evidence(response: YouSaidWeDid, limit: int = 100) -> EvidenceCandidates:
    query = (
        select(Contribution)
        .join(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .where(response_contributions.c.response_id == response.id)
    )
    count = db.session.scalar(
        select(func.count())
        .select_from(response_contributions)
        .where(response_contributions.c.response_id == response.id)
    )
    contributions = list(
        db.session.scalars(
            query.options(selectinload(Contribution.themes))
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(limit)
        )
    )
    return EvidenceCandidates(contributions=contributions, count=count or 0)


def _insert_links(response: YouSaidWeDid, query) -> int:
    """Link the contribution ids the query selects (eligible, not yet attached); return how many."""
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            insert(response_contributions),
            [{"response_id": response.id, "contribution_id": i} for i in ids],
        )
    return len(ids)


def _attach(response: YouSaidWeDid, contribution_ids: list[int]) -> int:
    """Attach the eligible ids not yet attached; return how many were added."""
    wanted = sorted({int(i) for i in contribution_ids})
    added = 0
    for start in range(0, len(wanted), 500):  # stay well inside every database's parameter limit
        chunk = wanted[start : start + 500]
        added += _insert_links(
            response,
            _not_attached(
                select(Contribution.id).where(Contribution.id.in_(chunk), usable_as_evidence()),
                response,
            ),
        )
    return added


def _check_evidence_editable(actor: User, response: YouSaidWeDid) -> None:
    _require_role(actor, roles.RESPONSE_WRITERS, _l("Only staff can write responses."))
    if response.state not in EDITABLE_STATES:
        raise Refused(_l("Evidence can only be changed before a response is published."))


def add_evidence(actor: User, response: YouSaidWeDid, contribution_ids) -> int:
    """Attach the chosen contributions; safeguarding-flagged and hidden ones are never attached."""
    _check_evidence_editable(actor, response)
    added = _attach(response, list(contribution_ids))
    if added:
        audit.record(
            "response.updated",
            response,
            actor=actor,
            summary=response.title[:500],
            detail={"evidence_added": added},
        )
        _edited(actor, response)
    db.session.commit()
    return added


def matching_count(evidence_filter: EvidenceFilter, response: YouSaidWeDid | None = None) -> int:
    """How many contributions match (and are not yet evidence of `response`, when given)."""
    query = _filtered(select(func.count(Contribution.id)), evidence_filter)
    if response is not None:
        query = _not_attached(query, response)
    return db.session.scalar(query) or 0


def needs_confirming(count: int) -> bool:
    """Whether adding this many contributions at once must be confirmed first."""
    return count > ADD_ALL_WITHOUT_CONFIRMING


def _check_add_all(count: int, confirmed: bool) -> None:
    if needs_confirming(count) and not confirmed:
        raise Refused(
            ngettext(
                "Adding %(num)d contribution at once must be confirmed.",
                "Adding %(num)d contributions at once must be confirmed.",
                count,
            )
        )


def add_all_matching(
    actor: User, response: YouSaidWeDid, evidence_filter: EvidenceFilter, confirmed: bool = False
) -> int:
    """Attach every contribution that matches. More than ADD_ALL_WITHOUT_CONFIRMING at once is
    refused unless the officer confirmed it, having seen how many."""
    _check_evidence_editable(actor, response)
    _check_add_all(matching_count(evidence_filter, response), confirmed)
    added = _insert_links(
        response,
        _not_attached(_filtered(select(Contribution.id), evidence_filter), response).order_by(
            Contribution.id
        ),
    )
    if added:
        audit.record(
            "response.updated",
            response,
            actor=actor,
            summary=response.title[:500],
            detail={"evidence_added": added, "all_matching": True},
        )
        _edited(actor, response)
    db.session.commit()
    return added


def remove_evidence(actor: User, response: YouSaidWeDid, contribution_ids) -> int:
    _check_evidence_editable(actor, response)
    ids = sorted({int(i) for i in contribution_ids})
    removed = 0
    for start in range(0, len(ids), 500):
        result = db.session.execute(
            delete(response_contributions).where(
                response_contributions.c.response_id == response.id,
                response_contributions.c.contribution_id.in_(ids[start : start + 500]),
            )
        )
        removed += result.rowcount or 0
    if removed:
        audit.record(
            "response.updated",
            response,
            actor=actor,
            summary=response.title[:500],
            detail={"evidence_removed": removed},
        )
        _edited(actor, response)
    db.session.commit()
    return removed


def evidence_ids(response: YouSaidWeDid) -> list[int]:
    return list(
        db.session.scalars(
            select(response_contributions.c.contribution_id).where(
                response_contributions.c.response_id == response.id
            )
        )
    )


DRAFT_THEMES = 3
DRAFT_QUOTES = 3


def draft_you_said(contribution_ids) -> str:
    """A starting point for "You said" that the officer edits: how many people, the themes they
    raised most with how many raised each, and up to three different approved quotes. Counts
    below the suppression threshold are never written down as numbers."""
    ids = sorted({int(i) for i in contribution_ids})
    if not ids:
        return ""
    eligible = select(Contribution.id).where(Contribution.id.in_(ids), usable_as_evidence())
    count = db.session.scalar(select(func.count()).select_from(eligible.subquery())) or 0
    if not count:
        return ""
    themes = db.session.execute(
        select(Theme.name, func.count(contribution_themes.c.contribution_id).label("n"))
        .join(contribution_themes, contribution_themes.c.theme_id == Theme.id)
        .where(contribution_themes.c.contribution_id.in_(eligible))
        .group_by(Theme.id, Theme.name)
        .order_by(func.count(contribution_themes.c.contribution_id).desc(), Theme.name)
        .limit(DRAFT_THEMES)
    ).all()
    quotes = []
    for quote in db.session.scalars(
        select(Contribution.quote_text)
        .where(Contribution.id.in_(eligible), quotable())
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
        .limit(50)
    ):
        quote = " ".join(quote.split())
        if quote and quote.casefold() not in {q.casefold() for q in quotes}:
            quotes.append(quote)
        if len(quotes) == DRAFT_QUOTES:
            break
    few = suppression.suppressed(count)
    if few:
        paragraphs = [
            _("Fewer than %(num)d people told us about this.", num=suppression.threshold())
        ]
    else:
        paragraphs = [
            ngettext(
                "%(num)d person told us about this.", "%(num)d people told us about this.", count
            )
        ]
    if themes:
        named = [
            name if few else _("%(theme)s (%(count)s)", theme=name, count=_people(n))
            for name, n in themes
        ]
        paragraphs.append(_("What they raised most: %(themes)s.", themes=_listed(named)))
    else:
        sources = db.session.execute(
            select(Contribution.source_type, func.count())
            .where(Contribution.id.in_(eligible))
            .group_by(Contribution.source_type)
            .order_by(func.count().desc(), Contribution.source_type)
        ).all()
        if not few:
            named = [
                _(
                    "%(source)s (%(count)s)",
                    source=ContributionSource(source).label,
                    count=_people(n),
                )
                for source, n in sources
            ]
            paragraphs.append(_("They told us through: %(sources)s.", sources=_listed(named)))
    if quotes:
        paragraphs.append(_("In their words:"))
        paragraphs.extend(f"\u201c{quote}\u201d" for quote in quotes)
    return "\n\n".join(paragraphs)


def _people(count: int) -> str:
    return suppression.published_count(count)


def _listed(items: list[str]) -> str:
    """ "a, b and c" in the reader's language."""
    locale = get_locale()
    # British English lists have no comma before "and" (GOV.UK style).
    if locale is None or locale.language == "en":
        locale = "en_GB"
    return format_list([str(item) for item in items], locale=locale)


# ---------------------------------------------------------------- workflow


def submit_for_approval(actor: User, response: YouSaidWeDid) -> None:
    """A draft goes for approval only when it is complete; each missing part is refused next to
    its field."""
    _require_role(actor, roles.RESPONSE_WRITERS, _l("Only staff can write responses."))
    if response.state != ApprovalState.DRAFT.value:
        raise Refused(_l("Only a draft can be sent for approval."))
    missing = missing_for_approval(response)
    if missing:
        raise Refused(*missing)
    response.state = ApprovalState.AWAITING_APPROVAL.value
    response.submitted_at = utcnow()
    audit.record("response.submitted", response, actor=actor, summary=response.title[:500])
    db.session.commit()


def cross_organisation_approval() -> bool:
    """Whether an approver may approve a response for an organisation other than their own."""
    setting = db.session.get(Setting, CROSS_ORGANISATION_KEY)
    return bool(setting and setting.value)


def set_cross_organisation_approval(actor: User, allowed: bool) -> None:
    """An administrator's choice, audited."""
    _require_role(
        actor, roles.ADMINISTRATORS, _l("Only administrators can change who approves responses.")
    )
    allowed = bool(allowed)
    if allowed == cross_organisation_approval():
        return
    setting = db.session.get(Setting, CROSS_ORGANISATION_KEY)
    if setting is None:
        db.session.add(Setting(key=CROSS_ORGANISATION_KEY, value=allowed))
    else:
        setting.value = allowed
    audit.record(
        "settings.cross_organisation_approval",
        actor=actor,
        summary=(
            "Approvers may approve responses for other organisations"
            if allowed
            else "Approvers approve responses for their own organisation only"
        ),
        detail={"from": not allowed, "to": allowed},
    )
    db.session.commit()


def awaits_approval(response: YouSaidWeDid) -> bool:
    """A new response sent for approval, or a change to a published one."""
    return response.state == ApprovalState.AWAITING_APPROVAL.value or (
        response.state == ApprovalState.PUBLISHED.value and bool(response.pending_change)
    )


def awaiting_approval_condition():
    """The same rule in SQL: a response sent for approval, or a published one with a change."""
    return or_(
        YouSaidWeDid.state == ApprovalState.AWAITING_APPROVAL.value,
        and_(
            YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
            YouSaidWeDid.pending_change.is_not(None),
        ),
    )


def approval_refusal(approver: User, response: YouSaidWeDid) -> str | None:
    """Why this person cannot approve this response (or its change), or None when they can."""
    if not approver.has_role(*roles.RESPONSE_APPROVERS):
        return ONLY_APPROVERS_APPROVE
    if not awaits_approval(response):
        return _l("Only a response awaiting approval can be approved.")
    editors = set(response.editor_ids or [])
    if response.state == ApprovalState.AWAITING_APPROVAL.value:
        editors.add(response.author_id)
    if approver.id in editors:
        if editors == {response.author_id} and response.state != ApprovalState.PUBLISHED.value:
            return _l("A response must be approved by someone other than its author")
        return _l(
            "You wrote or edited this version, so someone else must approve it. "
            "Nobody who wrote or edited a version may approve it."
        )
    organisation_id = (response.pending_change or {}).get(
        "organisation_id", response.organisation_id
    )
    if (
        approver.organisation_id != organisation_id
        and not approver.has_role(*roles.ADMINISTRATORS)
        and not cross_organisation_approval()
    ):
        return _l(
            "Officers approve responses for their own organisation. An officer from %(name)s "
            "or an administrator must approve it.",
            name=_organisation_name(organisation_id),
        )
    return None


def _organisation_name(organisation_id) -> str:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation.name if organisation else ""


def _check_approval(approver: User, response: YouSaidWeDid, version: int | None) -> None:
    _require_role(approver, roles.RESPONSE_APPROVERS, ONLY_APPROVERS_APPROVE)
    refusal = approval_refusal(approver, response)
    if refusal:
        raise Refused(refusal)
    # `version` is the one the approver was shown; None when the caller holds the response as
    # it is now (the demo seed, scripts). Views always send what the page showed.
    if version is not None and int(version) != response.version:
        raise Refused(STALE)


def approve_and_publish(approver: User, response: YouSaidWeDid, version: int | None = None) -> int:
    """Publish, mark the evidence used and queue the emails, in one transaction; `version` is
    the one the approver saw, refused when the response has changed since.
    Returns how many emails were queued."""
    _check_approval(approver, response, version)
    now = utcnow()
    response.state = ApprovalState.PUBLISHED.value
    response.published_at = now
    response.approved_by_id = approver.id
    response.editor_ids = []
    response.version += 1
    evidence = select(response_contributions.c.contribution_id).where(
        response_contributions.c.response_id == response.id
    )
    used = (
        db.session.execute(
            update(Contribution)
            .where(
                Contribution.id.in_(evidence),
                Contribution.state.in_(
                    (ContributionState.NEW.value, ContributionState.CODED.value)
                ),
            )
            .values(state=ContributionState.USED.value)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    db.session.flush()
    audit.record("response.approved", response, actor=approver, summary=response.title[:500])
    queued = notifications.response_published(response)
    audit.record(
        "response.published",
        response,
        actor=approver,
        summary=response.title[:500],
        detail={"contributions_marked_used": used, "emails_queued": queued},
    )
    db.session.commit()  # expires the session, so the bulk state change is seen
    return queued


def return_to_draft(approver: User, response: YouSaidWeDid, reason: str) -> None:
    _require_role(
        approver,
        roles.RESPONSE_APPROVERS,
        _l("Only officers and administrators can return a response."),
    )
    reason = _checked_reason(reason, _l("Enter why the response is being returned"))
    if response.state != ApprovalState.AWAITING_APPROVAL.value:
        raise Refused(_l("Only a response awaiting approval can be returned."))
    response.state = ApprovalState.DRAFT.value
    response.submitted_at = None
    response.version += 1
    audit.record(
        "response.returned",
        response,
        actor=approver,
        summary=response.title[:500],
        detail={"reason": reason},
    )
    db.session.commit()


def _snapshot(response: YouSaidWeDid) -> dict:
    return {
        "title": response.title,
        "you_said": response.you_said,
        "we_did": response.we_did,
        "status": response.status,
        "status_reason": response.status_reason,
        "organisation_id": response.organisation_id,
        "area_ids": sorted(a.id for a in response.areas),
        "action_ids": sorted(a.id for a in response.actions),
    }


def _proposed_fields(response: YouSaidWeDid) -> ResponseFields:
    proposed = response.pending_change or {}
    return ResponseFields(
        **{name: proposed[name] for name in PROPOSED_FIELDS if name in proposed},
    )


PROPOSED_FIELDS = (
    "title",
    "you_said",
    "we_did",
    "status",
    "status_reason",
    "organisation_id",
    "area_ids",
    "action_ids",
)


def proposed_change(response: YouSaidWeDid) -> ResponseFields | None:
    """The change to a published response waiting for approval, if there is one."""
    return _proposed_fields(response) if response.pending_change else None


def edit_published(
    actor: User, response: YouSaidWeDid, fields: ResponseFields, what_changed: str
) -> None:
    """Propose a change to a published response. It waits for approval by someone who did not
    edit it; the published version stays public until then. Editing a change that is waiting
    replaces it, and the person editing can no longer approve it."""
    _require_role(
        actor,
        roles.RESPONSE_APPROVERS,
        _l("Only officers and administrators can change a published response."),
    )
    if response.state != ApprovalState.PUBLISHED.value:
        raise Refused(_l("Only a published response can be updated this way."))
    what_changed = checked_text(
        what_changed,
        WHAT_CHANGED_MAX,
        field="what_changed",
        missing=_l("Enter what changed"),
        too_long=_l("What changed must be %(max)d characters or fewer", max=WHAT_CHANGED_MAX),
    )
    fields = _check_fields(fields)
    proposed = {name: getattr(fields, name) for name in PROPOSED_FIELDS}
    if proposed == _snapshot(response):
        raise Refused(_l("Nothing has changed. Change the response or cancel."), field="title")
    response.pending_change = {**proposed, "what_changed": what_changed}
    _edited(actor, response)
    audit.record(
        "response.change_proposed",
        response,
        actor=actor,
        summary=what_changed,
        detail={"changed": [n for n in PROPOSED_FIELDS if proposed[n] != _snapshot(response)[n]]},
    )
    db.session.commit()


def approve_change(
    approver: User, response: YouSaidWeDid, version: int | None = None
) -> YouSaidWeDidRevision:
    """Publish the change waiting for approval: the previous values and the public summary
    are kept as a revision, shown on the public page as an update."""
    _check_approval(approver, response, version)
    if response.state != ApprovalState.PUBLISHED.value or not response.pending_change:
        raise Refused(_l("There is no change waiting for approval."))
    what_changed = response.pending_change.get("what_changed", "")
    editors = list(response.editor_ids or [])
    before = _snapshot(response)
    changes = _apply(response, _proposed_fields(response))
    names = {"areas": "area_ids", "actions": "action_ids", "organisation": "organisation_id"}
    previous = {names.get(name, name): before[names.get(name, name)] for name in changes}
    revision = YouSaidWeDidRevision(
        response_id=response.id,
        author_id=editors[0] if len(editors) == 1 else None,
        approved_by_id=approver.id,
        summary=what_changed,
        previous=previous,
        created_at=utcnow(),
    )
    db.session.add(revision)
    response.pending_change = None
    response.editor_ids = []
    response.version += 1
    response.updated_at = utcnow()
    audit.record(
        "response.updated",
        response,
        actor=approver,
        summary=what_changed,
        detail={**_changed_detail(changes), "after_publishing": True, "editor_ids": editors},
    )
    audit.record("response.change_approved", response, actor=approver, summary=what_changed)
    db.session.commit()
    return revision


def discard_change(actor: User, response: YouSaidWeDid, reason: str) -> None:
    """Turn down a change waiting for approval, with a reason: the published version stays."""
    _require_role(
        actor,
        roles.RESPONSE_APPROVERS,
        _l("Only officers and administrators can return a response."),
    )
    reason = _checked_reason(reason, _l("Enter why the change is being turned down"))
    if response.state != ApprovalState.PUBLISHED.value or not response.pending_change:
        raise Refused(_l("There is no change waiting for approval."))
    response.pending_change = None
    response.editor_ids = []
    response.version += 1
    audit.record(
        "response.change_turned_down",
        response,
        actor=actor,
        summary=response.title[:500],
        detail={"reason": reason},
    )
    db.session.commit()


def withdraw(actor: User, response: YouSaidWeDid, reason: str) -> None:
    """Hide a published response from every list; its page keeps only the reason and date."""
    _require_role(
        actor,
        roles.RESPONSE_APPROVERS,
        _l("Only officers and administrators can withdraw a response."),
    )
    reason = _checked_reason(reason, _l("Enter why the response is being withdrawn"))
    if response.state != ApprovalState.PUBLISHED.value:
        raise Refused(_l("Only a published response can be withdrawn."))
    response.state = ApprovalState.WITHDRAWN.value
    response.pending_change = None  # a change waiting for approval goes with it
    response.editor_ids = []
    response.version += 1
    response.withdrawn_reason = reason
    response.withdrawn_at = utcnow()
    audit.record(
        "response.withdrawn",
        response,
        actor=actor,
        summary=response.title[:500],
        detail={"reason": reason},
    )
    db.session.commit()


# ---------------------------------------------------------------- reading (staff)


def staff_response(response_id: int) -> YouSaidWeDid | None:
    return db.session.scalar(
        select(YouSaidWeDid)
        .where(YouSaidWeDid.id == response_id)
        .options(
            selectinload(YouSaidWeDid.organisation),
            selectinload(YouSaidWeDid.author),
            selectinload(YouSaidWeDid.approved_by),
            selectinload(YouSaidWeDid.areas),
            selectinload(YouSaidWeDid.actions),
            selectinload(YouSaidWeDid.revisions).selectinload(YouSaidWeDidRevision.author),
        )
    )


def history(response: YouSaidWeDid) -> list[AuditEntry]:
    """What happened to this response, newest first (from the audit log)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action.in_(RESPONSE_AUDIT_ACTIONS),  # uses the action index
                AuditEntry.record_type == YouSaidWeDid.__tablename__,
                AuditEntry.record_id == str(response.id),
            )
            .order_by(AuditEntry.id.desc())
        )
    )


@dataclass
class StaffList:
    responses: list[YouSaidWeDid]
    evidence: dict[int, int]
    total: int
    page: int
    pages: int
    state_counts: dict[str, int]


def staff_responses(state: str | None = None, page: int = 1, per_page: int = 50) -> StaffList:
    query = select(YouSaidWeDid)
    if state == ApprovalState.AWAITING_APPROVAL.value:
        query = query.where(awaiting_approval_condition())  # changes to published ones too
    elif state in {s.value for s in ApprovalState}:
        query = query.where(YouSaidWeDid.state == state)
    found = page_of(
        query.options(
            selectinload(YouSaidWeDid.organisation), selectinload(YouSaidWeDid.author)
        ).order_by(YouSaidWeDid.updated_at.desc(), YouSaidWeDid.id.desc()),
        page,
        per_page,
    )
    responses = found.items
    state_counts = dict(
        db.session.execute(
            select(YouSaidWeDid.state, func.count()).group_by(YouSaidWeDid.state)
        ).all()
    )
    return StaffList(
        responses=responses,
        evidence=evidence_counts([r.id for r in responses], public=False),
        total=found.total,
        page=found.page,
        pages=found.pages,
        state_counts=state_counts,
    )


def response_linked_to(area_id=None, action_id=None) -> list:
    """Conditions on responses: linked to this area and action (each one given)."""
    return linked(
        YouSaidWeDid.id,
        (response_areas.c.response_id, response_areas.c.area_id, area_id),
        (response_actions.c.response_id, response_actions.c.action_id, action_id),
    )


def evidence_counts(response_ids: list[int], public: bool = True) -> dict[int, int]:
    """How many contributions each response is based on, in one query. Publicly, only
    contributions that may be evidence count (a contribution flagged later drops out)."""
    if not response_ids:
        return {}
    query = (
        select(response_contributions.c.response_id, func.count())
        .where(response_contributions.c.response_id.in_(response_ids))
        .group_by(response_contributions.c.response_id)
    )
    if public:
        query = query.join(
            Contribution, Contribution.id == response_contributions.c.contribution_id
        ).where(usable_as_evidence())
    return dict(db.session.execute(query).all())


@dataclass
class Choices:
    organisations: list[Organisation]
    areas: list[Area]
    actions: list[Action]
    themes: list[Theme]


def choices() -> Choices:
    """What staff forms offer: organisations, areas, actions and themes (four queries)."""
    return Choices(
        organisations=list(db.session.scalars(select(Organisation).order_by(Organisation.name))),
        areas=list(db.session.scalars(select(Area).order_by(Area.number))),
        actions=list(db.session.scalars(select(Action).order_by(Action.reference))),
        themes=list(db.session.scalars(select(Theme).order_by(Theme.name))),
    )


@dataclass
class StaffView:
    response: YouSaidWeDid
    evidence_count: int
    history: list[AuditEntry]
    refusal: str | None  # why the viewer cannot approve it, None when they can
    is_approver: bool  # the viewer may approve, return, change and withdraw responses

    @property
    def can_approve(self) -> bool:
        return self.refusal is None


def staff_view(response_id: int, viewer: User) -> StaffView | None:
    response = staff_response(response_id)
    if response is None:
        return None
    return StaffView(
        response=response,
        evidence_count=evidence_counts([response.id], public=False).get(response.id, 0),
        history=history(response),
        refusal=approval_refusal(viewer, response),
        is_approver=viewer.has_role(*roles.RESPONSE_APPROVERS),
    )


def suggested_you_said(response: YouSaidWeDid) -> str:
    """ "You said" drafted from the response's current evidence."""
    return draft_you_said(evidence_ids(response))


# ---------------------------------------------------------------- starting a response


@dataclass
class StartingPoint:
    """What a new response starts from: an area, an action, a theme or contributions chosen in
    the inbox. Its links are ticked on the form; the contributions become its evidence."""

    areas: list[Area]
    actions: list[Action]
    themes: list[Theme]
    contributions: list[Contribution]

    @property
    def area_ids(self) -> list[int]:
        return [a.id for a in self.areas]

    @property
    def action_ids(self) -> list[int]:
        return [a.id for a in self.actions]

    @property
    def contribution_ids(self) -> list[int]:
        return [c.id for c in self.contributions]

    @property
    def theme_id(self) -> int | None:
        return self.themes[0].id if len(self.themes) == 1 else None


STARTING_CONTRIBUTIONS_MAX = 1000


def starting_point(area_ids=(), action_ids=(), theme_ids=(), contribution_ids=()) -> StartingPoint:
    """Read what a response is started from; unknown ids are ignored. Contributions that can
    never be evidence (safeguarding, hidden) are left out, and the areas and actions they are
    coded to are added to the response's links."""
    contributions = [
        c
        for c in by_ids(
            Contribution,
            list(contribution_ids)[:STARTING_CONTRIBUTIONS_MAX],
            order_by=Contribution.id,
            options=(selectinload(Contribution.areas), selectinload(Contribution.actions)),
        )
        if not c.safeguarding and c.state in EVIDENCE_STATES
    ]
    wanted_areas = set(area_ids) | {a.id for c in contributions for a in c.areas}
    wanted_actions = set(action_ids) | {a.id for c in contributions for a in c.actions}
    areas = sorted(by_ids(Area, sorted(wanted_areas)), key=lambda a: a.number)
    actions = sorted(by_ids(Action, sorted(wanted_actions)), key=lambda a: a.reference)
    themes = sorted(by_ids(Theme, sorted(set(theme_ids))), key=lambda t: t.name)
    return StartingPoint(areas=areas, actions=actions, themes=themes, contributions=contributions)


# ---------------------------------------------------------------- the history, in words

HISTORY_FIELDS = {
    "title": _l("Title"),
    "you_said": _l("You said"),
    "we_did": _l("We did"),
    "status": _l("Status"),
    "status_reason": _l("Why it is not possible"),
    "organisation": _l("Organisation"),
    "organisation_id": _l("Organisation"),
    "areas": _l("Areas of weakness"),
    "actions": _l("Plan actions"),
    "area_ids": _l("Areas of weakness"),
    "action_ids": _l("Plan actions"),
}


@dataclass
class FieldChange:
    label: str
    before: str | None  # None when the entry predates recording before-and-after values
    after: str | None


def _shown(name: str, value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else _("None")
    if name == "status" and value in {s.value for s in WeDidStatus}:
        return str(WeDidStatus(value).label)
    if value in (None, ""):
        return _("Empty")
    return str(value)


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """What an edit in the history changed: each field by name, with before and after."""
    detail = entry.detail or {}
    changes = detail.get("changes") or {}
    found = []
    for name in detail.get("changed") or []:
        label = str(HISTORY_FIELDS.get(name, name))
        change = changes.get(name)
        if isinstance(change, dict):
            found.append(
                FieldChange(label, _shown(name, change.get("from")), _shown(name, change.get("to")))
            )
        else:
            found.append(FieldChange(label, None, None))
    return found


def proposed_differences(response: YouSaidWeDid) -> list[FieldChange]:
    """What the change waiting for approval would change, field by field, as it reads: the
    organisation, areas and actions by name."""
    if not response.pending_change:
        return []
    proposed = _proposed_fields(response)
    now = _snapshot(response)
    found = []
    for name in PROPOSED_FIELDS:
        after = getattr(proposed, name)
        if after == now[name]:
            continue
        before = now[name]
        if name == "organisation_id":
            before, after = _organisation_name(before), _organisation_name(after)
        elif name == "area_ids":
            before = [_area_label(a) for a in response.areas]
            after = [_area_label(a) for a in sorted(by_ids(Area, after), key=lambda a: a.number)]
        elif name == "action_ids":
            before = [a.reference for a in response.actions]
            after = sorted(a.reference for a in by_ids(Action, after))
        found.append(
            FieldChange(str(HISTORY_FIELDS[name]), _shown(name, before), _shown(name, after))
        )
    return found
