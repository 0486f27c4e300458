"""The public side of consultations: the list, a consultation's page, commenting under pre- and
post-moderation, reporting, what is never public, closed consultations and the outcome."""

import time
from datetime import timedelta

import pytest

from app.domain.engagement import moderation
from app.domain.shared.errors import Refused
from app.extensions import db
from app.forms import started_token
from app.models import (
    Action,
    ApprovalState,
    Area,
    Comment,
    CommentReport,
    CommentState,
    Contribution,
    Event,
    Moderation,
    Organisation,
    Registration,
    Stage,
    User,
    YouSaidWeDid,
)
from app.models.base import utcnow
from tests.domain.test_consultations import coordinator, make_consultation
from tests.helpers import error_summary, field_error, field_value, heading, main_text, page


@pytest.fixture
def phrases(app_ctx):
    from app.domain.thread.safeguarding import seed_default_phrases

    seed_default_phrases()
    db.session.commit()


def started(app, seconds_ago: float = 10) -> str:
    with app.test_request_context():
        return started_token(time.time() - seconds_ago)


def comment_data(app, **overrides) -> dict:
    data = {
        "about": "general",
        "display_name": "Sam",
        "text": "A named caseworker would really help us.",
        "consent": "y",
        "started": started(app),
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def comments_of(consultation) -> list[Comment]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Comment)
            .where(Comment.consultation_id == consultation.id)
            .order_by(Comment.id)
        )
    )


def add_comment(consultation, text="A comment", **kwargs) -> Comment:
    return moderation.record_comment(
        consultation, text=text, consent_to_publish=True, check_open=False, **kwargs
    )


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


# --- the list ---------------------------------------------------------------------------------


def test_the_list_groups_consultations_by_stage_and_leaves_out_drafts(client, app_ctx):
    now = utcnow()
    make_consultation(title="Open one")
    make_consultation(
        title="Coming one", opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    make_consultation(
        title="Closed one", opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=3)
    )
    make_consultation(title="Draft one", published=False)
    response = client.get("/consultations")
    assert response.status_code == 200
    soup = page(response)
    assert heading(soup) == "Consultations"
    sections = {
        h2.get_text(strip=True): [a.get_text(strip=True) for a in h2.find_next("ul").select("h3 a")]
        for h2 in soup.select("main h2")
        if h2.find_next("ul")
    }
    assert "Open one" in sections["Open now"]
    assert "Coming one" in sections["Coming soon"]
    assert "Closed one" in sections["Closed"]
    assert "Draft one" not in main_text(soup)


def test_a_draft_or_unknown_consultation_is_not_found(client, app_ctx):
    draft = make_consultation(published=False)
    assert client.get(f"/consultations/{draft.slug}").status_code == 404
    assert client.get("/consultations/no-such-thing").status_code == 404
    assert client.get("/consultations/" + "x" * 300).status_code == 404


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_stage_as_an_accessible_step_indicator(client, app_ctx):
    consultation = make_consultation(proposals=["Named caseworker"])
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    steps = soup.select("ol.app-stages > li")
    assert [s.select_one(".app-stages__name").get_text(strip=True) for s in steps] == [
        "Announced",
        "Open for comments",
        "Reviewing what people said",
        "Outcome published",
    ]
    current = [s for s in steps if s.get("aria-current") == "step"]
    assert len(current) == 1
    assert "Open" in current[0].get_text() and "Current stage" in current[0].get_text()
    # A stage already past says it is finished; one still to come says it has not started.
    assert steps[0].select_one(".app-stages__status").get_text(strip=True) == "Finished"
    assert steps[2].select_one(".app-stages__status").get_text(strip=True) == "Not started yet"
    assert "Done" not in main_text(soup)
    assert (
        steps[1].select_one(".app-stages__dates").get_text(" ", strip=True)
    )  # dates under each step
    assert "Named caseworker" in main_text(soup)
    assert soup.find("form", action=f"/consultations/{consultation.slug}/comments") is not None


def test_a_stage_set_by_hand_is_shown(client, app_ctx):
    consultation = make_consultation(stage_override=Stage.REVIEWING.value)
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    current = soup.select_one("ol.app-stages > li[aria-current=step]")
    assert "Reviewing" in current.get_text()
    assert soup.find("form", action=f"/consultations/{consultation.slug}/comments") is None


def test_only_sanitised_background_is_shown_even_if_the_database_holds_more(client, app_ctx):
    consultation = make_consultation(
        background_html='<p>Why</p><script>alert("x")</script>'
        '<a href="javascript:alert(1)">bad link</a>'
        '<a href="https://example.org">good link</a>'
    )
    body = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "alert(" not in body
    assert 'href="javascript' not in body
    assert '<a href="https://example.org" rel="noopener">good link</a>' in body


def test_young_person_and_language_wording_is_used_where_given(client, app_ctx):
    consultation = make_consultation(proposals=["Replies within 10 working days"])
    consultation.translations = {
        "yp": {"title": "Help us design the SEND help line"},
        "pl": {"title": "Projektowanie centrum zapytań SEND"},
    }
    consultation.proposals[0].translations = {"yp": {"title": "An answer within 2 weeks"}}
    db.session.commit()
    standard = page(client.get(f"/consultations/{consultation.slug}"))
    assert heading(standard) == "Designing the SEND enquiries hub"
    link = standard.find("a", string="Read the young person’s version")
    assert link is not None
    young = page(client.get(link["href"]))
    assert heading(young) == "Help us design the SEND help line"
    assert "An answer within 2 weeks" in main_text(young)
    client.set_cookie("lang", "pl")
    assert (
        heading(page(client.get(f"/consultations/{consultation.slug}")))
        == "Projektowanie centrum zapytań SEND"
    )


def test_no_young_person_link_without_young_person_wording(client, app_ctx):
    consultation = make_consultation()
    assert (
        "young person" not in main_text(client.get(f"/consultations/{consultation.slug}")).lower()
    )


def test_the_page_lists_its_upcoming_events_only(client, app_ctx):
    consultation = make_consultation()
    start = utcnow().replace(microsecond=0) + timedelta(days=5)
    for title, starts, consultation_id in (
        ("Hub workshop", start, consultation.id),
        ("Past hub workshop", start - timedelta(days=30), consultation.id),
        ("Unrelated event", start, None),
    ):
        db.session.add(
            Event(
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue="Hall",
                capacity=10,
                consultation_id=consultation_id,
            )
        )
    db.session.commit()
    text = main_text(client.get(f"/consultations/{consultation.slug}"))
    assert "Hub workshop" in text
    assert "Past hub workshop" not in text and "Unrelated event" not in text


# --- commenting -------------------------------------------------------------------------------


def test_pre_moderated_comments_wait_for_a_moderator(client, app_ctx):
    consultation = make_consultation(
        proposals=["Named caseworker"], moderation=Moderation.PRE.value
    )
    proposal = consultation.proposals[0]
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, about=str(proposal.id)),
    )
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"])
    assert "A moderator will check your comment" in main_text(confirmation)
    [comment] = comments_of(consultation)
    assert comment.state == CommentState.PENDING.value and comment.proposal_id == proposal.id
    assert "A named caseworker would really help us." not in main_text(
        client.get(f"/consultations/{consultation.slug}")
    )

    moderation.approve(coordinator(), comment)
    shown = main_text(client.get(f"/consultations/{consultation.slug}"))
    assert "A named caseworker would really help us." in shown and "Sam" in shown


def test_post_moderated_comments_are_public_at_once_and_reportable(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, display_name=""),
    )
    assert response.status_code == 302
    assert "Your comment is now shown" in main_text(client.get(response.headers["Location"]))
    [comment] = comments_of(consultation)
    assert comment.state == CommentState.PUBLISHED.value
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    item = soup.find(id=f"comment-{comment.id}")
    assert "A named caseworker would really help us." in item.get_text()
    assert "Anonymous" in item.get_text()
    assert (
        item.find("a", href=f"/consultations/{consultation.slug}/comments/{comment.id}/report")
        is not None
    )


def test_every_comment_becomes_a_contribution_with_the_consultations_links(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    consultation.areas = [area(1), area(3)]
    consultation.actions = [action("APP-1.1")]
    db.session.commit()
    client.post(
        f"/consultations/{consultation.slug}/comments", data=comment_data(client.application)
    )
    [comment] = comments_of(consultation)
    contribution = db.session.get(Contribution, comment.contribution_id)
    assert contribution.source_type == "comment" and contribution.source_id == comment.id
    assert contribution.text == "A named caseworker would really help us."
    assert sorted(a.number for a in contribution.areas) == [1, 3]
    assert [a.reference for a in contribution.actions] == ["APP-1.1"]
    # The confirmation gives the contribution's reference, which /track follows.
    confirmation = main_text(client.get(f"/consultations/{consultation.slug}/commented"))
    assert contribution.reference in confirmation


def test_consent_is_required_and_says_why_keeping_what_was_typed(client, app_ctx):
    consultation = make_consultation()
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, consent=None, text="Keep my words"),
    )
    assert response.status_code == 200
    message = field_error(response, "consent")
    assert "agree to your comment being shown publicly" in message and "anyone can read" in message
    assert message in error_summary(response)
    assert field_value(response, "text") == "Keep my words"
    assert field_value(response, "display_name") == "Sam"
    assert comments_of(consultation) == []


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"text": ""}, "text", "Enter your comment"),
        (
            {"text": "x" * 2001},
            "text",
            "Your comment must be 2,000 characters or fewer. You have entered 2,001 characters.",
        ),
        ({"display_name": "n" * 101}, "display_name", "Your name must be 100 characters or fewer"),
        ({"about": "999999"}, "about", "Select what your comment is about"),
    ],
)
def test_bad_input_gets_a_clear_message_next_to_the_field(
    client, app_ctx, overrides, field, message
):
    consultation = make_consultation(proposals=["One"])
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, **overrides),
    )
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert comments_of(consultation) == []


def test_html_and_script_in_a_comment_or_name_are_shown_as_text(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(
            client.application,
            display_name="<b>Bold</b> name",
            text='<script>alert("hi")</script> <i>words</i>',
        ),
    )
    body = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert '<script>alert("hi")</script>' not in body and "<b>Bold</b>" not in body
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;" in body
    assert "&lt;b&gt;Bold&lt;/b&gt; name" in body


def test_safeguarding_comments_are_never_public_and_the_person_sees_who_to_contact(client, phrases):
    consultation = make_consultation(moderation=Moderation.POST.value)
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(
            client.application, text="My son talks about self-harm and nobody has called us back."
        ),
    )
    confirmation = client.get(response.headers["Location"])
    text = main_text(confirmation)
    assert "Get help now" in text and "999" in text
    assert "will not be shown" in text
    [comment] = comments_of(consultation)
    assert comment.state == CommentState.PENDING.value and comment.safeguarding
    assert db.session.get(Contribution, comment.contribution_id).safeguarding
    assert "self-harm" not in main_text(client.get(f"/consultations/{consultation.slug}"))

    # Not even a moderator can publish it.
    with pytest.raises(Refused):
        moderation.approve(coordinator(), comment)
    # Hidden, it stays out of the page entirely (not even the reason is shown).
    moderation.hide(coordinator(), comment, "Safeguarding: passed to the front door")
    assert "Hidden by a moderator" not in main_text(
        client.get(f"/consultations/{consultation.slug}")
    )


def test_a_name_that_matches_a_safeguarding_phrase_is_held_too(client, phrases):
    consultation = make_consultation(moderation=Moderation.POST.value)
    client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, display_name="not safe at home"),
    )
    [comment] = comments_of(consultation)
    assert comment.safeguarding and comment.state == CommentState.PENDING.value
    assert db.session.get(Contribution, comment.contribution_id).safeguarding


def test_a_closed_consultation_refuses_comments_kindly(client, app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)
    )
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    assert soup.find("form", action=f"/consultations/{consultation.slug}/comments") is None
    assert "has closed, so it is not taking comments" in main_text(soup)

    forged = client.post(
        f"/consultations/{consultation.slug}/comments", data=comment_data(client.application)
    )
    assert forged.status_code == 200
    assert "not taking comments, so your comment has not been sent" in main_text(forged)
    assert comments_of(consultation) == []


def test_an_upcoming_consultation_refuses_comments_too(client, app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    forged = client.post(
        f"/consultations/{consultation.slug}/comments", data=comment_data(client.application)
    )
    assert forged.status_code == 200
    assert comments_of(consultation) == []


def test_robots_see_a_confirmation_but_nothing_is_stored(client, app_ctx):
    consultation = make_consultation()
    for data in (
        comment_data(client.application, website="http://spam.example"),
        comment_data(client.application, started=started(client.application, seconds_ago=0.5)),
    ):
        response = client.post(f"/consultations/{consultation.slug}/comments", data=data)
        assert response.status_code == 302
        assert client.get(response.headers["Location"]).status_code == 200
    assert comments_of(consultation) == []


def test_commenting_is_rate_limited(client, app_ctx):
    consultation = make_consultation()
    for _ in range(10):
        assert (
            client.post(
                f"/consultations/{consultation.slug}/comments",
                data=comment_data(client.application),
            ).status_code
            == 302
        )
    refused = client.post(
        f"/consultations/{consultation.slug}/comments", data=comment_data(client.application)
    )
    assert refused.status_code == 429
    assert len(comments_of(consultation)) == 10


# --- hidden comments and reports --------------------------------------------------------------


def test_a_hidden_comment_shows_the_reason_in_its_place(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = add_comment(consultation, "Mrs Example at Oakwood never calls back on 07700 900123")
    moderation.hide(coordinator(), comment, "contains personal details")
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    item = soup.find(id=f"comment-{comment.id}")
    assert item.get_text(" ", strip=True) == "Hidden by a moderator: contains personal details"
    assert "07700" not in main_text(soup)
    assert db.session.get(Comment, comment.id).text.startswith("Mrs Example")  # kept privately


def test_anyone_can_report_a_published_comment_with_a_reason(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = add_comment(consultation, "Rude words about staff")
    url = f"/consultations/{consultation.slug}/comments/{comment.id}/report"
    form = page(client.get(url))
    assert heading(form) == "Report this comment"
    assert "Rude words about staff" in main_text(form)

    missing = client.post(url, data={"reason": "", "started": started(client.application)})
    assert field_error(missing, "reason") == "Enter why you are reporting this comment"

    response = client.post(
        url, data={"reason": "It is rude", "started": started(client.application)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/consultations/{consultation.slug}#comment-{comment.id}"
    )
    assert "A moderator will look at this comment" in main_text(
        client.get(response.headers["Location"])
    )
    [report] = db.session.scalars(
        db.select(CommentReport).where(CommentReport.comment_id == comment.id)
    ).all()
    assert report.reason == "It is rude" and report.resolved_at is None


def test_only_published_comments_can_be_reported(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.PRE.value)
    pending = add_comment(consultation, "Waiting")
    hidden = add_comment(consultation, "Hidden")
    moderation.hide(coordinator(), hidden, "off topic")
    other = make_consultation(moderation=Moderation.POST.value)
    elsewhere = add_comment(other, "On another consultation")
    for comment_id in (pending.id, hidden.id, elsewhere.id, 999999):
        assert (
            client.get(
                f"/consultations/{consultation.slug}/comments/{comment_id}/report"
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/consultations/{consultation.slug}/comments/{comment_id}/report",
                data={"reason": "x", "started": started(client.application)},
            ).status_code
            == 404
        )
    assert db.session.scalar(db.select(db.func.count()).select_from(CommentReport)) == 0


def test_reporting_is_rate_limited_and_robots_store_nothing(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = add_comment(consultation, "Reported a lot")
    url = f"/consultations/{consultation.slug}/comments/{comment.id}/report"
    robot = client.post(
        url, data={"reason": "spam", "website": "x", "started": started(client.application)}
    )
    assert robot.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(CommentReport)) == 0
    for _ in range(9):
        assert (
            client.post(
                url, data={"reason": "bad", "started": started(client.application)}
            ).status_code
            == 302
        )
    assert (
        client.post(url, data={"reason": "bad", "started": started(client.application)}).status_code
        == 429
    )


# --- many comments ----------------------------------------------------------------------------


def test_many_comments_are_capped_with_a_link_to_all_of_them(client, app_ctx):
    consultation = make_consultation(proposals=["Texts"], moderation=Moderation.POST.value)
    proposal = consultation.proposals[0]
    for n in range(27):
        comment = add_comment(consultation, f"Comment number {n:02d}", proposal_id=proposal.id)
        comment.created_at = utcnow() - timedelta(minutes=100 - n)
    db.session.commit()
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    shown = list(soup.select(f"#proposal-{proposal.id} ~ ul.app-comments li"))
    assert len(shown) == 5
    assert "Comment number 26" in shown[0].get_text()
    link = soup.find("a", href=f"/consultations/{consultation.slug}/comments?about={proposal.id}")
    assert "Show all 27 comments" in link.get_text()

    first = page(client.get(link["href"]))
    assert len(first.select("ul.app-comments li")) == 20
    second = page(client.get(link["href"] + "&page=2"))
    assert len(second.select("ul.app-comments li")) == 7
    assert "Comment number 00" in main_text(second)
    assert client.get(f"/consultations/{consultation.slug}/comments?about=abc").status_code == 404
    assert (
        client.get(f"/consultations/{consultation.slug}/comments?about=general&page=zz").status_code
        == 200
    )


def test_the_page_runs_a_constant_number_of_queries_however_many_comments(
    client, app_ctx, count_queries
):
    consultation = make_consultation(
        proposals=["One", "Two", "Three"], moderation=Moderation.POST.value
    )
    url = f"/consultations/{consultation.slug}"

    def measure():
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add_comment(consultation, "First", proposal_id=consultation.proposals[0].id)
    few = measure()
    for n in range(40):
        comment = add_comment(
            consultation,
            f"More {n}",
            proposal_id=consultation.proposals[n % 3].id if n % 4 else None,
        )
        if n % 5 == 0:
            moderation.hide(coordinator(), comment, "off topic")
        elif n % 7 == 1:
            moderation.report_comment(comment, "rude")
    assert measure() == few


# --- the outcome ------------------------------------------------------------------------------


def publish_response(title: str, evidence: list[Contribution]) -> YouSaidWeDid:
    officer = db.session.scalar(db.select(User).where(User.email == "officer@example.org"))
    admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    response = YouSaidWeDid(
        title=title,
        you_said="People said…",
        we_did="We did…",
        status="planned",
        organisation=db.session.scalar(db.select(Organisation)),
        author=officer,
        approved_by=admin,
        state=ApprovalState.PUBLISHED.value,
        published_at=utcnow(),
        contributions=evidence,
    )
    db.session.add(response)
    db.session.commit()
    return response


def test_the_outcome_shows_what_we_heard_counts_and_the_responses_that_came_from_it(
    client, app_ctx
):
    now = utcnow()
    consultation = make_consultation(
        proposals=["Guide", "Drop-ins"],
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        moderation=Moderation.POST.value,
    )
    on_guide = [
        add_comment(consultation, f"Guide {n}", proposal_id=consultation.proposals[0].id)
        for n in range(3)
    ]
    add_comment(consultation, "General point")
    start = now - timedelta(days=40)
    event = Event(
        title="Drop-in design day",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Hall",
        capacity=10,
        consultation_id=consultation.id,
    )
    db.session.add(event)
    for n in range(6):
        db.session.add(
            Registration(
                event=event,
                name=f"P{n}",
                email=f"p{n}@example.org",
                attendee_type="parent_carer",
                state="registered",
                cancel_token_hash=f"{n}" * 64,
                attended=n < 5,
            )
        )
    consultation.what_we_heard_html = (
        "<p>People want the guide <strong>sooner</strong>.</p><script>x()</script>"
    )
    consultation.outcome_published_at = now - timedelta(days=5)
    db.session.commit()
    linked = publish_response(
        "A guide from year 9", [db.session.get(Contribution, c.contribution_id) for c in on_guide]
    )
    other_contribution = db.session.scalar(
        db.select(Contribution).where(Contribution.source_type != "comment")
    )
    unrelated = publish_response(
        "Something else entirely", [other_contribution] if other_contribution else []
    )

    soup = page(client.get(f"/consultations/{consultation.slug}"))
    current = soup.select_one("ol.app-stages > li[aria-current=step]")
    assert "Outcome" in current.get_text()
    text = main_text(soup)
    assert (
        "What we heard" in text
        and "People want the guide sooner" in soup.select_one("#outcome + div").get_text()
    )
    assert "x()" not in soup.decode()
    rows = {
        tr.th.get_text(" ", strip=True): tr.td.get_text(strip=True)
        for tr in soup.select("#outcome ~ table tr")
    }
    assert rows["Comments received"] == "4"
    assert rows["On “Guide”"] == "3" and rows["On “Drop-ins”"] == "0"
    assert rows["On the consultation as a whole"] == "1"
    assert rows["People who came to its events"] == "5"
    assert soup.find("a", href=f"/you-said-we-did/{linked.id}") is not None
    assert soup.find("a", href=f"/you-said-we-did/{unrelated.id}") is None
    assert soup.find("form", action=f"/consultations/{consultation.slug}/comments") is None


def test_responses_linked_through_the_embedded_survey_are_listed(client, app_ctx):
    from app.demo.surveys import create_ehc_survey
    from app.domain.surveys.recording import record_response
    from app.domain.surveys.structure import Structure, load_survey

    survey = create_ehc_survey(slug="consultation-test-survey")
    structure = Structure.of(load_survey(survey.id))
    text_question = next(
        q for q in structure.questions.values() if q.kind == "short_text" and q.required
    )
    answers = {
        str(q.id): q.options[0].id
        for q in structure.questions.values()
        if q.required and q.kind in ("single_choice", "yes_no", "rating")
    }
    answers[str(text_question.id)] = "One named person please"
    survey_response = record_response(structure, answers, check_open=False)
    consultation = make_consultation(survey_id=survey.id)
    answer_contribution = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer",
            Contribution.text == "One named person please",
        )
    )
    whole = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_response",
            Contribution.source_id == survey_response.id,
        )
    )
    by_answer = publish_response("From an answer", [answer_contribution])
    by_response = publish_response("From a whole response", [whole])
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    assert soup.find("a", href=f"/you-said-we-did/{by_answer.id}") is not None
    assert soup.find("a", href=f"/you-said-we-did/{by_response.id}") is not None
    text = main_text(soup)
    # (EHC is spelled out: its first use on the page.)
    assert "Your experience of the education, health and care (EHC) plan process" in text
    assert "Open" in text


def test_an_outcome_with_no_response_yet_says_so_instead_of_pointing_at_one(client, app_ctx):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30)
    )
    consultation.what_we_heard_html = "<p>People want the guide sooner.</p>"
    consultation.outcome_published_at = now - timedelta(days=5)
    db.session.commit()
    soup = page(client.get(f"/consultations/{consultation.slug}"))
    text = main_text(soup)
    assert soup.select_one("#you-said-we-did") is not None
    assert "No response to this consultation has been published yet." in text
    assert "below" not in text.lower()
    # Every step before the outcome is finished; none says "Done".
    statuses = [s.get_text(strip=True) for s in soup.select(".app-stages__status")]
    assert statuses == ["Finished", "Finished", "Finished", "Current stage"]


def test_the_demo_outcome_points_at_nothing_that_may_be_missing(app_ctx):
    from app.demo.consultations import ADULTHOOD_WHAT_WE_HEARD

    assert "below" not in ADULTHOOD_WHAT_WE_HEARD
