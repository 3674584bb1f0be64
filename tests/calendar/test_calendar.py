"""The calendar feed over HTTP, the subscribe page and one-off downloads (advisory/calendar.py).

Each test reads the feed the way a subscribed calendar does: it fetches the URL with no
cookies and parses what comes back with icalendar.
"""
import logging
import re
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from icalendar import Calendar

from advisory.calendar import views as calendar
from advisory.core import cadence
from advisory.database import utcnow
from advisory.models import Advisor, FeedToken, User
from support import add_advisor, count_queries, make_user, sign_in

BASE = "http://advisory.test"
LONG_AGO = timedelta(days=40)
ADVISOR_FORM = {"name": "Dana Reyes", "role": "insight", "stage": "active", "cadence": "1m",
                "meeting_kind": "call"}


def feed_path(user) -> str:
    return f"/feed/{FeedToken.current(user).token}.ics"


def fetch(app, user, **headers):
    """The feed as a calendar server fetches it: a fresh client, no cookies, no Accept."""
    return app.test_client().get(feed_path(user), headers=headers)


def events(response) -> dict:
    """The feed's events by advisor name (the board review's own event is left out:
    test_review_feed.py)."""
    calendar = Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]).removeprefix("Reach out to ").rsplit(" (", 1)[0]: e
            for e in calendar.walk("VEVENT") if not str(e["UID"]).startswith("review-")}


def last_modified(response) -> datetime:
    return parsedate_to_datetime(response.headers["Last-Modified"])


def settled(user, **fields):
    """An account whose feed last changed long ago, so any change now is visibly later."""
    User.update(feed_changed_at=utcnow() - LONG_AGO, **fields).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def overdue(user, name="Dana Reyes", **fields) -> Advisor:
    """An advisor added 3 months ago on a monthly cadence, never contacted, last changed long ago."""
    return add_advisor(user, name=name, added_on=user.today() - timedelta(days=90),
                       changed_at=utcnow() - LONG_AGO, **fields)


def upcoming(user, name="Ravi Patel", days=10, **fields) -> Advisor:
    """An advisor due in `days` days (spoke `cadence - days` ago), last changed long ago."""
    return add_advisor(user, name=name, cadence_count=30, cadence_unit="days",
                       last_spoke_on=user.today() - timedelta(days=30 - days),
                       changed_at=utcnow() - LONG_AGO, **fields)


# The feed over HTTP ------------------------------------------------------------------

def test_feed_is_an_inline_calendar_file_fetched_without_login(app, user):
    upcoming(user)
    response = fetch(app, user)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="advisory.ics"'
    etag, weak = response.get_etag()
    assert etag and not weak
    assert "private" in response.headers["Cache-Control"]
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_feed_shows_each_advisor_with_a_due_date_on_the_right_day(app, user):
    today = user.today()
    dana = overdue(user)
    ravi = upcoming(user, days=10)
    prospect = upcoming(user, name="Lee Prospect", days=3, stage="prospect")
    overdue(user, name="Paula Paused", stage="paused")
    overdue(user, name="Alma Alumna", stage="alumni")
    shown = events(fetch(app, user))
    assert set(shown) == {"Dana Reyes", "Ravi Patel", "Lee Prospect"}
    assert shown["Dana Reyes"]["DTSTART"].dt == today  # overdue: carried to today
    assert shown["Ravi Patel"]["DTSTART"].dt == today + timedelta(days=10)
    assert shown["Ravi Patel"]["DTEND"].dt == today + timedelta(days=11)
    assert str(shown["Dana Reyes"]["SUMMARY"]) == "Reach out to Dana Reyes (Organizational insight)"
    for event, advisor in [(shown["Dana Reyes"], dana), (shown["Ravi Patel"], ravi),
                           (shown["Lee Prospect"], prospect)]:
        assert str(event["UID"]) == advisor.uid
        assert str(event["URL"]) == f"{BASE}/advisors/{advisor.id}"
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_event_describes_role_cadence_and_last_contact_without_details_by_default(app, user):
    upcoming(user, agenda="Ask about the board seat", notes="Prefers mornings")
    event = events(fetch(app, user))["Ravi Patel"]
    description = str(event["DESCRIPTION"])
    assert "Role: Organizational insight" in description
    assert "Cadence: Every 30 days" in description
    assert "Last contact:" in description
    assert "board seat" not in description and "mornings" not in description


def test_alarm_at_nine_local_time_by_default(app):
    user = make_user("kai@example.com", tz="Europe/Berlin")
    upcoming(user, days=10)
    event = events(fetch(app, user))["Ravi Patel"]
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    day = user.today() + timedelta(days=10)
    expected = datetime.combine(day, time(9), ZoneInfo("Europe/Berlin")).astimezone(timezone.utc)
    assert alarms[0]["TRIGGER"].dt == expected


def test_unchanged_data_gives_identical_bytes_and_etag(app, user):
    overdue(user)
    upcoming(user)
    first, second = fetch(app, user), fetch(app, user)
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]


def test_matching_if_none_match_answers_304(app, user):
    upcoming(user)
    first = fetch(app, user)
    again = fetch(app, user, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert fetch(app, user, **{"If-None-Match": '"something-else"'}).status_code == 200


def test_if_modified_since_answers_304_until_the_feed_changes(app, user):
    upcoming(user)
    first = fetch(app, user)
    since = first.headers["Last-Modified"]
    assert fetch(app, user, **{"If-Modified-Since": since}).status_code == 304
    earlier = format_datetime(last_modified(first) - timedelta(seconds=1), usegmt=True)
    assert fetch(app, user, **{"If-Modified-Since": earlier}).status_code == 200


def test_head_gives_the_headers_without_the_body(app, user):
    upcoming(user)
    full = fetch(app, user)
    head = app.test_client().head(feed_path(user))
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "ETag", "Last-Modified", "Content-Disposition"):
        assert head.headers[name] == full.headers[name]


def test_unknown_token_is_404(app, user):
    client = app.test_client()
    assert client.get("/feed/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/feed/short.ics").status_code == 404
    assert client.get(feed_path(user).replace(".ics", "a.ics")).status_code == 404


def test_one_accounts_token_never_shows_another_accounts_advisors(app, user, other):
    upcoming(user, name="Ravi Patel")
    upcoming(other, name="Grace Hopper")
    assert set(events(fetch(app, user))) == {"Ravi Patel"}
    assert set(events(fetch(app, other))) == {"Grace Hopper"}


def test_query_count_is_fixed_whatever_the_board_size(app):
    small, large = make_user("small@example.com"), make_user("large@example.com")
    for n in range(3):
        upcoming(small, name=f"Small {n}", days=n + 1)
    for n in range(30):
        upcoming(large, name=f"Large {n}", days=n % 20 + 1)
    counts = []
    for user, size in ((small, 3), (large, 30)):
        path, client = feed_path(user), app.test_client()
        with count_queries() as full:
            response = client.get(path)
        assert len(events(response)) == size
        with count_queries() as unchanged:
            again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
        counts.append((len(full), len(unchanged)))
    # The token with its account and its advisors' stamps, then (only when changed) the
    # advisors, my promises with a date, the latest board review and the yearly dates.
    assert counts[0] == counts[1] == (5, 1)


# Updates: what a subscribed calendar sees move ----------------------------------------

def test_logging_a_contact_moves_the_event_with_same_uid_higher_sequence(app, user, client):
    user = settled(user)
    advisor = overdue(user)
    before = fetch(app, user)
    event = events(before)["Dana Reyes"]
    assert event["SEQUENCE"] > 0  # an overdue event moves to a new day every day

    session = sign_in(client, user)
    assert session.post(f"/advisors/{advisor.id}/spoke-today").status_code == 303

    after = fetch(app, user)
    moved = events(after)["Dana Reyes"]
    today = user.today()
    assert moved["UID"] == event["UID"]
    assert moved["DTSTART"].dt == cadence.Cadence(1, "months").after(today)
    assert moved["SEQUENCE"] > event["SEQUENCE"]
    assert moved["LAST-MODIFIED"].dt > event["LAST-MODIFIED"].dt
    assert moved["DTSTAMP"].dt == moved["LAST-MODIFIED"].dt
    assert last_modified(after) > last_modified(before)
    assert after.headers["ETag"] != before.headers["ETag"]


def test_sequence_grows_through_snooze_log_and_undo_of_an_overdue_advisor(app, user, client):
    user = settled(user)
    advisor = overdue(user)
    session = sign_in(client, user)
    sequences = [events(fetch(app, user))["Dana Reyes"]["SEQUENCE"]]
    for action, data in (("snooze", {"days": "7"}), ("spoke-today", {}), ("undo", {})):
        assert session.post(f"/advisors/{advisor.id}/{action}", data).status_code == 303
        sequences.append(events(fetch(app, user))["Dana Reyes"]["SEQUENCE"])
    assert sequences == sorted(set(sequences)), sequences


def test_pausing_removes_the_event_and_moves_last_modified(app, user, client):
    user = settled(user)
    advisor = upcoming(user, name="Dana Reyes")
    upcoming(user, name="Ravi Patel")
    before = fetch(app, user)
    assert set(events(before)) == {"Dana Reyes", "Ravi Patel"}

    session = sign_in(client, user)
    response = session.post(f"/advisors/{advisor.id}/edit", {**ADVISOR_FORM, "stage": "paused"})
    assert response.status_code == 303

    after = fetch(app, user)
    assert set(events(after)) == {"Ravi Patel"}
    assert last_modified(after) > last_modified(before)
    # A calendar that cached the old feed gets the new one, not a 304.
    assert fetch(app, user, **{"If-Modified-Since": before.headers["Last-Modified"]}).status_code == 200


def test_deleting_removes_the_event_and_moves_last_modified(app, user, client):
    user = settled(user)
    advisor = upcoming(user, name="Dana Reyes")
    upcoming(user, name="Ravi Patel")
    before = fetch(app, user)
    session = sign_in(client, user)
    assert session.post(f"/advisors/{advisor.id}/delete").status_code == 303
    after = fetch(app, user)
    assert set(events(after)) == {"Ravi Patel"}
    assert last_modified(after) > last_modified(before)
    assert fetch(app, user, **{"If-None-Match": before.headers["ETag"]}).status_code == 200


# Rotation ----------------------------------------------------------------------------

def test_rotating_the_link_makes_the_old_one_gone(app, user, session):
    upcoming(user)
    old = feed_path(user)
    page = session.get("/calendar").get_data(as_text=True)
    assert "Rotate the link" in page and "Yes, make a new link" in page

    response = session.post("/calendar/rotate")
    assert response.status_code == 303 and response.headers["Location"].endswith("/calendar")

    new = feed_path(user)
    assert new != old
    assert app.test_client().get(old).status_code == 410
    assert set(events(app.test_client().get(new))) == {"Ravi Patel"}
    page = session.get("/calendar").get_data(as_text=True)
    assert BASE + new in page and old not in page


def test_rotating_needs_the_forms_csrf_token(app, user, session):
    old = feed_path(user)
    assert session.client.post("/calendar/rotate").status_code == 400
    assert feed_path(user) == old
    assert app.test_client().get(old).status_code == 200


def test_rotating_needs_a_login(app, user):
    response = app.test_client().post("/calendar/rotate")
    assert response.status_code in (302, 400)
    assert FeedToken.select().where(FeedToken.user == user).count() == 1


# The token never reaches the logs -------------------------------------------------------

def test_the_token_never_reaches_the_logs(app, user, session, caplog, monkeypatch):
    upcoming(user)
    caplog.set_level(logging.DEBUG)
    old = FeedToken.current(user).token
    client = app.test_client()
    assert client.get(feed_path(user)).status_code == 200
    assert client.get(feed_path(user).replace(old[:8], "A" * 8)).status_code == 404
    session.post("/calendar/rotate")
    new = FeedToken.current(user).token
    assert client.get(f"/feed/{old}.ics").status_code == 410
    monkeypatch.setattr(calendar, "built_feed", lambda *args: 1 / 0)
    assert client.get(f"/feed/{new}.ics").status_code == 500

    records = caplog.records
    assert any(r.name == "peewee" for r in records)  # the SQL log was captured...
    assert any("calendar.feed" in r.getMessage() for r in records)  # ...and the error
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in records)
    assert old not in logged and new not in logged
    assert old[8:] not in logged  # nor the unknown token tried on the way


# Settings: details and the alarm -----------------------------------------------------

def save_settings(session, **data):
    return session.post("/calendar", data)


def test_include_details_puts_agenda_and_notes_in_the_feed(app, user, session):
    upcoming(user, agenda="Ask about the board seat", notes="Prefers mornings")
    response = save_settings(session, include_details="y", alarm_on="y", alarm_time="09:00")
    assert response.status_code == 303
    description = str(events(fetch(app, user))["Ravi Patel"]["DESCRIPTION"])
    assert "Ask about the board seat" in description and "Prefers mornings" in description

    save_settings(session, alarm_on="y", alarm_time="09:00")
    description = str(events(fetch(app, user))["Ravi Patel"]["DESCRIPTION"])
    assert "board seat" not in description and "mornings" not in description


def test_saving_settings_moves_last_modified(app, user, session):
    User.update(feed_changed_at=utcnow() - LONG_AGO).where(User.id == user.id).execute()
    upcoming(user)
    before = fetch(app, user)
    save_settings(session, include_details="y", alarm_on="y", alarm_time="09:00")
    assert last_modified(fetch(app, user)) > last_modified(before)


def test_alarm_off_removes_valarm_and_a_chosen_time_is_used(app, user, session):
    upcoming(user, days=5)
    save_settings(session, alarm_time="09:00")  # alarm_on unchecked
    assert User.get_by_id(user.id).feed_alarm is None
    assert events(fetch(app, user))["Ravi Patel"].walk("VALARM") == []

    save_settings(session, alarm_on="y", alarm_time="07:30")
    alarm = events(fetch(app, user))["Ravi Patel"].walk("VALARM")[0]
    expected = datetime.combine(user.today() + timedelta(days=5), time(7, 30), timezone.utc)
    assert alarm["TRIGGER"].dt == expected  # the account is in UTC
    page = session.get("/calendar").get_data(as_text=True)
    assert 'value="07:30"' in page


def test_alarm_on_without_a_time_is_refused_with_a_message(user, session):
    response = save_settings(session, alarm_on="y", alarm_time="")
    assert response.status_code == 422
    assert "Enter a time like 09:00" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).feed_alarm == "09:00"


# The subscribe page --------------------------------------------------------------------

def test_calendar_page_needs_a_login(app):
    client = app.test_client()
    response = client.get("/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/calendar/qr.svg").status_code == 302


def test_calendar_page_shows_the_link_webcal_qr_and_instructions(user, session):
    html = session.get("/calendar").get_data(as_text=True)
    url = BASE + feed_path(user)
    assert f'value="{url}" readonly' in html
    assert f'href="webcal://{url.removeprefix("http://")}"' in html
    assert 'data-copy="#feed-url"' in html
    assert '<img src="/calendar/qr.svg"' in html
    for words in ("Other calendars", "From URL", "Add Subscribed Calendar", "ICSx⁵",
                  "ignores alarms", "once a day", "Include agendas and notes"):
        assert words in html
    assert 'aria-current="page">Calendar</a>' in html


def test_calendar_page_has_no_inline_script_or_style(session):
    html = session.get("/calendar").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    bundle = re.search(r'<script src="(/js/calendar\.js\?v=\w+)"', html).group(1)
    with session.get(bundle) as script:  # the copy button's script
        assert script.status_code == 200 and "navigator.clipboard" in script.get_data(as_text=True)


def test_qr_code_is_an_svg_of_the_feed_link(user, session):
    response = session.get("/calendar/qr.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert "no-store" in response.headers["Cache-Control"]
    assert b"<svg" in response.data and b" style=" not in response.data
    # The same link, encoded by segno directly, draws the same modules.
    expected = segno.make(BASE + feed_path(user), error="m")
    assert re.search(rb' d="([^"]+)"', response.data).group(1) in expected.svg_inline(
        scale=4, border=4, dark="#000", light="#fff", lineclass=None).encode()


# One-off download ----------------------------------------------------------------------

def test_next_ics_downloads_one_advisors_reminder(user, session):
    advisor = upcoming(user, days=10)
    overdue(user, name="Someone Else")
    response = session.get(f"/advisors/{advisor.id}/next.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="reach-out-ravi-patel.ics"'
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == advisor.uid
    assert event["DTSTART"].dt == user.today() + timedelta(days=10)
    assert "X-WR-CALNAME" not in calendar  # imported into the user's calendar, not a new one


def test_next_ics_for_another_accounts_advisor_is_404(other, session):
    theirs = upcoming(other)
    assert session.get(f"/advisors/{theirs.id}/next.ics").status_code == 404


def test_next_ics_without_a_due_date_is_404_with_a_reason(user, session):
    paused = upcoming(user, stage="paused")
    response = session.get(f"/advisors/{paused.id}/next.ics")
    assert response.status_code == 404
    assert "no next reminder" in response.get_data(as_text=True)


def test_next_ics_needs_a_login(app, user):
    advisor = upcoming(user)
    response = app.test_client().get(f"/advisors/{advisor.id}/next.ics")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_advisor_page_offers_add_to_calendar_only_with_a_due_date(user, session):
    due = upcoming(user)
    paused = upcoming(user, name="Paula Paused", stage="paused")
    link = f'href="/advisors/{due.id}/next.ics"'
    assert link in session.get(f"/advisors/{due.id}").get_data(as_text=True)
    assert "Add to calendar" not in session.get(f"/advisors/{paused.id}").get_data(as_text=True)


# Time zones: "today" around midnight UTC -------------------------------------------------

AUCKLAND, LOS_ANGELES = "Pacific/Auckland", "America/Los_Angeles"


def freeze(monkeypatch, moment: datetime) -> None:
    """Make every account's "today" the one at `moment` (the rest of the clock runs on)."""
    real = cadence.today_in
    monkeypatch.setattr(cadence, "today_in", lambda tz, now=None: real(tz, now or moment))


@pytest.mark.parametrize("moment", [
    datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc),  # Auckland already in the 24th
    datetime(2026, 11, 24, 0, 30, tzinfo=timezone.utc),  # Los Angeles still in the 23rd
])
def test_overdue_reminders_land_on_each_accounts_own_today(app, monkeypatch, moment):
    freeze(monkeypatch, moment)
    kiwi = make_user("kiwi@example.com", tz=AUCKLAND)
    angeleno = make_user("la@example.com", tz=LOS_ANGELES)
    for user in (kiwi, angeleno):
        overdue(user)
    kiwi_day = events(fetch(app, kiwi))["Dana Reyes"]
    la_day = events(fetch(app, angeleno))["Dana Reyes"]
    assert kiwi_day["DTSTART"].dt == date(2026, 11, 24)
    assert la_day["DTSTART"].dt == date(2026, 11, 23)
    # The alarm rings at 09:00 on that day where each person lives.
    assert kiwi_day.walk("VALARM")[0]["TRIGGER"].dt == datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc)
    assert la_day.walk("VALARM")[0]["TRIGGER"].dt == datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)


def test_today_follows_the_real_clock_in_each_zone(app):
    for tz in (AUCKLAND, LOS_ANGELES):
        user = make_user(f"{tz.split('/')[1].lower()}@example.com", tz=tz)
        overdue(user)
        before = datetime.now(ZoneInfo(tz)).date()
        shown = events(fetch(app, user))["Dana Reyes"]["DTSTART"].dt
        assert shown in {before, datetime.now(ZoneInfo(tz)).date()}


# The subscribe page per platform --------------------------------------------------------

ANDROID_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Mobile Safari/537.36")
IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


def first_button(html: str) -> str:
    return re.search(r'<a class="button primary[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', html).group(2)


def test_android_gets_google_calendar_first_and_no_qr_code(user, session):
    response = session.get("/calendar", headers={"User-Agent": ANDROID_UA})
    html = response.get_data(as_text=True)
    assert first_button(html) == "Add to Google Calendar"
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in html
    assert "Open in another calendar app" in html and "ICSx⁵" in html
    assert "qr.svg" not in html and "On a computer, open" not in html
    assert "User-Agent" in response.headers["Vary"]


def test_iphone_gets_the_webcal_button_first(user, session):
    html = session.get("/calendar", headers={"User-Agent": IPHONE_UA}).get_data(as_text=True)
    assert first_button(html) == "Subscribe on this iPhone"
    assert re.search(r'class="button primary wraps" href="webcal://', html)
    assert "qr.svg" not in html


def test_a_computer_gets_the_webcal_button_google_and_the_qr_code(user, session):
    html = session.get("/calendar").get_data(as_text=True)
    assert first_button(html) == "Subscribe in Apple Calendar, Outlook or Thunderbird"
    assert "Add to Google Calendar" in html and "qr.svg" in html


def test_a_link_on_this_computer_or_network_is_flagged(app, user, session):
    assert "cannot fetch this link" not in session.get("/calendar").get_data(as_text=True)
    for base, reason in (("", "“localhost” is a name only your own network knows"),  # the request's host
                         ("http://127.0.0.1:5000", "127.0.0.1 is the server"),
                         ("http://192.168.1.20:8000", "a private address")):
        app.config["BASE_URL"] = base
        html = session.get("/calendar").get_data(as_text=True)
        assert "calendars cannot fetch this link" in html and reason in html
        assert "<code>BASE_URL</code>" in html


def test_a_local_link_offers_only_what_can_reach_it(app, user, session):
    """Served on a local address, the page keeps the ways that work (a calendar app on the
    same computer or network, a one-off download) and drops Google's button, whose servers
    cannot fetch the link."""
    for base, qr in (("http://127.0.0.1:5000", False), ("http://192.168.1.20:8000", True)):
        app.config["BASE_URL"] = base
        html = session.get("/calendar").get_data(as_text=True)
        nearby = "on this computer" + ("" if not qr else " or your own network")
        assert first_button(html) == f"Subscribe in a calendar app {nearby}"
        assert "Download the calendar once (.ics)" in html
        assert "Add to Google Calendar" not in html and "calendar.google.com" not in html
        assert ("qr.svg" in html) is qr  # a phone on the same network can scan it

    app.config["BASE_URL"] = "http://192.168.1.20:8000"
    html = session.get("/calendar", headers={"User-Agent": ANDROID_UA}).get_data(as_text=True)
    assert first_button(html) == "Subscribe in a calendar app on this computer or your own network"
    assert "Add to Google Calendar" not in html and "qr.svg" not in html


def test_the_one_off_download_holds_the_feed_for_the_signed_in_account_only(app, user, other,
                                                                           session):
    overdue(user, "Dana Reyes")
    overdue(other, "Someone Else")
    response = session.get("/calendar/advisory.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="advisory.ics"'
    assert "no-store" in response.headers["Cache-Control"]
    summaries = list(events(response))
    assert len(summaries) == 1 and "Dana Reyes" in summaries[0]
    signed_out = app.test_client().get("/calendar/advisory.ics")
    assert signed_out.status_code == 302 and "/login" in signed_out.location
