"""Tests for advisory/calendar_feed.py: what a subscribed calendar shows.

Independent parsers (ical.js, vobject, ics-py, libical, a Radicale server) read
the feed the way calendar clients would. A parser whose tool is not installed
is skipped locally and fails the run on CI (when $CI is set).
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time as clock
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import ics
import pytest
import vobject
from icalendar import Calendar

from advisory.core import calendar_feed
from advisory.core.calendar_feed import (
    FeedEntry,
    FeedOptions,
    PromiseEntry,
    build,
    build_one,
    stamp,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PARSERS = REPO_ROOT / "tests" / "parsers"
UTC = timezone.utc

TODAY = date(2026, 11, 3)
BERLIN = "Europe/Berlin"  # UTC+1 on TODAY, so a 09:00 alarm is 08:00Z

ZOE = FeedEntry(
    uid="zoe-3f2c@advisory",
    name='Zoë "Z" Müller, PhD;',
    role="Business wisdom",
    cadence="Every 2 weeks",
    due=date(2026, 10, 20),
    last_contact=date(2026, 10, 6),
    url="https://advisory.example/advisors/3",
    sequence=2,
    changed_at=datetime(2026, 10, 6, 18, 0, tzinfo=UTC),
    agenda="Ask about the board seat",
    notes="Met at the conference.\nLikes long walks, not calls; prefers mornings.",
)
RAVI = FeedEntry(
    uid="ravi-81aa@advisory",
    name="Ravi Patel",
    role="Specific expertise",
    cadence="Monthly",
    due=date(2026, 11, 20),  # snoozed into the future
    last_contact=None,
    url="https://advisory.example/advisors/8",
    sequence=0,
    changed_at=datetime(2026, 11, 1, 7, 15, 30, 123456, tzinfo=UTC),
)
ELEANOR = FeedEntry(
    uid="eleanor-5d09@advisory",
    name="Ëlëänörë Ünterbüchlër-Müllër 🦉🦉🦉 Ååsmund Jøkulsdóttir 🌱 Çağrı Şükrü Öztürk",
    role="Work/life balance",
    cadence="Every 6 weeks",
    due=TODAY,
    last_contact=date(2026, 9, 22),
    url="https://advisory.example/advisors/5",
    sequence=7,
    changed_at=datetime(2026, 9, 22, 12, 0, tzinfo=UTC),
    agenda="Über-long agenda: " + "üëü🦉" * 40,
)
ENTRIES = [ZOE, RAVI, ELEANOR]
OPTIONS = FeedOptions(today=TODAY, tz=BERLIN, include_details=True)


def events(raw):
    """The VEVENTs of a feed, read back with icalendar, keyed by UID."""
    return {str(event.uid): event for event in Calendar.from_ical(raw).events}


def unfolded(raw):
    """The feed's text with folded lines joined back together."""
    return raw.decode("utf-8").replace("\r\n ", "")


def missing_tool(reason):
    """Skip a parser test whose tool is not installed; on CI that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


# --- Independent parsers -------------------------------------------------------
# Each returns, per event: uid, summary, description, start, end, sequence and
# the alarm instants in UTC, so one expectation covers them all; a repeating event
# also its RRULE and the first four dates it expands to (see _repeating).


def _repeating(rrule, occurrences) -> dict:
    """A repeating event's RRULE as the parser read it and the first four dates the
    parser expands it to (ics-py keeps an RRULE without expanding it: None); nothing
    for a single event."""
    return {} if rrule is None else {"rrule": rrule, "occurrences": occurrences}


def _date(text):
    return datetime.strptime(text.replace("-", ""), "%Y%m%d").date()


def _utc(text):
    return datetime.strptime(text.replace("-", "").replace(":", ""), "%Y%m%dT%H%M%SZ").replace(
        tzinfo=UTC
    )


def parse_icaljs(path):
    if shutil.which("node") is None:
        missing_tool("node is not installed")
    if not (REPO_ROOT / "node_modules" / "ical.js").is_dir():
        missing_tool("ical.js is not installed: run `npm install` in the repository root")
    done = subprocess.run(
        ["node", str(PARSERS / "icaljs_parse.mjs"), str(path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["method"] is None and parsed["todos"] == 0
    assert parsed["refreshIntervalType"] == "duration"
    return [
        {
            "uid": e["uid"],
            "summary": e["summary"],
            "description": e["description"],
            "start": _date(e["start"]) if e["startIsDate"] else None,
            "end": _date(e["end"]),
            "sequence": e["sequence"],
            "alarms": [_utc(a["trigger"]) for a in e["alarms"] if a["action"] == "DISPLAY"],
            **_repeating(e["rrule"], [_date(day) for day in e["occurrences"]]),
        }
        for e in parsed["events"]
    ]


def parse_vobject(path):
    calendar = vobject.readOne(path.read_text(encoding="utf-8"), validate=True)
    return [
        {
            "uid": e.uid.value,
            "summary": e.summary.value,
            "description": e.description.value,
            "start": e.dtstart.value,
            "end": e.dtend.value,
            "sequence": int(e.sequence.value),
            "alarms": [
                a.trigger.value.astimezone(UTC)
                for a in e.contents.get("valarm", [])
                if a.action.value == "DISPLAY"
            ],
            **(_repeating(e.rrule.value, [moment.date() for moment in islice(e.getrruleset(), 4)])
               if "rrule" in e.contents else {}),
        }
        for e in calendar.contents["vevent"]
    ]


def parse_ics(path):
    calendar = ics.Calendar(path.read_text(encoding="utf-8"))
    return [
        {
            "uid": e.uid,
            "summary": e.name,
            "description": e.description,
            "start": e.begin.date() if e.all_day else None,
            "end": e.end.date(),
            # ics-py keeps SEQUENCE among the lines it does not model.
            "sequence": next(int(line.value) for line in e.extra if line.name == "SEQUENCE"),
            "alarms": [a.trigger.astimezone(UTC) for a in e.alarms],
            **_repeating(next((line.value for line in e.extra if line.name == "RRULE"), None),
                         None),
        }
        for e in calendar.events
    ]


def parse_libical(path):
    if not Path("/usr/bin/python3").exists():
        missing_tool("/usr/bin/python3 (with python3-gi) is not installed")
    done = subprocess.run(
        ["/usr/bin/python3", str(PARSERS / "libical_parse.py"), str(path)],
        capture_output=True, text=True, timeout=60,
    )
    if done.returncode == 3:
        missing_tool(f"libical is not usable from /usr/bin/python3: {done.stderr.strip()}"
                     " (install python3-gi and gir1.2-ical-3.0)")
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["kind"] == "VCALENDAR"
    assert parsed["errors"] == [], "libical reported X-LIC-ERROR"
    return [
        {
            "uid": e["uid"],
            "summary": e["summary"],
            "description": e["description"],
            "start": _date(e["start"]) if e["startIsDate"] else None,
            "end": _date(e["end"]),
            "sequence": e["sequence"],
            "alarms": [_utc(a["trigger"]) for a in e["alarms"] if a["action"] == "DISPLAY"],
            **_repeating(e["rrule"], [_date(day) for day in e["occurrences"]]),
        }
        for e in parsed["events"]
    ]


@pytest.mark.parametrize(
    "parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
    ids=["ical.js", "vobject", "ics-py", "libical"],
)
def test_independent_parsers_see_the_reminders(parse, tmp_path):
    feed = tmp_path / "feed.ics"
    feed.write_bytes(build(ENTRIES, OPTIONS))

    seen = sorted(parse(feed), key=lambda e: e["uid"])

    assert seen == [
        {
            "uid": ELEANOR.uid,
            "summary": f"Reach out to {ELEANOR.name} (Work/life balance)",
            "description": calendar_feed.description(ELEANOR, OPTIONS),
            "start": TODAY,
            "end": date(2026, 11, 4),
            "sequence": 7,
            "alarms": [datetime(2026, 11, 3, 8, 0, tzinfo=UTC)],
        },
        {
            "uid": RAVI.uid,
            "summary": "Reach out to Ravi Patel (Specific expertise)",
            "description": calendar_feed.description(RAVI, OPTIONS),
            "start": date(2026, 11, 20),
            "end": date(2026, 11, 21),
            "sequence": 0,
            "alarms": [datetime(2026, 11, 20, 8, 0, tzinfo=UTC)],
        },
        {
            "uid": ZOE.uid,
            "summary": 'Reach out to Zoë "Z" Müller, PhD; (Business wisdom)',
            "description": calendar_feed.description(ZOE, OPTIONS),
            "start": TODAY,  # overdue since 20 Oct: carried forward to today
            "end": date(2026, 11, 4),
            "sequence": 2 + 14,  # one more for each day it moved
            "alarms": [datetime(2026, 11, 3, 8, 0, tzinfo=UTC)],
        },
    ]
    zoe = next(e for e in seen if e["uid"] == ZOE.uid)
    assert "Likes long walks, not calls; prefers mornings." in zoe["description"]
    assert "Met at the conference.\nLikes" in zoe["description"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stored_by_radicale(body: bytes, tmp_path) -> bytes:
    """PUT `body` to a Radicale server as a calendar and read back what it stored; a
    refusal fails the test with Radicale's answer."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/tester/advisory/"
    login = {"Authorization": "Basic " + base64.b64encode(b"tester:any").decode()}
    with (tmp_path / "radicale.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", "",
             "--server-hosts", f"127.0.0.1:{port}",
             "--storage-filesystem-folder", str(tmp_path / "collections"),
             "--auth-type", "none"],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = clock.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert server.poll() is None, (tmp_path / "radicale.log").read_text()
                    assert clock.monotonic() < deadline, "Radicale did not start"
                    clock.sleep(0.1)
            put = urllib.request.Request(url, data=body, method="PUT", headers={
                "Content-Type": "text/calendar; charset=utf-8", **login})
            try:
                with urllib.request.urlopen(put, timeout=20) as response:
                    assert response.status == 201
            except urllib.error.HTTPError as error:
                pytest.fail(f"Radicale refused the feed: {error.code} {error.read()!r}")
            with urllib.request.urlopen(urllib.request.Request(url, headers=login),
                                        timeout=20) as stored:
                return stored.read()
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_radicale_accepts_the_feed_as_a_calendar(tmp_path):
    stored = events(stored_by_radicale(build(ENTRIES, OPTIONS), tmp_path))
    assert set(stored) == {e.uid for e in ENTRIES}
    assert stored[ZOE.uid].start == TODAY


# --- Format --------------------------------------------------------------------


def test_lines_end_in_crlf_and_fold_within_75_octets_without_splitting_characters():
    raw = build(ENTRIES, OPTIONS)

    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) > 5  # long lines were folded
    for line in lines:
        line.decode("utf-8")  # raises if a character was cut in half by folding


def test_text_is_escaped():
    text = unfolded(build([ZOE], OPTIONS))

    assert 'SUMMARY:Reach out to Zoë "Z" Müller\\, PhD\\; (Business wisdom)\r\n' in text
    assert "Met at the conference.\\nLikes long walks\\, not calls\\; prefers mornings." in text


def test_calendar_properties_for_subscribers():
    text = unfolded(build(ENTRIES, OPTIONS))
    head = text.split("BEGIN:VEVENT")[0]

    assert head.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "PRODID:-//Advisory//Advisory reminders//EN\r\n" in head
    assert "NAME:Advisory reminders\r\n" in head
    assert "X-WR-CALNAME:Advisory reminders\r\n" in head
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in head
    assert "X-PUBLISHED-TTL:PT12H\r\n" in head
    assert "CALSCALE:GREGORIAN\r\n" in head
    assert "METHOD" not in text and "VTODO" not in text and "\r\nUID:" not in head


def test_each_reminder_is_one_all_day_free_event_with_one_display_alarm():
    text = unfolded(build([RAVI], OPTIONS))

    assert "DTSTART;VALUE=DATE:20261120\r\nDTEND;VALUE=DATE:20261121\r\n" in text
    assert "TRANSP:TRANSPARENT\r\n" in text
    assert "URL:https://advisory.example/advisors/8\r\n" in text
    assert text.count("BEGIN:VALARM") == 1
    assert "ACTION:DISPLAY\r\nDESCRIPTION:Reach out to Ravi Patel (Specific expertise)\r\n" in text
    # Absolute, never a positive duration (Outlook reads that as "before").
    assert "TRIGGER;VALUE=DATE-TIME:20261120T080000Z\r\n" in text


def test_no_alarm_when_the_account_turns_alarms_off():
    raw = build(ENTRIES, replace(OPTIONS, alarm=None))

    assert b"VALARM" not in raw and b"TRIGGER" not in raw


def test_stamps_are_stored_times_not_the_time_of_the_request():
    event = events(build([RAVI], OPTIONS))[RAVI.uid]

    assert event.stamp == event.last_modified == datetime(2026, 11, 1, 7, 15, 30, tzinfo=UTC)


# --- Updates -------------------------------------------------------------------


def test_a_changed_reminder_keeps_its_uid_with_a_higher_sequence_and_later_stamp():
    before = events(build([RAVI], OPTIONS))[RAVI.uid]
    changed = replace(
        RAVI,
        due=date(2026, 12, 4),
        sequence=stamp(RAVI, OPTIONS)[0] + 1,
        changed_at=datetime(2026, 11, 3, 9, 30, tzinfo=UTC),
    )
    after = events(build([changed], OPTIONS))[RAVI.uid]

    assert after.start == date(2026, 12, 4)
    assert after.sequence > before.sequence
    assert after.last_modified > before.last_modified
    assert after.stamp == after.last_modified


def test_unchanged_data_gives_identical_bytes_in_any_order():
    assert build(ENTRIES, OPTIONS) == build(list(reversed(ENTRIES)), OPTIONS)
    assert build_one(ZOE, OPTIONS) == build_one(ZOE, OPTIONS)


def test_events_are_listed_by_day_then_uid():
    text = build(ENTRIES, OPTIONS).decode("utf-8")
    order = [text.index(f"UID:{e.uid}") for e in (ELEANOR, ZOE, RAVI)]

    assert order == sorted(order)


def test_an_entry_left_out_disappears_from_the_feed():
    assert set(events(build([ZOE, RAVI], OPTIONS))) == {ZOE.uid, RAVI.uid}
    assert set(events(build([RAVI], OPTIONS))) == {RAVI.uid}


def test_overdue_shows_on_today_and_snoozed_on_its_date():
    shown = events(build(ENTRIES, OPTIONS))

    assert shown[ZOE.uid].start == TODAY  # overdue
    assert shown[ELEANOR.uid].start == TODAY  # due today
    assert shown[RAVI.uid].start == date(2026, 11, 20)  # snoozed
    assert "Was due: 20 Oct 2026" in shown[ZOE.uid].description


def test_sequence_and_stamp_never_go_down_across_days_and_a_logged_contact():
    """Walk the calendar day by day; log a contact while overdue; log one backdated."""
    entry = replace(ZOE, due=date(2026, 3, 10), changed_at=datetime(2026, 2, 24, 20, tzinfo=UTC))
    options = FeedOptions(today=date(2026, 3, 1), tz="America/Los_Angeles")
    previous = None
    for offset in range(40):
        options = replace(options, today=date(2026, 3, 1) + timedelta(days=offset))
        if options.today == date(2026, 3, 15):  # "Spoke today": due moves on two weeks
            entry = replace(
                entry, due=date(2026, 3, 29), last_contact=options.today,
                sequence=stamp(entry, options)[0] + 1,
                changed_at=datetime(2026, 3, 15, 21, 5, tzinfo=UTC),  # 14:05 local
            )
        if options.today == date(2026, 4, 2):  # overdue; a backdated log keeps it overdue
            entry = replace(
                entry, due=date(2026, 3, 31), last_contact=date(2026, 3, 17),
                sequence=stamp(entry, options)[0] + 1,
                changed_at=datetime(2026, 4, 2, 16, 0, tzinfo=UTC),
            )
        sequence, modified = stamp(entry, options)
        assert (sequence, modified) == stamp(entry, options)  # the same all day
        event = _without_stamps(build_one(entry, options))
        if previous is not None:
            assert sequence >= previous[0] and modified >= previous[1]
            if event != previous[2]:
                assert sequence > previous[0] and modified > previous[1], options.today
        previous = (sequence, modified, event)


def _without_stamps(raw):
    """An event's text minus the lines that say when it changed."""
    kept = [
        line for line in unfolded(raw).split("\r\n")
        if not line.startswith(("SEQUENCE:", "DTSTAMP:", "LAST-MODIFIED:"))
    ]
    return "\r\n".join(kept)


def test_carried_forward_stamp_is_the_start_of_today_in_the_account_zone():
    sequence, modified = stamp(ZOE, OPTIONS)

    assert sequence == 16
    assert modified == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # midnight in Berlin


def test_feed_last_modified_is_the_latest_change_or_the_start_of_today():
    latest_event = max(e.last_modified for e in events(build(ENTRIES, OPTIONS)).values())
    old_change = datetime(2026, 1, 1, tzinfo=UTC)
    deleted_at = datetime(2026, 11, 3, 10, 45, 12, 987654, tzinfo=UTC)

    # Never earlier than an event the feed shows, though no event is looked at.
    latest_stamp = max(e.changed_at for e in ENTRIES)
    assert calendar_feed.last_modified(latest_stamp, OPTIONS) >= latest_event
    # Nothing changed for long: the feed still moved at midnight in Berlin (overdue events).
    assert calendar_feed.last_modified(old_change, OPTIONS) == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)
    # A deletion later today moves it, in whole seconds.
    assert calendar_feed.last_modified(deleted_at, OPTIONS) == deleted_at.replace(microsecond=0)


# --- Time zones ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "fires_at"),
    [
        ("Pacific/Auckland", date(2026, 11, 3), datetime(2026, 11, 2, 20, 0, tzinfo=UTC)),
        ("Pacific/Auckland", date(2026, 6, 15), datetime(2026, 6, 14, 21, 0, tzinfo=UTC)),
        ("Pacific/Auckland", date(2026, 4, 5), datetime(2026, 4, 4, 21, 0, tzinfo=UTC)),  # DST ends
        ("America/Los_Angeles", date(2026, 3, 7), datetime(2026, 3, 7, 17, 0, tzinfo=UTC)),
        ("America/Los_Angeles", date(2026, 3, 8), datetime(2026, 3, 8, 16, 0, tzinfo=UTC)),  # DST
        ("America/Los_Angeles", date(2026, 11, 1), datetime(2026, 11, 1, 17, 0, tzinfo=UTC)),
    ],
)
def test_alarm_fires_at_nine_local_time(zone, day, fires_at):
    options = FeedOptions(today=day - timedelta(days=1), tz=zone)
    event = events(build([replace(RAVI, due=day)], options))[RAVI.uid]

    assert [alarm.trigger for alarm in event.alarms.times] == [fires_at]


def test_event_day_follows_today_in_each_account_zone():
    now = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)  # 4 Nov 01:00 in Auckland, 3 Nov 04:00 in LA
    due_3rd, due_4th = replace(RAVI, due=date(2026, 11, 3)), replace(ZOE, due=date(2026, 11, 4))
    for zone, today, shown in [
        ("Pacific/Auckland", date(2026, 11, 4), date(2026, 11, 4)),
        ("America/Los_Angeles", date(2026, 11, 3), date(2026, 11, 3)),
    ]:
        assert now.astimezone(ZoneInfo(zone)).date() == today
        options = FeedOptions(today=today, tz=zone)
        assert calendar_feed.event_day(due_3rd, today) == shown
        assert calendar_feed.event_day(due_4th, today) == date(2026, 11, 4)
        assert events(build([due_3rd], options))[RAVI.uid].start == shown


# --- Details and single downloads ----------------------------------------------


def test_agenda_and_notes_only_with_details_on():
    hidden = events(build([ZOE], replace(OPTIONS, include_details=False)))[ZOE.uid]
    shown = events(build([ZOE], OPTIONS))[ZOE.uid]

    for description in (hidden.description, shown.description):
        assert "Role: Business wisdom" in description
        assert "Cadence: Every 2 weeks" in description
        assert "Last contact: 6 Oct 2026" in description
        assert "https://advisory.example/advisors/3" in description
    assert "board seat" not in hidden.description and "long walks" not in hidden.description
    assert "Agenda:\nAsk about the board seat" in shown.description
    assert "Notes:\nMet at the conference." in shown.description


def test_no_contact_yet_is_said_plainly():
    assert "No contact logged yet" in events(build([RAVI], OPTIONS))[RAVI.uid].description


def test_build_one_gives_exactly_one_event_to_import():
    raw = build_one(ZOE, OPTIONS)

    assert list(events(raw)) == [ZOE.uid]
    assert raw.count(b"BEGIN:VEVENT") == 1
    # No calendar name: an importing client adds the event to the user's own calendar.
    assert b"X-WR-CALNAME" not in raw and b"REFRESH-INTERVAL" not in raw


DECK = PromiseEntry(key=41, text="Send the pricing deck; v2", name="Dana Reyes",
                    due=date(2026, 11, 5), url="https://advisory.example/advisors/3#promises",
                    sequence=3, changed_at=datetime(2026, 11, 1, 9, 30, 15, 5, tzinfo=UTC))
LATE = PromiseEntry(key=7, text="Intro to Sam", name="Zoë Müller", due=date(2026, 10, 30),
                    url="https://advisory.example/advisors/5#promises", sequence=1,
                    changed_at=datetime(2026, 10, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
    ids=["ical.js", "vobject", "ics-py", "libical"],
)
@pytest.mark.parametrize("style", ["person", "summary"])
def test_independent_parsers_see_each_promise_on_its_own_date(parse, style, tmp_path):
    feed = tmp_path / "feed.ics"
    options = FeedOptions(today=TODAY, tz=BERLIN, style=style, owner="12")
    feed.write_bytes(build([RAVI], options, [DECK, LATE]))
    promises = sorted((e for e in parse(feed) if e["uid"].startswith("promise-")),
                      key=lambda e: e["uid"])
    assert promises == [
        {"uid": "promise-41-12@advisory", "summary": "Promised Dana Reyes: Send the pricing deck; v2",
         "description": f"You promised Dana Reyes: Send the pricing deck; v2\n{DECK.url}",
         "start": date(2026, 11, 5), "end": date(2026, 11, 6), "sequence": 3,
         "alarms": [datetime(2026, 11, 5, 8, 0, tzinfo=UTC)]},
        {"uid": "promise-7-12@advisory", "summary": "Promised Zoë Müller: Intro to Sam",
         "description": f"You promised Zoë Müller: Intro to Sam\n{LATE.url}",
         "start": date(2026, 10, 30), "end": date(2026, 10, 31), "sequence": 1,  # stays on its date
         "alarms": [datetime(2026, 10, 30, 8, 0, tzinfo=UTC)]},
    ]
    raw = feed.read_bytes()
    assert b"VTODO" not in raw and raw == build([RAVI], options, [LATE, DECK])  # same bytes
