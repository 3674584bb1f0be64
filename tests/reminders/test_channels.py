"""A new channel is one module: registered with channels.register, it is planned, claimed,
sent once, retried, expired and taken over by the dispatcher's own rules, with no change
to the dispatcher."""
from datetime import date, timedelta

import pytest

from advisory.core import reminders
from advisory.models import Advisor, Delivery, User
from advisory.reminders import channels, dispatcher
from advisory.reminders.channels import Channel, Outcome, Target
from support import make_user
from support.reminders import dispatch, utc

NOW = utc(2026, 11, 24, 7, 5)  # 08:05 in Paris
TODAY = date(2026, 11, 24)


class Note(Channel):
    """A stand-in for a channel to come (ntfy, Gotify, a webhook): it writes down the text
    it posts, and refuses while `refusals` lasts. Its setting: the accounts it serves."""
    name = "note"
    label = "note"

    def __init__(self):
        self.accounts: set[int] = set()
        self.posted: list[str] = []
        self.refusals = 0

    def audience(self):
        return User.id.in_(self.accounts)

    def owed(self, users, now):
        return [(user, Target(self.name), day) for user in users if user.id in self.accounts
                if (day := reminders.push_period(now, user.timezone, user.reminder_time))]

    def prepare(self, delivery, today, agenda_for):
        due = reminders.due_now(agenda_for(delivery.user, today).cards, today)
        if not due:
            return Outcome("empty", "nobody due")
        return ", ".join(card.advisor.name for card in due)

    def send(self, message, connection):
        if self.refusals:
            self.refusals -= 1
            raise ConnectionError("the server is unreachable")
        self.posted.append(message)
        return Outcome("sent", "posted")


@pytest.fixture
def note():
    channel = channels.register(Note())
    yield channel
    channels.unregister(channel.name)


@pytest.fixture
def ada(app, note):
    """An account the note channel serves: Dana overdue, Omar due today, Lena later."""
    user = make_user(tz="Europe/Paris")
    Advisor.create(user=user, name="Dana Reyes", role="insight",
                   added_on=TODAY - timedelta(days=40))
    Advisor.create(user=user, name="Omar Haddad", role="expertise", added_on=TODAY)
    Advisor.create(user=user, name="Lena Park", role="wisdom", added_on=TODAY + timedelta(days=3))
    note.accounts.add(user.id)
    return user


def test_a_registered_channel_is_sent_once_a_day_at_the_reminder_time(app, note, ada):
    assert dispatch(app, NOW - timedelta(minutes=10)) == []  # 07:55 in Paris
    assert dispatch(app, NOW) == ["sent: note to ada@example.com for 2026-11-24"]
    assert dispatch(app, NOW + timedelta(hours=3)) == []  # once a day
    assert note.posted == ["Dana Reyes, Omar Haddad"]
    [delivery] = Delivery.select()
    assert (delivery.target, delivery.state, delivery.detail) == ("note", "sent", "posted")
    assert dispatch(app, NOW + timedelta(days=1))[0].startswith("sent: note")
    assert len(note.posted) == 2


def test_its_failures_are_retried_with_backoff_and_it_is_sent_once(app, note, ada):
    note.refusals = 1
    assert dispatch(app, NOW) == ["retry: note to ada@example.com for 2026-11-24"]
    assert Delivery.get().detail == "ConnectionError: the server is unreachable"
    assert dispatch(app, NOW + timedelta(seconds=30)) == []  # backing off
    assert dispatch(app, NOW + timedelta(seconds=61)) == [
        "sent: note to ada@example.com for 2026-11-24"]
    assert dispatch(app, NOW + timedelta(minutes=30)) == []
    assert note.posted == ["Dana Reyes, Omar Haddad"]


def test_a_retry_left_for_the_next_day_expires(app, note, ada):
    note.refusals = 1
    assert dispatch(app, NOW)[0].startswith("retry: note")
    # The dispatcher was down until after midnight, before the next reminder time.
    assert dispatch(app, utc(2026, 11, 24, 23, 30)) == [
        "expired: note to ada@example.com for 2026-11-24"]
    assert note.posted == []


def test_a_run_killed_after_claiming_is_taken_over_once(app, note, ada):
    assert dispatch(app, NOW, claim_only=True) == [
        "claimed: note to ada@example.com for 2026-11-24"]
    assert dispatch(app, NOW + timedelta(minutes=1)) == []  # the lease still holds
    assert dispatch(app, NOW + timedelta(minutes=3)) == [
        "sent: note to ada@example.com for 2026-11-24"]
    assert dispatch(app, NOW + timedelta(minutes=10)) == []
    assert len(note.posted) == 1


def test_a_claim_taken_over_is_not_sent_by_the_dispatcher_that_lost_it(app, note, ada):
    with app.test_request_context():
        [slow] = dispatcher.plan(NOW)  # then it stalls past the lease...
    assert dispatch(app, NOW + timedelta(minutes=3))[0].startswith("sent: note")
    with app.test_request_context():
        assert dispatcher.deliver(slow, NOW + timedelta(minutes=3)) == "taken-over"
    assert len(note.posted) == 1


def test_deliveries_of_a_channel_no_longer_there_fail_without_sending(app, note, ada):
    assert len(dispatch(app, NOW, claim_only=True)) == 1
    channels.unregister("note")  # say, its setting was removed and the server restarted
    assert dispatch(app, NOW + timedelta(minutes=3)) == [
        "failed: note to ada@example.com for 2026-11-24"]
    assert Delivery.get().detail == "no such channel on this server"
    assert note.posted == []


class Link:
    """A connection a channel's sends share within one pass."""
    opened: list["Link"] = []

    def __init__(self):
        self.sent, self.closed = 0, False
        Link.opened.append(self)

    def close(self):
        self.closed = True


class LinkedNote(Note):
    connection = Link

    def send(self, message, connection):
        connection.sent += 1
        return super().send(message, connection)


def test_a_channel_that_names_a_connection_shares_one_per_pass(app, note):
    linked = channels.register(LinkedNote())  # in the place of `note`, which unregisters it
    Link.opened.clear()
    for name in ("ada", "bea", "cy"):
        user = make_user(f"{name}@example.com", tz="Europe/Paris")
        Advisor.create(user=user, name=f"{name}'s advisor", role="insight", added_on=TODAY)
        linked.accounts.add(user.id)
    assert len(dispatch(app, NOW)) == 3
    [link] = Link.opened  # opened for the first send, closed at the end of the pass
    assert link.sent == 3 and link.closed
    assert len(linked.posted) == 3


def test_a_target_reads_back_as_it_is_stored():
    assert Target.parse("push:12") == Target("push", "12")
    assert str(Target("push", "12")) == "push:12"
    assert Target.parse("digest") == Target("digest") and str(Target("digest")) == "digest"
    assert channels.for_target("push:12").label == "notification"
    assert channels.for_target("reset").label == "password reset"
    assert channels.for_target("nothing:1") is None
