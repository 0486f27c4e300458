"""Random form data at every form endpoint, public and staff: never a server error.

Hypothesis throws what a broken browser, a bot or a hand-edited request could send: fields
missing, fields repeated, words where numbers go, huge and negative numbers, control
characters, values a radio or select never offered. Each form is posted to by a role allowed to
use it, at a URL built from real demo ids, so the request reaches the view itself. The field
names and offered values come from the page's own form, so a new field is covered at once.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.extensions import db
from tests.conftest import sign_in_as
from tests.form_targets import form_rules, role_for, seed_for, url_for_form
from tests.helpers import page

FORM_RULES = form_rules(create_app("testing"))

_COOKIES: dict[str, str] = {}


def _client_for(app, role):
    client = app.test_client()
    if role is None:
        return client
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    if role in _COOKIES:
        client.set_cookie(cookie_name, _COOKIES[role])
    else:
        sign_in_as(client, role)
        _COOKIES[role] = client.get_cookie(cookie_name).value
    return client


def _fields_on(client, url: str) -> tuple[list[str], list[str]]:
    """The names a form at this URL sends and the values it offers (radios, selects, boxes)."""
    names = {"csrf_token"}
    values = set()
    response = client.get(url)
    if response.status_code == 200 and response.mimetype == "text/html":
        for element in page(response).select("form input, form textarea, form select, form button"):
            if element.get("name"):
                names.add(element["name"])
            if element.get("value") and element.get("type") not in ("hidden", "text", None):
                values.add(element["value"])
            for option in element.find_all("option"):
                if option.get("value"):
                    values.add(option["value"])
    return sorted(names), sorted(values)


numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**400]),
).map(str)
odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "\x00", "a\x00b", "\r\n", "\u202e", "1e309", "NaN", "-0", "0x10", "[]", "{}"]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("x" * 70_000),
)


def form_data(names: list[str], offered: list[str]):
    value = st.one_of(numbers, odd_text, *([st.sampled_from(offered)] if offered else []))
    key = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    return st.lists(st.tuples(key, value), max_size=12).map(MultiDict)


@pytest.mark.parametrize(
    "rule,endpoint,roles", FORM_RULES, ids=[f"{r} ({e})" for r, e, _ in FORM_RULES]
)
def test_random_form_data_never_causes_a_server_error(app, rule, endpoint, roles):
    seed_for(rule, endpoint)
    role = role_for(roles)
    client = _client_for(app, role)
    url = url_for_form(app, rule, endpoint)
    names, offered = _fields_on(client, url)

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        # The same examples every run, so CI cannot pass or fail by chance; widen max_examples
        # and drop this locally to hunt for new failures.
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(form_data(names, offered))
    def posting(data):
        response = client.post(url, data=data)
        assert response.status_code < 500, (
            f"POST {url} as {role or 'the public'} with {data!r} answered {response.status_code}"
        )
        db.session.rollback()

    posting()


def test_every_public_and_staff_form_is_covered():
    endpoints = {endpoint for _rule, endpoint, _roles in FORM_RULES}
    assert {"public.feedback", "public.consultation_comment", "public.subscribe"} <= endpoints
    assert {"manage.response_new", "manage.survey_new", "manage.invite_user"} <= endpoints
