"""Command-line tools: `flask --app app db ...`, `user ...`, `reminders ...`, `export`,
`import`, `purge` and `setup-url`."""
import ipaddress
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from advisory import migrations
from advisory.account.forms import password_problem
from advisory.core import cadence, import_document
from advisory.data import backup, export, importer
from advisory.models import Advisor, SetupToken, User
from advisory.models.accounts import REMIND_AT_NEXT_PASS
from advisory.models.trash import TRASH_DAYS
from advisory.reminders import dispatcher as dispatch

db_cli = AppGroup("db", help="Database schema migrations and backups.")
user_cli = AppGroup("user", help="Manage accounts.")
reminders_cli = AppGroup("reminders", help="Send push notifications, digests and reset emails.")


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


@db_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def db_backup(file):
    """Copy the whole database into FILE while the app keeps serving (SQLite)."""
    try:
        size = backup.backup(database(), file)
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Backed up the database to {file} ({size:,} bytes).")


def account(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    return user


@click.command("export")
@with_appcontext
@click.argument("email")
@click.option("--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of the standard output.")
def export_command(email, output):
    """Write an account's data as Advisory JSON."""
    user = account(email)
    if output is None:
        for chunk in export.json_chunks(user):
            click.echo(chunk, nl=False)
        return
    with open(output, "w", encoding="utf-8", newline="\n") as file:
        file.writelines(export.json_chunks(user))
    click.echo(f"Exported {user.email} to {output}.", err=True)


@click.command("import")
@with_appcontext
@click.argument("email")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--settings", is_flag=True, help="Also take the file's account settings.")
@click.option("--dry-run", is_flag=True, help="Only say what the import would add.")
def import_command(email, file, settings, dry_run):
    """Import an Advisory JSON export into an account (only what is missing)."""
    user = account(email)
    try:
        document = import_document.parse(Path(file).read_bytes())
        if dry_run:
            plan = importer.plan(user, document)
        else:
            plan = importer.restore(user, document, settings=settings)
    except import_document.BadFile as problem:
        raise click.ClickException(f"Nothing was imported. {problem}") from None
    verb = "Would add" if dry_run else "Added"
    click.echo(f"{verb} {len(plan.new_advisors)} advisors and {plan.new_contacts} contacts; "
               f"{len(plan.known_advisors)} advisors and {plan.known_contacts} contacts "
               "were already there.")


def check_password(ctx, param, value):
    if problem := password_problem(value):
        raise click.BadParameter(problem)
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
    user = account(email)
    user.change_password(password)
    click.echo(f"Password changed for {user.email}; every device signed in to it is signed out.")


@user_cli.command("list")
def user_list():
    """List the accounts."""
    users = list(User.select().order_by(User.email))
    if not users:
        click.echo("No accounts yet.")
    for user in users:
        advisors = len(Advisor.for_user(user, Advisor.id))  # not those in the trash
        click.echo(f"{user.email}\t{user.timezone}\t{advisors} advisors\t"
                   f"created {user.created_at:%Y-%m-%d}")


@user_cli.command("delete")
@click.argument("email")
@click.confirmation_option(prompt="Delete this account and everything in it?")
def user_delete(email):
    """Delete an account and everything in it."""
    user = account(email)
    user.delete_account()
    click.echo(f"Deleted {user.email} and everything in the account.")


@click.command("purge")
@with_appcontext
def purge_command():
    """Delete for good what has been in the trash more than 30 days (`reminders run` also
    does it each hour; safe to run on several servers at once)."""
    click.echo(purged() or f"Nothing in the trash is older than {TRASH_DAYS} days.")


def purged() -> str:
    """Purge the trash and say what went ("" when nothing did)."""
    advisors, contacts = Advisor.purge()
    if not advisors and not contacts:
        return ""
    return (f"Purged {advisors} advisors and {contacts} contacts deleted more than "
            f"{TRASH_DAYS} days ago.")


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


BASE_OPTION = click.option(
    "--base", default="http://127.0.0.1:5000", show_default=True,
    help="Where the app is served, for links in emails (BASE_URL wins when set).")


def link_base(base: str) -> str:
    """Where links in emails point: BASE_URL, else `base` as a phone on the network opens
    it (never 0.0.0.0, which no browser can open)."""
    return current_app.config["BASE_URL"] or openable(base)[-1]


def dispatch_once(base: str, with_plan: bool = True) -> list[str]:
    """One dispatcher pass, with links in emails under link_base(base)."""
    with current_app.test_request_context(base_url=link_base(base)):
        return dispatch.run_once(with_plan=with_plan)


@reminders_cli.command("send")
@BASE_OPTION
def reminders_send(base):
    """Send everything due now, print what was sent, and exit (for cron or a timer)."""
    lines = dispatch_once(base)
    click.echo("\n".join(lines) if lines else "Nothing due.")


@reminders_cli.command("reschedule")
def reminders_reschedule():
    """Have the next pass work out every account's next reminder afresh: after a bulk
    load or a restore made outside the app, or a time-zone database update that moved
    someone's reminder time. Nothing is sent twice: a reminder already sent stays sent."""
    count = User.update(reminder_due_at=REMIND_AT_NEXT_PASS).execute()
    click.echo(f"The next pass looks at the reminders of {count} account{'s' * (count != 1)}.")


@reminders_cli.command("run")
@BASE_OPTION
@click.option("--interval", default=5, show_default=True,
              help="Seconds between checks for queued emails; reminders are planned each minute.")
def reminders_run(base, interval):
    """Keep sending: reminders each minute, queued emails within seconds; and purge the
    trash each hour. Stops on SIGTERM."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"Reminder dispatcher started; links in emails open {link_base(base)}"
               + ("" if current_app.config["BASE_URL"] else " (set BASE_URL to change it)."))
    planned_minute = purged_hour = None
    try:
        while not stopping:
            minute = int(time.time() // 60)
            try:
                lines = dispatch_once(base, with_plan=minute != planned_minute)
                planned_minute = minute
                if minute // 60 != purged_hour:
                    lines += filter(None, [purged()])
                    purged_hour = minute // 60
            except Exception as error:  # noqa: BLE001 - a database blip must not end it
                lines = [f"dispatcher error, trying again: {type(error).__name__}: {error}"]
            for line in lines:
                click.echo(line)
            database().close()
            for _ in range(interval * 10):
                if stopping:
                    break
                time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    click.echo("Reminder dispatcher stopped.")


def register(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(setup_url)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(purge_command)
