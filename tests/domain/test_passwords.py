"""Passwords: Argon2id hashes, and the rules that refuse weak ones with a reason a person can act
on."""

import pytest

from app.domain.people.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

GOOD = "kettle-orchard-lantern"


def test_hashes_are_argon2id_and_salted():
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("$argon2id$")
    assert first != second  # a fresh salt every time
    assert GOOD not in first
    assert not needs_rehash(first)


def test_verify_accepts_the_right_password_only():
    stored = hash_password(GOOD)
    assert verify_password(stored, GOOD) is True
    assert verify_password(stored, GOOD.upper()) is False
    assert verify_password(stored, GOOD + " ") is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize("stored", [None, "", "not-a-hash", "$argon2id$v=19$broken"])
def test_verify_fails_safely_without_a_usable_hash(stored):
    assert verify_password(stored, GOOD) is False


def test_a_strong_password_is_accepted(app_ctx):
    assert password_problem(GOOD, email="ada.admin@example.org", name="Ada Admin") is None


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_short_passwords_are_refused(app, app_ctx, password):
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    assert len(password) < minimum
    assert password_problem(password) == f"Password must be {minimum} characters or more"


def test_the_minimum_length_is_exactly_the_configured_one(app, app_ctx):
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    just_long_enough = "plum-wharf-g"[:minimum].ljust(minimum, "z")
    assert (
        password_problem(just_long_enough[:-1]) == f"Password must be {minimum} characters or more"
    )
    assert password_problem(just_long_enough) is None


def test_very_long_passwords_are_refused(app_ctx):
    assert password_problem("x7-" * 90) == "Password must be 256 characters or fewer"


@pytest.mark.parametrize(
    "password",
    ["Password123!", "qwertyuiop12", "PASSWORD1234", "qwertyuiop!!", "password12345678"],
)
def test_common_passwords_are_refused(app_ctx, password):
    assert (
        password_problem(password)
        == "That password is too common and easy to guess. Choose a different one"
    )


@pytest.mark.parametrize("password", ["aaaaaaaaaaaaaaaa", "abababababab", "123123123123"])
def test_passwords_of_very_few_characters_are_refused(app_ctx, password):
    assert password_problem(password) in {
        "That password is too easy to guess. Choose a different one",
        "That password is too common and easy to guess. Choose a different one",
    }


@pytest.mark.parametrize(
    "password, email, name",
    [
        ("margaretsmith-garden", "m.smith@example.org", "Margaret Smith"),
        ("MargaretSmith2026!", "m.smith@example.org", "Margaret Smith"),
        ("my name is Margaret Smith", "m.smith@example.org", "Margaret Smith"),
        ("jo.bloggs-summer-river", "jo.bloggs@example.org", "Jo Bloggs"),
        ("JO.BLOGGS-summer-river", "jo.bloggs@example.org", "Jo Bloggs"),
    ],
)
def test_passwords_containing_your_name_or_email_are_refused(app_ctx, password, email, name):
    assert password_problem(password, email=email, name=name) == (
        "Password must not contain your name or email address"
    )


def test_short_names_do_not_refuse_ordinary_passwords(app_ctx):
    # A name of three letters appears inside many good passwords; it is not treated as personal.
    assert password_problem("kettle-orchard-ann", email="ann@example.org", name="Ann") is None
