"""The safeguarding phrase list (administrators only)."""

from app.domain.thread.contributions import record_contribution
from app.domain.thread.safeguarding import DEFAULT_PHRASES
from app.extensions import db
from app.models import AuditEntry, SafeguardingPhrase

from ..helpers import (
    error_summary,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)


def flagged(text: str) -> bool:
    """Whether a contribution arriving now with this text is flagged urgent."""
    contribution = record_contribution("feedback", text)
    db.session.flush()
    return contribution.safeguarding


def phrase_list():
    return list(
        db.session.scalars(db.select(SafeguardingPhrase.phrase).order_by(SafeguardingPhrase.phrase))
    )


def test_admin_adds_a_phrase_and_it_flags_the_next_contribution(client, signed_in, app_ctx):
    user = signed_in("admin")
    response = client.get("/manage/settings")
    assert response.status_code == 200
    assert "whole words only, in any mix of capital and small letters" in main_text(response)

    assert flagged("He keeps me awake at night") is False
    response = client.post("/manage/settings/phrases", data={"phrase": "  Keeps Me   AWAKE "})
    assert response.status_code == 302
    assert "“keeps me awake” added." in notification(client.get("/manage/settings"))
    assert phrase_list() == ["keeps me awake"]
    assert flagged("She KEEPS ME AWAKE every night") is True
    assert flagged("It keeps me awakened") is False
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "safeguarding.phrase_added")
    )
    assert entry.actor_id == user.id and entry.summary == "keeps me awake"


def test_bad_and_duplicate_phrases_are_explained(client, signed_in, app_ctx):
    signed_in("admin")
    db.session.add(SafeguardingPhrase(phrase="hit me"))
    db.session.commit()
    cases = [
        ("", "Enter a phrase"),
        ("   ", "Enter a phrase"),
        ("HIT  me", "“hit me” is already on the list"),
        ("x" * 201, "Phrase must be 200 characters or fewer"),
        ("!!!", "Phrase must include at least one letter or number"),
    ]
    for typed, message in cases:
        response = client.post("/manage/settings/phrases", data={"phrase": typed})
        assert response.status_code == 200, typed
        assert field_error(response, "phrase") == message
        assert error_summary(response) == [message]
        assert field_value(response, "phrase") == typed
    assert phrase_list() == ["hit me"]


def test_removing_a_phrase_asks_first_and_is_audited(client, signed_in, app_ctx):
    user = signed_in("admin")
    entry = SafeguardingPhrase(phrase="no food")
    db.session.add(entry)
    db.session.commit()
    settings = page(client.get("/manage/settings"))
    link = settings.find("a", href=f"/manage/settings/phrases/{entry.id}/remove")
    assert link is not None
    confirm = client.get(link["href"])
    assert heading(confirm) == "Are you sure you want to remove “no food”?"
    assert phrase_list() == ["no food"]  # looking at the question removes nothing
    response = client.post(link["href"])
    assert response.status_code == 302
    assert "“no food” removed from the list." in notification(client.get("/manage/settings"))
    assert phrase_list() == []
    audit = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "safeguarding.phrase_removed")
    )
    assert audit.actor_id == user.id and audit.detail == {"phrase": "no food"}
    assert flagged("There was no food at home") is False
    assert client.get(link["href"]).status_code == 404
    assert client.post("/manage/settings/phrases/99999999999999999999/remove").status_code == 404


def test_loading_the_recommended_list(client, signed_in, app_ctx):
    signed_in("admin")
    db.session.add(SafeguardingPhrase(phrase="abuse"))
    db.session.commit()
    response = client.post("/manage/settings/phrases/recommended")
    assert response.status_code == 302
    assert f"{len(DEFAULT_PHRASES) - 1} recommended phrases added." in notification(
        client.get("/manage/settings")
    )
    assert set(phrase_list()) == set(DEFAULT_PHRASES)
    client.post("/manage/settings/phrases/recommended")
    assert "Every recommended phrase is already on the list." in notification(
        client.get("/manage/settings")
    )
    loads = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "safeguarding.phrases_loaded")
    ).all()
    assert [e.detail["added"] for e in loads] == [len(DEFAULT_PHRASES) - 1, 0]
    assert flagged("I think he is being Groomed online") is True


def test_only_admins_change_the_list(client, signed_in, app_ctx):
    db.session.add(SafeguardingPhrase(phrase="bruises"))
    db.session.commit()
    phrase_id = db.session.scalar(db.select(SafeguardingPhrase.id))
    for role in ("coordinator", "officer"):
        signed_in(role)
        assert client.get("/manage/settings").status_code == 403
        assert client.post("/manage/settings/phrases", data={"phrase": "sneaky"}).status_code == 403
        assert client.post(f"/manage/settings/phrases/{phrase_id}/remove").status_code == 403
        assert client.post("/manage/settings/phrases/recommended").status_code == 403
        client.post("/auth/sign-out")
    assert phrase_list() == ["bruises"]


def test_removal_needs_a_csrf_token(app, client, signed_in, app_ctx):
    signed_in("admin")
    db.session.add(SafeguardingPhrase(phrase="bruises"))
    db.session.commit()
    phrase_id = db.session.scalar(db.select(SafeguardingPhrase.id))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/manage/settings/phrases/{phrase_id}/remove").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert phrase_list() == ["bruises"]
