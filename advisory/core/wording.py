"""Dates in words, said in one place: "3 weeks ago", "due in 5 days", "Thu 4 Dec"."""
from datetime import date, timedelta

from advisory.core.cadence import add_months


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _whole_months(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (start <= end), month-end clamped."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def _span(start: date, end: date) -> str:
    """The length from `start` to a later `end` in the unit a person would use.

    Days up to 13, then weeks, then whole calendar months once two have passed (about
    60 days), then years from twelve months.
    """
    days = (end - start).days
    months = _whole_months(start, end)
    if months >= 12:
        return _plural(months // 12, "year")
    if months >= 2:
        return _plural(months, "month")
    if days >= 14:
        return _plural(days // 7, "week")
    return _plural(days, "day")


def ago(day: date | None, today: date) -> str:
    """How long since `day`, in words: "never", "today", "yesterday", "3 days ago"...

    A date after today (a contact logged ahead) reads "tomorrow" or "in 3 days".
    """
    if day is None:
        return "never"
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day < today:
        return f"{_span(day, today)} ago"
    return f"in {_span(today, day)}"


def relative_due(due: date, today: date) -> str:
    """When a due date falls, in words: "due today", "due in 5 days", "3 weeks overdue"."""
    if due == today:
        return "due today"
    if due == today + timedelta(days=1):
        return "due tomorrow"
    if due > today:
        return f"due in {_span(today, due)}"
    return f"{_span(due, today)} overdue"


def long_date(day: date | None) -> str:
    """"Thu 4 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day else ""


def short_date(day: date | None) -> str:
    """"Thu 4 Dec"."""
    return f"{day:%a} {day.day} {day:%b}" if day else ""
