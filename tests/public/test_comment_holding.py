"""Consultation comments never leak what they should not.

Under post-moderation a comment is public at once, unless it seems to hold a phone number, email
address or postcode (or a safeguarding phrase): then it waits for a moderator, and the person is
told so. Flagging a comment's contribution for safeguarding in the inbox hides the comment at
once, with the moderator's reason in its place.
"""

import pytest

from app.domain.engagement import moderation
from app.domain.shared.errors import Refused
from app.extensions import db
from app.models import AuditEntry, Comment, CommentReport, CommentState, Contribution, Moderation
from tests.domain.test_consultations import coordinator, make_consultation
from tests.helpers import main_text, page
from tests.public.test_consultations import comment_data, comments_of


def send(client, consultation, **overrides):
    response = client.post(
        f"/consultations/{consultation.slug}/comments",
        data=comment_data(client.application, **overrides),
    )
    assert response.status_code == 302
    return client.get(response.headers["Location"])


@pytest.mark.parametrize(
    "overrides",
    [
        {"text": "Ring me on 07700 900123 about the transport."},
        {"text": "Call (01622) 123 456 and ask for Jo."},
        {"text": "Email me at sam.parent@example.org please."},
        {"text": "We live at ME14 1XX and the bus never comes."},
        {"text": "We live at me14 1xx and the bus never comes."},
        {"display_name": "sam.parent@example.org"},
        {"display_name": "Sam, 07700 900123"},
    ],
)
def test_a_comment_with_personal_details_is_held_and_the_person_is_told(client, app_ctx, overrides):
    consultation = make_consultation(moderation=Moderation.POST.value)
    confirmation = send(client, consultation, **overrides)
    told = main_text(confirmation)
    assert "seems to include personal details" in told
    assert "A moderator will check it first" in told
    assert "Your comment is now shown" not in told
    [comment] = comments_of(consultation)
    assert comment.state == CommentState.PENDING.value
    assert not comment.safeguarding  # held for details, not urgent
    public = main_text(client.get(f"/consultations/{consultation.slug}"))
    assert comment.text not in public
    assert "07700" not in public and "example.org" not in public and "1XX" not in public.upper()


def test_ordinary_comments_are_still_public_at_once(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    text = "In Year 6 2nd term, KS3 2nd set and 3 buses a day: none were on time."
    told = main_text(send(client, consultation, text=text))
    assert "Your comment is now shown" in told
    assert "personal details" not in told
    [comment] = comments_of(consultation)
    assert comment.state == CommentState.PUBLISHED.value


def test_under_pre_moderation_the_usual_message_is_kept(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.PRE.value)
    told = main_text(send(client, consultation, text="Ring 07700 900123"))
    assert "A moderator will check your comment before it is shown" in told


def test_a_safeguarding_phrase_still_comes_first(client, app_ctx):
    from app.domain.thread.safeguarding import seed_default_phrases

    seed_default_phrases()
    db.session.commit()
    consultation = make_consultation(moderation=Moderation.POST.value)
    told = main_text(send(client, consultation, text="He wants to die. Ring 07700 900123."))
    assert "Get help now" in told and "seems to include personal details" not in told
    [comment] = comments_of(consultation)
    assert comment.safeguarding and comment.state == CommentState.PENDING.value


def test_the_page_warns_before_you_write_and_moderators_see_why_it_waits(
    client, signed_in, app_ctx
):
    consultation = make_consultation(moderation=Moderation.POST.value)
    before = main_text(client.get(f"/consultations/{consultation.slug}"))
    assert "Do not include anyone’s phone number, email address or postcode." in before
    send(client, consultation, text="My number is 07700 900123")
    [comment] = comments_of(consultation)
    signed_in("coordinator")
    queue = page(client.get(f"/manage/consultations/{consultation.id}/moderation"))
    row = queue.find("a", href=f"/manage/consultations/{consultation.id}/comments/{comment.id}")
    tags = [tag.get_text(strip=True) for tag in row.find_parent("td").select(".govuk-tag")]
    assert "Personal details?" in tags and "Waiting for moderation" in tags
    # A moderator can still approve it: a council helpline number is fine to publish.
    moderation.approve(coordinator(), comment)
    assert comment.state == CommentState.PUBLISHED.value


# --- flagging a comment's contribution in the inbox --------------------------------------------


def code(client, contribution, **fields):
    data = {"state": "coded", "sentiment": "", "note": "", **fields}
    return client.post(f"/manage/inbox/{contribution.id}/code", data=data)


def published_comment(consultation, text="The bus driver shouts at my son every day."):
    comment = moderation.record_comment(
        consultation, text=text, consent_to_publish=True, check_open=False
    )
    assert comment.state == CommentState.PUBLISHED.value
    return comment


def test_flagging_hides_the_comment_at_once_with_the_reason_in_its_place(
    client, signed_in, app_ctx
):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = published_comment(consultation)
    db.session.add(CommentReport(comment_id=comment.id, reason="worrying"))
    db.session.commit()
    contribution = db.session.get(Contribution, comment.contribution_id)
    user = signed_in("coordinator")

    form = page(client.get(f"/manage/inbox/{contribution.id}"))
    reason_field = form.find("input", attrs={"name": "comment_reason"})
    assert reason_field is not None and reason_field["value"] == "we are following it up privately"

    response = code(
        client, contribution, safeguarding="y", comment_reason="passed to the right team"
    )
    assert response.status_code == 302
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.state == CommentState.HIDDEN.value
    assert comment.moderation_reason == "passed to the right team"
    assert comment.moderated_by_id == user.id
    assert all(report.resolved_at is not None for report in comment.reports)

    public = page(client.get(f"/consultations/{consultation.slug}"))
    place = public.find(id=f"comment-{comment.id}")
    assert "Hidden by a moderator: passed to the right team" in place.get_text(" ", strip=True)
    assert "shouts at my son" not in main_text(public)

    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "comment.hidden")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.actor_id == user.id and entry.detail["flagged_for_safeguarding"] is True

    # While the contribution stays flagged, no moderator can put it back.
    with pytest.raises(Refused):
        moderation.restore(coordinator(), comment, "It was fine")


def test_without_a_reason_a_neutral_one_is_shown(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = published_comment(consultation)
    contribution = db.session.get(Contribution, comment.contribution_id)
    signed_in("coordinator")
    code(client, contribution, safeguarding="y", comment_reason="")
    public = main_text(client.get(f"/consultations/{consultation.slug}"))
    assert "Hidden by a moderator: we are following it up privately" in public


def test_a_waiting_comment_flagged_in_the_inbox_stays_private_for_good(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.PRE.value)
    comment = moderation.record_comment(
        consultation, text="Something worrying", consent_to_publish=True, check_open=False
    )
    contribution = db.session.get(Contribution, comment.contribution_id)
    signed_in("coordinator")
    code(client, contribution, safeguarding="y", comment_reason="anything")
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.safeguarding and comment.state == CommentState.PENDING.value
    assert "Hidden by a moderator" not in main_text(
        client.get(f"/consultations/{consultation.slug}")
    )
    with pytest.raises(Refused):
        moderation.approve(coordinator(), comment)


def test_coding_without_flagging_leaves_the_comment_alone(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = published_comment(consultation, "Transport was late again.")
    contribution = db.session.get(Contribution, comment.contribution_id)
    signed_in("coordinator")
    code(client, contribution, sentiment="negative", comment_reason="ignored")
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).state == CommentState.PUBLISHED.value


def test_the_reason_field_is_only_offered_for_comments(client, signed_in, app_ctx):
    from app.domain.thread.contributions import record_contribution

    other = record_contribution("feedback", "Some feedback about transport")
    db.session.commit()
    signed_in("coordinator")
    form = page(client.get(f"/manage/inbox/{other.id}"))
    assert form.find("input", attrs={"name": "comment_reason"}) is None


def test_a_too_long_reason_is_refused_next_to_the_field_and_nothing_changes(
    client, signed_in, app_ctx
):
    from tests.helpers import field_error

    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = published_comment(consultation)
    contribution = db.session.get(Contribution, comment.contribution_id)
    signed_in("coordinator")
    response = code(client, contribution, safeguarding="y", comment_reason="x" * 1001)
    assert response.status_code == 200
    assert field_error(response, "comment_reason") == (
        "The reason must be 1000 characters or fewer"
    )
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).state == CommentState.PUBLISHED.value
