"""The database handle, opened from a URL, and helpers for values as they are stored."""
import secrets
from datetime import date, datetime, timezone

from flask import request
from playhouse.db_url import connect
from playhouse.flask_utils import FlaskDB

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str):
    """A peewee database for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS)
    return connect(url)


class AppDB(FlaskDB):
    """FlaskDB that reuses a connection already open in this thread (CLI, tests)."""

    def connect_db(self):
        if request.endpoint not in self._excluded_routes:
            self.database.connect(reuse_if_open=True)


db = AppDB()


def utcnow() -> datetime:
    """Now, in UTC, to the second (what is stored as a change time)."""
    return datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)


class SecretStr(str):
    """A string whose repr hides it: peewee's DEBUG log of query parameters shows
    '<secret>' instead of a token that grants access (a feed URL)."""

    def __repr__(self) -> str:
        return "'<secret>'"


def new_token() -> SecretStr:
    """A URL-safe random token of 256 bits (hidden from query logs)."""
    return SecretStr(secrets.token_urlsafe(32))


def as_utc(moment: datetime) -> datetime:
    """A stored change time (naive, in UTC) as an aware UTC datetime."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def as_date(value) -> date | None:
    """SQLite hands back aggregated dates as text; other databases as dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
