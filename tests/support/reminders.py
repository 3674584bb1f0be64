"""Fixtures for reminder tests: an app wired to a loopback SMTP server and push receiver."""
from datetime import datetime, timezone

import pytest

from support.peers import PushReceiver, SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    server = PushReceiver()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp, receiver):
    """The app with mail on the loopback SMTP server and push to the loopback receiver."""
    return make_app(
        TESTING=True,
        BASE_URL="http://advisory.test",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_DEFAULT_SENDER="Advisory <reminders@advisory.test>",
        PUSH_SERVICE_ORIGINS=[receiver.origin],
    )


def dispatch(app, now: datetime, **options) -> list[str]:
    """One dispatcher pass at `now`, as `flask reminders send` runs it."""
    from advisory.reminders import dispatcher

    with app.test_request_context(base_url=app.config["BASE_URL"]):
        return dispatcher.run_once(now=now, **options)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
