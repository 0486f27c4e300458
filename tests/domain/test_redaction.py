"""Redaction: emails, UK phone numbers and postcodes are masked in a proposed quote; ordinary words
are not."""

import pytest

from app.domain.thread.redaction import has_personal_details, propose_quote

PHONE = "[phone number removed]"


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "07700 900 123",  # mobiles
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",  # +44
        "01622 694000",
        "(01622) 694 000",
        "01622694000",
        "020 7946 0018",  # landlines
        "+44 20 7946 0018",
        "0300 041 4141",
        "0800 123 4567",
    ],
)
def test_uk_phone_numbers_are_masked(number):
    assert propose_quote(f"Ring me on {number}, thanks") == f"Ring me on {PHONE}, thanks"
    assert has_personal_details(number)


@pytest.mark.parametrize(
    "email", ["jo@example.com", "Jo.Bloggs+send@mail.example.co.uk", "o'neill@kent.gov.uk"]
)
def test_emails_are_masked(email):
    assert propose_quote(f"Write to {email} please") == "Write to [email removed] please"


@pytest.mark.parametrize(
    "postcode", ["ME14 1XX", "me14 1xx", "CT1 2AB", "SW1A 1AA", "TN231AB", "SW1A 1ST"]
)
def test_postcodes_are_masked(postcode):
    assert propose_quote(f"We live at {postcode} now") == "We live at [postcode removed] now"


def test_the_example_from_the_brief():
    text = "call me on 07700 900123 or email jo@example.com, ME14 1XX"
    assert (
        propose_quote(text)
        == "call me on [phone number removed] or email [email removed], [postcode removed]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "My son is 3 years old",
        "APP-1.2 is not working",
        "Year 7 and Year 11",
        "We waited 18 months",
        "It costs £1,500 a year",
        "From 2023 to 2024",
        "On 01/02/2023 at 10:30am",
        "EHC plan within 20 weeks",
        "1 in 5 children",
        "Call 999 in an emergency",
        "He is in KS3 2nd set",
        "Y6 1st term",
        "Room 101",
        "0 to 25 years",
        "B2B",
    ],
)
def test_ordinary_numbers_and_words_are_left_alone(text):
    assert propose_quote(text) == text
    assert not has_personal_details(text)


def test_surrounding_space_is_trimmed_and_empty_text_is_fine():
    assert propose_quote("  Good service.  ") == "Good service."
    assert propose_quote("") == ""
