"""The whole golden thread, as the people in it would live it, through the real pages:

a parent tells us something and asks to hear back -> a coordinator codes it and approves a quote
-> an officer writes "You said, we did" with it as evidence -> a second person approves and
publishes -> the public pages show it -> the parent's reference tracks to it -> the outbox
worker delivers the emails to a real SMTP server.
"""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Action, Area, Contribution, Subscription, Theme, YouSaidWeDid
from app.models.base import utcnow

from .conftest import sign_in_as
from .domain.test_outbox_delivery import smtp_config, smtp_server
from .helpers import main_text, page
from .public.test_feedback import form_data


def test_from_a_parents_words_to_a_published_response_and_back(app, app_ctx):
    parent, coordinator, officer, admin = (app.test_client() for _ in range(4))
    original_config = dict(app.config)
    app.config["OUTBOX_DELIVER_AFTER_REQUEST"] = False  # the worker sends, as in production
    try:
        # 1. A parent tells us, leaves an email and agrees to be quoted.
        text = "We waited 40 weeks for the final EHC plan. Call me on 07700 900123 if you need to."
        confirmation = parent.post(
            "/feedback",
            data=form_data(
                app,
                topic="ehc_plan",
                text=text,
                consent_to_quote="yes",
                email="Parent@Example.org",
            ),
            follow_redirects=True,
        )
        reference = re.search(
            r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", main_text(confirmation)
        ).group(0)
        contribution = db.session.scalar(
            select(Contribution).where(Contribution.reference == reference)
        )
        assert contribution.text == text and contribution.contact.email == "parent@example.org"
        assert "Received" in main_text(parent.get(f"/track?reference={reference}"))

        # 2. The coordinator codes it and approves a redacted quote.
        area = db.session.scalar(select(Area).where(Area.number == 6))
        action = db.session.scalar(select(Action).where(Action.reference == "APP-6.1"))
        theme = Theme(name="EHC plan delays")
        db.session.add(theme)
        db.session.commit()
        sign_in_as(coordinator, "coordinator")
        coded = coordinator.post(
            "/manage/inbox/code",
            data={
                "contribution_ids": [contribution.id],
                "areas": [area.id],
                "actions": [action.id],
                "themes": [theme.id],
                "sentiment": "negative",
            },
            follow_redirects=True,
        )
        assert coded.status_code == 200
        quote_page = coordinator.get(f"/manage/inbox/{contribution.id}")
        proposed = page(quote_page).find("textarea", attrs={"name": "quote"}).get_text()
        assert "07700 900123" not in proposed and "[phone number removed]" in proposed
        coordinator.post(f"/manage/inbox/{contribution.id}/quote", data={"quote": proposed})

        # 3. An officer writes the response and attaches the evidence.
        db.session.expire_all()
        coded_contribution = db.session.get(Contribution, contribution.id)
        assert coded_contribution.state == "coded"
        assert [a.number for a in coded_contribution.areas] == [
            6
        ] and coded_contribution.themes == [theme]
        assert coded_contribution.quote_approved_at is not None
        sign_in_as(officer, "officer")
        created = officer.post(
            "/manage/responses/new",
            data={
                "title": "EHC plans finished within 20 weeks",
                "you_said": "You told us final EHC plans take far too long.",
                "we_did": "We added case officers and now publish completion times every month.",
                "status": "done",
                "organisation": str(action.owner_organisation_id),
                "areas": [str(area.id)],
                "actions": [str(action.id)],
                "submit": "Save",
            },
        )
        assert created.status_code == 302, main_text(created)
        response_id = int(
            re.search(r"/manage/responses/(\d+)/evidence", created.headers["Location"]).group(1)
        )
        officer.post(
            f"/manage/responses/{response_id}/evidence",
            data={"contribution_ids": [str(contribution.id)], "add": "Add selected contributions"},
        )
        officer.post(f"/manage/responses/{response_id}/submit", data={"submit": "Continue"})

        # Someone following area 6 by email (already confirmed).
        db.session.add(
            Subscription(
                email="follower@example.org",
                target_type="area",
                target_id=area.id,
                unsubscribe_token="follower-token",
                confirmed_at=utcnow(),
            )
        )
        db.session.commit()

        # 4. The author cannot approve their own response; an administrator can.
        officer.post(f"/manage/responses/{response_id}/approve", data={"submit": "Continue"})
        db.session.expire_all()
        assert db.session.get(YouSaidWeDid, response_id).state == "awaiting_approval"
        sign_in_as(admin, "admin")
        version = db.session.get(YouSaidWeDid, response_id).version
        admin.post(
            f"/manage/responses/{response_id}/approve",
            data={"submit": "Continue", "version": version},
        )
        db.session.expire_all()
        assert db.session.get(YouSaidWeDid, response_id).state == "published"
        assert db.session.get(Contribution, contribution.id).state == "used"

        # 5. Anyone can follow the thread on the public pages.
        listing = main_text(parent.get("/you-said-we-did"))
        assert "EHC plans finished within 20 weeks" in listing
        detail = main_text(parent.get(f"/you-said-we-did/{response_id}"))
        assert "We added case officers" in detail
        assert "[phone number removed]" in detail and "07700 900123" not in detail
        assert "EHC plans finished within 20 weeks" in main_text(parent.get("/areas/6"))
        journey = page(parent.get(f"/track?reference={reference}"))
        assert journey.find("a", href=f"/you-said-we-did/{response_id}") is not None

        # 6. The worker delivers the emails through a real SMTP server, once each.
        with smtp_server() as (inbox, port):
            app.config.update(smtp_config(app, port))
            result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
            assert result.exit_code == 0, result.output
            recipients = sorted(str(message["To"]) for message in inbox.messages)
            # The parent heard twice: when their feedback was read, and when it was answered.
            assert recipients == [
                "follower@example.org",
                "parent@example.org",
                "parent@example.org",
            ]
            read_email = next(m for m in inbox.messages if "have read" in str(m["Subject"]))
            assert reference in read_email.get_body(preferencelist=("plain",)).get_content()
            bodies = {
                str(m["To"]): m.get_body(preferencelist=("plain",)).get_content()
                for m in inbox.messages
                if m is not read_email
            }
            assert f"/you-said-we-did/{response_id}" in bodies["parent@example.org"]
            assert reference in bodies["parent@example.org"]
            assert "/subscribe/unsubscribe/follower-token" in bodies["follower@example.org"]
            assert app.test_cli_runner().invoke(args=["outbox", "work", "--once"]).exit_code == 0
            assert len(inbox.messages) == 3  # nothing is sent twice
    finally:
        app.config.clear()
        app.config.update(original_config)
