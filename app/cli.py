"""Flask commands: `flask seed`, `flask users create`, `flask outbox work`, `flask exports work`,
`flask retention run`, `flask notifications send`, `flask notifications digest`,
`flask search rebuild`, `flask assets`."""

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .demo import kent, seed_consultations, seed_events, seed_surveys, seed_voices
from .demo import seed as seed_demo_data
from .demo.reach import seed_reach_baselines
from .domain.engagement import announcements
from .domain.mail import outbox, updates
from .domain.people import accounts
from .domain.shared.errors import Refused
from .domain.surveys import export_jobs
from .static_files import build as build_static_files

users_cli = AppGroup("users", help="Staff accounts.")
retention_cli = AppGroup("retention", help="Deleting personal data when its time is up.")
outbox_cli = AppGroup("outbox", help="The email outbox.")
exports_cli = AppGroup("exports", help="Survey spreadsheets built in the background.")
notifications_cli = AppGroup("notifications", help="Updates for subscribers.")
search_cli = AppGroup("search", help="The search index.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(exports_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(assets)


@click.command("seed")
@click.option("--no-demo-users", is_flag=True, help="Do not create the demo staff accounts.")
def seed(no_demo_users: bool) -> None:
    """Add Kent's demo data. Running it again adds only what is missing."""
    with_users = not no_demo_users and not current_app.config.get("SESSION_COOKIE_SECURE")
    added = seed_demo_data(with_demo_users=with_users)
    added.update(seed_voices())
    added.update(seed_events())
    added.update(seed_surveys())
    added.update(seed_consultations())
    added["reach baselines"] = seed_reach_baselines()
    click.echo("Seeded: " + ", ".join(f"{count} {what}" for what, count in added.items()))
    if with_users:
        click.echo(f"\nDemo staff accounts (password for each: {kent.DEMO_PASSWORD}):")
        for email, _name, role, organisation in kent.DEMO_USERS:
            click.echo(f"  {role:<12} {email:<28} ({organisation})")
        click.echo("Sign in at http://127.0.0.1:5000/auth/sign-in")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = click.prompt("Password", hide_input=True)
        second = click.prompt("Password again", hide_input=True)
        if first != second:
            raise click.ClickException("The passwords do not match. Nothing was created.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice(["coordinator", "officer", "admin"]))
@click.option(
    "--organisation", default=None, help="Name or short name of an existing organisation."
)
def create_user(email: str, name: str, role: str, organisation: str | None) -> None:
    """Create a staff account. The password is asked for twice, or read from standard input."""
    password = _read_password()
    try:
        user = accounts.create_user(email, name, role, password, organisation)
    except Refused as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.email}.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def work(once: bool, interval: float) -> None:
    """Send queued email. Run one or more of these beside the web servers."""
    while True:
        sent = outbox.deliver_due()
        if sent:
            click.echo(f"Sent {sent} email(s).")
        if once:
            return
        time.sleep(interval)


@exports_cli.command("work")
@click.option("--once", is_flag=True, help="Build what is queued, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def exports_work(once: bool, interval: float) -> None:
    """Build the survey spreadsheets staff asked for. Run one or more of these beside the web
    servers (apart from `flask outbox work`, so email never waits behind a large spreadsheet)."""
    while True:
        built = export_jobs.build_due()
        if built:
            click.echo(f"Worked on {built} spreadsheet(s).")
        if once:
            return
        time.sleep(interval)


@retention_cli.command("run")
def retention_run() -> None:
    """Delete expired contact details, ended or unconfirmed subscriptions, old event registrations,
    unsent survey answers and finished emails, and old audit client addresses. Run it daily."""
    from .domain.people.retention import run_retention

    result = run_retention()
    click.echo(
        f"Deleted {result.contacts} contact detail(s), {result.subscriptions} subscription(s), "
        f"{result.registrations} event registration(s) and {result.survey_drafts} unsent survey "
        "draft(s)."
    )
    click.echo(
        f"Deleted {result.outbox_messages} sent or failed email(s); blanked the client address "
        f"of {result.audit_addresses} audit log entries older than the limit."
    )
    click.echo(f"Deleted {result.exports} survey spreadsheet(s) past their time.")


@notifications_cli.command("send")
def notifications_send() -> None:
    """Announce surveys and consultations that have opened and events taking bookings, each
    once ever (run every few minutes)."""
    announced = announcements.announce_openings()
    click.echo(f"Announced {announced} opening(s).")


@notifications_cli.command("digest")
def notifications_digest() -> None:
    """Send weekly subscribers their summary: once per ISO week (Europe/London) however often
    this runs, and nothing to anyone with nothing new (run daily or hourly)."""
    sent = updates.send_digests()
    click.echo(f"Queued {sent} weekly summar{'y' if sent == 1 else 'ies'}.")


@search_cli.command("rebuild")
def search_rebuild() -> None:
    """Write the whole search index again from the content. The index is kept in step with every
    change and filled by its migration, so this is only needed after adding a kind to it."""
    from .domain.search.indexing import rebuild_and_commit

    click.echo(f"Indexed {rebuild_and_commit()} entries.")


@click.command("assets")
def assets() -> None:
    """Build the static files production serves into STATIC_BUILD_DIR: fingerprinted names a
    browser keeps for a year, Brotli and gzip copies, the manifest. Run after `npm run build`
    and before starting the web servers (`make assets` runs both)."""
    target = Path(current_app.config["STATIC_BUILD_DIR"])
    manifest = build_static_files(
        Path(current_app.static_folder), target, current_app.static_url_path
    )
    click.echo(f"Built {len(manifest)} static files into {target}.")
