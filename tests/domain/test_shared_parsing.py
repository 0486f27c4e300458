"""The shared reading of ids, page numbers, typed text and dates, and the shared form fields."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from app.domain.shared.dates import date_from_parts, date_parts
from app.domain.shared.ids import page_number, valid_id, valid_ids
from app.domain.shared.text import clean_line, clean_text
from app.forms import GovukDateField, IdCheckboxesField, no_longer_than


@pytest.mark.parametrize(
    "value,expected",
    [
        ("7", 7),
        (" 7 ", 7),
        (7, 7),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("0", None),
        ("-1", None),
        ("+5", None),
        ("1_000", None),
        ("²", None),
        ("٣", None),
        ("", None),
        (None, None),
        (True, None),
        ("x", None),
    ],
)
def test_valid_id_is_a_positive_32_bit_number_in_ascii_digits(value, expected):
    assert valid_id(value) == expected


def test_valid_ids_and_page_numbers():
    assert valid_ids(["3", "x", "3", "0", "7"]) == [3, 7]
    assert page_number("4") == 4
    for bad in (None, "", "0", "-2", "abc", "9" * 30):
        assert page_number(bad) == 1


def test_clean_text_counts_line_endings_as_the_browser_does():
    assert clean_text("a\r\nb\rc\x00") == "a\nb\nc"
    assert clean_line("  a\x00b \r\n") == "ab"
    assert clean_text(None) is None


def test_dates_from_three_boxes(app_ctx):
    form = MultiDict({"when-day": " 3", "when-month": "2", "when-year": "2026"})
    assert date_parts(form, "when") == {"day": "3", "month": "2", "year": "2026"}
    assert date_from_parts(date_parts(form, "when"), "Date") == (date(2026, 2, 3), None)
    assert date_from_parts({"day": "", "month": "", "year": ""}, "Date") == (None, None)
    assert date_from_parts({"day": "1", "month": "", "year": ""}, "Date")[1] == (
        "Date must include a month and year"
    )
    assert date_from_parts({"day": "²", "month": "1", "year": "2026"}, "Date")[1] == (
        "Date must be a real date"
    )
    assert date_from_parts({"day": "1", "month": "1", "year": "1999"}, "Date", after_2000=True)[
        1
    ] == ("Date must be after 1 January 2000")


class _Form(Form):
    day = GovukDateField("Date", after_2000=True)
    due = GovukDateField("Due (optional)", one_name=True, name_in_messages="Due")
    since = GovukDateField(
        "Since", one_name=True, missing_message="Since is incomplete", invalid_message="Not a date"
    )
    areas = IdCheckboxesField("Areas", invalid_message="Select areas from the list")
    added = IdCheckboxesField("Added")
    text = __import__("wtforms").StringField(
        validators=[no_longer_than(3, lambda n, **numbers: "{max}/{count}".format(**numbers))]
    )


def _form(**data):
    form = _Form(MultiDict(data))
    for field in (form.areas, form.added):
        field.choices = [(1, "One"), (2, "Two")]
    form.validate()
    return form


def test_one_date_field_reads_either_kind_of_boxes(app_ctx):
    form = _form(**{"day-day": "1", "day-month": "2", "day-year": "2026"})
    assert form.day.data == date(2026, 2, 1) and form.day.parts["day"] == "1"
    form = _Form(MultiDict([("due", "31"), ("due", "2"), ("due", "2026")]))
    assert form.due.process_errors == ["Due must be a real date"]
    assert form.due.raw_data == ["31", "2", "2026"]
    form = _Form(MultiDict([("since", "1"), ("since", ""), ("since", "2026")]))
    assert form.since.process_errors == ["Since is incomplete"]
    form = _Form(MultiDict([("since", "1"), ("since", "1"), ("since", "99999")]))
    assert form.since.process_errors == ["Not a date"]
    stored = _Form(data={"day": date(2025, 12, 24)})
    assert stored.day.data == date(2025, 12, 24)
    assert stored.day.parts == {"day": "24", "month": "12", "year": "2025"}


def test_id_checkboxes_refuse_unknown_ids_or_drop_them_when_only_adding(app_ctx):
    form = _form(areas=["2", "2", "1"], added=["1"])
    assert form.areas.data == [2, 1] and not form.areas.errors
    form = _Form(MultiDict([("areas", "1"), ("areas", "99"), ("added", "x"), ("added", "2")]))
    for field in (form.areas, form.added):
        field.choices = [(1, "One"), (2, "Two")]
    form.validate()
    assert form.areas.errors == ["Select areas from the list"]
    assert form.added.errors == [] and form.added.data == [2]


def test_no_longer_than_says_the_length(app_ctx):
    assert _form(text="abcd").text.errors == ["3/4"]
    assert _form(text="abc").text.errors == []
