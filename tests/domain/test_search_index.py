"""The search index follows the content inside the same transaction: new, changed and deleted
objects (and bulk deletes, as erasure does) change their rows before anything commits, and a
rollback leaves nothing behind."""

from datetime import datetime

import pytest
from sqlalchemy import delete, func, insert, select

from app.domain.people import data_rights
from app.domain.search import indexing, registry
from app.domain.shared import full_text
from app.domain.thread.contributions import record_contribution
from app.domain.thread.inbox import CONTRIBUTION_KIND, InboxFilters
from app.domain.thread.inbox import search as inbox_search
from app.extensions import db
from app.models import Area, Contribution, SearchEntry, Survey

from ..conftest import user_for


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


def entries(kind: str, object_id: int) -> list[SearchEntry]:
    return list(
        db.session.scalars(
            select(SearchEntry)
            .where(SearchEntry.kind == kind, SearchEntry.object_id == object_id)
            .order_by(SearchEntry.language)
            .execution_options(populate_existing=True)
        )
    )


def found_ids(typed: str, kind: str) -> list[int]:
    found = full_text.matching(SearchEntry.object_id, full_text.terms(typed), kind)
    return list(
        db.session.scalars(
            select(SearchEntry.object_id).where(SearchEntry.kind == kind, found).distinct()
        )
    )


def new_area(title="Quillwort waiting lists", **values) -> Area:
    number = (db.session.scalar(select(func.max(Area.number))) or 0) + 1
    area = Area(number=number, title=title, finding=values.pop("finding", "A finding."), **values)
    db.session.add(area)
    db.session.flush()
    return area


def test_a_new_object_is_indexed_at_its_flush(app_ctx):
    area = new_area(finding="Families waited for a <b>quillwort</b> assessment.")
    [row] = entries("area", area.id)
    assert (row.language, row.title) == ("en", "Quillwort waiting lists")
    assert found_ids("quillwort", "area") == [area.id]


def test_a_change_replaces_the_rows_and_a_deletion_removes_them(app_ctx):
    area = new_area()
    area.title = "Marshmallow transport"
    db.session.flush()
    assert found_ids("quillwort", "area") == []
    assert found_ids("marshmallow", "area") == [area.id]
    db.session.delete(area)
    db.session.flush()
    assert entries("area", area.id) == []
    assert found_ids("marshmallow", "area") == []


def test_a_rollback_leaves_no_entry(app_ctx):
    savepoint = db.session.begin_nested()
    area = new_area(title="Zanzibarian rollback")
    area_id = area.id
    assert found_ids("zanzibarian", "area") == [area_id]
    savepoint.rollback()
    assert entries("area", area_id) == []
    assert found_ids("zanzibarian", "area") == []


def test_each_translation_is_a_row_of_its_own_and_young_person_wording_is_not(app_ctx):
    survey = Survey(
        slug="kestrel-survey",
        title="Kestrel survey",
        summary="About short breaks.",
        translations={
            "pl": {"title": "Ankieta pustułka"},
            "ur": {"summary": "مختصر وقفے"},
            "yp": {"title": "Kestrel, for you"},
            "pl-yp": {"title": "Pustułka dla ciebie"},
        },
    )
    db.session.add(survey)
    db.session.flush()
    rows = {row.language: row for row in entries("survey", survey.id)}
    assert set(rows) == {"en", "pl", "ur"}
    # Each field in the language where it is translated, else in English.
    assert (rows["pl"].title, rows["pl"].body) == ("Ankieta pustułka", "About short breaks.")
    assert (rows["ur"].title, rows["ur"].body) == ("Kestrel survey", "مختصر وقفے")
    # A translation added later is indexed by the same flush that stores it.
    survey.translations = {**survey.translations, "pl": {"title": "Ankieta sokół"}}
    db.session.flush()
    assert {row.language: row.title for row in entries("survey", survey.id)}["pl"] == (
        "Ankieta sokół"
    )


def test_contributions_are_indexed_and_a_redaction_replaces_their_text(app_ctx):
    contribution = record_contribution("feedback", "Call me on the Gorsebrook number")
    db.session.flush()
    assert found_ids("gorsebrook", CONTRIBUTION_KIND) == [contribution.id]
    assert found_ids(contribution.reference, CONTRIBUTION_KIND) == [contribution.id]
    contribution.text = "Call me on the [number removed]"
    db.session.flush()
    assert found_ids("gorsebrook", CONTRIBUTION_KIND) == []


def test_a_group_of_digits_after_a_hyphen_is_a_word_like_any_other(app_ctx):
    # PostgreSQL's parser would read "-2345" and "-11" as negative numbers, which a search for
    # 2345 or 11 never finds; references are drawn at random, so one in about sixty has such a
    # group and was missed by a search for itself.
    contribution = record_contribution("feedback", "For children aged 5-11 in Wealdmoor")
    contribution.reference = "ABCD-2345-XYZ9"
    db.session.flush()
    for typed in ("ABCD-2345-XYZ9", "abcd 2345 xyz9", "2345", "aged 5-11", "11 wealdmoor"):
        assert found_ids(typed, CONTRIBUTION_KIND) == [contribution.id], typed


def test_erased_words_cannot_be_found(app_ctx):
    contribution = record_contribution(
        "feedback", "Our Thistledown school refused", contact_email="erase.me@example.com"
    )
    kept = record_contribution("feedback", "Thistledown was kind to us")
    db.session.commit()
    erased_id, kept_id = contribution.id, kept.id
    data_rights.erase(
        "erase.me@example.com",
        what_they_said=data_rights.REMOVE,
        reason="The person asked us to delete everything.",
        actor=user_for("admin"),
    )
    db.session.expunge_all()
    assert db.session.get(Contribution, erased_id) is None
    assert entries(CONTRIBUTION_KIND, erased_id) == []
    assert found_ids("thistledown", CONTRIBUTION_KIND) == [kept_id]
    page = inbox_search(InboxFilters(text="thistledown"))
    assert [row.id for row in page.rows] == [kept_id]


def test_a_bulk_delete_removes_the_rows_and_a_bulk_update_rewrites_them(app_ctx):
    first = record_contribution("feedback", "Heronsgate was fine")
    second = record_contribution("feedback", "Heronsgate again")
    db.session.flush()
    db.session.execute(
        delete(Contribution)
        .where(Contribution.id == first.id)
        .execution_options(synchronize_session=False)
    )
    assert found_ids("heronsgate", CONTRIBUTION_KIND) == [second.id]
    db.session.execute(
        db.update(Contribution).where(Contribution.id == second.id).values(text="Nightingale")
    )
    assert found_ids("nightingale", CONTRIBUTION_KIND) == [second.id]
    assert found_ids("heronsgate", CONTRIBUTION_KIND) == []


def test_rebuild_writes_every_row_again(app_ctx):
    area = new_area(title="Periwinkle rebuild")
    if "translations" in Area.__table__.c:  # a sibling branch adds translations to areas
        area.translations = {"pl": {"title": "Barwinek"}}
        db.session.flush()
    before = db.session.scalar(select(func.count()).select_from(SearchEntry))
    written = indexing.rebuild(db.session)
    assert written == before
    assert {row.language for row in entries("area", area.id)} == (
        {"en", "pl"} if "translations" in Area.__table__.c else {"en"}
    )
    assert found_ids("periwinkle", "area") == [area.id]


def test_every_kind_is_one_registry_entry_with_its_rules():
    assert set(registry.KINDS) >= {
        "area",
        "action",
        "survey",
        "consultation",
        "event",
        "response",
        CONTRIBUTION_KIND,
    }
    assert registry.KINDS[CONTRIBUTION_KIND].visible is None  # staff only
    assert all(kind.link is not None for kind in registry.public_kinds())


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", []),
        ("EHC plan", ["ehc", "plan"]),
        ('"quoted" AND (x OR y) NOT z NEAR/2 a* ^b c:d -e', None),
        ("50% of_it \\ ' ; DROP TABLE x; --", ["50", "of", "it", "drop", "table", "x"]),
        ("😀 🎉", []),
        ("خدمات کی کمی", ["خدمات", "کی", "کمی"]),
        ("a" * 5000, ["a" * full_text.MAX_TERM_LENGTH]),
    ],
)
def test_typed_text_becomes_plain_words(typed, words):
    found = full_text.terms(typed)
    assert all(word.isalnum() for word in found)
    assert len(found) <= full_text.MAX_TERMS
    if words is not None:
        assert found == words


def test_a_time_when_the_index_is_used_by_the_inbox_instead_of_a_scan(app_ctx):
    contribution = record_contribution("feedback", "Waiting at Bramblewood", channel="phone")
    contribution.created_at = datetime(2026, 1, 5, 9, 0)
    db.session.flush()
    assert [row.id for row in inbox_search(InboxFilters(text="BRAMBLE")).rows] == [contribution.id]


def test_flask_search_rebuild(app, app_ctx):
    area = new_area(title="Cormorant rebuild")
    db.session.execute(delete(SearchEntry).where(SearchEntry.kind == "area"))
    assert found_ids("cormorant", "area") == []
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Indexed ")
    assert found_ids("cormorant", "area") == [area.id]


def test_a_bulk_insert_is_indexed_too(app_ctx):
    db.session.execute(
        insert(Contribution),
        [
            {"reference": f"BULK-TEST-{n:04d}", "source_type": "feedback", "text": f"Pelican {n}"}
            for n in range(3)
        ],
    )
    assert len(found_ids("pelican", CONTRIBUTION_KIND)) == 3
