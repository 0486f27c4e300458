"""Configuration: production refuses to start without its secrets and says why."""

import pytest

from app import create_app
from config import CONFIGS, _database_url


def test_production_refuses_to_start_without_secret_key_and_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    message = str(refused.value)
    assert "SECRET_KEY" in message
    assert "DATABASE_URL" in message
    assert "Set them and start again" in message


@pytest.mark.parametrize(
    "present, missing", [("SECRET_KEY", "DATABASE_URL"), ("DATABASE_URL", "SECRET_KEY")]
)
def test_production_names_only_what_is_missing(monkeypatch, tmp_path, present, missing):
    values = {
        "SECRET_KEY": "a-long-random-secret-for-this-test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite",
    }
    monkeypatch.setenv(present, values[present])
    monkeypatch.delenv(missing, raising=False)
    with pytest.raises(RuntimeError) as refused:
        create_app("production")
    message = str(refused.value)
    assert f"variables: {missing}." in message
    assert present not in message.split("variables:")[1].split(".")[0]


def test_an_empty_secret_counts_as_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.sqlite")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_builds_when_both_are_set(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-for-this-test")
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/production.sqlite")
    production = create_app("production")
    assert not production.debug
    assert not production.testing
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["PREFERRED_URL_SCHEME"] == "https"
    assert production.config["OUTBOX_DELIVER_AFTER_REQUEST"] is False
    assert "public.home" in production.view_functions


def test_development_and_testing_need_no_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name in ("development", "testing"):
        assert CONFIGS[name].SECRET_KEY
        assert not hasattr(CONFIGS[name], "check")


@pytest.mark.parametrize(
    "given, expected",
    [
        (
            "postgres://user:pw@db.example:5432/send",
            "postgresql+psycopg://user:pw@db.example:5432/send",
        ),
        ("postgresql://user@127.0.0.1/test", "postgresql+psycopg://user@127.0.0.1/test"),
        ("postgresql+psycopg://user@h/db", "postgresql+psycopg://user@h/db"),
        ("sqlite:///instance/x.sqlite", "sqlite:///instance/x.sqlite"),
        ("sqlite://", "sqlite://"),
        (None, None),
        ("", ""),
    ],
)
def test_database_url_names_the_psycopg_driver(given, expected):
    assert _database_url(given) == expected
