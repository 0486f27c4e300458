"""Render once, serve many (app/page_cache.py): public pages that are the same for everyone are
served again without running their view, yet every change shows on the next request, on every
instance; nobody gets another person's token, a signed-in member of staff never gets a kept page,
and a returning browser gets 304."""

import re
import uuid

import pytest
from flask import current_app

from app import create_app
from app.domain.engagement import moderation, translations
from app.domain.plan import areas_and_actions as plan
from app.extensions import cache, db
from app.models import Action, Moderation

from .conftest import user_for
from .domain.test_consultations import coordinator, make_consultation
from .domain.test_event_registration import make_event, register
from .domain.test_publishing import action, area, contribution, published
from .helpers import QueryCounter, heading, main_text, page

POLISH = {"Accept-Language": "pl"}


@pytest.fixture(autouse=True)
def req(app):
    """Domain calls made by the test itself run as they would in a request."""
    with app.test_request_context():
        yield


def queries_for(client, path: str, **kwargs) -> tuple[int, object]:
    with QueryCounter(db.engine) as counter:
        response = client.get(path, **kwargs)
    return counter.count, response


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def csrf_of(response) -> str:
    return page(response).find("input", attrs={"name": "csrf_token"})["value"]


# --- served again -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/areas", "/areas/1", "/actions/APP-1.1", "/you-said-we-did", "/events", "/search?q=x"],
)
def test_a_second_request_is_served_without_running_the_view(client, app_ctx, path):
    first = client.get(path)
    count, again = queries_for(client, path)
    assert first.status_code == again.status_code == 200
    assert count == 1  # the content version, nothing else
    assert main_text(again) == main_text(first)
    assert again.headers["Cache-Control"] == "private, no-cache"


def test_a_kept_page_keeps_its_acronyms_spelled_out_once(client, app_ctx):
    client.get("/areas/1")
    text = main_text(client.get("/areas/1"))
    assert text.count("Kent County Council (KCC)") <= 1
    assert "special educational needs and disabilities (SEND)" in text


# --- every kind of change shows on the next request ------------------------------------------


def test_a_published_response_shows_on_the_next_request(client, app_ctx):
    title = f"Named caseworkers for every family {uuid.uuid4().hex[:6]}"
    assert title not in main_text(client.get("/you-said-we-did"))
    assert title not in main_text(client.get("/"))
    published(user_for("officer"), user_for("admin"), title=title, area_ids=[area(1).id])
    assert title in main_text(client.get("/you-said-we-did"))
    assert title in main_text(client.get("/"))


def test_an_edited_action_shows_on_the_next_request(client, app_ctx):
    found = action("APP-1.1")
    assert heading(client.get("/actions/APP-1.1")).endswith(found.title)
    plan.save_action(
        user_for("admin"),
        found,
        reference=found.reference,
        title="A clearer title for this action",
        description=found.description,
        owner_organisation_id=found.owner_organisation_id,
        lead=found.lead,
        due_date=found.due_date,
        area_ids=[a.id for a in found.areas],
    )
    assert "A clearer title for this action" in heading(client.get("/actions/APP-1.1"))


def test_a_moderated_comment_shows_on_the_next_request_and_a_hidden_one_goes(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.PRE.value)
    comment = moderation.record_comment(
        consultation, text="A named caseworker would help.", consent_to_publish=True
    )
    address = f"/consultations/{consultation.slug}"
    assert "A named caseworker would help." not in main_text(client.get(address))
    moderation.approve(coordinator(), comment)
    assert "A named caseworker would help." in main_text(client.get(address))
    moderation.hide(coordinator(), comment, "It names a member of staff.")
    assert "A named caseworker would help." not in main_text(client.get(address))


def test_a_new_translation_shows_on_the_next_request(client, app_ctx):
    one = area(1)
    english = heading(client.get("/areas/1", headers=POLISH))
    assert "Obszar testowy po polsku" not in english
    [group] = translations.area_groups(one)
    title_key = next(text.key for text in group.texts if text.field == "title")
    translations.save(
        user_for("admin"),
        one,
        [group],
        translations.find_variant("pl", False),
        {title_key: "Obszar testowy po polsku"},
    )
    assert "Obszar testowy po polsku" in heading(client.get("/areas/1", headers=POLISH))


def test_a_registration_changes_the_places_left_on_the_next_request(client, app_ctx):
    event = make_event(capacity=5)
    assert "5 places left" in main_text(client.get(f"/events/{event.id}"))
    register(event)
    assert "4 places left" in main_text(client.get(f"/events/{event.id}"))
    assert "4 places left" in main_text(client.get("/events"))


def test_new_feedback_counts_may_wait_but_staff_changes_to_it_show_at_once(client, app_ctx):
    """What the public sends in numbers does not empty the cache (counts may be up to
    PAGE_CACHE_SECONDS old); a member of staff changing it does."""
    nine = area(9)
    before = main_text(client.get("/areas/9"))
    item = contribution(areas=[nine], state="new")
    db.session.commit()
    assert main_text(client.get("/areas/9")) == before
    item.state = "coded"
    db.session.commit()
    count, _fresh = queries_for(client, "/areas/9")
    assert count > 1


# --- on every instance ------------------------------------------------------------------------


@pytest.mark.committing
def test_a_change_through_one_instance_shows_on_the_next_request_to_another(app):
    """Two app objects, each with its own cache (as two servers without Redis), one database."""
    first, second = create_app("testing"), create_app("testing")
    one, two = first.test_client(), second.test_client()
    assert heading(one.get("/actions/APP-1.1")) == heading(two.get("/actions/APP-1.1"))
    with second.app_context():
        kept_title = db.session.scalar(db.select(Action.title).where(Action.reference == "APP-1.1"))
    new_title = f"Changed on instance one {uuid.uuid4().hex[:6]}"
    try:
        with first.app_context(), first.test_request_context():
            found = db.session.scalar(db.select(Action).where(Action.reference == "APP-1.1"))
            found.title = new_title
            db.session.commit()
        assert new_title in heading(two.get("/actions/APP-1.1"))
        assert new_title in heading(one.get("/actions/APP-1.1"))
    finally:
        with first.app_context():
            found = db.session.scalar(db.select(Action).where(Action.reference == "APP-1.1"))
            found.title = kept_title
            db.session.commit()
    assert new_title not in heading(two.get("/actions/APP-1.1"))


# --- what is never shared ---------------------------------------------------------------------


def test_staff_never_get_a_kept_page(client, app_ctx, signed_in):
    anonymous = current_app.test_client()
    anonymous.get("/")
    signed_in("officer")
    client.get("/")
    count, again = queries_for(client, "/")
    assert count > 1
    assert again.headers["Cache-Control"] == "no-store"
    assert "Signed in as" in page(again).get_text()
    assert "Signed in as" not in page(anonymous.get("/")).get_text()


def test_two_people_get_their_own_csrf_token_and_nonce(app, app_ctx):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        event = make_event(capacity=5)
        address = f"/events/{event.id}"
        ana, ben = app.test_client(), app.test_client()
        first = ana.get(address)
        count, second = queries_for(ben, address)
        assert count == 1  # served from the cache
        assert csrf_of(first) != csrf_of(second)
        assert nonce_of(first) != nonce_of(second)
        for response in (first, second):
            assert f'nonce="{nonce_of(response)}"' in response.get_data(as_text=True)
        form = {
            "name": "Ben Parent",
            "email": f"ben.{uuid.uuid4().hex[:8]}@example.org",
            "attendee_type": "parent_carer",
        }
        refused = ben.post(f"{address}/register", data={**form, "csrf_token": csrf_of(first)})
        assert refused.status_code == 400
        accepted = ben.post(f"{address}/register", data={**form, "csrf_token": csrf_of(second)})
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_kept_page_with_a_form_gets_a_fresh_form_start_time(client, app_ctx):
    consultation = make_consultation()
    address = f"/consultations/{consultation.slug}"

    def started(response):
        return page(response).find("input", attrs={"name": "started"})["value"]

    first = client.get(address)
    count, second = queries_for(current_app.test_client(), address)
    assert count == 1
    assert started(first) and started(second) and started(first) != started(second)


def test_a_flashed_message_is_shown_not_a_kept_page(client, app_ctx):
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Thank you for your report.")]
    assert "Thank you for your report." in main_text(client.get("/"))
    assert "Thank you for your report." not in main_text(client.get("/"))


def test_someone_part_way_through_a_survey_gets_their_own_page(client, app_ctx):
    client.get("/")
    with client.session_transaction() as session:
        session["survey_drafts"] = {"1": "a-token"}
    count, _page = queries_for(client, "/")
    assert count > 1


def test_languages_and_the_young_persons_version_are_kept_apart(client, app_ctx):
    english = client.get("/areas/1")
    polish = client.get("/areas/1", headers=POLISH)
    assert page(english).find("html")["lang"] == "en"
    assert page(polish).find("html")["lang"] == "pl"
    assert page(client.get("/areas/1")).find("html")["lang"] == "en"
    event = make_event(capacity=5)
    adult = client.get(f"/events/{event.id}")
    young = client.get(f"/events/{event.id}?young_person=1")
    assert main_text(adult) != main_text(young)
    assert main_text(client.get(f"/events/{event.id}")) == main_text(adult)


def test_only_pages_that_worked_are_kept(client, app_ctx):
    assert client.get("/actions/APP-99.9").status_code == 404
    count, again = queries_for(client, "/actions/APP-99.9")
    assert again.status_code == 404 and count > 1


# --- a returning browser ----------------------------------------------------------------------


def test_a_returning_browser_gets_304_until_the_page_changes(client, app_ctx):
    first = client.get("/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    unchanged = client.get("/", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    # Its copy keeps the policy with the nonce its scripts carry: a 304 brings no new one.
    assert "Content-Security-Policy" not in unchanged.headers
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304

    published(user_for("officer"), user_for("admin"), title="Something new", area_ids=[])
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Something new" in main_text(changed)
    assert changed.headers["ETag"] != etag


def test_a_page_with_a_form_is_always_sent_whole(app, client, app_ctx):
    """A copy kept by the browser would carry a form token or start time that runs out."""
    consultation = make_consultation()
    event = make_event(capacity=5)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for address in (f"/consultations/{consultation.slug}", f"/events/{event.id}"):
            client.get(address)
            count, again = queries_for(client, address)
            assert count == 1
            assert "ETag" not in again.headers and "Last-Modified" not in again.headers
            assert again.headers["Cache-Control"] == "private, no-cache"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- the kept pages' store ---------------------------------------------------------------------


def test_pages_are_kept_in_redis_when_redis_url_is_set_else_in_each_process(monkeypatch):
    from flask import Flask

    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-for-this-test-only")
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1/none")
    monkeypatch.setenv("SITE_URL", "https://send.example")
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    for redis_url, kind in (("redis://127.0.0.1:6399/0", "RedisCache"), (None, "SimpleCache")):
        if redis_url:
            monkeypatch.setenv("REDIS_URL", redis_url)
        else:
            monkeypatch.delenv("REDIS_URL", raising=False)
        bare = Flask("production-check")
        bare.config.from_object(ProductionConfig)
        ProductionConfig.init_app(bare)
        assert (bare.config["CACHE_TYPE"], bare.config["CACHE_REDIS_URL"]) == (kind, redis_url)


def _redis_or_skip() -> str:
    import redis

    url = "redis://127.0.0.1:6379/1"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return url


@pytest.mark.committing
def test_instances_sharing_redis_serve_one_kept_page_and_see_changes(app, monkeypatch):
    import redis

    from config import TestingConfig

    url = _redis_or_skip()
    prefix = f"send-voice-test-{uuid.uuid4().hex[:8]}:"
    monkeypatch.setattr(TestingConfig, "CACHE_TYPE", "RedisCache")
    monkeypatch.setattr(TestingConfig, "CACHE_REDIS_URL", url)
    monkeypatch.setattr(TestingConfig, "CACHE_KEY_PREFIX", prefix)
    first, second = create_app("testing"), create_app("testing")
    one, two = first.test_client(), second.test_client()
    store = redis.Redis.from_url(url)
    try:
        shown = one.get("/areas/2")
        assert list(store.scan_iter(prefix + "*"))  # kept in Redis, for every instance
        with second.app_context(), QueryCounter(db.engine) as counter:
            again = two.get("/areas/2")
        # The view's queries did not run (the version is read on a connection of its own).
        assert [q for q in counter.statements if q != "BEGIN"] == []
        assert main_text(again) == main_text(shown)
        assert (
            two.get("/areas/2", headers={"If-None-Match": shown.headers["ETag"]}).status_code == 304
        )
    finally:
        for key in store.scan_iter(prefix + "*"):
            store.delete(key)


def test_a_broken_cache_store_only_costs_speed(client, app_ctx, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ConnectionError("the cache store is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/areas/1")
    assert response.status_code == 200 and "Area of weakness 1" in main_text(response)


def test_a_page_kept_for_everyone_says_it_depends_on_the_language_asked_for(client, app_ctx):
    client.get("/areas")
    kept = current_app.test_client().get("/areas")
    assert kept.status_code == 200
    assert {"Accept-Language", "Cookie"} <= set(kept.vary)
