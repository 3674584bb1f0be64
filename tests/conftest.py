"""Fixtures: an app on a fresh, migrated database; clients; accounts; query counting.

The database is SQLite (a file per test) unless TEST_DATABASE_URL names a PostgreSQL
database, e.g. `postgresql://advisory@127.0.0.1:5432/advisory_test` (a role that may
CREATE DATABASE): each test then gets its own database on that server. Either way the
schema is migrated once per run and copied for each test.
"""
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from advisory import create_app, migrations
from advisory.database import open_database
from advisory.models import Advisor, User

PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://"))
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="checks SQLite itself; "
                                 "this run uses PostgreSQL (TEST_DATABASE_URL)")


class SqliteDatabases:
    """Fresh SQLite files, each a copy of one file migrated once per run."""

    def __init__(self, folder: Path):
        self.folder, self.count = folder, 0
        self.template = folder / "template.db"
        migrate(f"sqlite:///{self.template}")

    def create(self, migrated: bool) -> str:
        self.count += 1
        path = self.folder / f"test{self.count}.db"
        if migrated:
            shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Fresh databases on TEST_DATABASE_URL's server, each created from a template
    database migrated once per run (CREATE DATABASE ... TEMPLATE copies it in ms)."""

    def __init__(self, url: str):
        self.url = urlsplit(url)
        self.prefix = f"{self.url.path.lstrip('/')}_{os.getpid()}"
        self.count = 0
        self.admin = psycopg.connect(url, autocommit=True)
        self.template = self._url(f"{self.prefix}_template")
        self.drop(self.template)  # left by an interrupted run
        self._run("CREATE DATABASE {}", self.template)
        migrate(self.template)

    def _url(self, name: str) -> str:
        return self.url._replace(path=f"/{name}").geturl()

    def _run(self, statement: str, *urls: str) -> None:
        names = [sql.Identifier(urlsplit(url).path.lstrip("/")) for url in urls]
        self.admin.execute(sql.SQL(statement).format(*names))

    def create(self, migrated: bool) -> str:
        self.count += 1
        url = self._url(f"{self.prefix}_{self.count}")
        if migrated:
            self._run("CREATE DATABASE {} TEMPLATE {}", url, self.template)
        else:
            self._run("CREATE DATABASE {}", url)
        return url

    def drop(self, url: str) -> None:
        # Not WITH (FORCE): that must be allowed to signal every backend, autovacuum's
        # included, which a role without superuser is not. Our own sessions are ended
        # here; a plain DROP DATABASE waits for them and stops autovacuum by itself.
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE datname = %s AND usename = current_user"
                           " AND pid <> pg_backend_pid()", [urlsplit(url).path.lstrip("/")])
        self._run("DROP DATABASE IF EXISTS {}", url)

    def close(self) -> None:
        self.drop(self.template)
        self.admin.close()


def migrate(url: str) -> None:
    database = open_database(url)
    migrations.upgrade(database)
    close_database(database)


def close_database(database) -> None:
    """Close every connection `database` holds, the idle ones in its pool included."""
    if hasattr(database, "close_all"):
        database.close_all()
    else:
        database.close()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Where this run's databases come from: SQLite files, or TEST_DATABASE_URL's server."""
    if TEST_DATABASE_URL and not ON_POSTGRES:
        raise pytest.UsageError("TEST_DATABASE_URL must be a postgresql:// URL")
    source = (PostgresDatabases(TEST_DATABASE_URL) if ON_POSTGRES
              else SqliteDatabases(tmp_path_factory.mktemp("databases")))
    yield source
    source.close()


@pytest.fixture
def fresh_database(databases):
    """Make a new database for this test: `fresh_database(migrated=True)` returns its URL.

    The one place tests get a database, so each runs on SQLite or PostgreSQL alike."""
    made = []

    def make(migrated: bool = True) -> str:
        made.append(databases.create(migrated))
        return made[-1]

    yield make
    for url in made:
        databases.drop(url)


@pytest.fixture
def make_app(fresh_database, monkeypatch):
    """Build an app on a fresh migrated database: `make_app(**config)`. Its connections
    are closed after the test. The `app` fixture and the browser's live server use it."""
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    apps = []

    def make(**config):
        apps.append(create_app({"DATABASE_URL": fresh_database(),
                                "LOGIN_RATE_LIMIT": "1000 per minute", **config}))
        return apps[-1]

    yield make
    for app in apps:
        close_database(app.config["DATABASE"])


@pytest.fixture
def app(make_app):
    # No app context is held open here: each request gets its own, as in production.
    return make_app(TESTING=True, BASE_URL="http://advisory.test")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()




class Session:
    """A test client signed in as one account, posting forms with their CSRF token."""

    def __init__(self, client, user):
        self.client, self.user = client, user
        self.token = None

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            html = self.client.get("/settings").get_data(as_text=True)
            self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def htmx_post(self, url, data=None):
        return self.post(url, data, headers={"HX-Request": "true", "HX-Request-Type": "partial"})


def make_user(email="ada@example.com", tz="UTC", **settings) -> User:
    user = User.create_account(email, PASSWORD, tz)
    if settings:
        User.update(**settings).where(User.id == user.id).execute()
        user = User.get_by_id(user.id)
    return user


def sign_in(client, user) -> Session:
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": login_token(client)})
    return Session(client, user)


def login_token(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def add_advisor(user, name="Dana Reyes", role="insight", added_on=None, **fields) -> Advisor:
    return Advisor.create(user=user, name=name, role=role,
                          added_on=added_on or user.today(), **fields)


@pytest.fixture
def user(app):
    return make_user()


@pytest.fixture
def session(client, user):
    return sign_in(client, user)


@pytest.fixture
def other(app):
    """A second account, whose data the first must never see."""
    return make_user("grace@example.com")


@contextmanager
def peewee_log(keep):
    """What `keep(record)` makes of each SQL statement peewee runs inside the block
    (peewee's own log records, not its pool's check-in and check-out notes)."""
    kept = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.name == "peewee" and isinstance(record.msg, tuple):
                kept.append(keep(record))

    logger = logging.getLogger("peewee")
    handler, level = Collect(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield kept
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def count_queries():
    """The SQL statements peewee runs inside the block, as text."""
    return peewee_log(lambda record: record.getMessage())


def statements():
    """The (sql, params) of every statement peewee runs inside the block."""
    return peewee_log(lambda record: record.msg)


