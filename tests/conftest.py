"""Fixtures: an app on a fresh, migrated SQLite file; clients; accounts; query counting."""
import logging
import re
from contextlib import contextmanager

import pytest

from advisory import create_app, migrations
from advisory.database import db
from advisory.models import Advisor, User

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
        "BASE_URL": "http://advisory.test",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    migrations.upgrade(app.config["DATABASE"])
    # No app context is held open here: each request gets its own, as in production.
    yield app
    db.database.close()


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
                                "csrf_token": _login_token(client)})
    return Session(client, user)


def _login_token(client) -> str:
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
def count_queries():
    """Count the SQL statements peewee runs inside the block."""
    queries = []

    class Collect(logging.Handler):
        def emit(self, record):
            queries.append(record.getMessage())

    logger = logging.getLogger("peewee")
    handler, level = Collect(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield queries
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


