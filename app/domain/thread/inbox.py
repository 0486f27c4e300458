"""The staff inbox: finding contributions, what they can be coded to, themes and the safeguarding
phrase list.

The inbox must stay fast with tens of thousands of contributions, so it pages by keyset on
(safeguarding desc, created_at desc, id desc) — the `ix_contributions_inbox` index — never by
OFFSET, never counts the whole table, and loads each page's links in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, false, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    Area,
    Comment,
    Contribution,
    ContributionSource,
    ContributionState,
    SafeguardingPhrase,
    SurveyAnswer,
    SurveyResponse,
    Theme,
    User,
    contribution_themes,
)
from ..people import audit
from ..shared import full_text
from ..shared.dates import local_day_bounds
from ..shared.ids import valid_id
from ..shared.records import among, by_ids
from . import safeguarding
from .contributions import ids_linked_to, linked_to
from .references import normalise_reference

PAGE_SIZE = 50
# How contributions are named in the search index (`domain/search/registry.py` registers it).
CONTRIBUTION_KIND = "contribution"


# --- Finding contributions -------------------------------------------------------------------


@dataclass
class InboxFilters:
    state: str | None = None
    source: str | None = None
    area_id: int | None = None
    action_id: int | None = None
    theme_id: int | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None


@dataclass
class InboxPage:
    rows: list[Contribution]
    next_cursor: str | None = None
    urgent_new: int = 0


CURSOR_TIME = "%Y%m%d%H%M%S%f"


def encode_cursor(contribution: Contribution) -> str:
    """Where a page ended: urgent or not, when it was received, and its id (ties)."""
    flag = 1 if contribution.safeguarding else 0
    return f"{flag}-{contribution.created_at.strftime(CURSOR_TIME)}-{contribution.id}"


def decode_cursor(cursor: str | None) -> tuple[bool, datetime, int] | None:
    """The position after which the next page starts; anything unreadable means "first page"."""
    if not cursor:
        return None
    parts = str(cursor).split("-")
    if len(parts) != 3 or parts[0] not in ("0", "1") or len(parts[1]) != 20:
        return None
    try:
        received = datetime.strptime(parts[1], CURSOR_TIME)
    except ValueError:
        return None
    contribution_id = valid_id(parts[2])
    if contribution_id is None:
        return None
    return parts[0] == "1", received, contribution_id


# Up to this many contributions linked to the area, action and theme chosen are fetched by id
# and sorted; beyond, the page walks the inbox's order and checks each row's links.
FEW_LINKED = 5000


def _linked(filters: InboxFilters) -> list:
    """The conditions of the area, action and theme chosen, in the form that is cheap for how many
    contributions they find. Walking the inbox's order and asking each row about its links stops
    as soon as the page is full, unless few of the rows walked have those links: new
    contributions are seldom coded to themes and actions, so "new, with this theme" would walk
    every new contribution to find none. Fetching the linked ones by id and sorting them costs
    what there are of them, whatever else is chosen. So one query counts them (up to
    `FEW_LINKED` + 1) and the page does the second when there are few, the first when many."""
    wanted = (filters.area_id or None, filters.action_id or None, filters.theme_id or None)
    ids = ids_linked_to(*wanted)
    if ids is None:
        return []
    counted = select(func.count()).select_from(ids.limit(FEW_LINKED + 1).subquery())
    if db.session.scalar(counted) <= FEW_LINKED:
        return [among(Contribution.id, ids)]
    return linked_to(*wanted)


def _filtered(query, filters: InboxFilters):
    if filters.state:
        query = query.where(Contribution.state == filters.state)
    if filters.source:
        query = query.where(Contribution.source_type == filters.source)
    if filters.channel:
        query = query.where(Contribution.channel == filters.channel)
    query = query.where(*_linked(filters))
    start, end = local_day_bounds(filters.date_from, filters.date_to)
    if start:
        query = query.where(Contribution.created_at >= start)
    if end:
        query = query.where(Contribution.created_at < end)
    text = (filters.text or "").strip()
    if text:
        # The search index (contributions are a staff-only kind in it), never a scan of the
        # table: every word typed, as the start of a word of the text or of the reference.
        conditions = []
        words = full_text.terms(text)
        if words:
            conditions.append(full_text.matching(Contribution.id, words, CONTRIBUTION_KIND))
        reference = normalise_reference(text)
        if reference:  # "abcd efgh jkmn" finds ABCD-EFGH-JKMN
            conditions.append(Contribution.reference == reference)
        query = query.where(or_(*conditions) if conditions else false())
    return query


NEWEST_FIRST = (
    Contribution.safeguarding.desc(),
    Contribution.created_at.desc(),
    Contribution.id.desc(),
)


def _older_than(received: datetime, contribution_id: int):
    return tuple_(Contribution.created_at, Contribution.id) < tuple_(
        literal(received), literal(contribution_id)
    )


def search(
    filters: InboxFilters | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> InboxPage:
    """One page of the inbox: urgent first, then newest received first, with the cursor for the
    next page.

    Runs a bounded number of queries whatever the number of rows: with an area, action or
    theme chosen, one to count the contributions linked to them (see `_linked`), and with text
    on SQLite one to ask the full-text index (see `full_text.matching`); the page (or, when the
    page starts inside the urgent part, two index-range queries for ids and one for the rows),
    then its areas, actions and themes (one query each), then the number of urgent
    contributions not yet checked. A page walks `ix_contributions_inbox` (or, filtered by
    state, `ix_contributions_state_inbox`) in order, or sorts the few contributions a link or
    a search lists; none sorts the table.
    """
    filters = filters or InboxFilters()
    limit = max(1, min(int(limit), 200))
    load_links = (
        selectinload(Contribution.areas),
        selectinload(Contribution.actions),
        selectinload(Contribution.themes),
        selectinload(Contribution.entry),  # the day it reached us, for feedback staff typed in
    )
    position = decode_cursor(after)
    if position is not None and position[0]:
        # Inside the urgent part: the rest of the urgent ones, then the newest others. Two
        # range queries, because "urgent and older OR not urgent" would make the database
        # gather and sort every row.
        _flag, received, last_id = position
        ids_query = _filtered(select(Contribution.id), filters)
        ids = list(
            db.session.scalars(
                ids_query.where(Contribution.safeguarding == true(), _older_than(received, last_id))
                .order_by(*NEWEST_FIRST)
                .limit(limit + 1)
            )
        )
        if len(ids) <= limit:
            ids += list(
                db.session.scalars(
                    ids_query.where(Contribution.safeguarding == false())
                    .order_by(*NEWEST_FIRST)
                    .limit(limit + 1 - len(ids))
                )
            )
        rows = by_ids(Contribution, ids, options=load_links)
    else:
        query = _filtered(select(Contribution), filters)
        if position is not None:
            query = query.where(
                Contribution.safeguarding == false(), _older_than(position[1], position[2])
            )
        rows = list(
            db.session.scalars(query.order_by(*NEWEST_FIRST).limit(limit + 1).options(*load_links))
        )
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return InboxPage(rows=rows[:limit], next_cursor=next_cursor, urgent_new=urgent_unchecked())


def next_uncoded(after: Contribution) -> Contribution | None:
    """The new contribution that comes after this one in the inbox's order (urgent first, then
    newest first), else the first new one from the top; None when nothing is waiting."""
    waiting = InboxFilters(state=ContributionState.NEW.value)
    for cursor in (encode_cursor(after), None):
        found = search(waiting, after=cursor, limit=2).rows
        found = [row for row in found if row.id != after.id]
        if found:
            return found[0]
    return None


def urgent_unchecked() -> int:
    """Safeguarding contributions nobody has looked at yet.

    Only `safeguarding` is in the WHERE clause, so the planner walks the small urgent part of
    the inbox index rather than every new contribution; the state is checked row by row.
    """
    return (
        db.session.scalar(
            select(
                func.coalesce(
                    func.sum(case((Contribution.state == ContributionState.NEW.value, 1), else_=0)),
                    0,
                )
            ).where(Contribution.safeguarding == true())
        )
        or 0
    )


def contribution_for_staff(contribution_id) -> Contribution | None:
    """One contribution with everything its staff page shows, or None."""
    number = valid_id(contribution_id)
    if number is None:
        return None
    return db.session.scalar(
        select(Contribution)
        .where(Contribution.id == number)
        .options(
            selectinload(Contribution.areas),
            selectinload(Contribution.actions),
            selectinload(Contribution.themes),
            selectinload(Contribution.about_you),
            selectinload(Contribution.contact),
            selectinload(Contribution.entry),
        )
    )


@dataclass
class StartingCodes:
    """What a contribution's coding form starts with ticked, and where it came from."""

    area_ids: list[int]
    action_ids: list[int]
    origin: str = ""  # shown as a hint: "from the survey “…”"; empty when nothing is suggested


def _source_links(contribution: Contribution) -> tuple[list, list, str]:
    """The areas and actions of what the contribution answered, as they are linked now."""
    source = contribution.source_type
    if source in (ContributionSource.SURVEY_ANSWER.value, ContributionSource.SURVEY_RESPONSE.value):
        if source == ContributionSource.SURVEY_ANSWER.value:
            answer = db.session.get(SurveyAnswer, contribution.source_id or 0)
            question = answer.question if answer is not None else None
            survey = question.survey if question is not None else None
        else:
            response = db.session.get(SurveyResponse, contribution.source_id or 0)
            question, survey = None, response.survey if response is not None else None
        if survey is None:
            return [], [], ""
        areas, actions = list(survey.areas), list(survey.actions)
        if question is not None:
            areas += question.areas
            actions += question.actions
        return areas, actions, _("the survey “%(title)s”", title=survey.title)
    if source == ContributionSource.COMMENT.value:
        comment = db.session.get(Comment, contribution.source_id or 0)
        if comment is None:
            return [], [], ""
        consultation = comment.consultation
        return (
            list(consultation.areas),
            list(consultation.actions),
            _("the consultation “%(title)s”", title=consultation.title),
        )
    if source == ContributionSource.FEEDBACK.value and contribution.areas:
        return [], [], _l("what the person said their feedback is about")
    return [], [], ""


def starting_codes(contribution: Contribution) -> StartingCodes:
    """The areas and actions a contribution's coding starts from.

    Once someone has coded it, its own links. While it is new, its links (set when it arrived
    from its "Tell us" topic, its survey and question, or its consultation) together with what
    that survey, question or consultation is linked to now, since links may be added after the
    first answers come in.
    """
    area_ids = [area.id for area in contribution.areas]
    action_ids = [action.id for action in contribution.actions]
    if contribution.state != ContributionState.NEW.value or contribution.coded_at is not None:
        return StartingCodes(area_ids, action_ids)
    areas, actions, origin = _source_links(contribution)
    area_ids = list(dict.fromkeys(area_ids + [area.id for area in areas]))
    action_ids = list(dict.fromkeys(action_ids + [action.id for action in actions]))
    return StartingCodes(area_ids, action_ids, str(origin) if (area_ids or action_ids) else "")


def coded_by(contribution: Contribution) -> User | None:
    if not contribution.coded_by_id:
        return None
    return db.session.get(User, contribution.coded_by_id)


def quote_approver(contribution: Contribution) -> User | None:
    if not contribution.quote_approved_by_id:
        return None
    return db.session.get(User, contribution.quote_approved_by_id)


@dataclass
class CodingChoices:
    """What contributions can be coded to (and filtered by)."""

    areas: list[Area]
    actions: list[Action]
    themes: list[Theme]  # every theme, active or not, by name

    def themes_for(self, contribution: Contribution | None = None) -> list[Theme]:
        """Active themes, plus inactive ones the contribution is already coded to."""
        current = {theme.id for theme in contribution.themes} if contribution is not None else set()
        return [theme for theme in self.themes if theme.active or theme.id in current]

    def action_groups(self) -> list[tuple[Area | None, list[Action]]]:
        """The plan actions under the area each belongs to (its first, when it has several),
        in plan order; actions linked to no area come last, under None."""
        groups: dict[int | None, list[Action]] = {area.id: [] for area in self.areas}
        for action in self.actions:
            first = action.areas[0].id if action.areas else None
            groups.setdefault(first if first in groups else None, []).append(action)
        named = [(area, groups[area.id]) for area in self.areas if groups[area.id]]
        return named + ([(None, groups[None])] if groups.get(None) else [])


def coding_choices() -> CodingChoices:
    return CodingChoices(
        areas=list(db.session.scalars(select(Area).order_by(Area.number))),
        actions=list(
            db.session.scalars(
                select(Action).order_by(Action.reference).options(selectinload(Action.areas))
            )
        ),
        themes=list(db.session.scalars(select(Theme).order_by(func.lower(Theme.name)))),
    )


# --- Themes ----------------------------------------------------------------------------------


@dataclass
class ThemeCount:
    theme: Theme
    contributions: int


def themes_with_counts() -> list[ThemeCount]:
    """Every theme with how many contributions are coded to it, in one query."""
    rows = db.session.execute(
        select(Theme, func.count(contribution_themes.c.contribution_id))
        .outerjoin(contribution_themes, contribution_themes.c.theme_id == Theme.id)
        .group_by(Theme.id)
        .order_by(func.lower(Theme.name))
    ).all()
    return [ThemeCount(theme, count) for theme, count in rows]


def theme_by_id(theme_id) -> Theme | None:
    number = valid_id(theme_id)
    return db.session.get(Theme, number) if number is not None else None


def theme_name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(Theme.id).where(func.lower(Theme.name) == name.strip().lower())
    if except_id:
        query = query.where(Theme.id != except_id)
    return db.session.scalar(query) is not None


def create_theme(actor: User, *, name: str, description: str = "") -> Theme:
    theme = Theme(name=name.strip(), description=(description or "").strip(), active=True)
    db.session.add(theme)
    audit.record("theme.created", theme, actor=actor, summary=theme.name)
    db.session.commit()
    return theme


def update_theme(
    actor: User,
    theme: Theme,
    *,
    name: str | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> list[str]:
    """Change a theme; returns what changed (nothing changed, nothing recorded)."""
    changes = {}
    if name is not None and name.strip() != theme.name:
        changes["name"] = [theme.name, name.strip()]
        theme.name = name.strip()
    if description is not None and description.strip() != (theme.description or ""):
        changes["description"] = [theme.description, description.strip()]
        theme.description = description.strip()
    if active is not None and active != theme.active:
        changes["active"] = [theme.active, active]
        theme.active = active
    if changes:
        audit.record(
            "theme.updated",
            theme,
            actor=actor,
            summary=f"{theme.name}: {', '.join(changes)}",
            detail=changes,
        )
        db.session.commit()
    return list(changes)


# --- The safeguarding phrase list ------------------------------------------------------------


def clean_phrase(phrase: str) -> str:
    """Matching ignores case, so phrases are kept in lower case with single spaces."""
    return " ".join((phrase or "").split()).lower()


def phrases() -> list[SafeguardingPhrase]:
    return list(db.session.scalars(select(SafeguardingPhrase).order_by(SafeguardingPhrase.phrase)))


def phrase_by_id(phrase_id) -> SafeguardingPhrase | None:
    number = valid_id(phrase_id)
    return db.session.get(SafeguardingPhrase, number) if number is not None else None


def phrase_taken(phrase: str) -> bool:
    cleaned = clean_phrase(phrase)
    return (
        db.session.scalar(
            select(SafeguardingPhrase.id).where(func.lower(SafeguardingPhrase.phrase) == cleaned)
        )
        is not None
    )


def add_phrase(actor: User, phrase: str) -> SafeguardingPhrase:
    entry = SafeguardingPhrase(phrase=clean_phrase(phrase))
    db.session.add(entry)
    audit.record("safeguarding.phrase_added", entry, actor=actor, summary=entry.phrase)
    db.session.commit()
    return entry


def remove_phrase(actor: User, entry: SafeguardingPhrase) -> None:
    """The phrase list is configuration, not a record: removing a phrase deletes it (audited)."""
    audit.record(
        "safeguarding.phrase_removed",
        entry,
        actor=actor,
        summary=entry.phrase,
        detail={"phrase": entry.phrase},
    )
    db.session.delete(entry)
    db.session.commit()


def load_recommended_phrases(actor: User) -> int:
    """Add the recommended phrases that are missing; returns how many were added."""
    added = safeguarding.seed_default_phrases()
    audit.record(
        "safeguarding.phrases_loaded",
        None,
        actor=actor,
        summary=f"Recommended list loaded: {added} phrases added",
        detail={"added": added},
    )
    db.session.commit()
    return added
