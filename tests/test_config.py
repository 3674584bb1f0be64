"""Settings from the environment; files on disk that only the app's user can read;
sign-in keeps working, and keeps being throttled, while Redis is down."""
import os
import socket
import stat

import pytest

from advisory import create_app, migrations
from advisory.database import db
from support import login_token, make_user, sign_in, sqlite_only


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    """The umask most systems run services with (group and others may read new files):
    the app must make its own files private regardless."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@sqlite_only  # the default database: a SQLite file in the instance folder
def test_instance_folder_database_and_secret_are_private(tmp_path, monkeypatch, usual_umask):
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True}, instance_path=str(instance))
    migrations.upgrade(app.config["DATABASE"])
    try:
        # The connection that migrated is still open, so the -wal and -shm files exist.
        for name in ("advisory.db", "advisory.db-wal", "advisory.db-shm"):
            assert mode(instance / name) == 0o600, name
        assert mode(instance) == 0o700
        assert mode(instance / "secret_key") == 0o600
        assert len((instance / "secret_key").read_text()) == 64
        assert app.test_client().get("/login").status_code == 200  # the app works with them
    finally:
        db.database.close()


def test_the_secret_key_is_made_once_and_kept(tmp_path, monkeypatch, fresh_database):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = str(tmp_path / "instance")
    config = {"TESTING": True, "DATABASE_URL": fresh_database()}
    first = create_app(config, instance_path=instance).config["SECRET_KEY"]
    assert create_app(config, instance_path=instance).config["SECRET_KEY"] == first


def closed_port() -> int:
    """A loopback port nothing listens on (taken from the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sign_in_works_and_is_throttled_in_memory_while_redis_is_down(make_app):
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}",
                   LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()

    session = sign_in(app.test_client(), user)
    assert session.get("/").status_code == 200  # signed in, not a 500

    client = app.test_client()
    token = login_token(client)
    codes = [client.post("/login", data={"csrf_token": token, "email": user.email,
                                         "password": "wrong-one"}).status_code
             for _ in range(4)]
    assert codes == [422, 422, 422, 429]  # counted in memory (a sign-in that works is not)
