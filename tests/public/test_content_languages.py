"""Areas, actions and their progress, "You said, we did" responses and events in the reader's
language: each text falls back to English on its own, and English on a Polish or Urdu page is
marked `lang="en"` (with `dir="ltr"`) so screen readers switch voice and punctuation sits right.
"""

from datetime import timedelta

import pytest

from app.demo import translations as demo_translations
from app.extensions import db
from app.models import ActionUpdate, Area, Event, YouSaidWeDid
from app.models.base import utcnow

from ..conftest import user_for
from ..domain.test_publishing import action, area, published, second_officer
from ..helpers import page

URDU = {"Accept-Language": "ur"}
POLISH = {"Accept-Language": "pl"}


def english_marks(soup) -> list[str]:
    """The texts a page marks as English, squashed."""
    return [" ".join(e.get_text().split()) for e in soup.select('[lang="en"]')]


def marked_english(soup, text: str):
    """The element marking `text` as English on the page, or None. Acronyms are spelled out
    where a page first uses them, so only the first words are compared."""
    start = " ".join(text.split()[:4])
    for element in soup.select('[lang="en"]'):
        if " ".join(element.get_text().split()).startswith(start):
            return element
    return None


@pytest.fixture(autouse=True)
def req(app):
    """Domain calls made by the test itself run as they would in a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def area_one(app_ctx):
    """Area 1 with Urdu for everything but the finding."""
    item = area(1)
    urdu = dict(demo_translations.AREAS[1]["ur"])
    urdu.pop("finding")
    item.translations = {"ur": urdu, "pl": demo_translations.AREAS[1]["pl"]}
    db.session.commit()
    return item


def test_a_missing_urdu_finding_shows_english_marked_as_english(client, area_one):
    soup = page(client.get("/areas/1", headers=URDU))
    assert soup.find("html")["dir"] == "rtl"
    finding = marked_english(soup, area_one.finding)
    assert finding is not None, english_marks(soup)
    assert finding.name == "span" and finding.find_parent(class_="govuk-inset-text")
    assert finding["dir"] == "ltr"
    # What is given in Urdu is shown in Urdu, and not marked as English.
    heading = soup.find("h1")
    assert heading.get_text(strip=True) == area_one.translations["ur"]["title"]
    assert heading.find(attrs={"lang": "en"}) is None
    text = soup.get_text()
    # (Acronyms are spelled out where first used, so these look for a sentence without one.)
    assert "سوالات اور شکایات سنبھالنے کا نظام یہ بوجھ نہیں اٹھا سکا۔" in text
    assert "کبھی کبھی جب خاندانوں نے مدد مانگی تو کسی نے جواب نہیں دیا۔" in text
    assert "nobody answered" not in text


def test_a_given_urdu_finding_is_shown_in_urdu_without_an_english_mark(client, area_one):
    area_one.translations = {"ur": demo_translations.AREAS[1]["ur"]}
    db.session.commit()
    soup = page(client.get("/areas/1", headers=URDU))
    assert demo_translations.AREAS[1]["ur"]["finding"] in soup.get_text()
    assert marked_english(soup, area_one.finding) is None
    assert area_one.finding not in soup.get_text()


def test_the_english_page_marks_nothing(client, area_one):
    soup = page(client.get("/areas/1"))
    assert soup.find("h1").get_text(strip=True) == area_one.title
    main = soup.find("main")
    assert main.select("[lang]") == []


def test_the_areas_list_and_home_cards_are_in_polish(client, area_one):
    for url in ("/areas", "/"):
        soup = page(client.get(url, headers=POLISH))
        text = soup.get_text()
        assert demo_translations.AREAS[1]["pl"]["title"] in text, url
        assert "Systemy obsługi zapytań i skarg sobie nie radziły." in text, url


def test_an_area_without_translations_reads_whole_in_english_marked(client, app_ctx):
    item = area(2)
    item.translations = {}
    db.session.commit()
    soup = page(client.get("/areas/2", headers=POLISH))
    heading = soup.find("h1").find(attrs={"lang": "en"})
    assert heading is not None and heading.get_text() == item.title
    assert marked_english(soup, item.plain_summary) is not None


def test_the_action_page_and_its_progress_history_in_polish(client, app_ctx):
    item = action("APP-6.1")
    item.translations = {"pl": {"title": "Lepsze plany EHC"}}
    update = ActionUpdate(
        action=item,
        status=item.status,
        previous_status=item.status,
        progress=item.progress,
        note="Twelve more plans checked this month.",
        translations={"pl": {"note": "W tym miesiącu sprawdzono dwanaście kolejnych planów."}},
        created_at=utcnow(),
    )
    untranslated = ActionUpdate(
        action=item,
        status=item.status,
        previous_status=item.status,
        progress=item.progress,
        note="A note nobody translated yet.",
        created_at=utcnow() - timedelta(days=1),
    )
    db.session.add_all([update, untranslated])
    db.session.commit()
    soup = page(client.get("/actions/APP-6.1", headers=POLISH))
    assert soup.find("h1").get_text(strip=True) == "Lepsze plany EHC"
    assert soup.find("h1").find(attrs={"lang": "en"}) is None
    text = soup.get_text()
    assert "W tym miesiącu sprawdzono dwanaście kolejnych planów." in text
    assert "Twelve more plans checked this month." not in text
    assert marked_english(soup, "A note nobody translated yet.") is not None
    if item.description:
        assert marked_english(soup, " ".join(item.description.split())) is not None
    # The plan's actions table on the area page uses the same wording.
    area_soup = page(client.get("/areas/6", headers=POLISH))
    assert "Lepsze plany EHC" in area_soup.get_text()


def _published_response(**translations) -> YouSaidWeDid:
    response = published(
        user_for("officer"), second_officer(), title="Shorter waits for EHC needs assessments"
    )
    response.translations = translations
    db.session.commit()
    return response


def test_a_response_in_urdu_with_english_marked_where_not_given(client, app_ctx):
    response = _published_response(
        ur={"title": "EHC جائزوں کے لیے کم انتظار", "we_did": "ہم نے جائزے کی دو ٹیمیں بڑھائیں۔"}
    )
    soup = page(client.get(f"/you-said-we-did/{response.id}", headers=URDU))
    assert soup.find("h1").get_text(strip=True) == "EHC جائزوں کے لیے کم انتظار"
    text = soup.get_text()
    assert "ہم نے جائزے کی دو ٹیمیں بڑھائیں۔" in text
    assert response.we_did not in text
    you_said = marked_english(soup, response.you_said)
    assert you_said is not None and you_said["dir"] == "ltr"
    # The list shows the Urdu title too.
    listing = page(client.get("/you-said-we-did", headers=URDU))
    assert "EHC جائزوں کے لیے کم انتظار" in listing.get_text()


def test_a_response_in_polish(client, app_ctx):
    response = _published_response(
        pl={
            "title": "Krótsze oczekiwanie na ocenę EHC",
            "you_said": "Rodzice mówili, że na ocenę czeka się za długo.",
            "we_did": "Dodaliśmy dwa zespoły oceniające.",
        }
    )
    soup = page(client.get(f"/you-said-we-did/{response.id}", headers=POLISH))
    text = soup.get_text()
    for given in response.translations["pl"].values():
        assert given in text
    for english in (response.title, response.you_said, response.we_did):
        assert english not in text
        assert marked_english(soup, english) is None


def _event(**translations) -> Event:
    starts = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    event = Event(
        title="Designing the SEND enquiries hub",
        description="Help us design the new hub.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Maidstone Community Hub",
        address="12 High Street\nMaidstone",
        access_notes="Accessible toilet on the ground floor.",
        capacity=5,
        published=True,
        translations=translations,
    )
    db.session.add(event)
    db.session.commit()
    return event


def test_an_event_in_urdu_and_in_polish(client, app_ctx):
    event = _event(
        ur={"title": "SEND سوالات کے مرکز کی تیاری", "venue": "میڈسٹون کمیونٹی ہب"},
        pl={
            "title": "Projektujemy punkt obsługi zapytań SEND",
            "description": "Pomóż nam zaprojektować nowy punkt.",
            "access_notes": "Toaleta dla osób z niepełnosprawnościami na parterze.",
        },
    )
    soup = page(client.get(f"/events/{event.id}", headers=URDU))
    assert soup.find("h1").get_text(strip=True) == "SEND سوالات کے مرکز کی تیاری"
    assert "میڈسٹون کمیونٹی ہب" in soup.get_text()
    assert marked_english(soup, event.description)["dir"] == "ltr"
    assert marked_english(soup, event.access_notes) is not None
    listing = page(client.get("/events", headers=URDU))
    assert "SEND سوالات کے مرکز کی تیاری" in listing.get_text()

    soup = page(client.get(f"/events/{event.id}", headers=POLISH))
    text = soup.get_text()
    assert "Projektujemy punkt obsługi zapytań SEND" in text
    assert "Pomóż nam zaprojektować nowy punkt." in text
    assert "Toaleta dla osób z niepełnosprawnościami na parterze." in text
    assert marked_english(soup, event.venue) is not None


def test_a_translation_is_shown_as_text_never_as_markup(client, app_ctx):
    event = _event(pl={"title": '<script>alert("x")</script> Spotkanie'})
    soup = page(client.get(f"/events/{event.id}", headers=POLISH))
    assert soup.find("main").find("script") is None
    assert '<script>alert("x")</script> Spotkanie' in soup.find("h1").get_text()


def test_the_demo_has_polish_and_urdu_for_the_nine_areas_and_a_published_response(app_ctx):
    from app.demo import seed_voices

    seed_voices()
    areas = db.session.scalars(db.select(Area).order_by(Area.number)).all()
    assert [a.number for a in areas] == list(range(1, 10))
    for item in areas:
        for language in ("pl", "ur"):
            texts = item.translations[language]
            for field in ("title", "finding", "plain_summary", "young_person_summary"):
                assert texts[field].strip(), (item.number, language, field)
                assert texts[field] != getattr(item, field)
    translated = [
        r
        for r in db.session.scalars(
            db.select(YouSaidWeDid).where(YouSaidWeDid.state == "published")
        )
        if {"pl", "ur"} <= set(r.translations)
    ]
    assert translated, "at least one published response has Polish and Urdu"
    for response in translated:
        for language in ("pl", "ur"):
            assert response.translations[language]["we_did"].strip()


def test_acronyms_spelled_out_on_an_urdu_page_are_marked_as_english(client, area_one):
    soup = page(client.get("/areas/1", headers=URDU))
    spelled = marked_english(soup, "special educational needs and disabilities")
    assert spelled is not None and spelled["dir"] == "ltr"
    english = page(client.get("/areas/1"))
    assert "special educational needs and disabilities (SEND)" in english.get_text()
    assert english.find("main").select("[lang]") == []


def test_a_consultation_not_yet_in_urdu_marks_its_english(client, app_ctx):
    from tests.domain.test_consultations import make_consultation

    consultation = make_consultation(
        proposals=["One phone number"],
        background_html="<p>Why we are asking.</p>",
        translations={"ur": {"summary": "مرکز کی تیاری میں ہماری مدد کریں۔"}},
    )
    soup = page(client.get(f"/consultations/{consultation.slug}", headers=URDU))
    title = soup.find("h1").find(attrs={"lang": "en"})
    assert title is not None and title["dir"] == "ltr"
    assert "مرکز کی تیاری میں ہماری مدد کریں۔" in soup.get_text()
    assert marked_english(soup, "Help us design the hub.") is None
    background = marked_english(soup, "Why we are asking.")
    assert background is not None and background.name == "div"  # rich text: a block
    assert marked_english(soup, "One phone number") is not None
