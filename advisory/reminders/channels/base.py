"""What every channel is to the dispatcher: the Channel interface, the Outcome a send
comes to, and a delivery's Target read as a value."""
from dataclasses import dataclass
from datetime import date, datetime

from advisory.core import cadence


@dataclass(frozen=True)
class Outcome:
    """What became of one delivery: "sent"; "retry" (refused or unreachable: tried again
    with backoff); "failed" (this message never will be accepted: not retried); "gone"
    (its address no longer exists); "empty" (nothing to say); "expired" (too late)."""
    state: str
    detail: str = ""


@dataclass(frozen=True)
class Target:
    """A Delivery's target as a value: its channel's name and, for a channel with several
    addresses per account, which one ("push:12" is device 12; "digest" has no key)."""
    channel: str
    key: str = ""

    @classmethod
    def parse(cls, text: str) -> "Target":
        channel, _, key = text.partition(":")
        return cls(channel, key)

    def __str__(self) -> str:
        """The stored form, Delivery.target."""
        return f"{self.channel}:{self.key}" if self.key else self.channel


class Channel:
    """One way a reminder reaches a person.

    A channel says what it owes (owed()), what to send for one delivery (prepare()) and
    how (send()); the dispatcher does everything else, the same for every channel: the
    claim, the stamp right before the send, recording the outcome the moment it is
    known, retries with backoff, expiry.
    """
    name = ""  # its targets' first part, as stored in Delivery.target
    label = ""  # how the dispatcher's report names a delivery: "digest", "notification"
    # A connection class (no-argument constructor, close()) that one dispatcher pass opens
    # once and shares among the sends of every channel naming it (emails: one SMTP
    # connection, mail.Connection); None when sends need none.
    connection: type | None = None

    def audience(self):
        """A condition on User matching every account this channel may owe a reminder
        to, or None when nothing is planned for it (its deliveries are queued elsewhere,
        as password resets are)."""
        return None

    def owed(self, users: list, now: datetime) -> list[tuple]:
        """(account, Target, period) for each reminder of this channel due at the aware
        UTC moment `now`. `users` are the accounts any planned channel may owe: pick out
        your own."""
        return []

    def expired(self, delivery, now: datetime) -> str | None:
        """Why it is too late to send `delivery` at `now`, or None. A reminder's period is
        the account's local day, and a reminder is worth sending on its day only."""
        if delivery.period != cadence.today_in(delivery.user.timezone, now).isoformat():
            return "its day has passed"
        return None

    def prepare(self, delivery, today: date, agenda_for):
        """The message to send for `delivery`, or the Outcome saying why there is none
        (nobody due, the device is gone...). `agenda_for(user, today)` is what the
        account's reminders are about that day (reminders.agenda.Agenda).
        Nothing is sent here: the claim is stamped between prepare() and send()."""
        raise NotImplementedError

    def send(self, message, connection) -> Outcome:
        """Send `message` (over `connection`, the pass's shared one, when the channel has
        one) and say what the far end's answer means. An exception counts as "retry".

        Return as soon as the far end accepts: the dispatcher records it then. A crash
        in between sends it once more, so make the repeat recognisable as the same
        message where the far end can tell (an email's Message-ID, a push Topic)."""
        raise NotImplementedError

    def after(self, delivery, message, outcome: Outcome) -> None:
        """What a send's outcome, once recorded, means beyond this delivery (a push
        service's "gone" ends the device's subscription). Nothing by default."""
