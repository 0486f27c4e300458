"""Themes: coordinators and admins list, add, rename and deactivate them; every change is
audited."""

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import AuditEntry, Theme

from ..helpers import error_summary, field_error, field_value, main_text, notification, page


def theme_named(name):
    return db.session.scalar(db.select(Theme).where(Theme.name == name))


def rows(response) -> dict[str, list[str]]:
    table = {}
    for row in page(response).select("main table tbody tr"):
        cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
        table[cells[0]] = cells[1:]
    return table


def test_create_list_and_count(client, signed_in, app_ctx):
    user = signed_in("coordinator")
    response = client.post(
        "/manage/themes", data={"name": "  Waiting times ", "description": "Delays of any kind"}
    )
    assert response.status_code == 302
    assert "Theme “Waiting times” created." in notification(client.get("/manage/themes"))
    waiting = theme_named("Waiting times")
    assert waiting.description == "Delays of any kind" and waiting.active
    client.post("/manage/themes", data={"name": "Communication"})
    communication = theme_named("Communication")
    for n in range(3):
        record_contribution("feedback", f"Waited {n}").themes = [waiting]
    record_contribution("feedback", "Both").themes = [waiting, communication]
    db.session.commit()

    table = rows(client.get("/manage/themes"))
    assert list(table) == ["Communication", "Waiting times"]
    assert table["Waiting times"][1].startswith("4")
    assert table["Communication"][1].startswith("1")
    entry = db.session.scalar(
        db.select(AuditEntry).where(
            AuditEntry.action == "theme.created", AuditEntry.record_id == str(waiting.id)
        )
    )
    assert entry.actor_id == user.id and entry.summary == "Waiting times"


def test_counts_come_from_one_query(client, signed_in, app_ctx, count_queries):
    signed_in("admin")
    for n in range(3):
        db.session.add(Theme(name=f"Theme {n}"))
    db.session.commit()
    client.get("/manage/themes")
    with count_queries() as few:
        client.get("/manage/themes")
    for n in range(3, 30):
        db.session.add(Theme(name=f"Theme {n}"))
    db.session.commit()
    with count_queries() as many:
        assert len(rows(client.get("/manage/themes"))) == 30
    assert few.count == many.count


def test_duplicate_and_bad_names_are_explained_next_to_the_field(client, signed_in, app_ctx):
    signed_in("coordinator")
    db.session.add(Theme(name="Communication"))
    db.session.commit()
    cases = [
        ({"name": "COMMUNICATION"}, "name", "A theme called “COMMUNICATION” already exists"),
        ({"name": "   "}, "name", "Enter a name for the theme"),
        ({"name": "x" * 121}, "name", "Name must be 120 characters or fewer"),
        (
            {"name": "Fine", "description": "d" * 501},
            "description",
            "Description must be 500 characters or fewer",
        ),
    ]
    for data, field, message in cases:
        response = client.post("/manage/themes", data=data)
        assert response.status_code == 200, data
        assert field_error(response, field) == message
        assert error_summary(response) == [message]
        assert field_value(response, "name") == data["name"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Theme)) == 1


def test_rename_and_deactivate(client, signed_in, app_ctx):
    signed_in("coordinator")
    letters, other = Theme(name="Leters"), Theme(name="Other")
    db.session.add_all([letters, other])
    db.session.commit()
    contribution = record_contribution("feedback", "Confusing letters")
    contribution.themes = [letters]
    db.session.commit()

    assert field_value(client.get(f"/manage/themes/{letters.id}"), "name") == "Leters"
    response = client.post(f"/manage/themes/{letters.id}", data={"name": "other"})
    assert field_error(response, "name") == "A theme called “other” already exists"
    # Changing only the case of its own name is fine.
    response = client.post(
        f"/manage/themes/{letters.id}", data={"name": "Letters", "description": "Post we send"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (letters.name, letters.description) == ("Letters", "Post we send")
    updated = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "theme.updated"))
    assert updated.detail["name"] == ["Leters", "Letters"]

    assert client.post(f"/manage/themes/{letters.id}/active").status_code == 302
    db.session.expire_all()
    assert letters.active is False
    assert "Inactive" in rows(client.get("/manage/themes"))["Letters"][2]
    # Not offered for coding any more, but it stays on the contribution that has it.
    inbox = page(client.get("/manage/inbox"))
    assert inbox.find("input", attrs={"name": "themes", "value": str(letters.id)}) is None
    one = page(client.get(f"/manage/inbox/{contribution.id}"))
    assert one.find("input", attrs={"name": "themes", "value": str(letters.id)}).has_attr("checked")
    assert "Letters" in main_text(client.get("/manage/inbox"))

    client.post(f"/manage/themes/{letters.id}/active")
    db.session.expire_all()
    assert letters.active is True
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "theme.updated")
        )
        == 3
    )


def test_unknown_themes_are_404_and_officers_are_refused(client, signed_in, app_ctx):
    signed_in("admin")
    for url in ("/manage/themes/999999", "/manage/themes/99999999999999999999"):
        assert client.get(url).status_code == 404
        assert client.post(url + "/active").status_code == 404
    client.post("/auth/sign-out")
    signed_in("officer")
    assert client.get("/manage/themes").status_code == 403
    assert client.post("/manage/themes", data={"name": "Sneaky"}).status_code == 403
    assert theme_named("Sneaky") is None
