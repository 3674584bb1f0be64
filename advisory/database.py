"""The database handle, opened from a URL, and helpers for values as they are stored."""
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import request
from peewee import Proxy, SqliteDatabase
from playhouse.db_url import connect, parse
from playhouse.flask_utils import FlaskDB

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}

# Every PostgreSQL URL gets peewee's connection pool: a new connection costs ~10 ms, more
# than a whole page. Each URL may set these itself (`?max_connections=40`); the pool is per
# process, and a connection goes back to it at the end of each request (FlaskDB).
POSTGRES_POOL = {
    "max_connections": 20,  # per app process; PostgreSQL's own default limit is 100
    "stale_timeout": 300,  # seconds before an idle connection is replaced
    "timeout": 10,  # seconds a request waits for a free connection before failing
}
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgres+pool", "postgresql+pool")


def open_database(url: str):
    """A peewee database for `url`: SQLite gets WAL, foreign keys and a busy timeout;
    PostgreSQL (psycopg 3) is pooled, whether the URL says `postgresql://` or
    `postgresql+pool://`."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS)
    if scheme in POSTGRES_SCHEMES:
        given = parse(url)
        defaults = {key: value for key, value in POSTGRES_POOL.items() if key not in given}
        # psycopg 3 even where psycopg2 is also installed (peewee would pick psycopg2).
        return connect(f"postgresql+pool://{rest}", unquote_password=True, unquote_user=True,
                       prefer_psycopg3=True, **defaults)
    return connect(url)


class AppDB(FlaskDB):
    """FlaskDB that reuses a connection already open in this thread (CLI, tests)."""

    def connect_db(self):
        if request.endpoint not in self._excluded_routes:
            self.database.connect(reuse_if_open=True)


db = AppDB()


@contextmanager
def write_transaction():
    """A transaction for a write that depends on what it reads first.

    SQLite: BEGIN IMMEDIATE takes the write lock before the first read, so two such
    transactions wait their turn (busy timeout) instead of one failing with "database
    is locked" when it tries to write after the other committed. Other databases: an
    ordinary transaction, in which `locked()` queries hold their rows until the end.
    """
    database = db.database
    engine = database.obj if isinstance(database, Proxy) else database  # FlaskDB's proxy
    if isinstance(engine, SqliteDatabase):
        with database.atomic("IMMEDIATE"):
            yield
    else:
        with database.atomic():
            yield


def locked(query):
    """`query` with its rows locked until the transaction ends (SELECT ... FOR UPDATE).

    Use inside write_transaction(). SQLite has no row locks and needs none: its
    IMMEDIATE transaction already holds the whole database's write lock.
    """
    return query.for_update() if db.database.for_update else query


def locked_or_skipped(query, of=None):
    """`query` taking only rows no other transaction holds, and locking them until this one
    ends (SELECT ... FOR UPDATE SKIP LOCKED), so several dispatchers each take their own
    batch. Use inside write_transaction(); on SQLite, whose IMMEDIATE transaction holds the
    whole database, a plain query."""
    return query.for_update(of=of, skip_locked=True) if db.database.for_update else query


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


def as_datetime(value) -> datetime:
    """SQLite hands back an aggregated timestamp as text; other databases as a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
