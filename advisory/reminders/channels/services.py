"""Apprise channels: the day's notification sent to the apps people already use (ntfy,
Gotify, Matrix, Telegram, Pushover, Discord, Slack, a JSON or form webhook), one message a
day per channel at the account's reminder time, with the push notification's content.
Their setting: the channels an account adds in Settings (NotifyChannel).

Also the test a person asks for from Settings: queued by the request, sent by the
dispatcher within seconds. Which addresses may be called, and how a URL is shown, is
outbound.py.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for

from advisory.core import reminders
from advisory.database import utcnow
from advisory.models import Delivery, NotifyChannel, User
from advisory.reminders.channels import outbound
from advisory.reminders.channels.base import Channel, Outcome, Target

TEST = "test-"  # a test's period starts so; a reminder's is its local day
TEST_EVERY = timedelta(minutes=1)  # at most one test a minute per channel
TEST_LIMIT = timedelta(hours=1)  # a test not sent by then is dropped: ask again


@dataclass(frozen=True)
class Message:
    """One channel's message: where it goes (the URL, and how it is shown) and what it says."""
    channel_id: int
    url: str
    shown: str
    title: str
    body: str


class AppriseChannel(Channel):
    name = "apprise"
    label = "Apprise message"

    def target(self, channel_id: int) -> Target:
        return Target(self.name, str(channel_id))

    def audience(self):
        return User.id.in_(NotifyChannel.select(NotifyChannel.user))

    def owed(self, users, now):
        days = {user.id: day for user in users
                if (day := reminders.push_period(now, user.timezone, user.reminder_time))}
        if not days:
            return []
        kept: dict[int, list[int]] = {}
        for user_id, channel_id in (NotifyChannel
                                    .select(NotifyChannel.user, NotifyChannel.id)
                                    .where(NotifyChannel.user.in_(list(days)))
                                    .tuples()):
            kept.setdefault(user_id, []).append(channel_id)
        return [(user, self.target(channel_id), days[user.id])
                for user in users for channel_id in kept.get(user.id, [])]

    def expired(self, delivery, now):
        """A test is late an hour after it was asked for; a reminder, after its day."""
        if delivery.period.startswith(TEST):
            if reminders.utc(now) - delivery.created_at > TEST_LIMIT:
                return "asked too long ago"
            return None
        return super().expired(delivery, now)

    def prepare(self, delivery, today, agenda_for):
        user = delivery.user
        channel = NotifyChannel.owned(user.id, int(Target.parse(delivery.target).key))
        if channel is None:
            return Outcome("gone", "channel removed")
        due_list = url_for("board.due_list", _external=True)
        if delivery.period.startswith(TEST):
            return Message(channel.id, channel.url, channel.shown, "Advisory test",
                           f"This is a test from Advisory. Your reminders will come here at "
                           f"{user.reminder_time} when someone is due.\n\n"
                           f"Your due list: {due_list}")
        agenda = agenda_for(user, today)
        payload = reminders.notification(agenda.cards, today, user.id,
                                         key=f"apprise-{delivery.id}", url=due_list,
                                         promises=agenda.promises,
                                         review=agenda.review(
                                             url_for("reviews.review", _external=True)),
                                         dates=agenda.dates)
        if payload is None:
            return Outcome("empty", "nobody due")
        return Message(channel.id, channel.url, channel.shown, payload["title"],
                       f"{payload['body']}\n\nYour due list: {due_list}")

    def send(self, message: Message, connection) -> Outcome:
        """Sent; "failed" when the server refuses to call its address (its scheme no longer
        allowed, or a name that now resolves to a private address: the owner's rule,
        which trying again within the day would not change; the next day's reminder checks
        afresh); "retry" when the service did not take it."""
        config = current_app.config
        kind = outbound.scheme(message.url)
        if kind not in config["NOTIFY_SCHEMES"]:
            return Outcome("failed", f"Not sent: this server no longer sends to {kind}://.")
        sent = outbound.send(message.url, message.shown, message.title, message.body,
                             config["NOTIFY_ALLOW_PRIVATE"])
        if sent.accepted:
            return Outcome("sent", "accepted")
        if sent.refusal:
            return Outcome("failed", f"Not sent: {sent.refusal}")
        return Outcome("retry", sent.said or "The service did not accept it.")

    def after(self, delivery, message: Message, outcome: Outcome) -> None:
        if outcome.state == "sent":
            NotifyChannel.record(message.channel_id, sent_at=utcnow())
        else:
            NotifyChannel.record(message.channel_id, error=outcome.detail)


def queue_test(channel: NotifyChannel) -> bool:
    """Queue a test message to `channel` for the dispatcher; False when one was asked for
    within TEST_EVERY."""
    target = str(Target(AppriseChannel.name, str(channel.id)))
    recent = (Delivery
              .select()
              .where(Delivery.user == channel.user_id, Delivery.target == target,
                     Delivery.period.startswith(TEST),
                     Delivery.created_at > utcnow() - TEST_EVERY)
              .exists())
    if recent:
        return False
    Delivery.create(user=channel.user_id, target=target, state="queued",
                    period=f"{TEST}{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}")
    return True
