"""While the database cannot be reached every page is the service's 503 page, with Retry-After and
no traceback, made without the database; the next request after it returns is served."""

import logging
import socket

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError

from app import create_app, web
from app.extensions import db

from .conftest import sign_in_as
from .helpers import heading, main_text, page
from .public.test_feedback import form_data

UNAVAILABLE = "Sorry, the service is unavailable"


def _refused() -> OperationalError:
    return OperationalError(
        "SELECT 1",
        {},
        psycopg.OperationalError('connection to server at "10.0.0.9", port 5432 failed'),
    )


@pytest.fixture(autouse=True)
def _no_outage_carried_over():
    """Each worker remembers an outage until a request is served; each test starts without."""
    web._outage.since = None
    yield
    web._outage.since = None


@pytest.fixture
def database_away(app):
    """Every statement fails as it does when PostgreSQL is down, until `back()` is called."""
    listening = []

    def fail(*_args, **_kwargs):
        raise _refused()

    def away():
        event.listen(db.engine, "before_cursor_execute", fail)
        listening.append(fail)

    def back():
        while listening:
            event.remove(db.engine, "before_cursor_execute", listening.pop())

    with app.app_context():
        away()
        try:
            yield back
        finally:
            back()


@pytest.mark.parametrize(
    "path", ["/", "/surveys", "/areas", "/search?q=transport", "/track?reference=2222-3333-4444"]
)
def test_pages_answer_503_with_retry_after_and_no_traceback(client, database_away, path):
    response = client.get(path)
    assert response.status_code == 503
    # At least the 5 seconds the page asks for; later when a rate limit on the page resets later.
    assert int(response.headers["Retry-After"]) >= 5
    assert heading(page(response)) == UNAVAILABLE
    assert "10.0.0.9" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_form_sent_while_the_database_is_away_is_refused_with_503(client, database_away):
    response = client.post("/feedback", data=form_data(client.application))
    assert response.status_code == 503
    assert heading(page(response)) == UNAVAILABLE


def test_the_503_page_does_not_load_the_person_signed_in(client, app):
    sign_in_as(client, "coordinator")

    def fail(*_args, **_kwargs):
        raise _refused()

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", fail)
        try:
            response = client.get("/manage/inbox")
        finally:
            event.remove(db.engine, "before_cursor_execute", fail)
    assert response.status_code == 503
    assert heading(page(response)) == UNAVAILABLE
    assert "Signed in as" not in main_text(page(response))


def test_a_connection_dropped_mid_request_is_503_too(client, monkeypatch):
    dropped = DBAPIError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    dropped.connection_invalidated = True

    def drop(*_args, **_kwargs):
        raise dropped

    monkeypatch.setattr(db.session, "scalars", drop)
    response = client.get("/surveys")
    assert response.status_code == 503
    assert response.headers["Retry-After"]


def test_any_other_database_error_is_still_a_500(client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("no such column: surveys.nonsense"))

    monkeypatch.setattr(db.session, "scalars", broken)
    response = client.get("/surveys")
    assert response.status_code == 500
    assert "nonsense" not in response.get_data(as_text=True)


def test_the_outage_is_logged_once_and_its_end_once(client, database_away, caplog):
    with caplog.at_level(logging.WARNING, logger="app.web"):
        for _ in range(3):
            assert client.get("/surveys").status_code == 503
        database_away()
        assert client.get("/surveys").status_code == 200
        assert client.get("/surveys").status_code == 200
    messages = [record.getMessage() for record in caplog.records if record.name == "app.web"]
    assert len(messages) == 2
    assert messages[0].startswith("The database cannot be reached")
    assert messages[1].startswith("The database is reachable again")
    assert not any(record.exc_info for record in caplog.records if record.name == "app.web")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.mark.committing
def test_an_app_whose_postgresql_is_not_there_answers_503(monkeypatch):
    """A real PostgreSQL connection, refused: the driver's own error reaches the handler."""
    from config import TestingConfig

    monkeypatch.setattr(
        TestingConfig,
        "SQLALCHEMY_DATABASE_URI",
        f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nowhere",
    )
    away = create_app("testing")
    with away.app_context():
        assert db.engine.pool._pre_ping is True
    assert away.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["connect_timeout"] == 3
    client = away.test_client()
    for path in ("/", "/surveys/ehc-plan-experience"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "5"
        assert heading(page(response)) == UNAVAILABLE
    response = client.post("/feedback", data=form_data(away))
    assert response.status_code == 503


def test_a_page_made_before_the_database_went_away_is_still_sent(client, monkeypatch, caplog):
    # The database goes away after the page was made: ending the request's transaction fails.
    # The person still gets the page, and the dead connection is let go.
    remove = db.session.remove
    failures = []

    def remove_once():
        if not failures:
            failures.append(True)
            raise _refused()
        remove()

    monkeypatch.setattr(db.session, "remove", remove_once)
    with caplog.at_level(logging.WARNING):
        response = client.get("/accessibility")
    assert response.status_code == 200
    assert failures
    assert "The database went away as a request ended" in caplog.text
