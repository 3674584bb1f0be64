"""Events of the feed on a date of their own, beside the advisors' reminders: an open
promise, the next board review, a birthday or yearly date; and the all-day event every
event of the feed is built from.

Apart from calendar_feed.py because each is a small feature of its own with its entry
type and event, added to the feed by build(); the shared all-day event lives here, below
calendar_feed, so the feed imports this module and never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Alarm, Event

from advisory.core import yearly

if TYPE_CHECKING:
    from advisory.core.calendar_feed import FeedOptions


@dataclass(frozen=True)
class PromiseEntry:
    """One open promise of mine with a date: an all-day event of its own on that date
    (not carried forward like a reminder; it is gone once kept or deleted)."""

    key: int  # the promise's id: with the account, its UID
    text: str
    name: str  # whom it was promised to
    due: date
    url: str
    sequence: int  # grows with each change of the promise
    changed_at: datetime


@dataclass(frozen=True)
class ReviewEntry:
    """The next board review: an all-day event on its due date, left there once late (like
    a promise). Its UID names that date, so a review done or a new period in Settings
    puts it on a new date as a new event, and the old one leaves the feed."""

    due: date
    url: str
    changed_at: datetime  # the account's stored "feed changed" time, moved by each review


@dataclass(frozen=True)
class YearlyEntry:
    """A birthday or other yearly date: one all-day event that repeats every year, from
    the year it was added (`since`), with a UID of its own."""

    key: int  # the date's id: with the account, its UID
    title: str  # "Dana's birthday", "Dana: work anniversary"
    month: int
    day: int
    year: int | None  # when known, said in the description
    since: int
    url: str
    sequence: int  # grows with each change of the date
    changed_at: datetime


def promise_event(promise: PromiseEntry, options: FeedOptions) -> Event:
    """A promise of mine as an all-day, transparent VEVENT on its date (a VTODO is
    ignored by the big calendars in a subscribed feed), with the feed's alarm."""
    modified = whole_seconds(promise.changed_at.astimezone(timezone.utc))
    title = f"Promised {promise.name}: {promise.text}"
    return all_day_event(
        uid=f"promise-{promise.key}-{options.owner}@advisory", modified=modified,
        sequence=promise.sequence, day=promise.due, title=title,
        description=f"You promised {promise.name}: {promise.text}\n{promise.url}",
        url=promise.url, trigger=alarm_time(promise.due, options))


def review_event(review: ReviewEntry, options: FeedOptions) -> Event:
    """The board review as an all-day, transparent VEVENT on its due date, with the
    feed's alarm. SEQUENCE counts the minutes of its stored change time, as a summary
    event's does, so it only grows."""
    modified = whole_seconds(review.changed_at.astimezone(timezone.utc))
    return all_day_event(
        uid=f"review-{review.due:%Y%m%d}-{options.owner}@advisory", modified=modified,
        sequence=minutes_since_2020(modified), day=review.due, title="Board review due",
        description="Look at each role of your board: who fills it, how often you met, "
                    f"what to keep or change.\n{review.url}",
        url=review.url, trigger=alarm_time(review.due, options))


def yearly_event(entry: YearlyEntry, options: FeedOptions) -> Event:
    """A birthday or yearly date as an all-day, transparent VEVENT repeating every year.
    29 February repeats on the last day of February, so on the 28th in other years, as
    the due list and the reminders have it (core/yearly.py). No alarm: an absolute one
    would ring in the first year only; the reminders on the day say it instead."""
    modified = whole_seconds(entry.changed_at.astimezone(timezone.utc))
    event = all_day_event(
        uid=f"yearly-{entry.key}-{options.owner}@advisory", modified=modified,
        sequence=entry.sequence, day=yearly.falls_on(entry.month, entry.day, entry.since),
        title=entry.title, trigger=None, url=entry.url,
        description=f"{entry.title}: {yearly.day_month(entry.month, entry.day, entry.year)}"
                    f"\n{entry.url}")
    leap_day = (entry.month, entry.day) == (2, 29)
    event.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1} if leap_day
              else {"FREQ": "YEARLY"})
    return event


def minutes_since_2020(modified: datetime) -> int:
    """A stored change time as a SEQUENCE: whole minutes since 2020, which only grow."""
    return int((modified - datetime(2020, 1, 1, tzinfo=timezone.utc)).total_seconds() // 60)


def alarm_time(day: date, options: FeedOptions) -> datetime | None:
    """`options.alarm` local time on `day`, in UTC; None without an alarm."""
    if options.alarm is None:
        return None
    return datetime.combine(day, options.alarm, ZoneInfo(options.tz)).astimezone(timezone.utc)


def all_day_event(*, uid: str, modified: datetime, sequence: int, day: date, title: str,
             description: str, trigger: datetime | None, url: str | None = None) -> Event:
    """One all-day, transparent VEVENT, with a DISPLAY alarm at `trigger` if given.
    Event.new() would invent a UID and a DTSTAMP of "now"; both are given here."""
    event = Event.new(uid=uid, stamp=modified, last_modified=modified, sequence=sequence,
                      start=day, end=day + timedelta(days=1), summary=title,
                      description=description, url=url, transparency="TRANSPARENT")
    if trigger is not None:
        # An absolute trigger: a relative one could only reach the event day's
        # morning with a positive duration, which Outlook reads as "before".
        alarm = Alarm.new_display(description=title, trigger=trigger)
        alarm["TRIGGER"].params["VALUE"] = "DATE-TIME"
        event.add_component(alarm)
    return event


def whole_seconds(moment: datetime) -> datetime:
    """Drop microseconds: iCalendar and HTTP dates have whole seconds only."""
    return moment.replace(microsecond=0)
