"""References: readable aloud, hard to guess, forgiving of how people type them."""

import re

import pytest

from app.domain.thread.references import (
    ALPHABET,
    GROUP_LENGTH,
    GROUPS,
    new_reference,
    normalise_reference,
)

FORMAT = re.compile(r"^[%s]{4}-[%s]{4}-[%s]{4}$" % ((re.escape(ALPHABET),) * 3))


def test_new_reference_format():
    for _ in range(200):
        reference = new_reference()
        assert FORMAT.match(reference), reference
        assert len(reference) == 14


def test_alphabet_leaves_out_characters_that_are_easy_to_confuse():
    for confusable in "01ILOUV":
        assert confusable not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 29
    assert ALPHABET.upper() == ALPHABET


def test_references_are_long_enough_that_guessing_is_not_practical():
    assert len(ALPHABET) ** (GROUPS * GROUP_LENGTH) > 2**55
    assert len({new_reference() for _ in range(2000)}) == 2000


def test_every_character_is_used():
    seen = set("".join(new_reference() for _ in range(500)).replace("-", ""))
    assert seen == set(ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "7KM3-9PQR-XW2H",
        "7km3-9pqr-xw2h",
        "7KM39PQRXW2H",
        "7km3 9pqr xw2h",
        "  7KM3 - 9PQR - XW2H  ",
        "7KM3.9PQR.XW2H",
        "7Km3-9pQr-Xw2H",
    ],
)
def test_normalise_accepts_what_people_type(typed):
    assert normalise_reference(typed) == "7KM3-9PQR-XW2H"


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "   ",
        "7KM3-9PQR-XW2",
        "7KM3-9PQR-XW2HJ",
        "7KM3-9PQR-XW2H-7KM3",
        "OOOO-OOOO-OOOO",
        "0000-1111-2222",
        "7KM3-9PQR-XW2!",
        "ÄKM3-9PQR-XW2H",
        "x" * 1000,
    ],
)
def test_normalise_refuses_anything_else(typed):
    assert normalise_reference(typed) is None


def test_a_new_reference_survives_normalising():
    reference = new_reference()
    assert normalise_reference(reference) == reference
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
