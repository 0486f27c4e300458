"""Recording and coding contributions, and approving quotes, in the domain."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.domain.shared.errors import Refused
from app.domain.shared.ids import valid_ids
from app.domain.thread import contributions, inbox
from app.domain.thread.contributions import (
    Coding,
    code_contributions,
    record_contribution,
)
from app.extensions import db
from app.models import Action, Area, AuditEntry, Contribution, SafeguardingPhrase, Theme
from tests.conftest import user_for


def area(number):
    return db.session.scalar(db.select(Area).where(Area.number == number))


def new(text="Something", **kwargs):
    contribution = record_contribution("feedback", text, **kwargs)
    db.session.flush()
    return contribution


def test_record_contribution_flags_and_keeps_contact_apart(app_ctx):
    db.session.add(SafeguardingPhrase(phrase="scared to go home"))
    action = db.session.scalar(db.select(Action).where(Action.reference == "APP-6.1"))
    contribution = new(
        "She is Scared To Go Home. Email me: a@b.com",
        contact_email=" Me@Example.COM ",
        wants_updates=True,
        area_ids=[area(6).id],
        action_ids=[action.id],
        about_you={"district": "Dover", "nonsense": "x", "need": ""},
    )
    assert contribution.safeguarding and contribution.personal_details
    assert "scared to go home" in contribution.note
    assert contribution.state == "new"
    assert contribution.contact.email == "me@example.com" and contribution.contact.delete_after
    assert "me@example.com" not in contribution.text.lower()
    assert contribution.about_you.district == "Dover" and contribution.about_you.need is None
    assert [a.number for a in contribution.areas] == [6] and contribution.actions == [action]
    assert len(contribution.reference) == 14


def test_bulk_coding_adds_and_single_coding_replaces(app_ctx):
    coordinator = user_for("coordinator")
    theme = Theme(name="Letters")
    db.session.add(theme)
    first, second = new(area_ids=[area(1).id]), new()
    db.session.commit()

    assert (
        code_contributions(
            coordinator,
            [first.id, second.id, 987654],
            Coding(area_ids=[area(2).id], theme_ids=[theme.id]),
        )
        == 2
    )
    assert [a.number for a in first.areas] == [1, 2] and [a.number for a in second.areas] == [2]
    assert first.state == second.state == "coded"
    assert first.coded_by_id == coordinator.id

    code_contributions(
        coordinator, [first.id], Coding(area_ids=[area(9).id], theme_ids=[], add_only=False)
    )
    assert [a.number for a in first.areas] == [9] and first.themes == []
    audited = db.session.scalars(
        db.select(AuditEntry.record_id).where(AuditEntry.action == "contribution.coded")
    ).all()
    assert sorted(audited) == sorted([str(first.id), str(second.id), str(first.id)])


def test_coding_that_changes_nothing_writes_no_audit(app_ctx):
    coordinator = user_for("coordinator")
    contribution = new(area_ids=[area(3).id])
    db.session.commit()
    code_contributions(coordinator, [contribution.id], Coding(area_ids=[area(3).id]))
    code_contributions(coordinator, [], Coding(state="hidden"))
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "contribution.coded")
        )
        == 1
    )  # new -> coded only


def test_unknown_states_and_sentiments_are_refused_before_the_database(app_ctx):
    coordinator = user_for("coordinator")
    contribution = new()
    db.session.commit()
    with pytest.raises(ValueError):
        code_contributions(coordinator, [contribution.id], Coding(state="deleted"))
    with pytest.raises(ValueError):
        code_contributions(coordinator, [contribution.id], Coding(sentiment="furious"))
    assert contribution.state == "new"


def quoted(contribution) -> bool:
    """Whether the one rule for public quotes lets this contribution be quoted."""
    return (
        contribution.id
        in db.session.scalars(select(Contribution.id).where(contributions.quotable())).all()
    )


def test_quote_approval_masks_and_refuses(app_ctx):
    coordinator = user_for("coordinator")
    consenting = new("Great hub, ring 07700 900123", consent_to_quote=True)
    silent = new("Great hub", consent_to_quote=False)
    db.session.add(SafeguardingPhrase(phrase="hit me"))
    db.session.flush()
    urgent = new("He hit me, ring 07700 900123", consent_to_quote=True)
    db.session.commit()

    assert contributions.proposed_quote(consenting) == "Great hub, ring [phone number removed]"
    contributions.approve_quote(coordinator, consenting, "Great hub. Email me on x@y.org")
    assert consenting.quote_text == "Great hub. Email me on [email removed]"
    assert quoted(consenting)
    assert contributions.proposed_quote(consenting) == consenting.quote_text
    for refused in (silent, urgent):
        with pytest.raises(Refused):
            contributions.approve_quote(coordinator, refused, "Anything")
        assert refused.quote_text is None and not quoted(refused)
    assert contributions.quote_refusal(consenting) is None


def test_inbox_search_orders_urgent_first_then_newest(app_ctx):
    db.session.add(SafeguardingPhrase(phrase="bruises"))
    db.session.flush()
    plain_old, urgent, plain_new = new("old"), new("bruises on his arm"), new("new")
    db.session.commit()
    result = inbox.search(inbox.InboxFilters())
    assert [c.id for c in result.rows] == [urgent.id, plain_new.id, plain_old.id]
    assert result.next_cursor is None and result.urgent_new == 1
    page = inbox.search(inbox.InboxFilters(), limit=1)
    assert page.next_cursor == f"1-{urgent.created_at.strftime('%Y%m%d%H%M%S%f')}-{urgent.id}"
    rest = inbox.search(inbox.InboxFilters(), after=page.next_cursor, limit=5)
    assert [c.id for c in rest.rows] == [plain_new.id, plain_old.id]


def test_valid_ids_ignores_anything_that_cannot_be_an_id():
    assert valid_ids(
        ["3", "x", "3", "-1", "0", "99999999999999999999", " 7 ", None, "2147483647"]
    ) == [3, 7, 2147483647]
    assert inbox.decode_cursor("1-20261206131500123456-5") == (
        True,
        datetime(2026, 12, 6, 13, 15, 0, 123456),
        5,
    )
    for bad in (
        None,
        "",
        "1-5",  # the old form, without the time received
        "2-20261206131500123456-5",
        "1-20261306131500123456-5",  # no 13th month
        "1-2026120613150012345-5",
        "1-20261206131500123456-x",
        "0-20261206131500123456-0",
        "0-20261206131500123456-99999999999",
    ):
        assert inbox.decode_cursor(bad) is None
