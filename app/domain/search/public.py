"""`/search`: one search over what the public site shows, in the reader's language.

Each object is one result however many of its language rows match: the reader's language
where it has a translation, English otherwise (marked as English on the page). Titles rank
above body text (see `shared/full_text.py`). What the public may find is decided when the
search runs, by each kind's `visible` rule (`registry.py`), so a draft is never found and a
change of state needs no re-indexing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import SearchEntry
from ...models.base import utcnow
from ..shared.full_text import matching_entries, terms
from ..shared.paging import page_counted_in_the_query
from .indexing import field_text
from .registry import KINDS, Kind, public_kinds

PAGE_SIZE = 20
EXTRACT_LENGTH = 200
MAX_QUERY_LENGTH = 2000


@dataclass
class Result:
    kind: Kind
    endpoint: str
    arguments: dict
    title: str
    title_language: str  # the reader's language, or "en" where the title fell back to English
    extract: str
    extract_language: str

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass
class Results:
    query: str  # what was typed, cut to MAX_QUERY_LENGTH, to show back
    words: list[str]
    items: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def _visible(now: datetime):
    return or_(
        *(
            and_(
                SearchEntry.kind == kind.name,
                SearchEntry.object_id.in_(select(kind.model.id).where(kind.visible(now))),
            )
            for kind in public_kinds()
        )
    )


def search(
    typed: str | None,
    language: str = "en",
    page: int = 1,
    per_page: int = PAGE_SIZE,
    now: datetime | None = None,
) -> Results:
    """One page of results for what someone typed, best first. Four queries for a page (count,
    page, then the page's objects: one per kind on it), whatever the size of the index."""
    typed = (typed or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    words = terms(typed)
    found = Results(query=typed, words=words)
    if not words:
        return found
    now = now or utcnow()
    languages = ["en"] if language == "en" else ["en", language]
    # Materialised, so SQLite ranks inside the full-text query (bm25 cannot run in the outer,
    # grouping query it would otherwise be folded into).
    kinds = [kind.name for kind in public_kinds()]
    matches = (
        matching_entries(words, kinds, languages)
        .where(_visible(now))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    best = (
        select(matches.c.kind, matches.c.object_id, func.max(matches.c.score).label("score"))
        .group_by(matches.c.kind, matches.c.object_id)
        .order_by(func.max(matches.c.score).desc(), matches.c.kind, matches.c.object_id)
    )
    listing = page_counted_in_the_query(best, page, per_page)
    found.total, found.page, found.pages = listing.total, listing.page, listing.pages
    found.items = _results(listing.items, language, words)
    return found


def _results(rows, language: str, words: list[str]) -> list[Result]:
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row.kind, []).append(row.object_id)
    objects = {}
    for name, ids in wanted.items():
        kind = KINDS[name]
        model = kind.model
        loads = [selectinload(getattr(model, relation)) for relation in kind.loads]
        for obj in db.session.scalars(select(model).where(model.id.in_(ids)).options(*loads)):
            objects[(name, obj.id)] = obj
    results = []
    for row in rows:
        obj = objects.get((row.kind, row.object_id))
        if obj is None:
            continue
        results.append(_result(KINDS[row.kind], obj, language, words))
    return results


def _result(kind: Kind, obj, language: str, words: list[str]) -> Result:
    parts, title_language = [], language
    for name in kind.title_fields:
        text, in_language = field_text(kind, obj, name, language)
        if text:
            parts.append(text)
            if in_language != language and name not in kind.neutral_fields:
                title_language = in_language
    endpoint, arguments = kind.link(obj)
    extract, extract_language = _extract(kind, obj, language, words)
    return Result(
        kind=kind,
        endpoint=endpoint,
        arguments=arguments,
        title=": ".join(parts),
        title_language=title_language,
        extract=extract,
        extract_language=extract_language,
    )


def _extract(kind: Kind, obj, language: str, words: list[str]) -> tuple[str, str]:
    """A short piece of the body around the first word searched for (else its start)."""
    texts = [field_text(kind, obj, name, language) for name in kind.body_fields]
    texts = [(text, in_language) for text, in_language in texts if text]
    if not texts:
        return "", language
    for text, in_language in texts:
        lowered = text.lower()
        positions = [lowered.find(word) for word in words if word in lowered]
        if positions:
            return _window(text, min(positions)), in_language
    return _window(texts[0][0], 0), texts[0][1]


def _window(text: str, position: int) -> str:
    if len(text) <= EXTRACT_LENGTH:
        return text
    start = max(0, position - EXTRACT_LENGTH // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < position else start
    end = start + EXTRACT_LENGTH
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
