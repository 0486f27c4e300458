"""Engine settings: failing fast while PostgreSQL is away, and keeping SQLite honest (real
transactions and enforced foreign keys)."""

import logging

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from .extensions import db

log = logging.getLogger(__name__)


def set_engine_options(app: Flask) -> None:
    """Before the engine is made: PostgreSQL connections give up after DATABASE_CONNECT_TIMEOUT
    seconds, so while the database is away each request fails fast (the 503 page) instead of
    holding a worker until gunicorn kills it; every pooled connection is checked before use
    (pool_pre_ping), so the first request after the database returns is served."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT"])
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_engines(app: Flask) -> None:
    app.teardown_appcontext(_let_go_of_the_session)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    _configure_sqlite(engine)


def _let_go_of_the_session(_error=None) -> None:
    """End the request's session before Flask-SQLAlchemy's own teardown does. When the database
    went away after the page was made, ending the transaction fails; Flask-SQLAlchemy would let
    that turn a page already made into a 500. The dead connection is let go instead (the pool
    replaces it: pool_pre_ping)."""
    try:
        db.session.remove()
    except DBAPIError as error:
        log.warning("The database went away as a request ended: %s", error.orig)
        db.session.registry.clear()


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take it over,
    # as the SQLAlchemy documentation recommends.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _request_writes() else "BEGIN")


# Requests that only read.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _request_writes() -> bool:
    """Whether this transaction belongs to a request that may write (a POST, say). On SQLite such
    a transaction takes the write lock when it begins: in WAL mode a transaction that has read
    cannot start writing once another has committed (SQLITE_BUSY_SNAPSHOT, which no busy timeout
    waits out), so two "Tell us" forms sent at once would fail with "database is locked". Taken
    at BEGIN, the second waits its turn (busy_timeout) instead. Reading requests and work outside
    a request begin as before."""
    return has_request_context() and request.method not in READING_METHODS
