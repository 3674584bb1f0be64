"""Opening the database from its URL, pooled PostgreSQL connections, and what the
database itself guarantees whatever code writes to it."""
import urllib.request

import psycopg
import pytest
from peewee import IntegrityError
from playhouse.pool import PooledPostgresqlDatabase

from advisory.database import open_database
from advisory.models import User
from browser.support import LiveServer
from support import ON_POSTGRES, make_user

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="connection pooling is for "
                                   "PostgreSQL; this run uses SQLite (see TEST_DATABASE_URL)")


def test_a_postgresql_url_opens_a_psycopg3_pool():
    database = open_database("postgresql://advisory:p%40ss@db.internal:5433/advisory")
    assert isinstance(database, PooledPostgresqlDatabase)
    assert type(database._adapter).__name__ == "Psycopg3Adapter"
    assert (database._max_connections, database._stale_timeout, database._wait_timeout) == (
        20, 300, 10)
    assert database.connect_params == {"user": "advisory", "password": "p@ss",
                                       "host": "db.internal", "port": 5433}


def test_the_url_can_tune_the_pool():
    database = open_database("postgresql+pool://advisory@db.internal/advisory"
                             "?max_connections=40&stale_timeout=60")
    assert (database._max_connections, database._stale_timeout, database._wait_timeout) == (
        40, 60, 10)


def test_an_email_differing_only_in_case_is_refused_by_the_database(app):
    make_user("ada@example.com")
    with pytest.raises(IntegrityError):  # written past the app's lower-casing
        User.create(email="Ada@Example.com", password_hash="x")
    assert User.select().count() == 1


def server_connections(url: str) -> list[int]:
    """Backend pids connected to the database at `url`, other than this query's own."""
    with psycopg.connect(url) as admin:
        return [pid for pid, in admin.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()")]


@postgres_only
def test_a_server_reuses_one_pooled_connection_for_request_after_request(make_app):
    server = LiveServer(make_app())  # a thread per request, as under a threaded server
    seen = []
    try:
        for _ in range(5):
            with urllib.request.urlopen(f"{server.url}/login", timeout=30) as response:
                assert response.status == 200
            seen.append(server_connections(server.app.config["DATABASE_URL"]))
    finally:
        server.stop()
    # Each request took the connection from the pool and gave it back at its end:
    # without a pool there would be none left open, without giving back a new one each time.
    assert len(seen[0]) == 1
    assert seen == [seen[0]] * 5
