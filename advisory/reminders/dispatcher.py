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

Runs outside web requests only: `flask --app app reminders send` or `reminders run`.
"""
import time
from datetime import date, datetime, timedelta, timezone
from functools import cache

from flask import current_app
from peewee import IntegrityError

from advisory.core import cadence, due_list, reminders
from advisory.database import db
from advisory.models import Advisor, Delivery, PushSubscription, User
from advisory.reminders import mail, push

TAKEN_OVER = "taken-over"  # what deliver() says when another dispatcher owns the claim now


def plan(now: datetime) -> list[Delivery]:
    """Claim every reminder whose time has come at `now` and that nobody claimed yet."""
    users = (User
             .select()
             .where((User.digest != "off")
                    | User.id.in_(PushSubscription.select(PushSubscription.user))))
    users = list(users)
    devices: dict[int, list[int]] = {}
    for user_id, subscription_id in (PushSubscription
                                     .select(PushSubscription.user, PushSubscription.id)
                                     .where(PushSubscription.user.in_([u.id for u in users]))
                                     .tuples()):
        devices.setdefault(user_id, []).append(subscription_id)
    wanted = []
    for user in users:
        day = reminders.push_period(now, user.timezone, user.reminder_time)
        if day:
            wanted += [(user, f"push:{sub}", day) for sub in devices.get(user.id, [])]
        digest_day = reminders.digest_period(now, user.timezone, user.reminder_time,
                                             user.digest, user.digest_weekday)
        if digest_day:
            wanted.append((user, "digest", digest_day))
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
            connection: mail.Connection | None = None) -> str:
    """Send one claimed delivery; returns its new state. `cards_for(user, today)` lists
    who is due (run_once passes one that reads each account once per pass); emails go
    over `connection` (else one of their own)."""
    user = delivery.user
    today = cadence.today_in(user.timezone, now)
    if delivery.target == "reset":
        if reminders.utc(now) - delivery.created_at > reminders.RESET_QUEUE_LIMIT:
            return finish(delivery, push.Outcome("expired", "asked too long ago"), now)
        return send_email(delivery, lambda: mail.reset_message(user, delivery), now, connection)
    if delivery.period != today.isoformat():
        return finish(delivery, push.Outcome("expired", "its day has passed"), now)
    cards = cards_for(user, today)
    if delivery.target == "digest":
        content = reminders.digest(cards, today)
        if content.empty:
            return finish(delivery, push.Outcome("empty", "nobody due"), now)
        subject = reminders.digest_subject(content)
        return send_email(delivery, lambda: mail.digest_message(user, content, subject, today,
                                                                delivery), now, connection)
    subscription = PushSubscription.get_or_none(  # still this account's device
        PushSubscription.id == int(delivery.target.split(":", 1)[1]),
        PushSubscription.user == user.id)
    if subscription is None:
        return finish(delivery, push.Outcome("gone", "device unsubscribed"), now)
    payload = reminders.notification(cards, today, user.id, key=f"notification-{delivery.id}")
    if payload is None:
        return finish(delivery, push.Outcome("empty", "nobody due"), now)
    if not still_ours(delivery, now):
        return TAKEN_OVER
    outcome = push.send(subscription, payload, current_app.config)
    state = finish(delivery, outcome, now)
    if outcome.state == "gone":
        subscription.delete_instance()
    return state


def send_email(delivery: Delivery, build, now: datetime,
               connection: mail.Connection | None) -> str:
    """Build the message (`build()`), send it, and record at once what became of it; any
    failure (refused, unreachable) is retried later."""
    if not mail.configured():
        return finish(delivery, push.Outcome("retry", "MAIL_SERVER is not set"), now)
    message = build()
    if not still_ours(delivery, now):
        return TAKEN_OVER
    own = connection is None
    connection = connection or mail.Connection()
    try:
        connection.send(message)
    except Exception as error:  # noqa: BLE001 - smtplib and socket errors alike
        return finish(delivery, push.Outcome("retry", f"{type(error).__name__}: {error}"), now)
    else:
        return finish(delivery, push.Outcome("sent", "accepted by the mail server"), now)
    finally:
        if own:
            connection.close()  # after the record: a QUIT can fail without a resend


def finish(delivery: Delivery, outcome: push.Outcome, now: datetime) -> str:
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
    what = {"digest": "digest", "reset": "password reset"}.get(delivery.target, "notification")
    device = f" ({delivery.target})" if delivery.target.startswith("push:") else ""
    return f"{state}: {what}{device} to {delivery.user.email} for {delivery.period}"


def run_once(now: datetime | None = None, with_plan: bool = True,
             claim_only: bool = False) -> list[str]:
    """Claim and send everything due at `now`; one line per delivery handled.

    Emails go first, together, over one SMTP connection. `claim_only` stops after
    claiming, as a dispatcher killed at that point would.
    """
    now = now or datetime.now(timezone.utc)
    started = time.monotonic()
    claimed = reclaim(now) + (plan(now) if with_plan else [])
    if claim_only:
        return [describe(d, "claimed") for d in claimed]
    claimed.sort(key=lambda d: d.target.startswith("push:"))  # emails first (stable)
    cards_for = cache(due_cards)  # a digest and each device of an account list the same people
    lines = []
    with mail.Connection() as connection:
        for delivery in claimed:
            # `now` moves on as the pass runs, so claims are stamped with the real time.
            moment = now + timedelta(seconds=time.monotonic() - started)
            lines.append(describe(delivery, deliver(delivery, moment, cards_for, connection)))
    return lines
