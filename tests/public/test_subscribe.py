"""/subscribe: double opt-in, the confirmation link, and unsubscribing (also RFC 8058 one-click)."""

import email
import hashlib
import re
import uuid
from datetime import timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest

from app.domain.mail import notifications, subscriptions
from app.domain.shared.errors import Refused
from app.extensions import db
from app.models import Action, Area, Organisation, OutboxMessage, Subscription, YouSaidWeDid
from app.models.base import utcnow

from ..conftest import user_for
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    page,
)

CONFIRM_LINK = re.compile(r"http://localhost/subscribe/confirm/([A-Za-z0-9_\-]+)")
UNSUBSCRIBE_LINK = re.compile(r"http://localhost/subscribe/unsubscribe/([A-Za-z0-9_\-]+)")


def address() -> str:
    return f"parent-{uuid.uuid4().hex[:12]}@example.org"


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def subscriptions_for(email_address: str) -> list[Subscription]:
    return list(
        db.session.scalars(db.select(Subscription).where(Subscription.email == email_address))
    )


def emails_to(email_address: str, kind: str | None = None) -> list[OutboxMessage]:
    query = (
        db.select(OutboxMessage)
        .where(OutboxMessage.to_address == email_address)
        .order_by(OutboxMessage.id)
    )
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def ask(
    client,
    email_address: str,
    target_type: str = "area",
    target_id: int | str | None = None,
    **extra,
):
    data = {"target_type": target_type, "email": email_address, "frequency": "immediate", **extra}
    if target_type == "area":
        data.setdefault("area", str(target_id if target_id is not None else area(3).id))
    elif target_type == "action":
        data.setdefault("action", str(target_id if target_id is not None else action("APP-3.2").id))
    return client.post("/subscribe", data=data)


def confirmation_token(email_address: str) -> str:
    """The token in the newest confirmation email queued for this address."""
    message = emails_to(email_address, "subscription_confirm")[-1]
    return CONFIRM_LINK.search(message.body_text).group(1)


def eml_files_to(mail_dir: str, email_address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(Path(mail_dir).glob("*.eml")):
        parsed = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        if parsed["To"] == email_address:
            found.append(parsed)
    return found


def publish_about(app, target) -> int:
    """Publish a response about an area or action and return how many emails that queues."""
    response = YouSaidWeDid(
        title="A response",
        you_said="You said",
        we_did="We did",
        status="done",
        state="published",
        published_at=utcnow(),
        author=user_for("officer"),
        organisation=db.session.scalar(db.select(Organisation).order_by(Organisation.id)),
    )
    if isinstance(target, Area):
        response.areas = [target]
    else:
        response.actions = [target]
    db.session.add(response)
    db.session.flush()
    with app.test_request_context("/"):
        return notifications.response_published(response)


# --- The form ------------------------------------------------------------------------------


def test_the_form_offers_areas_and_actions_but_not_consultations(client, app_ctx):
    response = client.get("/subscribe")
    assert response.status_code == 200
    soup = page(response)
    assert heading(soup) == "Get email updates"
    radios = [i["value"] for i in soup.select("input[name=target_type]")]
    assert radios == ["area", "action"]
    areas = [o.get_text(strip=True) for o in soup.select("select[name=area] option") if o["value"]]
    assert len(areas) == 9
    assert areas[2] == "Area 3: Parents and carers designing services"
    actions = [
        o.get_text(strip=True) for o in soup.select("select[name=action] option") if o["value"]
    ]
    assert "APP-1.1: Open a single SEND enquiries hub" in actions
    assert len(actions) == db.session.scalar(db.select(db.func.count()).select_from(Action))
    # With no consultation to subscribe to, none is offered.
    assert soup.select("select[name=consultation]") == []
    assert soup.find("input", attrs={"name": "email"}) is not None


def test_links_from_area_and_action_pages_prefill_the_choice(client, app_ctx):
    soup = page(client.get("/subscribe?area=3"))
    assert soup.find("input", attrs={"name": "target_type", "value": "area"}).has_attr("checked")
    assert field_value(soup, "area") == str(area(3).id)

    soup = page(client.get("/subscribe?action=app-3.2"))
    assert soup.find("input", attrs={"name": "target_type", "value": "action"}).has_attr("checked")
    assert field_value(soup, "action") == str(action("APP-3.2").id)

    for query in ("area=99", "area=three", "action=NOPE-1", "area=" + "9" * 500):
        response = client.get(f"/subscribe?{query}")
        assert response.status_code == 200, query
        soup = page(response)
        assert not soup.select("input[name=target_type][checked]"), query
        assert not error_summary(soup)


# --- Double opt-in -------------------------------------------------------------------------


def test_nothing_is_confirmed_until_the_emailed_link_is_opened(app, client, app_ctx, mail_dir):
    person = address()
    response = ask(client, person, "area", area(3).id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/subscribe/check-your-email")
    page_after = client.get(response.headers["Location"])
    assert heading(page_after) == "Check your email"
    assert f"We have sent an email to {person}." in main_text(page_after)

    [subscription] = subscriptions_for(person)
    assert (subscription.target_type, subscription.target_id) == ("area", area(3).id)
    assert subscription.confirmed_at is None and not subscription.active
    assert len(subscription.unsubscribe_token) >= 40

    # The confirmation email was delivered as a .eml file, with the link in it.
    [eml] = eml_files_to(mail_dir, person)
    assert eml["Subject"] == "Confirm your email updates from SEND Voice"
    body = eml.get_content()
    token = CONFIRM_LINK.search(body).group(1)
    assert "Area 3: Parents and carers designing services" in body
    assert "expires in 7 days" in body
    # Only a hash of the token is stored.
    assert subscription.confirm_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (subscription.confirm_token_hash, subscription.unsubscribe_token)

    # Not confirmed yet: a published response about area 3 does not email them.
    assert publish_about(app, area(3)) == 0

    confirmed = client.get(f"/subscribe/confirm/{token}")
    assert confirmed.status_code == 200
    text = main_text(confirmed)
    assert "You are subscribed" in text
    assert (
        "You are subscribed to updates about Area 3: Parents and carers designing services" in text
    )
    assert "Every email we send has a link to unsubscribe" in text
    db.session.refresh(subscription)
    assert subscription.active and subscription.confirm_token_hash is None

    assert publish_about(app, area(3)) == 1
    [update] = emails_to(person, "subscriber_update")
    assert (
        f"http://localhost/subscribe/unsubscribe/{subscription.unsubscribe_token}"
        in update.body_text
    )


def test_a_confirmation_link_works_once(client, app_ctx):
    person = address()
    ask(client, person, "action", action("APP-3.2").id)
    token = confirmation_token(person)
    assert client.get(f"/subscribe/confirm/{token}").status_code == 200
    again = client.get(f"/subscribe/confirm/{token}")
    assert again.status_code == 404
    assert heading(again) == "This link has expired or has already been used"
    assert "Ask for email updates again" in main_text(again)
    [subscription] = subscriptions_for(person)
    assert subscription.active


def test_a_confirmation_link_expires_after_7_days(client, app_ctx):
    person = address()
    ask(client, person)
    token = confirmation_token(person)
    [subscription] = subscriptions_for(person)
    subscription.created_at = utcnow() - timedelta(days=7, minutes=1)
    db.session.commit()
    expired = client.get(f"/subscribe/confirm/{token}")
    assert expired.status_code == 404
    assert heading(expired) == "This link has expired or has already been used"
    db.session.refresh(subscription)
    assert subscription.confirmed_at is None

    # Six days on it still works.
    other = address()
    ask(client, other)
    [fresh] = subscriptions_for(other)
    fresh.created_at = utcnow() - timedelta(days=6)
    db.session.commit()
    assert client.get(f"/subscribe/confirm/{confirmation_token(other)}").status_code == 200


def test_unknown_or_silly_confirmation_links_are_a_clear_404(client, app_ctx):
    for token in ("nope", "x" * 300, "%00", "' OR 1=1 --"):
        response = client.get(f"/subscribe/confirm/{token}")
        assert response.status_code == 404, token
        assert heading(response) == "This link has expired or has already been used"


def test_asking_again_before_confirming_reuses_the_row_and_only_the_newest_link_works(
    client, app_ctx
):
    person = address()
    ask(client, person)
    first = confirmation_token(person)
    ask(client, person.upper())  # the same address, however it is typed
    second = confirmation_token(person)
    assert first != second
    assert len(subscriptions_for(person)) == 1
    assert len(emails_to(person, "subscription_confirm")) == 2
    assert client.get(f"/subscribe/confirm/{first}").status_code == 404
    assert client.get(f"/subscribe/confirm/{second}").status_code == 200


def test_the_page_is_the_same_whether_or_not_the_address_is_already_subscribed(client, app_ctx):
    existing = address()
    ask(client, existing)
    client.get(f"/subscribe/confirm/{confirmation_token(existing)}")
    pending = address()
    ask(client, pending)

    def check_page(email_address: str) -> str:
        response = ask(client, email_address)
        assert response.status_code == 302
        followed = client.get(response.headers["Location"])
        assert followed.status_code == 200
        return main_text(followed).replace(email_address, "ADDRESS")

    new_page = check_page(address())
    assert check_page(existing) == new_page
    assert check_page(pending) == new_page

    # The confirmed subscriber is not asked to confirm again; they are told they already are.
    assert len(emails_to(existing, "subscription_confirm")) == 1
    [notice] = emails_to(existing, "subscription_exists")
    assert "already subscribed" in notice.body_text
    [subscription] = subscriptions_for(existing)
    assert f"/subscribe/unsubscribe/{subscription.unsubscribe_token}" in notice.body_text
    assert notice.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subscription.active


def test_the_check_your_email_page_without_a_request_does_not_break(client):
    response = client.get("/subscribe/check-your-email")
    assert response.status_code == 200
    assert "We have sent an email to the address you gave." in main_text(response)


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your email address"),
        ("   ", "Enter your email address"),
        ("not an email", "Enter an email address in the correct format, like name@example.com"),
        ("name@", "Enter an email address in the correct format, like name@example.com"),
        ("a" * 250 + "@example.org", "Email address must be 254 characters or fewer"),
    ],
)
def test_a_bad_email_address_is_explained_next_to_the_field_and_kept(
    client, app_ctx, typed, message
):
    response = ask(client, typed)
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert error_summary_links(response) == {message: "#email"}
    assert field_error(response, "email") == message
    assert field_value(response, "email") == typed.strip()
    assert page(response).title.get_text().startswith("Error:")
    # What else was chosen is kept too.
    assert field_value(response, "area") == str(area(3).id)
    assert db.session.scalar(db.select(db.func.count()).select_from(Subscription)) == 0


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "target_type", "Choose what you want email updates about"),
        (
            {"target_type": "consultation", "area": "1"},
            "target_type",
            "Choose what you want email updates about",
        ),
        (
            {"target_type": "user", "area": "1"},
            "target_type",
            "Choose what you want email updates about",
        ),
        ({"target_type": "area"}, "area", "Choose an area of weakness"),
        (
            {"target_type": "area", "area": "999999"},
            "area",
            "Choose an area of weakness from the list",
        ),
        (
            {"target_type": "area", "area": "three"},
            "area",
            "Choose an area of weakness from the list",
        ),
        ({"target_type": "action", "action": ""}, "action", "Choose an action"),
        ({"target_type": "action", "action": "-1"}, "action", "Choose an action from the list"),
        ({"target_type": "action", "action": "9" * 40}, "action", "Choose an action from the list"),
    ],
)
def test_a_missing_unknown_or_forged_choice_gets_a_clear_message(
    client, app_ctx, data, field, message
):
    person = address()
    response = client.post("/subscribe", data={"email": person, "frequency": "weekly", **data})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert field_error(response, field) == message
    assert field_value(response, "email") == person
    assert subscriptions_for(person) == []
    assert emails_to(person) == []


def test_the_domain_refuses_topics_that_cannot_be_subscribed_to(app, app_ctx):
    with app.test_request_context("/"):
        for target_type, target_id in (
            ("consultation", 1),
            ("area", 999999),
            ("action", -5),
            ("user", 1),
        ):
            with pytest.raises(Refused):
                subscriptions.request_subscription(address(), target_type, target_id)


def test_subscribing_is_rate_limited(client):
    for attempt in range(10):
        assert ask(client, f"limit{attempt}@example.org", "area", "1").status_code == 302
    refused = ask(client, "limit-last@example.org", "area", "1")
    assert refused.status_code == 429
    assert heading(refused)
    # Reading the form is not limited.
    assert client.get("/subscribe").status_code == 200


# --- Unsubscribing -------------------------------------------------------------------------


def confirmed_subscriber(client, target=None) -> Subscription:
    person = address()
    if isinstance(target, Action):
        ask(client, person, "action", target.id)
    else:
        ask(client, person, "area", (target or area(3)).id)
    client.get(f"/subscribe/confirm/{confirmation_token(person)}")
    [subscription] = subscriptions_for(person)
    assert subscription.active
    return subscription


def test_unsubscribe_page_shows_one_button_and_post_unsubscribes(app, client, app_ctx):
    subscription = confirmed_subscriber(client, action("APP-3.2"))
    url = f"/subscribe/unsubscribe/{subscription.unsubscribe_token}"

    shown = client.get(url)
    assert shown.status_code == 200
    soup = page(shown)
    assert heading(soup) == "Unsubscribe from email updates"
    assert "APP-3.2" in main_text(soup)
    [form] = soup.select("main form")
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrf_token"}) is not None
    assert [b.get_text(strip=True) for b in form.select("button")] == ["Unsubscribe"]
    db.session.refresh(subscription)
    assert subscription.active  # looking at the page changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert heading(done) == "You have unsubscribed"
    assert "You will not get any more emails about APP-3.2" in main_text(done)
    db.session.refresh(subscription)
    assert subscription.unsubscribed_at is not None and not subscription.active
    assert publish_about(app, action("APP-3.2")) == 0

    # Opening the link again says so; posting again is harmless.
    again = client.get(url)
    assert "You have already unsubscribed" in main_text(again)
    assert not page(again).select("main form")
    assert client.post(url).status_code == 200


def test_one_click_unsubscribe_works_without_a_csrf_token(app, client, app_ctx):
    subscription = confirmed_subscriber(client)
    url = f"/subscribe/unsubscribe/{subscription.unsubscribe_token}"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        # CSRF really is on: the subscribe form refuses a post without a token...
        assert (
            client.post(
                "/subscribe", data={"email": address(), "target_type": "area", "area": "1"}
            ).status_code
            == 400
        )
        # ...but a mail program's RFC 8058 one-click POST still unsubscribes.
        response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    db.session.refresh(subscription)
    assert subscription.unsubscribed_at is not None


def test_the_unsubscribe_button_works_with_csrf_enabled(app, client, app_ctx):
    subscription = confirmed_subscriber(client)
    url = f"/subscribe/unsubscribe/{subscription.unsubscribe_token}"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = page(client.get(url)).find("input", attrs={"name": "csrf_token"})["value"]
        response = client.post(url, data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert heading(response) == "You have unsubscribed"
    db.session.refresh(subscription)
    assert not subscription.active


def test_unknown_unsubscribe_tokens_are_a_404(client):
    for token in ("nope", "z" * 300):
        for method in (client.get, client.post):
            response = method(f"/subscribe/unsubscribe/{token}")
            assert response.status_code == 404
            assert heading(response) == "This unsubscribe link is not recognised"


def test_an_old_confirmation_link_does_not_undo_an_unsubscribe(client, app_ctx):
    person = address()
    ask(client, person)
    token = confirmation_token(person)
    [subscription] = subscriptions_for(person)
    client.post(f"/subscribe/unsubscribe/{subscription.unsubscribe_token}")
    assert client.get(f"/subscribe/confirm/{token}").status_code == 404
    db.session.refresh(subscription)
    assert not subscription.active


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(client, app_ctx):
    subscription = confirmed_subscriber(client)
    client.post(f"/subscribe/unsubscribe/{subscription.unsubscribe_token}")
    ask(client, subscription.email)
    db.session.refresh(subscription)
    assert not subscription.active  # still unsubscribed until the new link is opened
    assert (
        client.get(f"/subscribe/confirm/{confirmation_token(subscription.email)}").status_code
        == 200
    )
    db.session.refresh(subscription)
    assert subscription.active
    assert len(subscriptions_for(subscription.email)) == 1


def test_every_subscriber_email_carries_the_unsubscribe_link_that_works(app, client, app_ctx):
    subscription = confirmed_subscriber(client, area(5))
    publish_about(app, area(5))
    [update] = emails_to(subscription.email, "subscriber_update")
    token = UNSUBSCRIBE_LINK.search(update.body_text).group(1)
    assert update.headers["List-Unsubscribe"] == f"<http://localhost/subscribe/unsubscribe/{token}>"
    assert (
        client.post(
            f"/subscribe/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 200
    )
    db.session.refresh(subscription)
    assert not subscription.active


def test_area_and_action_pages_link_to_prefilled_subscriptions(client):
    from ..helpers import page

    area_link = page(client.get("/areas/6")).find("a", string="Get email updates about this area")
    assert area_link is not None
    form = page(client.get(area_link["href"]))
    chosen = form.find("select", attrs={"name": "area"}).find("option", selected=True)
    assert chosen is not None and "6" in chosen.get("value", "")
    action_link = page(client.get("/actions/APP-1.1")).find(
        "a", string="Get email updates about this action"
    )
    assert action_link is not None and "action=APP-1.1" in action_link["href"]
