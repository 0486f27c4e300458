"""The CSV import of plan actions: everything is checked first, then all or nothing is stored."""

from datetime import date

import pytest
from sqlalchemy import func

from app.domain.plan import csv_import as plan_import
from app.extensions import db
from app.models import Action, ActionUpdate, AuditEntry

from ..conftest import user_for

HEADER = "reference,title,description,owner,lead,due_date,status,progress,areas\n"
NOT_CSV = (
    "The selected file must be a CSV file. In Excel, choose 'Save as' and then "
    "'CSV UTF-8 (comma delimited)'."
)


@pytest.fixture
def officer(app):
    # Messages are translated, and the language comes from the request, so run inside one.
    with app.test_request_context("/manage/plan/import"):
        yield user_for("officer")


def _run(officer, text: str | bytes, filename: str = "plan.csv"):
    data = text.encode() if isinstance(text, str) else text
    return plan_import.import_actions(officer, data, filename=filename)


def _count(model) -> int:
    return db.session.scalar(db.select(func.count()).select_from(model))


def _action(reference: str) -> Action | None:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def _problems(result) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in result.problems]


def test_a_good_file_creates_every_action(officer):
    result = _run(
        officer,
        HEADER
        + 'NEW-1,"Guide, in plain English","Line one\nline two",KCC,Head of SEND,2026-09-30,On '
        "track,20,1;3\n"
        + 'new-2,Train SENCOs,,nhs kent and medway,,31/03/2027,AT RISK,100%,"2, 4"\n'
        + "NEW-3,Review pathway,,Parents and Carers Together (PACT),,,,,9\n",
    )
    assert result.ok
    assert [action.reference for action in result.actions] == ["NEW-1", "NEW-2", "NEW-3"]

    first = _action("NEW-1")
    assert first.title == "Guide, in plain English"
    assert first.description == "Line one\nline two"
    assert (first.owner.short_name, first.lead) == ("KCC", "Head of SEND")
    assert (first.due_date, first.status, first.progress) == (date(2026, 9, 30), "on_track", 20)
    assert [area.number for area in first.areas] == [1, 3]

    second = _action("NEW-2")
    assert (second.owner.name, second.due_date, second.status, second.progress) == (
        "NHS Kent and Medway",
        date(2027, 3, 31),
        "at_risk",
        100,
    )
    assert [area.number for area in second.areas] == [2, 4]

    third = _action("NEW-3")
    assert (third.owner.short_name, third.due_date, third.status, third.progress, third.lead) == (
        "PACT",
        None,
        "not_started",
        0,
        "",
    )


def test_each_imported_action_gets_its_first_history_entry_and_audit_rows(officer):
    audit_before = _count(AuditEntry)
    result = _run(
        officer, HEADER + "NEW-1,One,,KCC,,,complete,100,1\nNEW-2,Two,,KCC,,,,,2\n", "april.csv"
    )
    assert result.ok
    for action in result.actions:
        updates = db.session.scalars(
            db.select(ActionUpdate).where(ActionUpdate.action_id == action.id)
        ).all()
        assert [(u.previous_status, u.status, u.progress, u.author_id) for u in updates] == [
            (None, action.status, action.progress, officer.id)
        ]

    new_entries = db.session.scalars(
        db.select(AuditEntry).order_by(AuditEntry.id).offset(audit_before)
    ).all()
    assert [entry.action for entry in new_entries] == [
        "action.created",
        "action.created",
        "plan.imported",
    ]
    assert [entry.record_id for entry in new_entries[:2]] == [str(a.id) for a in result.actions]
    summary = new_entries[-1]
    assert summary.actor_id == officer.id
    assert summary.summary == "2 actions imported from april.csv"
    assert summary.detail == {"count": 2, "filename": "april.csv", "references": ["NEW-1", "NEW-2"]}


def test_every_bad_row_is_reported_and_nothing_is_imported(officer):
    actions_before, audit_before = _count(Action), _count(AuditEntry)
    result = _run(
        officer,
        HEADER
        + "NEW-1,Fine,,KCC,,,,,1\n"  # line 2: good
        + ",,,,,,,,\n"  # line 3: blank, skipped
        + "NEW 2,T,,KCC,,2026-13-01,,,1\n"  # line 4
        + f"NEW-3,{'x' * 301},,KCC,{'l' * 201},,,,1\n"  # line 5
        + "NEW-4,T,,KCC,,,done,abc,1;x\n"  # line 6
        + "NEW-5,T,,KCC,,,,-3,\n"  # line 7
        + "NEW-6,T,,KCC,,,,,1,surplus\n"  # line 8
        + "app-1.1,T,,KCC,,,,,1\n"  # line 9
        + "new-1,T,,KCC,,,,,1\n",
    )  # line 10
    assert not result.ok
    assert result.actions == [] and result.file_error is None
    assert _problems(result) == [
        (4, "Reference must contain only letters, numbers, dots and hyphens, like APP-3.2"),
        (4, "Due date must be a real date, written as YYYY-MM-DD or DD/MM/YYYY"),
        (5, "Title must be 300 characters or fewer"),
        (5, "Lead must be 200 characters or fewer"),
        (6, "Status must be one of: not_started, on_track, at_risk, off_track, complete"),
        (6, "Progress must be a whole number from 0 to 100"),
        (6, "Areas must be area numbers separated by semicolons, like 1;3"),
        (7, "Progress must be a whole number from 0 to 100"),
        (7, "Enter at least one area number in the areas column, like 1;3"),
        (
            8,
            "This line has more values than there are columns. Put any value that contains a comma "
            "in double quotes.",
        ),
        (9, "Reference APP-1.1 is already in the plan"),
        (10, "Reference NEW-1 is also on line 2"),
    ]
    assert (
        str(result.problems[0])
        == "Line 4: Reference must contain only letters, numbers, dots and hyphens, like APP-3.2"
    )
    assert _count(Action) == actions_before
    assert _count(AuditEntry) == audit_before
    assert _action("NEW-1") is None


def test_missing_values_and_unknown_owner_and_area(officer):
    result = _run(officer, HEADER + ",,,,,,,,1\nNEW-2,T,,Somebody,,31/02/2026,,101,1;42\n")
    assert _problems(result) == [
        (2, "Enter a reference"),
        (2, "Enter a title"),
        (2, "Enter the owner: the name or short name of an organisation"),
        (
            3,
            "Owner 'Somebody' is not an organisation. Use the name or short name of one of: Kent "
            "County Council, "
            "Kent schools, NHS Kent and Medway, Parents and Carers Together (PACT)",
        ),
        (3, "Due date must be a real date, written as YYYY-MM-DD or DD/MM/YYYY"),
        (3, "Progress must be between 0 and 100"),
        (3, "There is no area 42"),
    ]


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(officer):
    result = _run(officer, "Areas, Title ,REFERENCE,owner\n3;1,Short file,NEW-9,KCC\n")
    assert result.ok
    action = _action("NEW-9")
    assert (action.title, action.status, action.progress, action.due_date) == (
        "Short file",
        "not_started",
        0,
        None,
    )
    assert [area.number for area in action.areas] == [1, 3]


def test_a_byte_order_mark_and_windows_line_endings_are_fine(officer):
    data = (
        b"\xef\xbb\xbf" + (HEADER + "NEW-1,From Excel,,KCC,,,,,1\n").replace("\n", "\r\n").encode()
    )
    result = _run(officer, data)
    assert result.ok
    assert _action("NEW-1").title == "From Excel"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "The selected file is empty"),
        (b"   \r\n\r\n", "The selected file is empty"),
        (b"\xef\xbb\xbf", "The selected file is empty"),
        (b",,,\n,,\n", "The selected file is empty"),
        (
            HEADER.encode(),
            "The file has column headings but no actions. Add one action on each line below the "
            "headings.",
        ),
        (bytes(range(256)) * 4, NOT_CSV),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NOT_CSV),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", NOT_CSV),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", NOT_CSV),
        (b"%PDF-1.7\n", NOT_CSV),
        ("reference,title\nNEW-1,caf\u00e9\n".encode("utf-16"), NOT_CSV),
        (b"reference,title\x07,owner,areas\nNEW-1,T,KCC,1\n", NOT_CSV),
        (
            HEADER.encode() + "NEW-1,Caf\u00e9,,KCC,,,,,1\n".encode("cp1252"),
            "The selected file must be saved as UTF-8 text. In Excel, choose 'Save as' and then "
            "'CSV UTF-8 (comma delimited)'.",
        ),
        (
            b"reference,title,description\nNEW-1,T,\n",
            "The file is missing these columns: owner, areas. The first line must be the column "
            "headings.",
        ),
        (
            b"reference,title,owner\nNEW-1,T,KCC\n",
            "The file is missing this column: areas. The first line must be the column headings.",
        ),
        (
            b"reference,title,owner,areas,staus\nNEW-1,T,KCC,1,on_track\n",
            "The file has a column called 'staus', which is not one of: reference, title, "
            "description, owner, lead, "
            "due_date, status, progress, areas",
        ),
        (
            b"reference,title,owner,areas,title\nNEW-1,T,KCC,1,T\n",
            "The file has more than one column called 'title'",
        ),
        (
            b"reference;title;owner;areas\nNEW-1;T;KCC;1\n",
            "The columns must be separated by commas. In Excel, choose 'Save as' and then 'CSV "
            "UTF-8 (comma delimited)'.",
        ),
        (
            b"This is just a letter.\nDear team, please add the actions.\n",
            "The file is missing these columns: reference, title, owner, areas. The first line "
            "must be the column headings.",
        ),
    ],
)
def test_files_that_cannot_be_used_are_refused_with_one_clear_message(officer, data, message):
    actions_before = _count(Action)
    result = _run(officer, data)
    assert result.file_error == message
    assert result.problems == [] and result.actions == []
    assert _count(Action) == actions_before


def test_random_bytes_are_not_a_500(officer):
    import random

    generator = random.Random(2026)
    for _attempt in range(20):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 3000)))
        result = _run(officer, data)
        assert not result.ok
        assert result.file_error


def test_more_than_a_thousand_rows_is_refused(officer):
    rows = "".join(f"BULK-{n},Action {n},,KCC,,,,,1\n" for n in range(1001))
    result = _run(officer, HEADER + rows)
    assert result.file_error == "The file has 1001 actions. Import up to 1,000 actions at a time."
    assert _action("BULK-0") is None


def test_exactly_a_thousand_rows_is_fine(officer):
    rows = "".join(f"BULK-{n},Action {n},,KCC,,,,,1\n" for n in range(1000))
    result = _run(officer, HEADER + rows)
    assert result.ok
    assert len(result.actions) == 1000
    assert _count(Action) == 24 + 1000


def test_line_numbers_count_blank_lines_like_a_spreadsheet(officer):
    result = _run(officer, HEADER + "\nNEW-1,T,,KCC,,,,,1\n\n\nNEW-2,T,,KCC,,,wrong,,1\n")
    assert _problems(result) == [
        (6, "Status must be one of: not_started, on_track, at_risk, off_track, complete")
    ]


def test_the_example_file_is_valid(officer):
    result = _run(officer, plan_import.example_csv())
    assert result.ok
    assert [action.reference for action in result.actions] == ["EXAMPLE-1.1", "EXAMPLE-1.2"]
