"""Every kind of thing the search index holds, in one registry: adding a kind is one
`register(Kind(...))` here.

A kind says which model it is, which columns are its title (ranked first) and its body, which
hold HTML, where the public reads it (an endpoint and its arguments) and who may find it: a
WHERE clause on the model, evaluated at query time with the current time, taken from the rule
the public lists already use; `visible=None` means staff only (contributions are found only
through the inbox's text search, never by the public search).

Texts in other languages come from the object's `translations` JSON (`{variant: {field: text}}`,
as surveys and consultations store them): every plain language variant ("pl", "ur"; not the
young-person "yp" ones) gets its own index row, each field in that language or else English.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, true

from ...models import (
    Action,
    ApprovalState,
    Area,
    Consultation,
    Contribution,
    Event,
    Measure,
    Survey,
    SurveyStatus,
    YouSaidWeDid,
)
from ..thread.inbox import CONTRIBUTION_KIND as CONTRIBUTION


@dataclass(frozen=True)
class Kind:
    name: str  # stored in search_entries.kind
    model: type
    label: Any  # shown beside each result: "Area of weakness", "Survey"
    title_fields: tuple[str, ...]
    body_fields: tuple[str, ...]
    # endpoint and arguments of the public page; None for staff-only kinds
    link: Callable[[Any], tuple[str, dict]] | None = None
    # who may find it: a WHERE clause on the model at this time; None: staff only
    visible: Callable[[datetime], Any] | None = None
    html_fields: frozenset[str] = frozenset()
    # a body field indexed only once another column is set (an outcome published)
    shown_once: dict[str, str] = field(default_factory=dict)
    # columns whose change means re-indexing (None: any column)
    watched: tuple[str, ...] | None = None
    # title fields that are the same in every language (a reference), not marked as English
    neutral_fields: frozenset[str] = frozenset()
    # relationships `link` reads, loaded with the results so a page of them is one query
    loads: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column indexing reads."""
        return tuple(
            dict.fromkeys(("id", *self.title_fields, *self.body_fields, *self.shown_once.values()))
        )


KINDS: dict[str, Kind] = {}
_BY_MODEL: dict[type, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the index (its name is a plain word: the full-text index matches it)."""
    if not kind.name.isalpha():
        raise ValueError(f"a kind's name is one plain word, not {kind.name!r}")
    KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind
    return kind


def kind_of(obj) -> Kind | None:
    """The kind an object is indexed as, or None when it is not indexed."""
    return _BY_MODEL.get(type(obj))


def kind_for_model(model) -> Kind | None:
    return _BY_MODEL.get(model)


def public_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.visible is not None]


def _always(_now: datetime):
    return true()


register(
    Kind(
        name="area",
        model=Area,
        label=_l("Area of weakness"),
        title_fields=("title",),
        body_fields=("plain_summary", "finding", "young_person_summary"),
        link=lambda area: ("public.area", {"number": area.number}),
        visible=_always,
    )
)
register(
    Kind(
        name="action",
        model=Action,
        label=_l("Plan action"),
        title_fields=("reference", "title"),
        body_fields=("description",),
        link=lambda action: ("public.action", {"reference": action.reference}),
        visible=_always,
        neutral_fields=frozenset({"reference"}),
    )
)
register(
    Kind(
        name="measure",
        model=Measure,
        label=_l("Outcome measure"),
        title_fields=("name",),
        body_fields=("description", "source"),
        link=lambda measure: (
            "public.action",
            {"reference": measure.action.reference, "_anchor": f"measure-{measure.id}"},
        ),
        # as the action pages show them: public measures only
        visible=lambda _now: Measure.public.is_(True),
        loads=("action",),
    )
)
register(
    Kind(
        name="survey",
        model=Survey,
        label=_l("Survey"),
        title_fields=("title",),
        body_fields=("summary", "audience", "use_of_answers"),
        link=lambda survey: ("public.survey", {"slug": survey.slug}),
        # as /surveys lists them: published ones, open, forthcoming or closed; never drafts
        visible=lambda _now: Survey.status == SurveyStatus.PUBLISHED.value,
    )
)
register(
    Kind(
        name="consultation",
        model=Consultation,
        label=_l("Consultation"),
        title_fields=("title",),
        body_fields=("summary", "background_html", "what_we_heard_html"),
        html_fields=frozenset({"background_html", "what_we_heard_html"}),
        shown_once={"what_we_heard_html": "outcome_published_at"},
        link=lambda consultation: ("public.consultation", {"slug": consultation.slug}),
        # as /consultations lists them: published ones at any stage
        visible=lambda _now: Consultation.published.is_(True),
    )
)
register(
    Kind(
        name="event",
        model=Event,
        label=_l("Event"),
        title_fields=("title",),
        body_fields=("description", "venue", "access_notes"),
        link=lambda event: ("public.event", {"event_id": event.id}),
        # as /events lists them: published and not cancelled, coming or past
        visible=lambda _now: and_(Event.published.is_(True), Event.cancelled_at.is_(None)),
    )
)
register(
    Kind(
        name="response",
        model=YouSaidWeDid,
        label=_l("You said, we did"),
        title_fields=("title",),
        body_fields=("we_did", "you_said"),
        link=lambda response: ("public.response", {"response_id": response.id}),
        # the published version only: drafts, responses awaiting approval and withdrawn ones
        # are never found (a change waiting for approval is kept apart from these columns)
        visible=lambda _now: YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
    )
)
register(
    Kind(
        name=CONTRIBUTION,
        model=Contribution,
        label=_l("Contribution"),
        title_fields=("reference",),
        body_fields=("text",),
        watched=("reference", "text"),
    )
)
