"""Safeguarding phrases: whole words and phrases, any case; a match flags a contribution urgent."""

import pytest

from app.domain.thread import safeguarding
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import SafeguardingPhrase

PHRASES = ["abuse", "wants to die", "self-harm", "not safe at home"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("This is abuse.", ["abuse"]),
        ("ABUSE", ["abuse"]),
        ("Abuse, plain and simple", ["abuse"]),
        ("I was disabused of that idea", []),
        ("They abused the system", []),  # "abused" is not "abuse"; the default list has both
        ("abuses", []),
        ("He said he wants to die", ["wants to die"]),
        ("He said he WANTS TO DIE.", ["wants to die"]),
        ("She wants to dine out", []),
        ("He is not safe at home any more", ["not safe at home"]),
        ("talk of self-harm at school", ["self-harm"]),
        ("(abuse)", ["abuse"]),
        ("", []),
    ],
)
def test_matches_whole_words_in_any_case(text, found):
    assert safeguarding.matches(text, PHRASES) == found


def test_each_phrase_is_reported_once_in_lower_case():
    assert safeguarding.matches("Abuse. abuse! ABUSE and he wants to die", PHRASES) == [
        "abuse",
        "wants to die",
    ]


def test_longer_phrases_win_over_shorter_ones():
    assert safeguarding.matches("he wants to die", ["die", "wants to die"]) == ["wants to die"]


def test_no_phrases_means_no_matches():
    assert safeguarding.matches("abuse", []) == []
    assert safeguarding.matches("abuse", ["  "]) == []


def test_phrases_with_regex_characters_are_taken_literally():
    assert safeguarding.matches("a.b", ["a.b"]) == ["a.b"]
    assert safeguarding.matches("axb", ["a.b"]) == []


def test_the_maintained_list_is_used_by_default(app_ctx):
    db.session.add(SafeguardingPhrase(phrase="frightened of his dad"))
    db.session.commit()
    assert safeguarding.matches("He is frightened of his dad") == ["frightened of his dad"]
    assert safeguarding.matches("Nothing worrying here") == []


def test_default_phrases_are_seeded_once(app_ctx):
    missing = set(safeguarding.DEFAULT_PHRASES) - set(safeguarding.active_phrases())
    added = safeguarding.seed_default_phrases()
    db.session.commit()
    assert added == len(missing)
    assert set(safeguarding.DEFAULT_PHRASES) <= set(safeguarding.active_phrases())
    assert safeguarding.seed_default_phrases() == 0
    assert safeguarding.matches("My daughter is being groomed online") == ["groomed"]


def test_a_match_flags_the_contribution_on_arrival(app_ctx):
    safeguarding.seed_default_phrases()
    flagged = record_contribution("feedback", "He said he wants to die")
    ordinary = record_contribution("feedback", "The review was late")
    db.session.commit()
    assert flagged.safeguarding is True
    assert "wants to die" in flagged.note
    assert ordinary.safeguarding is False
