"""Promises and advice, the pure rules: when a promise of mine is due, which advice is
waiting to be reported back, and reading the Log form's lines (no Flask, no peewee)."""
from dataclasses import dataclass
from datetime import date, timedelta

# Advice whose outcome the advisor would like to hear about (to_try is not news yet).
REPORTABLE = ("trying", "adopted", "set_aside")


def promise_status(due_on: date | None, kept_on: date | None, today: date,
                   window_days: int) -> str | None:
    """"late", "due" (today) or "soon" (within the window) for an open promise with a
    date; None when kept, undated or further off."""
    if kept_on is not None or due_on is None:
        return None
    if due_on < today:
        return "late"
    if due_on == today:
        return "due"
    return "soon" if due_on <= today + timedelta(days=window_days) else None


def to_report(state: str, told_on: date | None) -> bool:
    """Whether a piece of advice is waiting to be told back: tried, adopted or set aside,
    and not yet told."""
    return state in REPORTABLE and told_on is None


def when(due_on: date, today: date) -> str:
    """A promise's date in words, as reminders say it: "due today", "due tomorrow",
    "3 days late", "due 12 Dec"."""
    days = (due_on - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days < 0:
        return "1 day late" if days == -1 else f"{-days} days late"
    return f"due {due_on.day} {due_on:%b}"


@dataclass(frozen=True)
class DuePromise:
    """A promise of mine with a date, as reminders mention it."""
    text: str
    name: str  # whom it was promised to
    due: date
    advisor_id: int

    def due_words(self, today: date) -> str:
        return when(self.due, today)


def owed_now(promises, today: date) -> list[DuePromise]:
    """The promises due today or late, the latest first to come due last."""
    return sorted((p for p in promises if p.due <= today), key=lambda p: (p.due, p.text))


def sentence(promises: list[DuePromise], today: date, limit: int = 80) -> str:
    """The first promise and how many more, short enough for a notification:
    "Send Dana the pricing deck, due today (and 2 more promises)"."""
    first = promises[0]
    text = first.text if len(first.text) <= limit else first.text[:limit - 1] + "…"
    more = len(promises) - 1
    extra = f" (and {more} more promise{'s' if more != 1 else ''})" if more else ""
    return f"{text}, {when(first.due, today)}{extra}"
