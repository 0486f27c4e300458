"""Answering the demo EHC survey in tests: its questions by their words, and valid answers for
each page, so a test changes only what it is about."""

import time
from urllib.parse import urlsplit

from app.demo.surveys import create_ehc_survey
from app.extensions import db
from app.forms import started_token
from app.models import Survey, SurveyDraft, SurveyQuestion


class Demo:
    """The demo EHC plan survey (app.demo.surveys.create_ehc_survey)."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.slug = survey.slug
        self.base = f"/surveys/{survey.slug}"

    @classmethod
    def create(cls, **kwargs) -> "Demo":
        return cls(create_ehc_survey(**kwargs))

    def q(self, starts: str) -> SurveyQuestion:
        return next(q for q in self.survey.questions if q.text.startswith(starts))

    def name(self, starts: str) -> str:
        return f"q{self.q(starts).id}"

    def option(self, starts: str, label: str) -> str:
        return str(next(o.id for o in self.q(starts).options if o.label == label))

    # Valid answers, page by page (page numbers are the sections' places in the survey).
    def page1(self, **changes) -> dict:
        data = {
            self.name("Who asked"): self.option("Who asked", "I did (parent or carer)"),
            f"{self.name('When was')}-day": "3",
            f"{self.name('When was')}-month": "4",
            f"{self.name('When was')}-year": "2025",
            self.name("Were you told"): self.option("Were you told", "No"),
        }
        return _changed(data, changes)

    def page2(self, plan: str = "Yes", **changes) -> dict:
        data = {
            self.name("How well were you kept"): self.option("How well were you kept", "Poor"),
            self.name("How did the SEND"): [self.option("How did the SEND", "Email"), "other"],
            f"{self.name('How did the SEND')}-other": "Text messages",
            self.name("How many times"): "4",
            self.name("Is there an EHC"): self.option("Is there an EHC", plan),
        }
        return _changed(data, changes)

    def page3(self, **changes) -> dict:
        data = {
            self.name("How well does the plan"): self.option("How well does the plan", "Good"),
            self.name("What would have"): "Less jargon, and the right diagnosis.",
        }
        return _changed(data, changes)

    def page4(self, **changes) -> dict:
        data = {
            self.name("Did you get help"): self.option("Did you get help", "Yes"),
            self.name("What help did"): "They came to the meeting with me.",
            self.name("If we could"): "Tell families what is happening without them chasing.",
        }
        return _changed(data, changes)


def _changed(data: dict, changes: dict) -> dict:
    data = dict(data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def started(app, seconds_ago: float = 60) -> str:
    """The signed "page shown at" value a person's browser sends back."""
    with app.test_request_context():
        return started_token(time.time() - seconds_ago)


def draft_for(client, survey: Survey) -> SurveyDraft | None:
    with client.session_transaction() as session:
        token = (session.get("survey_drafts") or {}).get(str(survey.id))
    if token is None:
        return None
    db.session.expire_all()
    return db.session.scalar(db.select(SurveyDraft).where(SurveyDraft.token == token))


def answer_to_check(
    client, demo: Demo, *, plan: str = "Yes", about_you: dict | None = None, query: str = ""
):
    """Answer every page validly and arrive at "Check your answers"; returns the last response."""
    app = client.application
    response = client.post(
        f"{demo.base}/page/1{query}", data={**demo.page1(), "started": started(app)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    response = client.post(f"{demo.base}/page/2", data=demo.page2(plan=plan))
    assert response.status_code == 302
    if plan == "Yes":
        response = client.post(f"{demo.base}/page/3", data=demo.page3())
        assert response.status_code == 302
    response = client.post(f"{demo.base}/page/4", data=demo.page4())
    assert urlsplit(response.location).path.endswith("/about-you"), response.location
    response = client.post(
        f"{demo.base}/about-you",
        data=about_you if about_you is not None else {"consent_to_quote": "yes"},
    )
    assert urlsplit(response.location).path.endswith("/check-answers"), response.location
    return response
