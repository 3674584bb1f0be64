"""Command-line tools: `flask --app app db ...`, `user ...` and `setup-url`."""
import ipaddress
import socket
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import cadence, migrations
from .models import SetupToken, User

db_cli = AppGroup("db", help="Database schema migrations.")
user_cli = AppGroup("user", help="Manage accounts.")


def database():
    return current_app.config["DATABASE"]


@db_cli.command("upgrade")
def db_upgrade():
    """Apply every pending migration."""
    ran = migrations.upgrade(database())
    click.echo("Applied: " + ", ".join(ran) if ran else "Database is up to date.")


@db_cli.command("downgrade")
@click.option("--steps", default=1, show_default=True, help="How many migrations to revert.")
def db_downgrade(steps):
    """Revert the latest migrations."""
    reverted = migrations.downgrade(database(), steps)
    click.echo("Reverted: " + ", ".join(reverted) if reverted else "Nothing to revert.")


def check_password(ctx, param, value):
    if len(value) < 8:
        raise click.BadParameter("use at least 8 characters")
    return value


@user_cli.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              callback=check_password, help="Asked for (hidden) when left out.")
@click.option("--timezone", "tz", default="UTC", show_default=True, help="IANA time zone.")
def user_create(email, password, tz):
    """Create an account."""
    if "@" not in email:
        raise click.BadParameter("give an email address", param_hint="EMAIL")
    if not cadence.is_timezone(tz):
        raise click.BadParameter(f"unknown time zone {tz!r}", param_hint="--timezone")
    if User.by_email(email):
        raise click.ClickException(f"An account for {email} already exists.")
    User.create_account(email, password, tz)
    click.echo(f"Created account {email.strip().lower()}.")


@user_cli.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              callback=check_password, help="Asked for (hidden) when left out.")
def user_set_password(email, password):
    """Set an account's password and sign out every device signed in to it."""
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    user.change_password(password)
    click.echo(f"Password changed for {user.email}; every device signed in to it is signed out.")


@user_cli.command("list")
def user_list():
    """List the accounts."""
    users = list(User.select().order_by(User.email))
    if not users:
        click.echo("No accounts yet.")
    for user in users:
        click.echo(f"{user.email}\t{user.timezone}\t{len(user.advisors)} advisors\t"
                   f"created {user.created_at:%Y-%m-%d}")


@click.command("setup-url")
@with_appcontext
@click.option("--base", default="http://127.0.0.1:5000", show_default=True,
              help="Where the app is served.")
def setup_url(base):
    """Print a one-time set-up URL while no account exists."""
    if User.select().exists():
        return
    token = SetupToken.issue()
    bases = [current_app.config["BASE_URL"]] if current_app.config["BASE_URL"] else openable(base)
    links = "\n".join(f"    {b}/setup?token={token}" for b in bases)
    click.echo(f"\n  No account yet. Create the first one at:\n\n{links}\n")


def openable(base: str) -> list[str]:
    """`base` as addresses a browser can open: a server listening on every interface
    (0.0.0.0 or ::) is reached on this computer at 127.0.0.1, and from a phone on the
    same network at this machine's LAN address."""
    parts = urlsplit(base.rstrip("/"))
    if parts.hostname not in ("0.0.0.0", "::"):
        return [base.rstrip("/")]
    port = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{host}{port}" for host in ["127.0.0.1", *lan_addresses()]]


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on its local networks (no packet is sent)."""
    found = set()
    try:
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    try:  # the address of the default route; connecting a UDP socket sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback)


def register(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(setup_url)
