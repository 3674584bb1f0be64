"""The dispatcher: claims what is due, sends it, records the outcome.

Each reminder is a Delivery row, unique per (account, target, period). Claiming one is an
INSERT (or, for a queued, failed or abandoned one, a compare-and-set UPDATE on its
`attempts`), so when two dispatchers run at once only one of them sends. A claim whose
dispatcher died before recording the outcome is taken over after CLAIM_LEASE; a failure
is retried with backoff; a delivery the far end accepted is never claimed again.

Sent once, and where that stops being true: each claim older than a quarter of the lease
is stamped afresh right before its send, and a dispatcher whose claim was taken over
meanwhile (it ran past the lease) does not send it. The outcome is written, and committed,
the moment the far end accepts, before anything else (an email's QUIT, the next
message). A dispatcher killed inside that moment (after the accept, before the write)
leaves a claim that the next run takes over after the lease and sends once more: one
repeat per such crash. The repeat is the same message: an email keeps its Message-ID
(mail.message_id), a notification its Topic and tag, so a push service or the device
replaces the first copy with it.

These rules live here only, the same for every channel (channels/: digest, push, reset
and any added there): the dispatcher finds a delivery's channel by its target and asks it
what to send and how (the interface is channels/base.py).

Runs outside web requests only: `flask --app app reminders send` or `reminders run`.
"""
import operator
import time
from datetime import datetime, timedelta, timezone
from functools import reduce

from advisory.core import cadence, reminders
from advisory.database import locked_or_skipped, write_transaction
from advisory.models import Delivery, User
from advisory.reminders import channels
from advisory.reminders.agenda import Agendas, agenda
from advisory.reminders.channels import Outcome

TAKEN_OVER = "taken-over"  # what deliver() says when another dispatcher owns the claim now
# Deliveries claimed (and accounts planned) at a time: what one dispatcher takes before it
# sends, so several dispatchers share a wave, and no query grows with the installation.
BATCH = 200


def plan(now: datetime, size: int = BATCH) -> list[Delivery]:
    """Claim the reminders owed at `now` to up to `size` accounts whose stored moment has
    come (User.reminder_due_at), and move each of those accounts on to its next reminder
    time, in one transaction: a dispatcher that dies here leaves the accounts to the next.

    Several dispatchers each take their own accounts (rows another holds are skipped on
    PostgreSQL; SQLite's write lock takes them in turn). A pass over accounts with nothing
    due reads nothing; every query is bounded by `size`, never by the installation.
    """
    stamp = reminders.utc(now)
    with write_transaction():
        users = list(locked_or_skipped(User
                                       .select()
                                       .where(User.reminder_due_at <= stamp)
                                       .order_by(User.reminder_due_at)
                                       .limit(size)))
        if not users:
            return []
        reminded = reminded_accounts([user.id for user in users])
        wanted = [(user, str(target), period)
                  for channel in planned_channels()
                  for user, target, period in channel.owed(
                      [user for user in users if user.id in reminded], now)]
        claimed = claim_new(wanted, stamp)
        move_on(users, reminded, now)
    return claimed


def planned_channels() -> list[channels.Channel]:
    """The channels whose reminders are planned here (a reset email is queued instead)."""
    return [channel for channel in channels.CHANNELS.values()
            if channel.audience() is not None]


def reminded_accounts(ids: list[int]) -> set[int]:
    """Which of the accounts `ids` any planned channel may owe a reminder to."""
    audiences = [channel.audience() for channel in planned_channels()]
    if not audiences:
        return set()
    rows = User.select(User.id).where(User.id.in_(ids), reduce(operator.or_, audiences))
    return {user_id for (user_id,) in rows.tuples()}


def claim_new(wanted: list[tuple], stamp: datetime) -> list[Delivery]:
    """Insert a claim for each (account, target, period) not stored yet; the claims made."""
    if not wanted:
        return []
    users = {user.id: user for user, _, _ in wanted}
    periods = {period for _, _, period in wanted}
    known = set(Delivery
                .select(Delivery.user, Delivery.target, Delivery.period)
                .where(Delivery.user.in_(list(users)), Delivery.period.in_(periods))
                .tuples())
    new = [{"user": user.id, "target": target, "period": period, "state": "claimed",
            "attempts": 1, "claimed_at": stamp}
           for user, target, period in wanted if (user.id, target, period) not in known]
    if not new:
        return []
    Delivery.insert_many(new).on_conflict_ignore().execute()
    mine = {(row["user"], row["target"], row["period"]) for row in new}
    claimed = (Delivery
               .select()
               .where(Delivery.user.in_(list(users)), Delivery.period.in_(periods),
                      Delivery.state == "claimed", Delivery.attempts == 1,
                      Delivery.claimed_at == stamp))
    return [attach(delivery, users) for delivery in claimed
            if (delivery.user_id, delivery.target, delivery.period) in mine]


def attach(delivery: Delivery, users: dict) -> Delivery:
    """`delivery` with its account (already read) in place, which sending needs."""
    delivery.user = users[delivery.user_id]
    return delivery


def move_on(users: list[User], reminded: set[int], now: datetime) -> None:
    """Store each account's next moment: its next reminder time, or None (nothing to
    plan until a setting or a device brings it back). One UPDATE per distinct moment."""
    moments: dict[datetime | None, list[int]] = {}
    for user in users:
        moment = (reminders.utc(reminders.next_reminder(now, user.timezone, user.reminder_time))
                  if user.id in reminded else None)
        moments.setdefault(moment, []).append(user.id)
    for moment, ids in moments.items():
        User.update(reminder_due_at=moment).where(User.id.in_(ids)).execute()


def reclaim(now: datetime, size: int = BATCH) -> list[Delivery]:
    """Take over up to `size` of: queued deliveries, failed ones whose retry time has come,
    and claims abandoned by a dispatcher that stopped between claiming and recording."""
    stamp = reminders.utc(now)
    stale = reminders.utc(now - reminders.CLAIM_LEASE)
    won = []
    with write_transaction():
        candidates = locked_or_skipped(
            Delivery
            .select(Delivery, User)  # with its account, which sending needs
            .join(User)
            .where((Delivery.state == "queued")
                   | ((Delivery.state == "retry") & (Delivery.next_attempt_at <= stamp))
                   | ((Delivery.state == "claimed") & (Delivery.claimed_at < stale)))
            .order_by(Delivery.id)
            .limit(size), of=Delivery)
        for delivery in candidates:
            taken = (Delivery
                     .update(state="claimed", claimed_at=stamp, attempts=Delivery.attempts + 1)
                     .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts,
                            Delivery.state == delivery.state)
                     .execute())
            if taken:
                delivery.attempts += 1
                delivery.claimed_at = stamp
                won.append(delivery)
    return won


def record(delivery: Delivery, state: str, detail: str, **fields) -> None:
    """Store the outcome, if the claim is still ours (nobody took it over meanwhile)."""
    (Delivery
     .update(state=state, detail=detail[:300], **fields)
     .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts)
     .execute())


def still_ours(delivery: Delivery, now: datetime) -> bool:
    """Stamp our claim afresh just before sending; False when another dispatcher took it
    over meanwhile (this pass ran past the lease), which then sends it instead.

    A claim made less than a quarter of the lease ago is ours without asking: a takeover
    waits for the whole lease, and every send times out well inside the rest of it. In a
    wave that spares one write (one commit) per message."""
    stamp = reminders.utc(now)
    if stamp - delivery.claimed_at < reminders.CLAIM_LEASE / 4:
        return True
    ours = (Delivery
            .update(claimed_at=stamp)
            .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts,
                   Delivery.state == "claimed")
            .execute())
    delivery.claimed_at = stamp
    return bool(ours)


def deliver(delivery: Delivery, now: datetime, agenda_for=agenda,
            connections: dict | None = None) -> str:
    """Send one claimed delivery through its channel; returns its new state.

    `agenda_for(user, today)` is what the account's reminders are about (run_once passes
    one that reads them for the whole batch at once); `connections` holds the pass's shared connections, one per
    class a channel names (else the send gets one of its own, closed right after).
    """
    channel = channels.for_target(delivery.target)
    if channel is None:
        return finish(delivery, Outcome("failed", "no such channel on this server"), now)
    late = channel.expired(delivery, now)
    if late:
        return finish(delivery, Outcome("expired", late), now)
    message = channel.prepare(delivery, cadence.today_in(delivery.user.timezone, now),
                              agenda_for)
    if isinstance(message, Outcome):
        return finish(delivery, message, now)
    if not still_ours(delivery, now):
        return TAKEN_OVER
    own = connections is None
    connections = {} if own else connections
    try:
        outcome = send(channel, message, connections)
        state = finish(delivery, outcome, now)
    finally:
        if own:
            close(connections)  # after the record: a QUIT can fail without a resend
    channel.after(delivery, message, outcome)
    return state


def send(channel: channels.Channel, message, connections: dict) -> Outcome:
    """Send `message`, over the pass's connection of the channel's kind (opened for its
    first message); any failure (refused, unreachable) is retried later."""
    kind = channel.connection
    if kind is not None and kind not in connections:
        connections[kind] = kind()
    try:
        return channel.send(message, connections.get(kind))
    except Exception as error:  # noqa: BLE001 - smtplib, socket and HTTP errors alike
        return Outcome("retry", f"{type(error).__name__}: {error}")


def close(connections: dict) -> None:
    """Close each of a pass's connections."""
    for connection in connections.values():
        connection.close()


def finish(delivery: Delivery, outcome: Outcome, now: datetime) -> str:
    """Record `outcome` (retries get their next try) and return the delivery's state."""
    if outcome.state == "sent":
        record(delivery, "sent", outcome.detail, sent_at=reminders.utc(now))
        return "sent"
    if outcome.state == "retry":
        later = reminders.next_attempt(delivery.attempts, now)
        if later is None:
            record(delivery, "failed", outcome.detail)
            return "failed"
        record(delivery, "retry", outcome.detail, next_attempt_at=reminders.utc(later))
        return "retry"
    record(delivery, outcome.state, outcome.detail)
    return outcome.state


def describe(delivery: Delivery, state: str) -> str:
    """One line of the dispatcher's report: "sent: digest to ada@example.com for ..."."""
    target = channels.Target.parse(delivery.target)
    channel = channels.for_target(target)
    what = channel.label if channel else target.channel
    which = f" ({delivery.target})" if target.key else ""  # which device, say
    return f"{state}: {what}{which} to {delivery.user.email} for {delivery.period}"


def shares_a_connection(delivery: Delivery) -> bool:
    channel = channels.for_target(delivery.target)
    return channel is not None and channel.connection is not None


def run_once(now: datetime | None = None, with_plan: bool = True,
             claim_only: bool = False, batch: int = BATCH) -> list[str]:
    """Claim and send everything due at `now`, a batch at a time; one line per delivery.

    Each batch is claimed, then sent, before the next is claimed: other dispatchers
    running at once take the batches in between. In a batch, deliveries sent over a shared
    connection (emails: one SMTP connection for the whole pass) go first, before the others
    (a slow push service cannot keep that connection idle). `claim_only` claims without
    sending, as a dispatcher killed at that point would.
    """
    now = now or datetime.now(timezone.utc)
    started = time.monotonic()
    lines = []
    connections = {}

    def moment() -> datetime:  # `now` moves on as the pass runs: claims carry the real time
        return now + timedelta(seconds=time.monotonic() - started)

    try:
        while claimed := reclaim(moment(), batch) or (plan(moment(), batch) if with_plan else []):
            if claim_only:
                lines += [describe(delivery, "claimed") for delivery in claimed]
                continue
            claimed.sort(key=lambda d: not shares_a_connection(d))  # stable
            agenda_for = Agendas([delivery.user for delivery in claimed])
            for delivery in claimed:
                lines.append(describe(delivery, deliver(delivery, moment(), agenda_for,
                                                        connections)))
    finally:
        close(connections)
    return lines
