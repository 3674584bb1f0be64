"""When reminders are due and what they say: plain values in, plain values out.

No Flask and no database: the dispatcher (advisory/reminders/dispatcher.py) and its
channels ask these functions which periods are due for an account at a moment, and what
its notification carries.
"""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from advisory.core import wording, yearly
from advisory.core.promises import owed_now as promises_now
from advisory.core.promises import sentence as promise_sentence
from advisory.core.reviews import DueReview
from advisory.core.reviews import owed_now as review_now

DIGEST_CHOICES = {"off": "Off", "daily": "Every day", "weekly": "Once a week"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_TIME = "08:00"
# A failed send waits this long before the next try (1, 5, 15 minutes, 1 and 4 hours).
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
           timedelta(hours=1), timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim older than this was made by a dispatcher that died before recording the outcome.
CLAIM_LEASE = timedelta(minutes=2)
NAMES_IN_BODY = 4
# Push services take at most 4096 bytes of encrypted body (RFC 8030 asks them to take at
# least that; FCM, Mozilla and Apple take no more, answering 413). aes128gcm (RFC 8188)
# adds a header (16-byte salt, 4-byte record size, key length byte, 65-byte server key)
# and, to the single record, a padding delimiter byte and a 16-byte tag.
PUSH_BODY_LIMIT = 4096
ENCRYPTION_OVERHEAD = 16 + 4 + 1 + 65 + 1 + 16
PUSH_PAYLOAD_LIMIT = PUSH_BODY_LIMIT - ENCRYPTION_OVERHEAD  # bytes of JSON
# A reset email not sent within this time (mail server down) is dropped: ask again.
RESET_QUEUE_LIMIT = timedelta(hours=1)


def reminder_clock(value: str | None) -> time:
    """The stored "HH:MM" as a time; a value no form could produce falls back to 08:00."""
    try:
        return time.fromisoformat(value or DEFAULT_TIME)
    except ValueError:
        return time.fromisoformat(DEFAULT_TIME)


def reminder_day(now: datetime, tz: str, at: str | None) -> date | None:
    """The account's local date if its reminder time has come today at the aware UTC
    moment `now`, else None.

    Compared in local wall time, so 08:00 stays 08:00 across a DST change; on the day
    the clocks skip the reminder's hour, it comes at the first moment after.
    """
    local = now.astimezone(ZoneInfo(tz))
    return local.date() if local.time().replace(tzinfo=None) >= reminder_clock(at) else None


def next_reminder(now: datetime, tz: str, at: str | None) -> datetime:
    """The first moment after the aware UTC `now` at which the account's reminder time
    comes: today's if it is still ahead, else tomorrow's (as reminder_day decides, so on
    the day the clocks skip that hour it is the first moment after)."""
    zone, clock = ZoneInfo(tz), reminder_clock(at)
    start = now.astimezone(zone).date()
    for day in (start + timedelta(days=offset) for offset in range(3)):
        wall = datetime.combine(day, clock, zone)
        for moment in sorted(wall.replace(fold=fold).astimezone(timezone.utc) for fold in (0, 1)):
            if moment > now and reminder_day(moment, tz, at) == day:
                # the clocks skipped that time today: the first minute after the change
                while (earlier := moment - timedelta(minutes=1)) > now \
                        and reminder_day(earlier, tz, at) == day:
                    moment = earlier
                return moment
    raise ValueError(f"no reminder time {clock} after {now} in {tz}")  # no zone does this


def push_period(now: datetime, tz: str, at: str | None) -> str | None:
    """The period (local day, ISO) whose notification is due now, or None."""
    day = reminder_day(now, tz, at)
    return day.isoformat() if day else None


def digest_period(now: datetime, tz: str, at: str | None, digest: str,
                  weekday: int) -> str | None:
    """The period (local day, ISO) whose digest is due now, or None: daily digests every
    day, weekly ones on the chosen weekday only."""
    if digest not in ("daily", "weekly"):
        return None
    day = reminder_day(now, tz, at)
    if day is None or (digest == "weekly" and day.weekday() != weekday):
        return None
    return day.isoformat()


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed sends, or None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF[min(attempts, len(BACKOFF)) - 1]


def due_now(cards, today: date) -> list:
    """The cards a reminder lists: overdue or due today, most urgent first."""
    return [card for card in cards if card.due <= today]


def notification(cards, today: date, account: int, key: str, url: str = "/",
                 prep_url: str = "", promises=(), review: DueReview | None = None,
                 dates=()) -> dict | None:
    """The push payload for these cards (overdue and due today), or None if nobody is due.

    One message per device per day; `tag` makes a newer one replace an older one, `key`
    is the idempotency key a "Spoke today" from this message logs with. It names the first
    NAMES_IN_BODY people ("... and 12 more"), fewer when their names would not fit the push
    services' limit once encrypted, but never fewer than two when two or more are due:
    `advisors` holds exactly one person only when one is due (the service worker offers
    "Spoke today" for that person then). Names are at most 120 characters, so two always fit.
    `count` is everyone due, however many are named: the worker puts it on the app icon.
    With one person due, a tap opens their prep page: `prep_url`, "{id}" standing for theirs.
    My `promises` (core.promises.DuePromise) due today or late are mentioned after them,
    or make the message alone when nobody is due; so is the board `review` once due, and
    so are the birthdays and yearly `dates` (core.yearly.Upcoming) falling today.
    """
    listed = due_now(cards, today)
    owed = promises_now(promises, today)
    review = review_now(review, today)
    dates = dates_now(dates, today)
    if not listed:
        if owed:
            return _with_dates(_with_review(
                _promises_notification(owed, today, account, key, url), review, today), dates)
        if review:
            return _with_dates(_review_notification(review, today, account, key), dates)
        return _dates_notification(dates, account, key, url) if dates else None
    if len(listed) == 1 and prep_url:
        url = prep_url.replace("{id}", str(listed[0].advisor.id))
    for named in range(min(len(listed), NAMES_IN_BODY), min(len(listed), 2) - 1, -1):
        payload = _notification(listed, named, today, account, key, url)
        if owed:
            payload["body"] += f". Promised: {promise_sentence(owed, today)}"
        _with_dates(_with_review(payload, review, today), dates)
        if len(payload_bytes(payload)) <= PUSH_PAYLOAD_LIMIT:
            break
    return payload  # the smallest one tried; push.send refuses it should it not fit


def _notification(listed, named: int, today: date, account: int, key: str, url: str) -> dict:
    """The payload naming the first `named` of `listed`."""
    first = listed[0]
    if len(listed) == 1:
        title = f"Reach out to {first.advisor.name}"
        body = f"{first.advisor.name} is {wording.relative_due(first.due, today)}."
    else:
        title = f"{len(listed)} people to reach out to"
        names = [f"{first.advisor.name} ({wording.relative_due(first.due, today)})"]
        names += [card.advisor.name for card in listed[1:named]]
        extra = len(listed) - named
        body = ", ".join(names) + (f" and {extra} more" if extra > 0 else "")
    return {"title": title, "body": body, "url": url, "tag": "advisory-due",
            "account": str(account), "key": key, "count": len(listed),
            "advisors": [{"id": card.advisor.id, "name": card.advisor.name,
                          "when": wording.relative_due(card.due, today)}
                         for card in listed[:named]]}


def _promises_notification(owed, today: date, account: int, key: str, url: str) -> dict:
    """The payload when only promises of mine are due: nobody to reach out to."""
    title = "Your promise" if len(owed) == 1 else f"{len(owed)} promises due"
    return {"title": title, "body": promise_sentence(owed, today) + ".", "url": url,
            "tag": "advisory-due", "account": str(account), "key": key, "count": 0,
            "advisors": []}


def _review_notification(review: DueReview, today: date, account: int, key: str) -> dict:
    """The payload when only the board review is due: a tap opens the review."""
    return {"title": "Board review due", "body": review.sentence(today) + ".",
            "url": review.url, "tag": "advisory-due", "account": str(account), "key": key,
            "count": 0, "advisors": []}


def _with_review(payload: dict, review: DueReview | None, today: date) -> dict:
    """`payload` whose body ends by saying the board review is due, when it is."""
    if review is not None:
        payload["body"] = payload["body"].rstrip(".") + f". {review.sentence(today)}."
    return payload


def dates_now(dates, today: date) -> list:
    """The birthdays and yearly dates (core.yearly.Upcoming) a reminder says: today's."""
    return [found for found in dates if found.on == today]


def _dates_notification(dates: list, account: int, key: str, url: str) -> dict:
    """The payload when only birthdays or yearly dates fall today."""
    title = dates[0].title if len(dates) == 1 else f"{len(dates)} dates today"
    return {"title": title, "body": yearly.sentence(dates) + ".", "url": url,
            "tag": "advisory-due", "account": str(account), "key": key, "count": 0,
            "advisors": []}


def _with_dates(payload: dict, dates: list) -> dict:
    """`payload` whose body ends with today's birthdays and yearly dates, if any."""
    if dates:
        payload["body"] = payload["body"].rstrip(".") + f". {yearly.sentence(dates)}."
    return payload


def payload_bytes(payload: dict) -> bytes:
    """A push payload as sent: compact JSON in UTF-8 (a non-ASCII character escaped as
    \\uXXXX would take 6 or 12 bytes instead of 2 to 4)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class DigestContent:
    """What a digest lists: overdue, due today, and due later this week; my promises
    due today or late; the board review once due; and today's birthdays and dates."""
    overdue: list
    today: list
    week: list
    promises: list = field(default_factory=list)
    review: DueReview | None = None
    dates: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.today or self.week or self.promises or self.review
                    or self.dates)


def digest(cards, today: date, promises=(), review: DueReview | None = None,
           dates=()) -> DigestContent:
    """The digest's three sections; "this week" is the next seven days."""
    week_end = today + timedelta(days=7)
    return DigestContent(overdue=[c for c in cards if c.due < today],
                         today=[c for c in cards if c.due == today],
                         week=[c for c in cards if today < c.due <= week_end],
                         promises=promises_now(promises, today),
                         review=review_now(review, today), dates=dates_now(dates, today))


def digest_subject(content: DigestContent) -> str:
    """The digest's subject line."""
    parts = []
    if content.overdue:
        parts.append(f"{len(content.overdue)} overdue")
    if content.today:
        parts.append(f"{len(content.today)} due today")
    if content.week:
        parts.append(f"{len(content.week)} due this week")
    if content.promises:
        count = len(content.promises)
        parts.append(f"{count} promise{'s' if count != 1 else ''} to keep")
    if content.review:
        parts.append("board review due")
    if content.dates:
        parts.append(f"{content.dates[0].title} today" if len(content.dates) == 1
                     else f"{len(content.dates)} dates today")
    return "Your board of advisors: " + ", ".join(parts)


def utc(moment: datetime) -> datetime:
    """An aware UTC moment as stored (naive UTC, whole seconds)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
