"""The dispatcher: claims what is due, sends it, records the outcome.

Each reminder is a Delivery row, unique per (account, target, period). Claiming one is an
INSERT (or, for a queued, failed or abandoned one, a compare-and-set UPDATE on its
`attempts`), so when two dispatchers run at once only one of them sends. A claim whose
dispatcher died before recording the outcome is taken over after CLAIM_LEASE; a failure
is retried with backoff; a delivery the far end accepted is never claimed again.

Sent once, and where that stops being true: each claim is stamped afresh right before
its send, and a dispatcher whose claim was taken over meanwhile (it ran past the lease)
does not send it. The outcome is written, and committed, the moment the far end accepts,
before anything else (an email's QUIT, the next message). A dispatcher killed inside
that moment (after the accept, before the write) leaves a claim that the next run takes
over after the lease and sends once more: one repeat per such crash. The repeat is the
same message: an email keeps its Message-ID (mail.message_id), a notification its Topic
and tag, so a push service or the device replaces the first copy with it.

These rules live here only, the same for every channel (channels/: digest, push, reset
and any added there): the dispatcher finds a delivery's channel by its target and asks it
what to send and how (the interface is channels/base.py).

Runs outside web requests only: `flask --app app reminders send` or `reminders run`.
"""
import operator
import time
from datetime import date, datetime, timedelta, timezone
from functools import cache, reduce

from peewee import IntegrityError

from advisory.core import cadence, due_list, reminders
from advisory.database import db
from advisory.models import Advisor, Delivery, User
from advisory.reminders import channels
from advisory.reminders.channels import Outcome

TAKEN_OVER = "taken-over"  # what deliver() says when another dispatcher owns the claim now


def plan(now: datetime) -> list[Delivery]:
    """Claim every reminder whose time has come at `now` and that nobody claimed yet."""
    planned = [channel for channel in channels.CHANNELS.values()
               if channel.audience() is not None]
    if not planned:
        return []
    users = list(User
                 .select()
                 .where(reduce(operator.or_, [channel.audience() for channel in planned])))
    wanted = [(user, str(target), period)
              for channel in planned for user, target, period in channel.owed(users, now)]
    periods = {period for _, _, period in wanted}
    known = set()
    if periods:
        known = set(Delivery
                    .select(Delivery.user, Delivery.target, Delivery.period)
                    .where(Delivery.user.in_([user.id for user, _, _ in wanted]),
                           Delivery.period.in_(periods))
                    .tuples())
    claimed = []
    for user, target, period in wanted:
        if (user.id, target, period) not in known:
            delivery = claim_new(user, target, period, now)
            if delivery:
                claimed.append(delivery)
    return claimed


def claim_new(user: User, target: str, period: str, now: datetime) -> Delivery | None:
    """Insert the claim; None when another dispatcher inserted it first."""
    try:
        with db.database.atomic():
            return Delivery.create(user=user, target=target, period=period, state="claimed",
                                   attempts=1, claimed_at=reminders.utc(now))
    except IntegrityError:
        return None


def reclaim(now: datetime) -> list[Delivery]:
    """Take over queued deliveries, failed ones whose retry time has come, and claims
    abandoned by a dispatcher that stopped between claiming and recording."""
    stamp = reminders.utc(now)
    stale = reminders.utc(now - reminders.CLAIM_LEASE)
    candidates = (Delivery
                  .select(Delivery, User)  # with its account, which sending needs
                  .join(User)
                  .where((Delivery.state == "queued")
                         | ((Delivery.state == "retry") & (Delivery.next_attempt_at <= stamp))
                         | ((Delivery.state == "claimed") & (Delivery.claimed_at < stale))))
    won = []
    for delivery in candidates:
        taken = (Delivery
                 .update(state="claimed", claimed_at=stamp, attempts=Delivery.attempts + 1)
                 .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts,
                        Delivery.state == delivery.state)
                 .execute())
        if taken:
            delivery.attempts += 1
            won.append(delivery)
    return won


def record(delivery: Delivery, state: str, detail: str, **fields) -> None:
    """Store the outcome, if the claim is still ours (nobody took it over meanwhile)."""
    (Delivery
     .update(state=state, detail=detail[:300], **fields)
     .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts)
     .execute())


def due_cards(user: User, today: date) -> list:
    return due_list.cards(Advisor.listed(user), today, user.due_soon_days)


def still_ours(delivery: Delivery, now: datetime) -> bool:
    """Stamp our claim afresh just before sending; False when another dispatcher took it
    over meanwhile (this pass ran past the lease), which then sends it instead."""
    return bool(Delivery
                .update(claimed_at=reminders.utc(now))
                .where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts,
                       Delivery.state == "claimed")
                .execute())


def deliver(delivery: Delivery, now: datetime, cards_for=due_cards,
            connections: dict | None = None) -> str:
    """Send one claimed delivery through its channel; returns its new state.

    `cards_for(user, today)` lists who is due (run_once passes one that reads each
    account once per pass); `connections` holds the pass's shared connections, one per
    class a channel names (else the send gets one of its own, closed right after).
    """
    channel = channels.for_target(delivery.target)
    if channel is None:
        return finish(delivery, Outcome("failed", "no such channel on this server"), now)
    late = channel.expired(delivery, now)
    if late:
        return finish(delivery, Outcome("expired", late), now)
    message = channel.prepare(delivery, cadence.today_in(delivery.user.timezone, now),
                              cards_for)
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
             claim_only: bool = False) -> list[str]:
    """Claim and send everything due at `now`; one line per delivery handled.

    Deliveries sent over a shared connection (emails: one SMTP connection) go first,
    together, before the others (a slow push service cannot keep that connection idle).
    `claim_only` stops after claiming, as a dispatcher killed at that point would.
    """
    now = now or datetime.now(timezone.utc)
    started = time.monotonic()
    claimed = reclaim(now) + (plan(now) if with_plan else [])
    if claim_only:
        return [describe(d, "claimed") for d in claimed]
    claimed.sort(key=lambda d: not shares_a_connection(d))  # stable
    cards_for = cache(due_cards)  # a digest and each device of an account list the same people
    lines = []
    connections = {}
    try:
        for delivery in claimed:
            # `now` moves on as the pass runs, so claims are stamped with the real time.
            moment = now + timedelta(seconds=time.monotonic() - started)
            lines.append(describe(delivery, deliver(delivery, moment, cards_for, connections)))
    finally:
        close(connections)
    return lines
