"""Rules written once and used everywhere: what may be evidence or quoted, the suppression
threshold, what "open" means (in Python and in SQL, over the same cases) and local day bounds."""

import re
from datetime import date, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.engagement import consultations
from app.domain.people import audit, roles
from app.domain.shared import suppression
from app.domain.shared.dates import local_day_bounds
from app.domain.surveys import structure
from app.domain.thread.contributions import quotable, record_contribution, usable_as_evidence
from app.extensions import db
from app.models import AuditEntry, Consultation, ContributionState, Stage, Survey, SurveyStatus
from app.models.base import utcnow
from app.models.contributions import Contribution

_slugs = count(1)


def _contribution(**fields) -> Contribution:
    contribution = record_contribution("feedback", "The hub was helpful")
    for name, value in fields.items():
        setattr(contribution, name, value)
    db.session.flush()
    return contribution


def _matching(rule, contributions) -> set[int]:
    ids = [c.id for c in contributions]
    return set(db.session.scalars(select(Contribution.id).where(Contribution.id.in_(ids), rule)))


def test_evidence_and_quotes_leave_out_safeguarding_and_hidden_and_unapproved(app_ctx):
    approved = {"consent_to_quote": True, "quote_text": "Helpful", "quote_approved_at": utcnow()}
    cases = {
        "quotable": (_contribution(**approved), True, True),
        "coded and quotable": (
            _contribution(state=ContributionState.CODED.value, **approved),
            True,
            True,
        ),
        "no consent": (_contribution(**(approved | {"consent_to_quote": False})), True, False),
        "not approved": (_contribution(**(approved | {"quote_approved_at": None})), True, False),
        "no quote": (_contribution(**(approved | {"quote_text": None})), True, False),
        "empty quote": (_contribution(**(approved | {"quote_text": ""})), True, False),
        "safeguarding": (_contribution(safeguarding=True, **approved), False, False),
        "hidden": (_contribution(state=ContributionState.HIDDEN.value, **approved), False, False),
        "individual case": (
            _contribution(state=ContributionState.INDIVIDUAL_CASE.value),
            True,
            False,
        ),
    }
    everything = [c for c, _evidence, _quote in cases.values()]
    evidence = _matching(usable_as_evidence(), everything)
    quotes = _matching(quotable(), everything)
    for name, (contribution, is_evidence, is_quote) in cases.items():
        assert (contribution.id in evidence) == is_evidence, name
        assert (contribution.id in quotes) == is_quote, name
    assert quotes <= evidence


def test_the_suppression_threshold_comes_from_the_configuration(app, app_ctx):
    assert suppression.threshold() == app.config["SUPPRESS_BELOW"] == 5
    assert [suppression.suppressed(n) for n in (0, 1, 4, 5, 6)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert suppression.published_count(4) == "fewer than 5"
    assert suppression.published_count(5) == "5"
    app.config["SUPPRESS_BELOW"] = 10
    try:
        assert suppression.suppressed(9) and not suppression.suppressed(10)
        assert suppression.published_count(9) == "fewer than 10"
    finally:
        app.config["SUPPRESS_BELOW"] = 5


def test_day_bounds_follow_the_clocks_changing_in_the_uk(app_ctx):
    # 29 March 2026 starts in GMT and ends in BST (clocks go forward at 01:00 UTC).
    assert local_day_bounds(date(2026, 3, 29), date(2026, 3, 29)) == (
        datetime(2026, 3, 29, 0, 0),
        datetime(2026, 3, 29, 23, 0),
    )
    # 25 October 2026 starts in BST and ends in GMT (clocks go back at 01:00 UTC).
    assert local_day_bounds(date(2026, 10, 25), date(2026, 10, 25)) == (
        datetime(2026, 10, 24, 23, 0),
        datetime(2026, 10, 26, 0, 0),
    )
    assert local_day_bounds(None, None) == (None, None)
    assert local_day_bounds(date(2026, 1, 10), None) == (datetime(2026, 1, 10), None)


def test_the_audit_log_filters_by_uk_days(app_ctx):
    entry = AuditEntry(
        action="theme.created",
        actor_label="system",
        summary="Late on the 29th",
        created_at=datetime(2026, 3, 29, 23, 30),  # 00:30 on 30 March in London
    )
    db.session.add(entry)
    db.session.commit()
    on_30th = audit.entries(date_from=date(2026, 3, 30), date_to=date(2026, 3, 30))
    on_29th = audit.entries(date_from=date(2026, 3, 29), date_to=date(2026, 3, 29))
    assert entry.id in [e.id for e in on_30th]
    assert entry.id not in [e.id for e in on_29th]


NOW = datetime(2026, 6, 1, 12, 0)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    "status, opens_at, closes_at",
    [
        (SurveyStatus.DRAFT.value, NOW - HOUR, NOW + HOUR),
        (SurveyStatus.PUBLISHED.value, None, None),
        (SurveyStatus.PUBLISHED.value, None, NOW + HOUR),
        (SurveyStatus.PUBLISHED.value, NOW + HOUR, None),
        (SurveyStatus.PUBLISHED.value, NOW, None),  # opens this moment
        (SurveyStatus.PUBLISHED.value, NOW - HOUR, None),
        (SurveyStatus.PUBLISHED.value, NOW - HOUR, NOW + HOUR),
        (SurveyStatus.PUBLISHED.value, NOW - HOUR, NOW),  # closes this moment
        (SurveyStatus.PUBLISHED.value, NOW - 2 * HOUR, NOW - HOUR),
    ],
)
def test_a_survey_is_open_in_python_exactly_when_it_is_in_sql(app_ctx, status, opens_at, closes_at):
    survey = Survey(
        slug=f"rule-survey-{next(_slugs)}",
        title="Rule",
        status=status,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    db.session.add(survey)
    db.session.flush()
    in_sql = db.session.scalar(
        select(Survey.id).where(Survey.id == survey.id, structure.is_open_clause(NOW))
    )
    assert (in_sql is not None) == structure.is_open(survey, NOW)


@pytest.mark.parametrize(
    "published, opens_at, closes_at, override, outcome",
    [
        (False, NOW - HOUR, NOW + HOUR, None, False),
        (True, NOW - HOUR, NOW + HOUR, None, False),
        (True, NOW, NOW + HOUR, None, False),  # opens this moment
        (True, NOW - HOUR, NOW, None, False),  # closes this moment
        (True, NOW + HOUR, NOW + 2 * HOUR, None, False),
        (True, NOW - 2 * HOUR, NOW - HOUR, None, False),
        (True, NOW - HOUR, NOW + HOUR, None, True),
        (True, NOW - 2 * HOUR, NOW - HOUR, Stage.OPEN.value, False),
        (True, NOW - 2 * HOUR, NOW - HOUR, Stage.OPEN.value, True),
        (True, NOW - HOUR, NOW + HOUR, Stage.REVIEWING.value, False),
        (True, NOW - HOUR, NOW + HOUR, Stage.UPCOMING.value, False),
        (False, NOW - HOUR, NOW + HOUR, Stage.OPEN.value, False),
    ],
)
def test_a_consultation_is_open_in_python_exactly_when_it_is_in_sql(
    app_ctx, published, opens_at, closes_at, override, outcome
):
    consultation = Consultation(
        slug=f"rule-consultation-{next(_slugs)}",
        title="Rule",
        published=published,
        opens_at=opens_at,
        closes_at=closes_at,
        stage_override=override,
        outcome_published_at=NOW - 2 * HOUR if outcome else None,
    )
    db.session.add(consultation)
    db.session.flush()
    in_sql = db.session.scalar(
        select(Consultation.id).where(
            Consultation.id == consultation.id, consultations.is_open_clause(NOW)
        )
    )
    assert (in_sql is not None) == consultations.is_open(consultation, NOW)


def test_role_sets_are_spelled_only_in_the_roles_module():
    app_dir = Path(__file__).resolve().parents[2] / "app"
    allowed = {app_dir / "domain/people/roles.py"}
    spelled = [
        str(path.relative_to(app_dir))
        for path in app_dir.rglob("*.py")
        if path not in allowed
        and "models" not in path.parts
        and "demo" not in path.parts
        and re.search(r"Role\.(COORDINATOR|OFFICER|ADMIN)\b", path.read_text())
    ]
    templates = [
        str(path.relative_to(app_dir))
        for path in (app_dir / "templates").rglob("*.html")
        if "has_role(" in path.read_text()
    ]
    assert spelled == [] and templates == []


def test_every_staff_route_allows_one_of_the_named_role_sets(app):
    named = {
        frozenset(value)
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, tuple)
    }
    for endpoint, view in app.view_functions.items():
        allowed = getattr(view, "allowed_roles", None)
        if allowed is not None:
            assert frozenset(allowed) in named, endpoint
