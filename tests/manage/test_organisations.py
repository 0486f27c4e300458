"""Organisations: administrators add, rename and retire them; a retired one is not offered for
new actions or staff, and records that name it keep it."""

from app.extensions import db
from app.models import Action, AuditEntry, Organisation

from ..helpers import field_error, field_value, main_text, notification, page


def named(name: str) -> Organisation | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Organisation).where(Organisation.name == name))


def offered(response, field: str = "owner_organisation_id") -> list[str]:
    select = page(response).select_one(f"select[name={field}]")
    return [option.get_text(strip=True) for option in select.find_all("option")]


def test_an_administrator_adds_renames_and_retires_an_organisation(client, signed_in, app_ctx):
    admin = signed_in("admin")
    response = client.post(
        "/manage/organisations",
        data={"name": "  Medway   Parent Carer Forum ", "short_name": "MPCF"},
    )
    assert response.status_code == 302
    assert "Medway Parent Carer Forum has been added." in notification(
        client.get("/manage/organisations")
    )
    forum = named("Medway Parent Carer Forum")
    assert forum.short_name == "MPCF" and forum.retired_at is None

    edit = client.get(f"/manage/organisations/{forum.id}")
    assert field_value(edit, "name") == "Medway Parent Carer Forum"
    assert (
        client.post(
            f"/manage/organisations/{forum.id}",
            data={"name": "Medway PCF", "short_name": "MPCF"},
        ).status_code
        == 302
    )
    assert named("Medway PCF").id == forum.id

    assert client.post(f"/manage/organisations/{forum.id}/status").status_code == 302
    assert named("Medway PCF").retired_at is not None
    listing = main_text(client.get("/manage/organisations"))
    assert "Medway PCF (MPCF) 0 0 Retired" in listing

    actions = [
        e.action
        for e in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.record_type == "organisations", AuditEntry.record_id == str(forum.id))
            .order_by(AuditEntry.id)
        )
    ]
    assert actions == ["organisation.created", "organisation.renamed", "organisation.retired"]
    assert all(
        e.actor_id == admin.id
        for e in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action.like("organisation.%"))
        )
    )
    # And back again.
    client.post(f"/manage/organisations/{forum.id}/status")
    assert named("Medway PCF").retired_at is None


def test_names_are_checked_and_what_was_typed_is_kept(client, signed_in, app_ctx):
    signed_in("admin")
    client.post("/manage/organisations", data={"name": "Kent Schools Alliance"})
    response = client.post("/manage/organisations", data={"name": "", "short_name": "X"})
    assert response.status_code == 400
    assert field_error(response, "name") == "Enter the organisation’s name"
    assert field_value(response, "short_name") == "X"
    response = client.post("/manage/organisations", data={"name": "kent schools alliance"})
    assert field_error(response, "name") == "There is already an organisation with this name"
    response = client.post("/manage/organisations", data={"name": "A" * 201})
    assert field_error(response, "name") == "The name must be 200 characters or fewer"


def test_a_retired_organisation_is_not_offered_for_new_actions_but_old_ones_keep_it(
    client, signed_in, app_ctx
):
    signed_in("admin")
    client.post("/manage/organisations", data={"name": "Retiring Trust"})
    trust = named("Retiring Trust")
    action = Action(reference="RT-ORG-1", title="Retiring Trust's action", owner=trust)
    db.session.add(action)
    db.session.commit()
    client.post(f"/manage/organisations/{trust.id}/status")

    assert "Retiring Trust" not in offered(client.get("/manage/plan/actions/new"))
    assert "Retiring Trust" in offered(client.get(f"/manage/plan/actions/{action.id}/edit"))
    assert "Retiring Trust" not in offered(client.get("/manage/users/invite"), "organisation")


def test_only_administrators_manage_organisations(client, signed_in, app_ctx):
    signed_in("coordinator")
    assert client.get("/manage/organisations").status_code == 403
    assert client.post("/manage/organisations", data={"name": "X"}).status_code == 403


def test_a_new_action_cannot_be_given_to_a_retired_organisation(client, signed_in, app_ctx):
    from tests.manage.test_plan import _action_form

    signed_in("admin")
    client.post("/manage/organisations", data={"name": "Gone Trust"})
    gone = named("Gone Trust")
    client.post(f"/manage/organisations/{gone.id}/status")
    response = client.post(
        "/manage/plan/actions/new",
        data=_action_form(reference="APP-77.1", owner_organisation_id=str(gone.id)),
    )
    assert response.status_code in (200, 400)
    assert field_error(response, "owner_organisation_id") == (
        "This organisation has been retired. Choose one that is in use"
    )
    assert db.session.scalar(db.select(Action).where(Action.reference == "APP-77.1")) is None
