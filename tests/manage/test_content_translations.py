"""The translation editor for areas, actions (with their progress notes), "You said, we did"
responses and events: who may use it, what it stores, its limits, and its audit trail. A
response's translation meets the two-person rule (see `publishing.translation_changed`)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Action, ActionUpdate, Area, AuditEntry, Event, YouSaidWeDid
from app.models.base import utcnow

from ..conftest import sign_in_as, user_for
from ..domain.test_publishing import action, area, draft, published, second_officer
from ..helpers import error_summary, field_error, field_value, heading, main_text, page


@pytest.fixture(autouse=True)
def req(app):
    """Domain calls made by the test itself run as they would in a request."""
    with app.test_request_context():
        yield


def audits(action_name: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action_name).order_by(AuditEntry.id)
        )
    )


def reloaded(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


@pytest.fixture
def event(app_ctx):
    starts = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    item = Event(
        title="Designing the SEND enquiries hub",
        description="Help us design the new hub.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Maidstone Community Hub",
        address="12 High Street\nMaidstone",
        access_notes="Accessible toilet on the ground floor.",
        capacity=5,
        published=True,
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_the_translations_index_lists_every_kind_with_links(client, app_ctx, event):
    sign_in_as(client, "coordinator")
    response = client.get("/manage/translations")
    assert response.status_code == 200
    soup = page(response)
    hrefs = {a["href"] for a in soup.select("main a[href]")}
    assert f"/manage/plan/areas/{area(1).id}/translations" in hrefs
    assert f"/manage/plan/actions/{action('APP-6.1').id}/translations" in hrefs
    assert f"/manage/events/{event.id}/translations" in hrefs
    # It is in the staff navigation.
    assert any(a.get_text(strip=True) == "Translations" for a in soup.select("header a, nav a"))


@pytest.mark.parametrize("role, status", [("officer", 403), ("coordinator", 200), ("admin", 200)])
def test_only_translators_may_translate(client, app_ctx, event, role, status):
    sign_in_as(client, role)
    item = area(3)
    for url in (
        "/manage/translations",
        f"/manage/plan/areas/{item.id}/translations",
        f"/manage/plan/areas/{item.id}/translations/ur",
        f"/manage/plan/actions/{action('APP-6.1').id}/translations/pl",
        f"/manage/events/{event.id}/translations/pl",
    ):
        assert client.get(url).status_code == status, url
    before = dict(item.translations)
    client.post(
        f"/manage/plan/areas/{item.id}/translations/ur", data={f"areas-{item.id}-title": "x"}
    )
    if status == 403:
        assert reloaded(Area, item.id).translations == before


def test_signed_out_people_are_sent_to_sign_in(client, app_ctx):
    response = client.get(f"/manage/plan/areas/{area(1).id}/translations/ur")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_an_area_is_translated_field_by_field_and_audited(client, app_ctx):
    item = area(4)
    item.translations = {}
    db.session.commit()
    sign_in_as(client, "coordinator")
    index = page(client.get(f"/manage/plan/areas/{item.id}/translations"))
    assert "Polski" in main_text(index) and "اردو" in main_text(index)
    assert "0 of 4" in main_text(index)
    url = f"/manage/plan/areas/{item.id}/translations/ur"
    assert heading(page(client.get(url))) == "اردو"
    response = client.post(
        url,
        data={
            f"areas-{item.id}-title": "  کونسل اور NHS کی مشترکہ خریداری  ",
            f"areas-{item.id}-young_person_summary": "نوجوانوں کے لیے\r\nدوسری لائن",
            f"areas-{item.id}-finding": "",
        },
    )
    assert response.status_code == 302
    stored = reloaded(Area, item.id)
    assert stored.translations == {
        "ur": {
            "title": "کونسل اور NHS کی مشترکہ خریداری",
            "young_person_summary": "نوجوانوں کے لیے\nدوسری لائن",
        }
    }
    (entry,) = audits("area.translated")
    assert entry.record_id == str(item.id)
    assert entry.detail["variant"] == "ur" and entry.detail["texts_changed"] == 2
    assert entry.actor_id == user_for("coordinator").id
    # Saving the same again changes nothing and audits nothing.
    client.post(url, data={f"areas-{item.id}-title": "کونسل اور NHS کی مشترکہ خریداری"})
    assert len(audits("area.translated")) == 1


def test_too_long_is_refused_next_to_the_field_and_kept(client, app_ctx):
    item = area(5)
    sign_in_as(client, "coordinator")
    name = f"areas-{item.id}-title"
    long_title = "ł" * 301
    response = client.post(f"/manage/plan/areas/{item.id}/translations/pl", data={name: long_title})
    assert response.status_code == 200
    soup = page(response)
    assert "300 characters or fewer" in error_summary(soup)[0]
    assert "You have entered 301 characters" in field_error(soup, name)
    assert field_value(soup, name) == long_title
    assert reloaded(Area, item.id).translations["pl"]["title"] != long_title
    assert audits("area.translated") == []


def test_unknown_language_or_thing_is_not_found(client, app_ctx, event):
    sign_in_as(client, "coordinator")
    assert client.get(f"/manage/plan/areas/{area(1).id}/translations/de").status_code == 404
    assert client.get(f"/manage/plan/areas/{area(1).id}/translations/yp").status_code == 404
    for url in (
        "/manage/plan/areas/999999/translations",
        "/manage/plan/actions/99999999999/translations/pl",
        "/manage/responses/999999/translations",
        "/manage/events/999999/translations/ur",
    ):
        assert client.get(url).status_code == 404, url


def test_an_action_and_its_progress_notes(client, app_ctx):
    item = action("APP-6.1")
    note = ActionUpdate(
        action=item,
        status=item.status,
        previous_status=item.status,
        progress=item.progress,
        note="Twelve more plans checked.",
        created_at=utcnow(),
    )
    db.session.add(note)
    db.session.commit()
    sign_in_as(client, "coordinator")
    url = f"/manage/plan/actions/{item.id}/translations/pl"
    text = main_text(page(client.get(url)))
    assert "Twelve more plans checked." in text and "Progress update of" in text
    response = client.post(
        url,
        data={
            f"actions-{item.id}-title": "Lepsze plany EHC",
            f"action_updates-{note.id}-note": "Sprawdzono dwanaście kolejnych planów.",
        },
    )
    assert response.status_code == 302
    assert reloaded(Action, item.id).translations["pl"]["title"] == "Lepsze plany EHC"
    assert (
        reloaded(ActionUpdate, note.id).translations["pl"]["note"]
        == "Sprawdzono dwanaście kolejnych planów."
    )
    (entry,) = audits("action.translated")
    assert entry.detail["texts_changed"] == 2
    # A note longer than a progress note may be is refused.
    response = client.post(url, data={f"action_updates-{note.id}-note": "x" * 2001})
    assert response.status_code == 200
    assert "2000 characters or fewer" in error_summary(page(response))[0].replace(",", "")


def test_an_event_and_what_its_page_shows(client, app_ctx, event):
    sign_in_as(client, "coordinator")
    show = page(client.get(f"/manage/events/{event.id}"))
    assert show.find("a", href=f"/manage/events/{event.id}/translations")
    url = f"/manage/events/{event.id}/translations/ur"
    response = client.post(
        url,
        data={
            f"events-{event.id}-title": "SEND سوالات کے مرکز کی تیاری",
            f"events-{event.id}-access_notes": "گراؤنڈ فلور پر قابلِ رسائی بیت الخلا۔",
            f"events-{event.id}-venue": "<b>میڈسٹون</b>\x00",
        },
    )
    assert response.status_code == 302
    stored = reloaded(Event, event.id).translations["ur"]
    assert stored["title"] == "SEND سوالات کے مرکز کی تیاری"
    assert stored["venue"] == "<b>میڈسٹون</b>"  # NULs removed; shown as text (escaped)
    public = client.get(f"/events/{event.id}", headers={"Accept-Language": "ur"})
    soup = page(public)
    assert soup.find("main").find("b") is None
    assert "<b>میڈسٹون</b>" in soup.get_text()
    assert "گراؤنڈ فلور پر قابلِ رسائی بیت الخلا۔" in soup.get_text()
    (entry,) = audits("event.translated")
    assert entry.detail["texts_changed"] == 3


def test_a_draft_responses_translation_is_part_of_the_version_being_approved(client, app_ctx):
    officer = user_for("officer")
    response = draft(officer)
    from app.domain.thread import publishing

    publishing.submit_for_approval(officer, response)
    version = response.version
    sign_in_as(client, "coordinator")
    show = page(client.get(f"/manage/responses/{response.id}"))
    assert show.find("a", href=f"/manage/responses/{response.id}/translations")
    client.post(
        f"/manage/responses/{response.id}/translations/pl",
        data={f"responses-{response.id}-we_did": "Dodaliśmy dwa zespoły oceniające."},
    )
    stored = reloaded(YouSaidWeDid, response.id)
    assert stored.translations["pl"]["we_did"] == "Dodaliśmy dwa zespoły oceniające."
    # Awaiting approval, it goes back to draft; the translator may not approve this version.
    assert stored.state == "draft"
    assert stored.version > version
    assert user_for("coordinator").id in stored.editor_ids


def test_a_published_responses_translation_shows_at_once_and_is_audited_before_and_after(
    client, app_ctx
):
    response = published(user_for("officer"), second_officer())
    response.translations = {"ur": {"title": "پرانا عنوان"}}
    db.session.commit()
    version = response.version
    sign_in_as(client, "coordinator")
    reply = client.post(
        f"/manage/responses/{response.id}/translations/ur",
        data={
            f"responses-{response.id}-title": "EHC جائزوں کے لیے کم انتظار",
            f"responses-{response.id}-you_said": "x" * 10_001,
        },
    )
    assert reply.status_code == 200  # "You said" is as long as its English may be, no longer
    assert "10000 characters or fewer" in error_summary(page(reply))[0].replace(",", "")
    client.post(
        f"/manage/responses/{response.id}/translations/ur",
        data={f"responses-{response.id}-title": "EHC جائزوں کے لیے کم انتظار"},
    )
    stored = reloaded(YouSaidWeDid, response.id)
    assert stored.state == "published" and stored.version == version
    assert stored.pending_change is None
    public = page(client.get(f"/you-said-we-did/{response.id}", headers={"Accept-Language": "ur"}))
    assert public.find("h1").get_text(strip=True) == "EHC جائزوں کے لیے کم انتظار"
    (entry,) = audits("response.translated")
    assert entry.detail["changes"] == {
        f"responses-{response.id}-title": {
            "before": "پرانا عنوان",
            "after": "EHC جائزوں کے لیے کم انتظار",
        }
    }


def test_translate_links_on_the_plan_page_for_admins_only(app, client, app_ctx):
    sign_in_as(client, "admin")
    soup = page(client.get("/manage/plan"))
    assert soup.find("a", href=f"/manage/plan/areas/{area(1).id}/translations")
    assert soup.find("a", href=f"/manage/plan/actions/{action('APP-6.1').id}/translations")
    officer = app.test_client()
    sign_in_as(officer, "officer")
    soup = page(officer.get("/manage/plan"))
    assert soup.find("h1") is not None
    assert soup.find("a", href=f"/manage/plan/areas/{area(1).id}/translations") is None
