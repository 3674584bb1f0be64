"""When each board member is next due: the date rules, as plain functions.

Dates in, dates out: no Flask, no database. See DESIGN.md, "Due dates: the rules".
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from advisory.core.vocabulary import KINDS, STAGES

UNITS = ("days", "weeks", "months")
MAX_DAYS = 731  # a cadence longer than about two years is refused as absurd

# The average Gregorian month (365.2425 / 12), so urgency treats months fairly.
DAYS_PER_MONTH = 30.436875

_CODE = re.compile(r"(-?[0-9]+)([a-z]+)", re.ASCII)
_UNIT_BY_LETTER = {unit[0]: unit for unit in UNITS}


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic, clamped to the end of a shorter month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Cadence:
    """How often to be in touch with a member: every `count` days, weeks or months."""

    count: int
    unit: str  # one of UNITS

    def __post_init__(self) -> None:
        # Refuse nonsense at the door, so every Cadence in the app can be trusted.
        if not isinstance(self.count, int) or isinstance(self.count, bool):
            raise ValueError("The count must be a whole number of at least 1.")
        problem = Cadence.validate(self.count, self.unit)
        if problem:
            raise ValueError(problem)

    def after(self, day: date) -> date:
        """The date one cadence after `day`; months are clamped to the month end."""
        if self.unit == "months":
            return add_months(day, self.count)
        return day + timedelta(days=self.count * (7 if self.unit == "weeks" else 1))

    @property
    def days(self) -> float:
        """Approximate length in days, for comparing cadences (urgency)."""
        return _length_in_days(self.count, self.unit)

    def label(self) -> str:
        """How the cadence reads to a person: "Weekly", "Every 10 days", "Quarterly"..."""
        named = {
            ("days", 1): "Every day",
            ("weeks", 1): "Weekly",
            ("months", 1): "Monthly",
            ("months", 3): "Quarterly",
            ("months", 6): "Twice a year",
            ("months", 12): "Yearly",
        }
        return named.get((self.unit, self.count), f"Every {self.count} {self.unit}")

    def code(self) -> str:
        """The compact form used in forms and settings: "10d", "2w", "3m"."""
        return f"{self.count}{self.unit[0]}"

    @classmethod
    def parse(cls, code: str) -> Cadence:
        """Read a compact code such as "2w" (spaces and case ignored).

        Raises ValueError with a message fit to show the user.
        """
        text = re.sub(r"\s+", "", code).lower() if isinstance(code, str) else ""
        if not text:
            raise ValueError('Enter a cadence, such as "2w" for every two weeks.')
        match = _CODE.fullmatch(text)
        if not match:
            raise ValueError(
                'Write a cadence as a number and a unit, such as "10d", "2w" or "3m".'
            )
        number, letter = match.groups()
        unit = _UNIT_BY_LETTER.get(letter)
        if unit is None:
            raise ValueError(
                'The unit must be d (days), w (weeks) or m (months), as in "2w".'
            )
        count = int(number)
        problem = cls.validate(count, unit)
        if problem:
            raise ValueError(problem)
        return cls(count, unit)

    @classmethod
    def validate(cls, count, unit) -> str | None:
        """None if `count` and `unit` make a sensible cadence, else what to fix.

        `count` may be an int or a string of digits, as a form field gives it.
        """
        if isinstance(count, str) and count.strip().isdecimal():
            count = int(count)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return "The count must be a whole number of at least 1."
        if unit not in UNITS:
            return "The unit must be days, weeks or months."
        if _length_in_days(count, unit) > MAX_DAYS:
            return "A cadence can be at most two years."
        return None


def _length_in_days(count: int, unit: str) -> float:
    # A plain function so validate() can measure before a Cadence exists.
    return count * {"days": 1, "weeks": 7, "months": DAYS_PER_MONTH}[unit]


PRESETS: tuple[Cadence, ...] = (
    Cadence(2, "weeks"),
    Cadence(1, "months"),
    Cadence(6, "weeks"),
    Cadence(3, "months"),
    Cadence(6, "months"),
    Cadence(12, "months"),
)

def counting_kinds(messages_count: bool) -> tuple[str, ...]:
    """The contact kinds that reset the cadence; the others only if the account says so."""
    return tuple(key for key, kind in KINDS.items() if kind.conversation or messages_count)


def latest_counting(last_conversation: date | None, last_message: date | None,
                    messages_count: bool) -> date | None:
    """The latest contact that counts, from an advisor's stored latest conversation
    (in person, call, video) and latest message; messages only if the account says so.

    Both dates are kept, so changing whether a message counts needs no recount.
    """
    days = (last_conversation, last_message) if messages_count else (last_conversation,)
    return max((day for day in days if day is not None), default=None)


def effective_stage(stage: str, paused_until: date | None, today: date) -> str:
    """The stage as of `today`: a pause with an end date ends on that date."""
    if stage not in STAGES:
        raise ValueError(f"Unknown stage: {stage!r}")
    if stage == "paused" and paused_until is not None and paused_until <= today:
        return "active"
    return stage


# An alumni member who stays in touch yearly is due a year after the last contact.
YEARLY_CHECK_IN = Cadence(12, "months")


def reminder_cadence(cadence: Cadence, stage: str, yearly_check_in: bool) -> Cadence:
    """The cadence reminders follow: the member's own, or a year for an alumni member
    who stays in touch yearly (their own cadence is kept for when they come back)."""
    return YEARLY_CHECK_IN if stage == "alumni" and yearly_check_in else cadence


def last_contact(contacts: Iterable[tuple[date, str]], messages_count: bool) -> date | None:
    """The latest `happened_on` among (happened_on, kind) pairs whose kind counts."""
    kinds = counting_kinds(messages_count)
    # The latest conversation wins, not the latest entry: a backdated log never rewinds.
    return max((day for day, kind in contacts if kind in kinds), default=None)


def due_on(
    *,
    cadence: Cadence,
    stage: str,
    today: date,
    added_on: date,
    last: date | None = None,
    last_spoke_on: date | None = None,
    snoozed_until: date | None = None,
    paused_until: date | None = None,
    yearly_check_in: bool = False,
    closed_on: date | None = None,
) -> date | None:
    """The date the member is next due, or None when no reminder applies.

    Paused members (while the pause lasts) are never due, nor alumni, except those who
    stay in touch yearly: they are due a year after the later of their last contact and
    the day it was brought to a close (a close after losing touch is not overdue at once).
    Otherwise the cadence runs from the later of the last counting contact and the "last
    spoke" date given when adding them; with neither, they are due on the day they were
    added. A snooze that lies in the future replaces the due date while it lasts.
    """
    stage = effective_stage(stage, paused_until, today)
    if stage == "paused" or (stage == "alumni" and not yearly_check_in):
        return None
    if snoozed_until is not None and snoozed_until > today:
        return snoozed_until
    since = (last, last_spoke_on, closed_on) if stage == "alumni" else (last, last_spoke_on)
    known = [day for day in since if day is not None]
    cadence = reminder_cadence(cadence, stage, yearly_check_in)
    return cadence.after(max(known)) if known else added_on


def status(due: date, today: date, window_days: int = 7) -> str:
    """One of vocabulary.STATUSES' keys; "soon" means within `window_days` after today."""
    if due < today:
        return "overdue"
    if due == today:
        return "due"
    if due <= today + timedelta(days=window_days):
        return "soon"
    return "later"


def urgency(due: date, today: date, cadence: Cadence) -> float:
    """Days late as a share of the cadence; sort descending to put the most urgent first.

    A week late on a weekly cadence (1.0) outranks a week late on a yearly one (~0.02);
    members not yet due score below zero.
    """
    return (today - due).days / cadence.days


@functools.cache
def _zone_names() -> frozenset[str]:
    # "localtime" is the server's own zone, not a place: never a valid account setting.
    return frozenset(available_timezones() - {"localtime"})


def is_timezone(name: str) -> bool:
    """True if `name` is an IANA time zone we know, such as "Europe/Paris"."""
    return isinstance(name, str) and name in _zone_names()


def today_in(tz_name: str, now: datetime | None = None) -> date:
    """The calendar date in zone `tz_name` at the aware moment `now` (default: now).

    Raises ValueError for an unknown zone or a naive `now`.
    """
    if not is_timezone(tz_name):
        raise ValueError(f"Unknown time zone: {tz_name!r}")
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None or now.utcoffset() is None:
        # A naive time would silently be read as the server's local time.
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(tz_name)).date()


def gaps(days: Iterable[date]) -> list[int]:
    """Days between consecutive distinct dates, in date order; [] for fewer than two."""
    ordered = sorted(set(days))
    return [(later - earlier).days for earlier, later in zip(ordered, ordered[1:])]
