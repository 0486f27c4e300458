"""Every form endpoint in the URL map, with real ids from the demo data, and who may post to it.

Used by the hostile-input and random-form-data tests, so a new form is covered the moment its
route exists.
"""

import re

from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.models import (
    Action,
    Area,
    Case,
    Comment,
    Consultation,
    Contribution,
    Event,
    Measure,
    MeasureValue,
    Proposal,
    SafeguardingPhrase,
    Survey,
    SurveyQuestion,
    SurveySection,
    Team,
    Theme,
    User,
    YouSaidWeDid,
)
from tests.browser.pages import allowed_roles

# Posting to these ends the test client's session or needs a live token in the URL, so random
# data could only ever reach their "not found"/"signed out" answer. They have their own tests.
SKIPPED_ENDPOINTS = {"auth.sign_out", "auth.keep_alive"}

# Which role posts to a staff form: the most powerful role the form allows.
ROLE_ORDER = ("admin", "coordinator", "officer", "approver", "moderator", "analyst")


def seed_for(rule_text: str, endpoint: str) -> None:
    """Build only the demo data this rule's URL needs (inside the test's transaction)."""
    from app.demo import seed_events, seed_voices
    from app.demo.consultations import seed_consultations
    from app.demo.surveys import create_ehc_survey

    if re.search(r"contribution_id|response_id|theme_id|phrase_id|inbox", rule_text):
        seed_voices()
    if "consultation" in rule_text:
        seed_consultations()
    if "survey" in rule_text:
        create_ehc_survey()
    if "event" in rule_text:
        seed_events()
    if "case_id" in rule_text:
        _open_case()
    if "subscribe/settings" in rule_text:
        _confirmed_subscription()


def _open_case() -> None:
    """An open individual case whose family agreed to be contacted (every case form works)."""
    from flask import current_app

    from app.domain.thread import cases
    from app.domain.thread.contributions import record_contribution

    contribution = record_contribution(
        "feedback",
        "Form test: please ring me about my son's transport.",
        contact_email="form.family@example.org",
        wants_updates=True,
    )
    db.session.commit()
    coordinator = db.session.scalar(db.select(User).where(User.email == "coordinator@example.org"))
    with current_app.test_request_context("/"):
        cases.hand_off(coordinator, contribution, _first(db.select(Team.id).order_by(Team.id)))


def _confirmed_subscription() -> None:
    """A subscription whose own page (/subscribe/settings/<token>) shows its form."""
    from app.models import Subscription
    from app.models.base import utcnow

    area_id = _first(db.select(Area.id).order_by(Area.number))
    if _first(db.select(Subscription.id).where(Subscription.unsubscribe_token == "form-target")):
        return
    db.session.add(
        Subscription(
            email="form.target@example.org",
            target_type="area",
            target_id=area_id,
            unsubscribe_token="form-target",
            confirmed_at=utcnow(),
        )
    )
    db.session.commit()


def _first(statement):
    return db.session.scalar(statement.limit(1))


def _ids(endpoint: str) -> dict:
    """A coherent set of real ids: a question with its section and survey, a comment with its
    consultation, and so on."""
    question = _first(db.select(SurveyQuestion).order_by(SurveyQuestion.id))
    comment = _first(db.select(Comment).order_by(Comment.id))
    proposal = _first(db.select(Proposal).order_by(Proposal.id))
    open_survey = _first(db.select(Survey).where(Survey.status == "published").order_by(Survey.id))
    section = question and _first(
        db.select(SurveySection).where(SurveySection.survey_id == question.survey_id)
    )
    consultation_id = comment.consultation_id if comment else _first(db.select(Consultation.id))
    if endpoint.startswith("manage.consultation_proposal") and proposal is not None:
        consultation_id = proposal.consultation_id
    consultation_for_slug = consultation_id and db.session.get(Consultation, consultation_id)
    if endpoint == "public.consultation_comment":  # one open now, so its comment form shows
        consultation_for_slug = (
            _first(db.select(Consultation).where(Consultation.slug == "keeping-families-informed"))
            or consultation_for_slug
        )
    action_id = _first(db.select(Action.id).where(Action.reference == "APP-1.1"))
    measure_id = _first(
        db.select(Measure.id).where(Measure.action_id == action_id).order_by(Measure.position)
    )
    return {
        "area_id": _first(db.select(Area.id).where(Area.number == 6)),
        "action_id": action_id,
        "measure_id": measure_id,
        "value_id": _first(
            db.select(MeasureValue.id)
            .where(MeasureValue.measure_id == measure_id)
            .order_by(MeasureValue.measured_on)
        ),
        "user_id": _first(db.select(User.id).where(User.email == "coordinator@example.org")),
        "survey_id": question.survey_id if question else 1,
        "question_id": question.id if question else 1,
        "section_id": (question and question.section_id) or (section.id if section else 1),
        "consultation_id": consultation_id,
        "comment_id": comment.id if comment else 1,
        "proposal_id": proposal.id if proposal else 1,
        "event_id": _first(db.select(Event.id).order_by(Event.id)),
        "contribution_id": _first(db.select(Contribution.id).order_by(Contribution.id)),
        "response_id": _first(db.select(YouSaidWeDid.id).order_by(YouSaidWeDid.id)),
        "phrase_id": _first(db.select(SafeguardingPhrase.id).order_by(SafeguardingPhrase.id)),
        "theme_id": _first(db.select(Theme.id).order_by(Theme.id)),
        "team_id": _first(db.select(Team.id).order_by(Team.id)),
        "case_id": _first(db.select(Case.id).order_by(Case.id.desc())),
        "number": 1,
        "variant": "pl",
        "dimension": "district",
        "token": (
            "form-target" if endpoint == "public.subscription_settings" else "not-a-real-token"
        ),
        "slug": (
            consultation_for_slug.slug
            if endpoint.startswith("public.consultation") and consultation_for_slug
            else (open_survey.slug if open_survey else "no-such-survey")
        ),
    }


def form_rules(app) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(rule, endpoint, allowed roles or None for public) for every rule that takes a POST."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if "POST" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        found.append((rule.rule, rule.endpoint, allowed_roles(app.view_functions[rule.endpoint])))
    return found


def role_for(roles: tuple[str, ...] | None) -> str | None:
    if roles is None:
        return None
    return next(role for role in ROLE_ORDER if role in roles)


def url_for_form(app, rule_text: str, endpoint: str) -> str:
    """The URL of one rule, built from real ids (call inside an app context)."""
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text
    )
    ids = _ids(endpoint)
    values = {}
    for name, converter in rule._converters.items():
        value = ids.get(name)
        if value is None:
            value = 1 if isinstance(converter, IntegerConverter) else "x"
        values[name] = value
    return app.url_map.bind("localhost").build(endpoint, values, append_unknown=False)
