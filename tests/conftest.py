"""Fixtures: an app on a fresh, migrated database; clients; accounts; query counting.

The database is SQLite (a file per test) unless TEST_DATABASE_URL names a PostgreSQL
database, e.g. `postgresql://advisory@127.0.0.1:5432/advisory_test` (a role that may
CREATE DATABASE): each test then gets its own database on that server. Either way the
schema is migrated once per run and copied for each test.
"""
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from advisory import create_app, migrations
from advisory.database import open_database
from support import ON_POSTGRES, TEST_DATABASE_URL, close_database, make_user, sign_in


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


