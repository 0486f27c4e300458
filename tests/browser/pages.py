"""The page catalogue: every page the app serves, found by walking its URL map.

New routes are picked up automatically, so a new page is checked for accessibility without
anyone remembering to add it. A rule is left out only when it is listed in SKIPPED (with the
reason), so nothing is dropped silently. URL arguments are filled from the seeded demo data by
RESOLVERS (or, for a page that needs a particular record, ENDPOINT_RESOLVERS); a rule with an
argument no resolver knows makes the catalogue test fail and says
which resolver to add.

Sections:
- "public": every GET page not under /manage or /auth (checked anonymously);
- "auth":   GET pages under /auth, such as sign-in and setting a password (anonymously);
- "staff":  GET pages under /manage, checked signed in as each role the view allows.
"""

import itertools
import re
from dataclasses import dataclass

from flask import current_app

from app.extensions import db
from app.models import (
    Action,
    ActionUpdate,
    ApprovalState,
    Area,
    AuditEntry,
    Case,
    Comment,
    CommentReport,
    CommentState,
    Consultation,
    Contribution,
    Event,
    Measure,
    MeasureValue,
    Organisation,
    OutboxMessage,
    Role,
    SafeguardingPhrase,
    Subscription,
    Survey,
    SurveyStatus,
    Team,
    Theme,
    User,
    YouSaidWeDid,
)

# The one place rules are deliberately left out of the accessibility sweep.
SKIPPED = {
    "/static/<path:filename>": "static files, not pages",
    "/healthz": "a JSON health check for the load balancer, not a page",
    "/language/<code>": "the language switcher only sets a cookie and redirects",
    "/manage/responses/<int:response_id>/submit": "a POST from the response page; a GET only "
    "redirects back to it",
    "/feedback/confirmation": "shown only in the session that just sent feedback; otherwise it "
    "redirects to /feedback",
    "/events/<int:event_id>/registered": "shown only in the session that just registered; "
    "otherwise it redirects to the event",
    "/consultations/<slug>/commented": "shown only in the session that just commented; otherwise "
    "it redirects to the consultation",
    "/surveys/<slug>/about-you": "needs answers in progress (a draft); checked with axe in "
    "tests/browser/test_survey_journey.py",
    "/surveys/<slug>/check-answers": "needs answers in progress (a draft); checked with axe in "
    "tests/browser/test_survey_journey.py",
    "/surveys/<slug>/confirmation": "shown only in the session that just sent answers; checked "
    "with axe in tests/browser/test_survey_journey.py",
    "/manage/surveys/<int:survey_id>/responses/entered": "shown only in the session that just "
    "entered a response; checked with axe in tests/browser/test_survey_journey.py",
    "/manage/feedback/entered": "shown only in the session that just entered feedback; checked "
    "with axe in tests/browser/test_feedback_entry_journey.py",
    "/auth/two-step": "only between the password and the code; checked with axe in "
    "tests/browser/test_two_step_journey.py",
    "/auth/two-step/set-up": "for a signed-in person setting up their app; checked with axe in "
    "tests/browser/test_two_step_journey.py",
    "/auth/continue": "only after a form was sent once the session had ended; checked with axe "
    "in tests/browser/test_two_step_journey.py",
    "/manage/users/<int:user_id>/reset-two-step": "only for a person with two-step sign-in on; "
    "checked with axe in tests/browser/test_two_step_journey.py",
}

# Rules ending in a file name extension (/open-data/actions.csv, /import/example.csv) are
# downloads, not pages: axe has nothing to check in them.
DOWNLOAD = re.compile(r"\.([A-Za-z0-9]{1,5}|<[^>]+>)$")

# The open survey the demo seed always has (app/demo/surveys.py).
SURVEY_SLUG = "ehc-plan-experience"

# The area and action the demo seed always has (app/demo/kent.py).
AREA_NUMBER = 6
ACTION_REFERENCE = "APP-1.1"
INVITED_EMAIL = "invited.for.browser.tests@example.org"


def _area_id() -> int:
    return db.session.scalar(db.select(Area.id).where(Area.number == AREA_NUMBER))


def _action_id() -> int:
    return db.session.scalar(db.select(Action.id).where(Action.reference == ACTION_REFERENCE))


def _update_id() -> int:
    return db.session.scalar(
        db.select(ActionUpdate.id)
        .where(ActionUpdate.action_id == _action_id())
        .order_by(ActionUpdate.id)
    )


def _measure_id() -> int:
    """The demo seed's first measure of APP-1.1 (app/demo/measures.py), with values."""
    return db.session.scalar(
        db.select(Measure.id).where(Measure.action_id == _action_id()).order_by(Measure.position)
    )


def _measure_value_id() -> int:
    return db.session.scalar(
        db.select(MeasureValue.id)
        .where(MeasureValue.measure_id == _measure_id())
        .order_by(MeasureValue.measured_on)
    )


def _user_id() -> int:
    # The coordinator: an account an administrator can look at, edit and deactivate.
    return db.session.scalar(db.select(User.id).where(User.email == "coordinator@example.org"))


def _organisation_id() -> int:
    return db.session.scalar(db.select(Organisation.id).where(Organisation.short_name == "PACT"))


def _audit_entry_id() -> int:
    return db.session.scalar(db.select(AuditEntry.id).order_by(AuditEntry.id))


def _first(column, *where):
    return db.session.scalar(db.select(column).where(*where).order_by(column))


def _export_job_id() -> int:
    """A spreadsheet of the open survey's responses, waiting for a worker: the page that says it
    is being prepared."""
    from app.models import ExportJob

    job = ExportJob(survey_id=_survey().id, format="xlsx", filters={}, requested_by_id=_user_id())
    db.session.add(job)
    db.session.commit()
    return job.id


def _officer() -> User:
    return db.session.scalar(db.select(User).where(User.email == "officer@example.org"))


def _response_in(state: str) -> int:
    """A "You said, we did" response in that state; the seed publishes some, others are made."""
    found = _first(YouSaidWeDid.id, YouSaidWeDid.state == state)
    if found is not None:
        return found
    from app.domain.thread import publishing

    officer = _officer()
    fields = publishing.ResponseFields(
        title="Browser test response",
        you_said="Parents said the letters were hard to follow.",
        we_did="We rewrote the letters in plain English.",
        status="planned",
        organisation_id=officer.organisation_id,
    )
    response = publishing.create_draft(officer, fields)
    if state == ApprovalState.AWAITING_APPROVAL.value:
        publishing.submit_for_approval(officer, response)
    assert response.state == state, f"cannot make a response in state {state}"
    return response.id


def _team_id() -> int:
    """A team to change (the demo seed adds them)."""
    return _first(Team.id)


def _case_id() -> int:
    """An open individual case whose family agreed to be contacted, so its page shows every
    form (made once: a contribution with contact details handed to the first team)."""
    found = _first(Case.id, Case.state != "closed")
    if found is not None:
        return found
    from app.domain.thread import cases
    from app.domain.thread.contributions import record_contribution

    contribution = record_contribution(
        "feedback",
        "Browser test: my daughter has waited a year for a speech and language assessment.",
        contact_email="browser.family@example.org",
        wants_updates=True,
    )
    db.session.commit()
    coordinator = db.session.scalar(db.select(User).where(User.email == "coordinator@example.org"))
    with current_app.test_request_context("/"):
        return cases.hand_off(coordinator, contribution, _team_id()).id


def _response_with_change() -> int:
    """A published response with a change waiting for approval (made once)."""
    found = _first(
        YouSaidWeDid.id,
        YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
        YouSaidWeDid.pending_change.is_not(None),
    )
    if found is not None:
        return found
    from app.domain.thread import publishing

    officer = _officer()
    admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    fields = publishing.ResponseFields(
        title="Browser test response with a change",
        you_said="Parents said the letters were hard to follow.",
        we_did="We are rewriting the letters in plain English.",
        status="in_progress",
        organisation_id=officer.organisation_id,
    )
    with current_app.test_request_context():  # publishing queues emails with links
        response = publishing.create_draft(officer, fields)
        publishing.submit_for_approval(officer, response)
        publishing.approve_and_publish(admin, response)
        fields.status = "done"
        fields.we_did = "We rewrote the letters in plain English."
        publishing.edit_published(officer, response, fields, "The letters are rewritten.")
        return response.id


_subscriber_numbers = itertools.count(1)


def _subscription_confirm_token() -> str:
    """A fresh confirmation link: each works once, so every visit gets a new one."""
    from flask import current_app

    from app.domain.mail import subscriptions

    email = f"subscriber{next(_subscriber_numbers)}.browser@example.org"
    with current_app.test_request_context("/"):
        subscriptions.request_subscription(email, "area", _area_id())
    body = db.session.scalar(
        db.select(OutboxMessage.body_text)
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id.desc())
    )
    found = re.search(r"/subscribe/confirm/([A-Za-z0-9_\-]+)", body or "")
    assert found, f"the subscription email has no confirmation link:\n{body}"
    return found.group(1)


def _unsubscribe_token() -> str:
    _subscription_confirm_token()
    return _first(Subscription.unsubscribe_token, Subscription.email.like("%.browser@example.org"))


def _invitation_token() -> str:
    """A real, unused invitation link, made the way an administrator makes one."""
    from flask import current_app

    from app.domain.people import accounts

    with current_app.test_request_context("/"):
        admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
        if accounts.find_user(INVITED_EMAIL) is None:
            accounts.invite_user(admin, INVITED_EMAIL, "Ivy Invited", Role.COORDINATOR.value, None)
        else:
            accounts.resend_invitation(admin, accounts.find_user(INVITED_EMAIL))
        body = db.session.scalar(
            db.select(OutboxMessage.body_text)
            .where(OutboxMessage.to_address == INVITED_EMAIL)
            .order_by(OutboxMessage.id.desc())
        )
    found = re.search(r"/auth/set-password/([A-Za-z0-9_\-]+)", body or "")
    assert found, f"the invitation email has no set-password link:\n{body}"
    return found.group(1)


def _event_id() -> int:
    """An upcoming event with a registration; the seed's when it has one, otherwise one is made."""
    from datetime import timedelta

    from app.models import Event, Registration
    from app.models.base import utcnow

    found = _first(
        Event.id,
        Event.published.is_(True),
        Event.cancelled_at.is_(None),
        Event.starts_at > utcnow(),
    )
    if found is not None:
        return found
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=14)
    event = Event(
        title="Browser test event",
        description="Designing the enquiries hub.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Maidstone Hub",
        address="1 High Street",
        step_free=True,
        capacity=20,
        published=True,
    )
    event.registrations.append(
        Registration(
            name="Browser Registrant",
            email="registrant.browser@example.org",
            attendee_type="parent_carer",
            access_needs="A ramp",
            cancel_token_hash="browser-test-registration",
        )
    )
    db.session.add(event)
    db.session.commit()
    return event.id


_registrant_numbers = itertools.count(1)


def _event_cancel_token() -> str:
    """A real cancel link, made by registering the way a person does."""
    from flask import current_app

    from app.domain.engagement import events

    email = f"registrant{next(_registrant_numbers)}.browser@example.org"
    with current_app.test_request_context("/"):
        events.register(
            db.session.get(Event, _event_id()), "Browser Tester", email, "parent_carer", ""
        )
    body = db.session.scalar(
        db.select(OutboxMessage.body_text)
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id.desc())
    )
    found = re.search(r"/events/cancel/([A-Za-z0-9_\-]+)", body or "")
    assert found, f"the registration email has no cancel link:\n{body}"
    return found.group(1)


# The closed survey seed_surveys() makes, with published results, and the builder's test draft.
CLOSED_SURVEY_SLUG = "short-breaks-2026"
DRAFT_SURVEY_TITLE = "Browser test draft survey"


def _survey(slug: str = SURVEY_SLUG) -> Survey:
    from app.domain.surveys.structure import load_survey

    return load_survey(slug=slug)


def _draft_survey() -> Survey:
    """A draft with a section and a question, made through the builder's own rules."""
    from app.domain.surveys import builder as survey_builder
    from app.domain.surveys import questions as survey_structure
    from app.domain.surveys.structure import load_survey
    from app.models import QuestionKind

    found = _first(
        Survey.id, Survey.title == DRAFT_SURVEY_TITLE, Survey.status == SurveyStatus.DRAFT.value
    )
    if found is None:
        coordinator = db.session.scalar(
            db.select(User).where(User.email == "coordinator@example.org")
        )
        survey = survey_builder.create_survey(
            coordinator, survey_builder.SurveyDetails(title=DRAFT_SURVEY_TITLE)
        )
        section = survey_structure.add_section(
            coordinator,
            load_survey(survey.id),
            survey_structure.SectionDetails(title="Your experience"),
        )
        survey = load_survey(survey.id)
        survey_structure.add_question(
            coordinator,
            survey,
            survey.sections[0],
            QuestionKind.RATING,
            survey_structure.QuestionDetails(
                text="How good was it?", new_options=["Bad", "OK", "Good"]
            ),
        )
        found = survey.id
        assert section.id
    return load_survey(found)


def _draft_ids() -> dict:
    survey = _draft_survey()
    return {
        "survey_id": survey.id,
        "section_id": survey.sections[0].id,
        "question_id": survey.sections[0].questions[0].id,
    }


# The demo's post-moderated consultation: published, reported and hidden comments
# (app/demo/consultations.py).
CONSULTATION_SLUG = "keeping-families-informed"


def _consultation() -> Consultation:
    found = db.session.scalar(db.select(Consultation).where(Consultation.slug == CONSULTATION_SLUG))
    assert found is not None, "the demo consultations are not seeded (seed_consultations)"
    return found


def _consultation_proposal_id() -> int:
    return _consultation().proposals[0].id


def _consultation_public_comment_id() -> int:
    return _first(
        Comment.id,
        Comment.consultation_id == _consultation().id,
        Comment.state == CommentState.PUBLISHED.value,
        Comment.safeguarding.is_(False),
    )


def _consultation_reported_comment_id() -> int:
    """A comment with an open report: its page offers keeping it and hiding it."""
    return _first(
        Comment.id,
        Comment.consultation_id == _consultation().id,
        Comment.id.in_(
            db.select(CommentReport.comment_id).where(CommentReport.resolved_at.is_(None))
        ),
    )


def _consultation_ready_to_publish_id() -> int:
    """A closed consultation with "What we heard" written but not published: the confirm page."""
    from datetime import timedelta

    from app.models.base import utcnow

    slug = "browser-test-ready-to-publish"
    found = db.session.scalar(db.select(Consultation.id).where(Consultation.slug == slug))
    if found is not None:
        return found
    now = utcnow()
    consultation = Consultation(
        slug=slug,
        title="Browser test: school transport",
        summary="Closed.",
        background_html="<p>Background.</p>",
        published=True,
        moderation="pre",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        what_we_heard_html="<p>We heard that buses are late.</p>",
    )
    db.session.add(consultation)
    db.session.commit()
    return consultation.id


def _free_text_question_id() -> int:
    from app.models import SurveyQuestion

    return _first(
        SurveyQuestion.id,
        SurveyQuestion.survey_id == _survey().id,
        SurveyQuestion.kind == "long_text",
    )


# URL argument name -> function returning a value from the seeded data (runs in an app context).
def _published_report_slug() -> str:
    """A published board report (the last complete quarter's, published once)."""
    from app.domain.evidence import report as board_report
    from app.models import PublishedReport

    found = _first(PublishedReport.slug)
    if found is not None:
        return found
    admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    with current_app.test_request_context():
        today = board_report.local_day(board_report.utcnow())
        period = board_report.last_complete_quarter(today)
        return board_report.publish(admin, period, today).slug


RESOLVERS = {
    "number": lambda: AREA_NUMBER,
    "reference": lambda: ACTION_REFERENCE,
    "area_id": _area_id,
    "action_id": _action_id,
    "update_id": _update_id,
    "measure_id": _measure_id,
    "value_id": _measure_value_id,
    "user_id": _user_id,
    "organisation_id": _organisation_id,
    "entry_id": _audit_entry_id,
    "contribution_id": lambda: _first(Contribution.id),
    "response_id": lambda: _response_in(ApprovalState.PUBLISHED.value),
    "theme_id": lambda: _first(Theme.id),
    "team_id": _team_id,
    "case_id": _case_id,
    "phrase_id": lambda: _first(SafeguardingPhrase.id),
    "event_id": _event_id,
    "variant": lambda: "pl",
    "survey_id": lambda: _survey().id,
    "job_id": _export_job_id,
    "section_id": lambda: _survey().sections[0].id,
    "question_id": lambda: _survey().sections[0].questions[0].id,
    "consultation_id": lambda: _consultation().id,
    "proposal_id": _consultation_proposal_id,
    "slug": lambda: SURVEY_SLUG,
}

# Pages that need a particular record (a draft to edit, a link of their own): endpoint ->
# {argument: resolver}. These win over RESOLVERS.
ENDPOINT_RESOLVERS = {
    "auth.set_password": {"token": _invitation_token},
    "public.subscribe_confirm": {"token": _subscription_confirm_token},
    "public.unsubscribe": {"token": _unsubscribe_token},
    "public.subscription_settings": {"token": _unsubscribe_token},
    "public.event_cancel": {"token": _event_cancel_token},
    "manage.response_edit": {"response_id": lambda: _response_in(ApprovalState.DRAFT.value)},
    "manage.response_preview": {"response_id": lambda: _response_in(ApprovalState.DRAFT.value)},
    "manage.response_evidence": {"response_id": lambda: _response_in(ApprovalState.DRAFT.value)},
    "manage.response_return": {
        "response_id": lambda: _response_in(ApprovalState.AWAITING_APPROVAL.value)
    },
    "manage.response_approve": {"response_id": _response_with_change},
    "manage.response_turn_down": {"response_id": _response_with_change},
    # Publishing and deleting are for drafts; reopening is for a closed survey.
    "manage.survey_publish": {"survey_id": lambda: _draft_ids()["survey_id"]},
    "manage.survey_delete": {"survey_id": lambda: _draft_ids()["survey_id"]},
    "manage.survey_section_delete": {
        "survey_id": lambda: _draft_ids()["survey_id"],
        "section_id": lambda: _draft_ids()["section_id"],
    },
    "manage.survey_question_delete": {
        "survey_id": lambda: _draft_ids()["survey_id"],
        "question_id": lambda: _draft_ids()["question_id"],
    },
    "manage.survey_question_edit": {
        "survey_id": lambda: _draft_ids()["survey_id"],
        "question_id": lambda: _draft_ids()["question_id"],
    },
    "manage.survey_reopen": {"survey_id": lambda: _survey(CLOSED_SURVEY_SLUG).id},
    "public.consultation": {"slug": lambda: CONSULTATION_SLUG},
    "public.consultation_comments": {"slug": lambda: CONSULTATION_SLUG},
    "public.consultation_report": {
        "slug": lambda: CONSULTATION_SLUG,
        "comment_id": _consultation_public_comment_id,
    },
    "manage.consultation_comment": {"comment_id": _consultation_reported_comment_id},
    "manage.consultation_outcome_publish": {"consultation_id": _consultation_ready_to_publish_id},
    # A survey's first page opens before anything is answered; later pages need answers.
    "public.survey_section": {"number": lambda: 1},
    "manage.survey_results_answers": {"question_id": _free_text_question_id},
    "manage.survey_unpublish_results": {"survey_id": lambda: _survey(CLOSED_SURVEY_SLUG).id},
    "public.survey_results": {"slug": lambda: CLOSED_SURVEY_SLUG},
    # The Urdu editor: right-to-left boxes beside the English.
    "manage.area_translation": {"variant": lambda: "ur"},
    "public.report": {"slug": _published_report_slug},
    "manage.reach_baseline_edit": {"dimension": lambda: "district"},
}
# Query strings a page is visited with, so it is checked with content (a search with results).
QUERY_STRINGS = {
    "public.search": {"q": "EHC"},
}
# Links that work once: resolved again for every visit instead of being reused.
SINGLE_USE = {_subscription_confirm_token}


def resolver_for(endpoint: str, argument: str):
    return ENDPOINT_RESOLVERS.get(endpoint, {}).get(argument) or RESOLVERS.get(argument)


@dataclass(frozen=True)
class Page:
    rule: str
    endpoint: str
    section: str  # "public", "auth" or "staff"
    arguments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # for staff pages: the roles allowed to see it

    @property
    def label(self) -> str:
        return self.rule


def allowed_roles(view) -> tuple[str, ...] | None:
    """The roles `roles_required` allows for a view (None when it is not wrapped in it)."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        roles = getattr(view, "allowed_roles", None)
        if roles is not None:
            return tuple(Role(role).value for role in roles)
        view = getattr(view, "__wrapped__", None)
    return None


def section_for(path: str) -> str:
    if path == "/manage" or path.startswith("/manage/"):
        return "staff"
    if path == "/auth" or path.startswith("/auth/"):
        return "auth"
    return "public"


@dataclass
class Catalogue:
    pages: list[Page]
    problems: list[str]

    def section(self, name: str) -> list[Page]:
        return [page for page in self.pages if page.section == name]


def catalogue(app) -> Catalogue:
    """Walk the app's URL map: every GET rule becomes a Page, or a problem to fix."""
    pages, problems = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if "GET" not in (rule.methods or ()) or rule.rule in SKIPPED or DOWNLOAD.search(rule.rule):
            continue
        arguments = tuple(sorted(set(rule.arguments) - set(rule.defaults or {})))
        missing = [name for name in arguments if resolver_for(rule.endpoint, name) is None]
        if missing:
            problems.append(
                f"{rule.rule} ({rule.endpoint}): no value for {', '.join(missing)}. Add a resolver "
                "for it to RESOLVERS (or ENDPOINT_RESOLVERS) in tests/browser/pages.py, or, if the "
                "rule is not a page, list it in SKIPPED there with the reason."
            )
            continue
        section = section_for(rule.rule)
        roles: tuple[str, ...] = ()
        if section == "staff":
            roles = allowed_roles(app.view_functions[rule.endpoint])
            if roles is None:
                problems.append(
                    f"{rule.rule} ({rule.endpoint}) is not wrapped in @roles_required: every staff "
                    "page must say which roles may see it."
                )
                continue
        pages.append(Page(rule.rule, rule.endpoint, section, arguments, roles))
    return Catalogue(pages, problems)


def url_for_page(app, page: Page) -> str:
    """The path of a catalogued page, its arguments filled from the seeded data."""
    cache = app.extensions.setdefault("page_catalogue_values", {})
    values = {}
    with app.app_context():
        for name in page.arguments:
            resolver = resolver_for(page.endpoint, name)
            if resolver in SINGLE_USE or resolver not in cache:
                value = resolver()
                assert value is not None, (
                    f"the resolver for {name} ({page.rule}) found nothing in the seeded data"
                )
                cache[resolver] = value
            values[name] = cache[resolver]
    values.update(QUERY_STRINGS.get(page.endpoint, {}))
    return app.url_map.bind("localhost").build(page.endpoint, values)
