"""Every staff URL is closed to the public and to the wrong roles.

The sweep walks the URL map, so a new route under /manage is covered the moment it exists: an
anonymous request is sent to sign in, a signed-in role the view does not allow gets 403, and a
role it allows can open it (GET) without a 403 or a server error. Every /manage view must be
wrapped in @roles_required; one that is not fails here.
"""

from urllib.parse import urlsplit

import pytest
from werkzeug.routing import IntegerConverter, PathConverter, UUIDConverter

from app import create_app
from app.extensions import db
from app.models import Action, Area, Role, User
from tests.browser.pages import allowed_roles

ALL_ROLES = tuple(role.value for role in Role)
METHODS = ("GET", "POST")


def _staff_rules():
    """(rule, endpoint, methods, allowed roles) for every /manage rule, read at collection time."""
    url_map_app = create_app("testing")
    found = []
    for rule in sorted(url_map_app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule == "/manage" or rule.rule.startswith("/manage/"):
            methods = tuple(m for m in METHODS if m in rule.methods)
            found.append(
                (
                    rule.rule,
                    rule.endpoint,
                    methods,
                    allowed_roles(url_map_app.view_functions[rule.endpoint]),
                )
            )
    return found


STAFF_RULES = _staff_rules()

ANONYMOUS_CASES = [
    (rule, endpoint, method)
    for rule, endpoint, methods, _roles in STAFF_RULES
    for method in methods
]
REFUSED_CASES = [
    (rule, endpoint, method, role)
    for rule, endpoint, methods, roles in STAFF_RULES
    if roles is not None
    for method in methods
    for role in ALL_ROLES
    if role not in roles
]
ALLOWED_CASES = [
    (rule, endpoint, role)
    for rule, endpoint, methods, roles in STAFF_RULES
    if roles is not None and "GET" in methods
    for role in roles
]


def _seeded(name: str):
    """Real ids for the arguments we know, so an allowed GET reaches the page itself."""
    lookups = {
        "area_id": lambda: db.session.scalar(db.select(Area.id).where(Area.number == 6)),
        "action_id": lambda: db.session.scalar(
            db.select(Action.id).where(Action.reference == "APP-1.1")
        ),
        "user_id": lambda: db.session.scalar(
            db.select(User.id).where(User.email == "coordinator@example.org")
        ),
        "number": lambda: 6,
        "reference": lambda: "APP-1.1",
    }
    return lookups[name]() if name in lookups else None


def url_for_rule(app, path: str, endpoint: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    values = {}
    with app.app_context():
        for name, converter in rule._converters.items():
            value = _seeded(name)
            if value is None:
                if isinstance(converter, IntegerConverter):
                    value = 1
                elif isinstance(converter, UUIDConverter):
                    value = "00000000-0000-0000-0000-000000000001"
                elif isinstance(converter, PathConverter):
                    value = "made-up/path"
                else:
                    value = "APP-1.1"
            values[name] = value
    return app.url_map.bind("localhost").build(endpoint, values, append_unknown=False)


# role -> the session cookie the real sign-in form gave that role. Signing in hashes a password,
# so each role signs in once and later tests reuse the cookie (the session lives in the cookie).
_SESSION_COOKIES: dict[str, str] = {}


@pytest.fixture
def client_as(app, client, signed_in):
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    def _as(role: str):
        if role in _SESSION_COOKIES:
            client.set_cookie(cookie_name, _SESSION_COOKIES[role])
        else:
            signed_in(role)
            _SESSION_COOKIES[role] = client.get_cookie(cookie_name).value
        assert client.get("/manage/").status_code == 200, f"not signed in as {role}"
        return client

    return _as


def request(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_the_sweep_finds_the_staff_pages():
    endpoints = {endpoint for _rule, endpoint, _methods, _roles in STAFF_RULES}
    assert {"manage.home", "manage.plan", "manage.users", "manage.audit"} <= endpoints
    assert ANONYMOUS_CASES and REFUSED_CASES and ALLOWED_CASES


@pytest.mark.parametrize(
    "rule,endpoint,roles",
    [(r, e, roles) for r, e, _m, roles in STAFF_RULES],
    ids=[r for r, *_ in STAFF_RULES],
)
def test_every_staff_view_says_who_may_use_it(rule, endpoint, roles):
    assert roles is not None, f"{rule} ({endpoint}) is not wrapped in @roles_required(...)"
    assert roles, f"{rule} ({endpoint}) allows no role at all"


@pytest.mark.parametrize(
    "rule,endpoint,method", ANONYMOUS_CASES, ids=[f"{m} {r}" for r, _e, m in ANONYMOUS_CASES]
)
def test_anonymous_people_are_sent_to_sign_in(app, client, rule, endpoint, method):
    url = url_for_rule(app, rule, endpoint)
    response = request(client, method, url)
    assert response.status_code in (302, 303), f"{method} {url} answered {response.status_code}"
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/sign-in", (
        f"{method} {url} redirected to {response.headers['Location']}"
    )


@pytest.mark.parametrize(
    "rule,endpoint,method,role",
    REFUSED_CASES,
    ids=[f"{m} {r} as {role}" for r, _e, m, role in REFUSED_CASES],
)
def test_roles_without_rights_are_refused(app, client_as, rule, endpoint, method, role):
    client = client_as(role)
    url = url_for_rule(app, rule, endpoint)
    response = request(client, method, url)
    assert response.status_code == 403, f"{method} {url} as {role} answered {response.status_code}"


@pytest.mark.parametrize(
    "rule,endpoint,role", ALLOWED_CASES, ids=[f"GET {r} as {role}" for r, _e, role in ALLOWED_CASES]
)
def test_allowed_roles_can_open_the_page(app, client_as, rule, endpoint, role):
    client = client_as(role)
    url = url_for_rule(app, rule, endpoint)
    response = client.get(url)
    assert response.status_code != 403, f"GET {url} as {role} was refused"
    assert response.status_code < 500, f"GET {url} as {role} answered {response.status_code}"


def test_a_staff_view_without_roles_required_is_refused_not_open(app, client):
    """Deny by default: a /manage view someone forgot to decorate answers 403 to staff and
    sends anonymous people to sign in; it never shows its page."""
    extra = create_app("testing")

    def forgotten():
        return "staff-only content that nobody protected"

    extra.add_url_rule("/manage/_test/forgotten", endpoint="manage.forgotten", view_func=forgotten)
    visitor = extra.test_client()
    anonymous = visitor.get("/manage/_test/forgotten")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"] == "/auth/sign-in?next=/manage/_test/forgotten"
    for role in ALL_ROLES:
        staff = extra.test_client()
        email = db.session.scalar(db.select(User.email).where(User.role == role).limit(1))
        signed = staff.post(
            "/auth/sign-in", data={"email": email, "password": "demo-password-for-kent"}
        )
        assert signed.status_code == 302
        response = staff.get("/manage/_test/forgotten")
        assert response.status_code == 403, f"{role} got {response.status_code}"
        assert "nobody protected" not in response.get_data(as_text=True)
