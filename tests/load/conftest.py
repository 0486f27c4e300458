"""Load tests serve the app under gunicorn against a database of their own: the per-test
transaction (and the session's test database) of tests/conftest.py are not theirs."""

import pytest


@pytest.fixture(autouse=True)
def _isolated():
    yield
