"""The calendar feed: one all-day reminder per advisor, as iCalendar bytes.

Plain values in, bytes out; no Flask and no database. The app builds a
`FeedEntry` for each advisor with a due date and calls `build()` for the
subscription feed or `build_one()` for a one-off download.

What every major calendar client accepts (see DESIGN.md, "The calendar feed"):
all-day events that never block time, a UID that never changes, a SEQUENCE and
LAST-MODIFIED that only grow, at most one DISPLAY alarm at an absolute time,
and identical bytes for identical data so ETags and caches work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from advisory.core.calendar_dated import (
    PromiseEntry,
    ReviewEntry,
    YearlyEntry,
    alarm_time,
    all_day_event,
    minutes_since_2020,
    promise_event,
    review_event,
    whole_seconds,
    yearly_event,
)

PRODID = "-//Advisory//Advisory reminders//EN"

# Fixed English month names, so the text does not depend on the server's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class FeedEntry:
    """One advisor's next reminder, as the app computed it."""

    uid: str
    name: str
    role: str
    cadence: str
    due: date
    last_contact: date | None
    url: str
    sequence: int
    changed_at: datetime
    agenda: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FeedOptions:
    """How the account wants its feed: its day and zone, name, alarm and detail."""

    today: date
    tz: str
    name: str = "Advisory reminders"
    alarm: time | None = time(9, 0)
    include_details: bool = False
    refresh: timedelta = timedelta(hours=12)
    # "person": one event per advisor; "summary": one event a day listing everyone due.
    style: str = "person"
    owner: str = ""  # makes summary UIDs unique to the account
    floor: datetime | None = None  # the account's stored "feed changed" time


STYLES = {"person": "One event per person", "summary": "One daily summary event"}


def event_day(entry: FeedEntry, today: date) -> date:
    """The day the reminder shows: its due date, or today once it is due or overdue.

    An overdue reminder is carried forward to today so it stays in sight until
    a contact is logged.
    """
    return max(entry.due, today)


def stamp(entry: FeedEntry, options: FeedOptions) -> tuple[int, datetime]:
    """The event's (SEQUENCE, LAST-MODIFIED), which is also its DTSTAMP.

    Both come from stored values, not the request time, so they are the same
    all day; and both never go down. An overdue event moves to a new date
    every day, so each such day counts as one more change and its stamp is no
    earlier than the start of today in the account's time zone. The app stores
    `stamp(...)[0] + 1` as the new sequence when an advisor changes, which keeps
    SEQUENCE growing across a logged contact.
    """
    zone = ZoneInfo(options.tz)
    changed_at = whole_seconds(entry.changed_at.astimezone(timezone.utc))
    if entry.due >= options.today:
        return entry.sequence, changed_at

    start_of_today = datetime.combine(options.today, time(0), zone)
    modified = max(changed_at, start_of_today.astimezone(timezone.utc))
    changed_day = entry.changed_at.astimezone(zone).date()
    moves = (options.today - max(entry.due, changed_day)).days
    return entry.sequence + max(moves, 0), modified


def last_modified(latest_change: datetime, options: FeedOptions) -> datetime:
    """When the feed last changed, for the HTTP Last-Modified header.

    `latest_change` is the account's latest stored change that the feed can show (an
    advisor's stamp, or the account's "feed changed" time, which moves when an event
    leaves the feed or a setting changes). The feed also changes with the day itself
    (overdue events move to today, snoozes and pauses end), so it is never earlier than
    the start of today in the account's zone: every event's LAST-MODIFIED is at most
    this, and it is known without building the feed. Whole seconds, as in HTTP dates.
    """
    start_of_today = datetime.combine(options.today, time(0), ZoneInfo(options.tz))
    return whole_seconds(max(latest_change.astimezone(timezone.utc),
                              start_of_today.astimezone(timezone.utc)))


def build(entries: Iterable[FeedEntry], options: FeedOptions,
          promises: Iterable[PromiseEntry] = (), review: ReviewEntry | None = None,
          dates: Iterable[YearlyEntry] = ()) -> bytes:
    """The subscription feed: a VCALENDAR with one event per entry, one per promise, one
    for the next board review and one yearly event per birthday or date (in either style).

    Events are sorted by day, then UID, so unchanged data gives identical bytes.
    """
    calendar = _calendar()
    calendar.calendar_name = options.name  # NAME and X-WR-CALNAME
    calendar.add("REFRESH-INTERVAL", options.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(options.refresh))
    ordered = sorted(entries, key=lambda e: (event_day(e, options.today), e.uid))
    events = (summary_events(ordered, options) if options.style == "summary"
              else [_event(entry, options) for entry in ordered])
    events += [promise_event(promise, options)
               for promise in sorted(promises, key=lambda p: (p.due, p.key))]
    if review is not None:
        events.append(review_event(review, options))
    events += [yearly_event(entry, options) for entry in sorted(dates, key=lambda d: d.key)]
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def summary_events(ordered: list[FeedEntry], options: FeedOptions) -> list[Event]:
    """One all-day event per day that has reminders, listing everyone due that day.

    Its UID is the day's (so it never changes for that day); LAST-MODIFIED is the
    feed's, and SEQUENCE counts its minutes, so both only grow as the data changes.
    """
    floor = options.floor or datetime(2020, 1, 1, tzinfo=timezone.utc)
    modified = last_modified(max([floor] + [entry.changed_at for entry in ordered]), options)
    sequence = minutes_since_2020(modified)
    days: dict[date, list[FeedEntry]] = {}
    for entry in ordered:
        days.setdefault(event_day(entry, options.today), []).append(entry)
    events = []
    for day, listed in days.items():
        title = (f"Reach out to {listed[0].name} ({listed[0].role})" if len(listed) == 1
                 else f"Reach out to {len(listed)} people")
        lines = []
        for entry in listed:
            was = f", due {_human_date(entry.due)}" if entry.due < options.today else ""
            lines.append(f"{entry.name} ({entry.role}){was}: {entry.url}")
            if options.include_details and entry.agenda.strip():
                lines.append(f"  Agenda: {entry.agenda.strip()}")
        events.append(all_day_event(
            uid=f"summary-{day:%Y%m%d}-{options.owner}@advisory", modified=modified,
            sequence=sequence, day=day, title=title, description="\n".join(lines),
            trigger=alarm_at(listed[0], options)))
    return events


def build_one(entry: FeedEntry, options: FeedOptions) -> bytes:
    """A VCALENDAR holding just this entry's event, for a one-off download.

    It leaves out the calendar name and refresh hints: those belong to a
    subscription, and with a name some clients import the file as a new
    calendar instead of adding the event to the user's own.
    """
    calendar = _calendar()
    calendar.add_component(_event(entry, options))
    return calendar.to_ical()


def summary(entry: FeedEntry) -> str:
    """The event title, also the alarm text."""
    return f"Reach out to {entry.name} ({entry.role})"


def description(entry: FeedEntry, options: FeedOptions) -> str:
    """The event's text: role, cadence, last contact, link, and details if wanted."""
    if entry.last_contact is None:
        last = "No contact logged yet"
    else:
        last = f"Last contact: {_human_date(entry.last_contact)}"
    lines = [f"Role: {entry.role}", f"Cadence: {entry.cadence}", last]
    if entry.due < options.today:
        lines.append(f"Was due: {_human_date(entry.due)}")
    lines.append(entry.url)
    if options.include_details:
        if entry.agenda.strip():
            lines += ["", "Agenda:", entry.agenda.strip()]
        if entry.notes.strip():
            lines += ["", "Notes:", entry.notes.strip()]
    return "\n".join(lines)


def alarm_at(entry: FeedEntry, options: FeedOptions) -> datetime | None:
    """When the alarm fires: `options.alarm` local time on the event day, in UTC."""
    return alarm_time(event_day(entry, options.today), options)


def _calendar() -> Calendar:
    """An empty VCALENDAR with our fixed properties and nothing random in it."""
    calendar = Calendar.new(prodid=PRODID, calscale="GREGORIAN")
    # Calendar.new() invents a random UID, which would change the bytes each time.
    del calendar["UID"]
    return calendar


def _event(entry: FeedEntry, options: FeedOptions) -> Event:
    """One member's reminder: an all-day event on their event day."""
    sequence, modified = stamp(entry, options)
    return all_day_event(uid=entry.uid, modified=modified, sequence=sequence,
                    day=event_day(entry, options.today), title=summary(entry),
                    description=description(entry, options), url=entry.url,
                    trigger=alarm_at(entry, options))


def _human_date(day: date) -> str:
    """A date as "3 Nov 2026", the same whatever the server's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
