"""Snoozing means "not now": the choices offered, and the rule that a snooze never
brings a reminder earlier. Dates in, dates out: no Flask, no database."""
from dataclasses import dataclass
from datetime import date, timedelta

from advisory.core.cadence import Cadence

MAX_DAYS = 365  # a snooze reaches at most a year past the date it starts from


@dataclass(frozen=True)
class Choice:
    """One snooze button: its words, the date it snoozes to, and what it posts."""
    label: str
    until: date
    name: str  # the form field the button sends (SnoozeForm: "skip" or "days")
    value: str


def start(due: date, today: date) -> date:
    """What a snooze counts from: the due date while it lies ahead, else today."""
    return max(due, today)


def choices(due: date, today: date, cadence: Cadence) -> list[Choice]:
    """The one-tap snoozes: relative to the due date when someone is not yet due
    ("skip this time" moves them one cadence on), relative to today once due."""
    if due > today:
        return [Choice("Skip this time", cadence.after(due), "skip", "1"),
                Choice("1 week later", due + timedelta(days=7), "days", "7"),
                Choice("2 weeks later", due + timedelta(days=14), "days", "14")]
    return [Choice("Tomorrow", today + timedelta(days=1), "days", "1"),
            Choice("3 days", today + timedelta(days=3), "days", "3"),
            Choice("1 week", today + timedelta(days=7), "days", "7"),
            Choice("2 weeks", today + timedelta(days=14), "days", "14")]


def until(due: date, today: date, days: int) -> date:
    """The date `days` after the snooze's start."""
    return start(due, today) + timedelta(days=days)


def problem(chosen: date, due: date, today: date) -> str | None:
    """What is wrong with snoozing to `chosen`, in words for the user, or None."""
    first = start(due, today)
    if chosen <= first:
        return f"Pick a date after {first:%-d %b %Y}: a snooze never brings a reminder earlier."
    if chosen > first + timedelta(days=MAX_DAYS):
        return "Pick a date within a year."
    return None
