"""Birthdays and other yearly dates: when each next falls, and how it is said.

Plain values in and out: no Flask, no database. One rule holds everywhere (the due list,
the reminders and the calendar feed's `BYMONTHDAY=-1`): 29 February falls on 28 February
in a year without one. The due list looks ahead by the account's own "due soon" window,
the same days it uses for people due soon, counted from the account's local today
(cadence.today_in).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from advisory.core.characters import without_refused

EARLIEST_YEAR = 1900
LABEL_LIMIT = 100  # vocabulary.LIMITS["yearly_label"]
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def day_problem(month: int, day: int) -> str | None:
    """None if the day and month make a real date in some year, else what to fix, in
    words fit to show: "31 April does not exist."."""
    if not 1 <= month <= 12:
        return "Pick a month from the list."
    if not 1 <= day <= 31:
        return "Enter a day from 1 to 31."
    # 29 February exists in some years; any other day must fit its month in every year.
    longest = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if day > longest:
        return f"{day} {_MONTH_NAMES[month - 1]} does not exist."
    return None


def year_problem(month: int, day: int, year: int | None, today: date) -> str | None:
    """None if there is no year, or if the real date it makes is not after `today`, else
    what to fix. Call it once day_problem() found nothing."""
    if year is None:
        return None
    if not EARLIEST_YEAR <= year <= today.year:
        if year > today.year:
            return "That year is in the future: enter the year it happened, or leave it empty."
        return f"Enter a year from {EARLIEST_YEAR}, or leave it empty."
    if month == 2 and day == 29 and not calendar.isleap(year):
        return f"{year} had no 29 February."
    if date(year, month, day) > today:
        return "That date is in the future: enter the year it happened, or leave it empty."
    return None


def falls_on(month: int, day: int, year: int) -> date:
    """The date in `year`: 29 February on 28 February when `year` has none."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def next_on_or_after(month: int, day: int, start: date) -> date:
    """The first time the date falls on or after `start`."""
    this_year = falls_on(month, day, start.year)
    return this_year if this_year >= start else falls_on(month, day, start.year + 1)


def turns(year: int | None, on: date) -> int | None:
    """How many years it will be on `on` (an age, an anniversary), or None without a year."""
    return on.year - year if year is not None and on.year > year else None


def title(name: str, label: str, birthday: bool) -> str:
    """What the date is called everywhere: "Dana's birthday", "Dana: work anniversary"."""
    return f"{name}'s birthday" if birthday else f"{name}: {label}"


def day_month(month: int, day: int, year: int | None = None) -> str:
    """"15 April", or "15 April 1985" with the year."""
    words = f"{day} {_MONTH_NAMES[month - 1]}"
    return f"{words} {year}" if year is not None else words


@dataclass(frozen=True)
class Upcoming:
    """One yearly date falling within the window: whose, what, on which day."""

    person_id: int
    name: str
    label: str
    birthday: bool
    on: date
    turns: int | None = None

    @property
    def title(self) -> str:
        return title(self.name, self.label, self.birthday)

    def when(self, today: date) -> str:
        """"today", "tomorrow", the weekday within a week ("Thu"), else "Thu 17 Dec"."""
        days = (self.on - today).days
        if days == 0:
            return "today"
        if days == 1:
            return "tomorrow"
        return f"{self.on:%a}" if days < 7 else f"{self.on:%a} {self.on.day} {self.on:%b}"

    @property
    def named(self) -> str:
        """What it is, with the years when known: "Dana's birthday (40)",
        "Ivo: company founded (10 years)"."""
        years = f"{self.turns}" if self.birthday else f"{self.turns} years"
        return self.title + (f" ({years})" if self.turns else "")

    def words(self, today: date) -> str:
        """The due list's line: "Today: Dana's birthday (40)", "Dana's birthday, Thu"."""
        if self.on == today:
            return f"Today: {self.named}"
        return f"{self.named}, {self.when(today)}"


def sentence(dates: list[Upcoming], named: int = 4) -> str:
    """Today's dates in one line, for a reminder: "Today: Dana's birthday (40), Ivo:
    company founded"; past the first `named`, "and 3 more" (a push message has 4 KB)."""
    extra = len(dates) - named
    more = f" and {extra} more" if extra > 0 else ""
    return "Today: " + ", ".join(found.named for found in dates[:named]) + more


def coming_up(dates: Iterable, today: date, window_days: int) -> list[Upcoming]:
    """The dates falling from `today` to `window_days` after it, soonest first.

    `dates` need `.person_id`, `.name`, `.label`, `.birthday`, `.month`, `.day` and
    `.year` (None when unknown).
    """
    last = today + timedelta(days=max(window_days, 0))
    found = []
    for row in dates:
        on = next_on_or_after(row.month, row.day, today)
        if on <= last:
            found.append(Upcoming(person_id=row.person_id, name=row.name, label=row.label,
                                  birthday=row.birthday, on=on, turns=turns(row.year, on)))
    return sorted(found, key=lambda u: (u.on, u.name.lower(), not u.birthday, u.label.lower()))


@dataclass(frozen=True)
class YearlyValue:
    """A birthday or labelled yearly date as it comes from outside (a vCard, a page, an
    export), before it belongs to anyone."""

    kind: str  # "birthday" or "date" (vocabulary.YEARLY_KINDS)
    label: str
    month: int
    day: int
    year: int | None = None

    def packed(self) -> list:
        return [self.kind, self.label, self.month, self.day, self.year]


def checked(kind, label, month, day, year=None) -> YearlyValue | None:
    """The values as the board stores them, or None when they make no yearly date; a year
    before EARLIEST_YEAR (Apple writes 1604 for "no year") or impossible for the day is
    left out. Also for values sent back by a page."""
    whole = [type(number) is int for number in (month, day, 0 if year is None else year)]
    if kind not in ("birthday", "date") or not all(whole) or day_problem(month, day):
        return None
    label = " ".join(without_refused(str(label or "")).split())[:LABEL_LIMIT].rstrip()
    if kind == "birthday":
        label = ""
    elif not label:
        return None
    if year is not None and (year < EARLIEST_YEAR or
                             (month, day) == (2, 29) and not calendar.isleap(year)):
        year = None
    return YearlyValue(kind, label, month, day, year)


def unpacked(rows) -> tuple[YearlyValue, ...]:
    """Dates packed with YearlyValue.packed() and sent back by a page, checked again:
    what makes no date is left out."""
    rows = rows if isinstance(rows, list) else []
    found = (checked(*row) for row in rows if isinstance(row, list) and len(row) == 5)
    return tuple(value for value in found if value is not None)


# vCard dates: 1985-04-15, 19850415, --04-15 and --0415 (no year), maybe with a time.
_VCARD_DATE = re.compile(r"(?:(\d{4})-?|--)(\d{2})-?(\d{2})(?:T[0-9:.]*(?:Z|[+-][0-9:]+)?)?")


def from_vcard(kind: str, label: str, text: str, omit_year: str = "") -> YearlyValue | None:
    """A vCard BDAY, ANNIVERSARY or other date as a yearly date, or None for what is not
    a whole day of the year ("circa 1800", a month alone). `omit_year` is Apple's
    X-APPLE-OMIT-YEAR: the year it writes when there is none."""
    match = _VCARD_DATE.fullmatch(str(text).strip())
    if match is None:
        return None
    year, month, day = match.groups()
    if year is None or year == omit_year:
        year = None
    return checked(kind, label, int(month), int(day), int(year) if year else None)
