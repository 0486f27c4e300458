"""Fixtures every test uses.

The schema is built once per run by running the Alembic migrations (never create_all), on
SQLite or, when TEST_DATABASE_URL is set, on PostgreSQL; the demo data is seeded once. Each
test then runs inside a transaction that is rolled back, so tests never see each other's data.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from flask import g, request_started
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import text

from app import create_app
from app.demo import kent, seed
from app.extensions import cache, db, limiter
from app.models import User
from app.static_files import build as build_static_files

from .helpers import QueryCounter

DEMO_EMAILS = {role: email for email, _name, role, _org in kent.DEMO_USERS}
DEMO_PASSWORD = kent.DEMO_PASSWORD


# The static build this run serves, made once: pytest-xdist's workers inherit it.
STATIC_BUILD_VARIABLE = "SEND_VOICE_TEST_STATIC_BUILD"


def pytest_configure(config):
    """Every app the tests make serves static files as production does: fingerprinted names,
    compressed, through WhiteNoise, from a build of app/static as it is now (never a stale one)."""
    from config import TestingConfig

    build_dir = os.environ.get(STATIC_BUILD_VARIABLE)
    if not build_dir:
        build_dir = tempfile.mkdtemp(prefix="send-voice-static-")
        atexit.register(shutil.rmtree, build_dir, True)
        app_dir = Path(__file__).resolve().parents[1] / "app"
        build_static_files(app_dir / "static", Path(build_dir))
        os.environ[STATIC_BUILD_VARIABLE] = build_dir
    TestingConfig.STATIC_BUILD_DIR = build_dir


def test_database_url(tmp_dir: str) -> str:
    """SQLite in this run's own temporary folder, or TEST_DATABASE_URL. Under pytest-xdist each
    worker builds and rolls back in a PostgreSQL database of its own (`test_gw0`, `test_gw1`),
    made beside the one named, so workers never drop each other's schema."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{os.path.join(tmp_dir, 'test.sqlite')}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith(("postgres://", "postgresql")):
        return url
    return _worker_database(url, worker)


def _worker_database(url: str, worker: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from config import _database_url

    base = make_url(_database_url(url))
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def build_database(app) -> None:
    """Empty the database, run every migration, seed the demo data."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp_dir = str(tmp_path_factory.mktemp("db"))
    os.environ.setdefault("TEST_MAIL_DIR", tempfile.mkdtemp(prefix="send-voice-mail-"))
    from config import TestingConfig, _database_url

    TestingConfig.SQLALCHEMY_DATABASE_URI = _database_url(test_database_url(tmp_dir))
    TestingConfig.MAIL_FILE_DIR = os.path.join(tmp_dir, "mail")
    application = create_app("testing")
    # Tests keep an app context open, and Flask reuses it for every request, so `g` would carry
    # one request's locale, signed-in user and CSP nonce into the next. Start each request clean.
    request_started.connect(_fresh_request_globals, application, weak=False)
    build_database(application)
    return application


def _fresh_request_globals(sender, **_extra):
    vars(g._get_current_object()).clear()


class _ConnectionSession(FlaskSession):
    """Flask-SQLAlchemy's Session chooses the engine itself and would ignore `bind`, so each
    commit would really commit; always use the test's connection so the rollback undoes it."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _isolated(request, app):
    """Run the test inside a transaction that is rolled back afterwards, with no page kept from
    an earlier test (each starts like a freshly started app)."""
    with app.app_context():
        cache.clear()
    if "browser" in request.keywords or "committing" in request.keywords:
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": _ConnectionSession,
            }
        )
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def rendered_every_time(app):
    """Public pages rendered on every request, for tests that count what rendering one costs
    (app/page_cache.py would otherwise serve the second request without running the view)."""
    kept = app.config["PAGE_CACHE_SECONDS"]
    app.config["PAGE_CACHE_SECONDS"] = 0
    yield
    app.config["PAGE_CACHE_SECONDS"] = kept


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


def user_for(role: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == DEMO_EMAILS[role]))


def sign_in_as(client, role: str) -> User:
    """Sign in through the real form, as a person would."""
    response = client.post(
        "/auth/sign-in", data={"email": DEMO_EMAILS[role], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"sign-in as {role} failed"
    with client.application.app_context():
        return user_for(role)


@pytest.fixture
def signed_in(client):
    """signed_in("officer") signs the test client in and returns the user."""

    def _sign_in(role: str) -> User:
        return sign_in_as(client, role)

    return _sign_in


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ... then counter.count."""

    def _counter():
        with app.app_context():
            return QueryCounter(db.engine)

    return _counter


@pytest.fixture
def mail_dir(app):
    return app.config["MAIL_FILE_DIR"]
