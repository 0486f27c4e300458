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
    monkeypatch.setenv("SITE_URL", "https://sendvoice.example.gov.uk")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/production.sqlite")
    production = create_app("production")
    assert not production.debug
    assert not production.testing
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["PREFERRED_URL_SCHEME"] == "https"
    assert production.config["OUTBOX_DELIVER_AFTER_REQUEST"] is False
    assert "public.home" in production.view_functions
    assert production.config["SITE_URL"] == "https://sendvoice.example.gov.uk"


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


def production_env(monkeypatch, tmp_path, **extra):
    values = {
        "SECRET_KEY": "a-long-random-secret-for-this-test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/production.sqlite",
        "MAIL_BACKEND": "smtp",
        "SITE_URL": "https://sendvoice.example.gov.uk",
    }
    values.update(extra)
    for name, value in values.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def test_wsgi_runs_the_production_configuration_unless_told_otherwise(monkeypatch, tmp_path):
    import importlib
    import sys

    monkeypatch.delenv("FLASK_CONFIG", raising=False)
    production_env(monkeypatch, tmp_path, SECRET_KEY=None)
    sys.modules.pop("wsgi", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        importlib.import_module("wsgi")
    production_env(monkeypatch, tmp_path)
    sys.modules.pop("wsgi", None)
    wsgi = importlib.import_module("wsgi")
    assert not wsgi.app.debug and wsgi.app.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("FLASK_CONFIG", "development")
    sys.modules.pop("wsgi", None)
    assert importlib.import_module("wsgi").app.debug
    sys.modules.pop("wsgi", None)


@pytest.mark.parametrize(
    "secret",
    [
        "development-only-not-secret",
        "testing-only-not-secret",
        "change-me",
        "too-short-to-be-safe",
    ],
)
def test_production_refuses_a_known_or_weak_secret(monkeypatch, tmp_path, secret):
    production_env(monkeypatch, tmp_path, SECRET_KEY=secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_any_configuration_but_development_and_testing_checks_the_secret(monkeypatch, tmp_path):
    from config import Config

    class StagingConfig(Config):
        SECRET_KEY = "development-only-not-secret"

    monkeypatch.setitem(CONFIGS, "staging", StagingConfig)
    with pytest.raises(RuntimeError, match="published in the source code"):
        create_app("staging")


def test_production_refuses_file_mail_unless_told(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path, MAIL_BACKEND=None)
    with pytest.raises(RuntimeError, match="ALLOW_FILE_MAIL=1"):
        create_app("production")
    production_env(monkeypatch, tmp_path, MAIL_BACKEND="file", ALLOW_FILE_MAIL="1")
    assert create_app("production").config["MAIL_BACKEND"] == "file"


def test_production_warns_when_rate_limits_are_kept_per_worker(monkeypatch, tmp_path, caplog):
    production_env(monkeypatch, tmp_path, REDIS_URL=None)
    with caplog.at_level("WARNING"):
        create_app("production")
    assert any("REDIS_URL is not set" in record.getMessage() for record in caplog.records)
    caplog.clear()
    # With REDIS_URL the counts are shared and nothing is said. (Checked on a bare app: the
    # shared rate limiter must not be bound to a Redis server that is not running here.)
    from flask import Flask

    from app import _refuse_unsafe_start
    from config import ProductionConfig

    production_env(monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:6399/0")
    bare = Flask("production-check")
    bare.config.from_object(ProductionConfig)
    with caplog.at_level("WARNING"):
        ProductionConfig.init_app(bare)
        _refuse_unsafe_start(bare, "production")
    assert bare.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6399/0"
    assert not any("REDIS_URL" in record.getMessage() for record in caplog.records)


def test_trusted_proxies_let_the_app_see_the_real_client_and_scheme(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path, TRUSTED_PROXIES="1")
    production = create_app("production")

    @production.get("/_test/who")
    def who():
        from flask import request

        return {"address": request.remote_addr, "secure": request.is_secure}

    headers = {"X-Forwarded-For": "198.51.100.77", "X-Forwarded-Proto": "https"}
    response = production.test_client().get(
        "/_test/who",
        headers=headers,
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
        base_url="http://localhost",
    )
    assert response.get_json() == {"address": "198.51.100.77", "secure": True}
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_trusted_proxies_forwarded_headers_are_ignored(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path, TRUSTED_PROXIES=None)
    production = create_app("production")

    @production.get("/_test/who")
    def who():
        from flask import request

        return {"address": request.remote_addr, "secure": request.is_secure}

    response = production.test_client().get(
        "/_test/who",
        headers={"X-Forwarded-For": "198.51.100.77", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
        base_url="http://localhost",
    )
    assert response.get_json() == {"address": "10.0.0.2", "secure": False}


def test_requirements_hold_what_the_service_runs_and_test_tools_are_apart():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]

    def names(file):
        return {
            line.split("==")[0].split(">=")[0].split("[")[0].strip().lower()
            for line in (root / file).read_text().splitlines()
            if line.strip() and not line.startswith(("#", "-"))
        }

    runtime = names("requirements.txt")
    dev = names("requirements-dev.txt")
    test_tools = {"pytest", "playwright", "aiosmtpd", "beautifulsoup4", "ruff"}
    assert not runtime & test_tools
    assert test_tools <= dev
    assert {"pyotp", "segno", "flask", "gunicorn"} <= runtime
    makefile = (root / "Makefile").read_text()
    assert "-r requirements-dev.txt" in makefile
    assert "test: install $(VENV)/.installed-dev" in makefile


def test_production_refuses_to_start_without_its_public_address(monkeypatch, tmp_path):
    """Emails written by scheduled commands (weekly summaries) link to SITE_URL: without it they
    would point at the server itself, so production will not start."""
    production_env(monkeypatch, tmp_path, SITE_URL=None)
    with pytest.raises(RuntimeError, match="SITE_URL is not set"):
        create_app("production")
