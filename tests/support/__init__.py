"""Helpers the tests share: accounts, signed-in clients, advisors, query logs."""
import logging
import os
import re
from contextlib import contextmanager

import pytest

from advisory.models import Advisor, User

PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres://", "postgresql://"))
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="checks SQLite itself; "
                                 "this run uses PostgreSQL (TEST_DATABASE_URL)")


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


def close_database(database) -> None:
    """Close every connection `database` holds, the idle ones in its pool included."""
    if hasattr(database, "close_all"):
        database.close_all()
    else:
        database.close()
