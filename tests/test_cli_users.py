"""`flask users create`: how the first administrator of a real deployment is made."""

import pytest

from app.domain.people import accounts
from app.extensions import db
from app.models import AuditEntry, User

from .helpers import main_text

STRONG = "quiet-harbour-compass-58"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def _run(*args, password=STRONG + "\n"):
        return runner.invoke(args=["users", "create", *args], input=password)

    return _run


def count_users() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_creates_a_user_from_a_password_on_standard_input(run, app_ctx, client):
    result = run(
        "Dana.Admin@Example.org", "--name", "Dana Admin", "--role", "admin", "--organisation", "KCC"
    )
    assert result.exit_code == 0, result.output
    assert "Created admin dana.admin@example.org." in result.output
    assert STRONG not in result.output

    user = accounts.find_user("dana.admin@example.org")
    assert (user.name, user.role, user.organisation.name) == (
        "Dana Admin",
        "admin",
        "Kent County Council",
    )
    assert user.password_hash and STRONG not in user.password_hash
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(
            AuditEntry.action == "user.created", AuditEntry.record_id == str(user.id)
        )
    ).all()
    assert entry.actor_id is None and entry.actor_label == "command line"
    assert entry.summary == "dana.admin@example.org created as admin"

    # The new account works through the real sign-in form.
    response = client.post(
        "/auth/sign-in", data={"email": "dana.admin@example.org", "password": STRONG}
    )
    assert response.status_code == 302
    assert client.get("/manage/users").status_code == 200


def test_organisation_is_optional_and_found_by_full_name(run, app_ctx):
    assert run("solo@example.org", "--name", "Solo Person", "--role", "officer").exit_code == 0
    assert accounts.find_user("solo@example.org").organisation is None
    result = run(
        "nhs@example.org",
        "--name",
        "Nell Health",
        "--role",
        "coordinator",
        "--organisation",
        "NHS Kent and Medway",
    )
    assert result.exit_code == 0, result.output
    assert accounts.find_user("nhs@example.org").organisation.name == "NHS Kent and Medway"


@pytest.mark.parametrize(
    "password, message",
    [
        ("short-pw1", "Password must be 12 characters or more"),
        ("password123456", "That password is too common and easy to guess. Choose a different one"),
        ("qwertyuiop123", "That password is too common and easy to guess. Choose a different one"),
        ("", "Password must be 12 characters or more"),
        ("dana.admin-is-me-2025", "Password must not contain your name or email address"),
    ],
)
def test_refuses_weak_or_common_passwords(run, app_ctx, password, message):
    before = count_users()
    result = run(
        "dana.admin@example.org",
        "--name",
        "Dana Admin",
        "--role",
        "admin",
        password=password + "\n",
    )
    assert result.exit_code != 0
    assert f"Error: {message}" in result.output
    assert count_users() == before
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "user.created")
        )
        == 0
    )


def test_refuses_a_duplicate_email_whatever_its_case(run, app_ctx):
    result = run(" ADMIN@example.org", "--name", "Another Admin", "--role", "admin")
    assert result.exit_code != 0
    assert "Error: There is already an account for admin@example.org" in result.output
    assert (
        db.session.scalar(db.select(User.name).where(User.email == "admin@example.org"))
        == "Ada Administrator"
    )


def test_refuses_an_unknown_organisation(run, app_ctx):
    before = count_users()
    result = run(
        "new@example.org", "--name", "New Person", "--role", "officer", "--organisation", "Acme Ltd"
    )
    assert result.exit_code != 0
    assert "Error: There is no organisation called Acme Ltd" in result.output
    assert count_users() == before


@pytest.mark.parametrize(
    "email, name, message",
    [
        (
            "not-an-email",
            "Real Name",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "name@",
            "Real Name",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ("blank@example.org", "   ", "Enter the person's name"),
        ("long@example.org", "N" * 121, "Name must be 120 characters or fewer"),
    ],
)
def test_refuses_a_bad_email_or_name(run, app_ctx, email, name, message):
    before = count_users()
    result = run(email, "--name", name, "--role", "officer")
    assert result.exit_code != 0
    assert f"Error: {message}" in result.output
    assert count_users() == before


def test_refuses_an_unknown_role(run, app_ctx):
    result = run("new@example.org", "--name", "New Person", "--role", "superuser")
    assert result.exit_code != 0
    assert "superuser" in result.output and "coordinator" in result.output
    assert accounts.find_user("new@example.org") is None


def test_only_the_first_line_of_standard_input_is_the_password(run, app_ctx, client):
    result = run(
        "lines@example.org",
        "--name",
        "Line Reader",
        "--role",
        "officer",
        password=STRONG + "\r\nsomething else\n",
    )
    assert result.exit_code == 0, result.output
    response = client.post("/auth/sign-in", data={"email": "lines@example.org", "password": STRONG})
    assert response.status_code == 302
    assert "Line Reader" in main_text(client.get("/manage/"))
