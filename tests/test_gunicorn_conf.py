"""gunicorn.conf.py: the production server's settings, as gunicorn itself reads them."""

import os
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from sqlalchemy import event
from sqlalchemy.pool import Pool

from app import create_app

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"
DEPLOYMENT_VARIABLES = ("BIND", "PORT", "WEB_CONCURRENCY", "LOG_LEVEL", "TRUSTED_PROXIES")


def settings(monkeypatch, **environment) -> Config:
    """The configuration gunicorn builds from the file in this environment (its own checks
    run on every value, as when it starts)."""
    for name in DEPLOYMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_sync_workers_two_per_core_plus_one(monkeypatch):
    config = settings(monkeypatch)
    assert config.worker_class_str == "sync"
    assert config.workers == 2 * len(os.sched_getaffinity(0)) + 1
    assert settings(monkeypatch, WEB_CONCURRENCY="3").workers == 3


@pytest.mark.parametrize(
    "environment, address",
    [
        ({}, "127.0.0.1:8000"),
        ({"PORT": "5000"}, "0.0.0.0:5000"),
        ({"BIND": "unix:/run/send-voice.sock", "PORT": "5000"}, "unix:/run/send-voice.sock"),
    ],
)
def test_where_it_listens(monkeypatch, environment, address):
    assert settings(monkeypatch, **environment).bind == [address]


def test_only_the_app_trusts_forwarded_headers(monkeypatch):
    config = settings(monkeypatch)
    assert config.forwarded_allow_ips == []
    assert config.secure_scheme_headers == {}


def test_workers_are_replaced_in_turn_and_slow_requests_end(monkeypatch):
    config = settings(monkeypatch)
    assert config.max_requests >= 500 and config.max_requests_jitter > 0
    assert 0 < config.timeout <= 60 and config.graceful_timeout > 0
    assert config.preload_app is True


def access_line(monkeypatch, path: str, query: str = "") -> str:
    config = settings(monkeypatch)
    logger = config.logger_class(config)
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://example.test{path}",
    }
    atoms = logger.atoms(response, [("REFERER", environ["HTTP_REFERER"])], environ, timedelta(0))
    return config.access_log_format % atoms + " " + atoms["r"] + " " + atoms["f"]


def test_the_access_log_never_holds_a_links_secret(monkeypatch):
    secret = "Xq3vB9kL2mN8pR4sT6wY0zA1cD5eF7gH9jK3lM5nP7q"
    line = access_line(monkeypatch, f"/auth/set-password/{secret}", query=f"token={secret}")
    assert secret not in line
    assert '"GET /auth/set-password/[secret]" 200' in line
    assert line.startswith("203.0.113.9 ")


def test_the_access_log_keeps_ordinary_paths(monkeypatch):
    line = access_line(monkeypatch, "/consultations/our-plans-for-ehc-assessments-in-2027/comments")
    assert '"GET /consultations/our-plans-for-ehc-assessments-in-2027/comments"' in line


def test_building_the_production_app_opens_no_database_connection(monkeypatch, tmp_path):
    """gunicorn builds the app before forking its workers (preload_app): a connection opened
    then would be shared by every worker."""
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/production.sqlite")
    monkeypatch.setenv("SITE_URL", "https://sendvoice.example.gov.uk")
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    connections = []

    def connected(*_args):
        connections.append(True)

    event.listen(Pool, "connect", connected)
    try:
        create_app("production")
    finally:
        event.remove(Pool, "connect", connected)
    assert connections == []


def test_the_proxy_warning_names_the_addresses_gunicorn_really_listens_on(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    settings = runpy.run_path(str(CONF))
    warned = []
    server = SimpleNamespace(
        cfg=SimpleNamespace(bind=["127.0.0.1:9123"]),
        log=SimpleNamespace(warning=lambda message, *args: warned.append(message % args)),
    )
    settings["on_starting"](server)
    assert warned and "127.0.0.1:9123" in warned[0]
    warned.clear()
    server.cfg.bind = ["0.0.0.0:8000"]
    settings["on_starting"](server)
    assert warned == []
