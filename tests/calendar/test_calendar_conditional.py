"""The feed's validators (advisory/calendar.py `feed`): a calendar holding the current feed
gets a 304 without the feed being built, and every change to what the feed says gets it
the new feed.

Each test fetches the feed as a subscribed calendar does, changes one thing the feed's
bytes depend on, and asks again with the ETag (or the Last-Modified) it holds.
"""
from datetime import datetime, timedelta, timezone

from test_calendar import events, fetch, freeze, overdue, settled, upcoming

from advisory.database import utcnow
from advisory.models import Advisor, User, advisors
from support import add_advisor, count_queries, sign_in


def revalidated(app, user, held):
    """The calendar asks again, sending the ETag of the feed it holds."""
    return fetch(app, user, **{"If-None-Match": held.headers["ETag"]})


def assert_new_feed(app, user, held):
    """The calendar holding `held` gets a different feed, with a different ETag."""
    response = revalidated(app, user, held)
    assert response.status_code == 200
    assert response.data != held.data
    assert response.headers["ETag"] != held.headers["ETag"]
    return response


def test_unchanged_feed_is_a_304_without_reading_the_advisors(app, user):
    overdue(user)
    held = fetch(app, user)
    with count_queries() as queries:
        response = revalidated(app, user, held)
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == held.headers["ETag"]
    assert not any("contacts" in query for query in queries)
    assert not any('"advisors"."name"' in q or '"t1"."name"' in q for q in queries)


def test_a_304_keeps_answering_while_nothing_changes(app, user):
    upcoming(user)
    held = fetch(app, user)
    for _ in range(3):
        assert revalidated(app, user, held).status_code == 304


def test_logging_a_contact_gives_the_new_feed(app, user, client):
    advisor = overdue(settled(user))
    held = fetch(app, user)
    assert sign_in(client, user).post(f"/advisors/{advisor.id}/spoke-today").status_code == 303
    assert_new_feed(app, user, held)


def test_edits_within_one_second_each_give_the_new_feed(app, user, client, monkeypatch):
    """Change times are stored to the second; the growing SEQUENCE still tells edits apart."""
    moment = utcnow()
    monkeypatch.setattr(advisors, "utcnow", lambda: moment)
    advisor = upcoming(settled(user))
    session = sign_in(client, user)
    held = fetch(app, user)
    for days in ("7", "14"):
        assert session.post(f"/advisors/{advisor.id}/snooze", {"days": days}).status_code == 303
        held = assert_new_feed(app, user, held)


def test_undoing_a_contact_gives_the_new_feed(app, user, client):
    advisor = overdue(settled(user))
    session = sign_in(client, user)
    session.post(f"/advisors/{advisor.id}/spoke-today")
    held = fetch(app, user)
    assert session.post(f"/advisors/{advisor.id}/undo").status_code == 303
    assert_new_feed(app, user, held)


def test_adding_and_deleting_advisors_give_the_new_feed(app, user, client):
    settled(user)
    upcoming(user, name="Ravi Patel")
    held = fetch(app, user)
    added = upcoming(user, name="Dana Reyes")
    held = assert_new_feed(app, user, held)
    assert sign_in(client, user).post(f"/advisors/{added.id}/delete").status_code == 303
    assert set(events(assert_new_feed(app, user, held))) == {"Ravi Patel"}


def test_details_and_alarm_settings_give_the_new_feed(app, user, client):
    upcoming(settled(user), agenda="Ask about the board seat")
    session = sign_in(client, user)
    held = fetch(app, user)
    for settings in ({"include_details": "y", "alarm_on": "y", "alarm_time": "09:00"},
                     {"include_details": "y", "alarm_on": "y", "alarm_time": "07:30"},
                     {"include_details": "y"}):
        assert session.post("/calendar", settings).status_code == 303
        held = assert_new_feed(app, user, held)
    assert events(held)["Ravi Patel"].walk("VALARM") == []


def test_a_message_counting_from_now_on_gives_the_new_feed(app, user):
    advisor = overdue(settled(user))
    advisor.log_contact(happened_on=user.today() - timedelta(days=2), kind="message")
    held = fetch(app, user)
    # Changed in the database alone, without moving any stamp: the setting itself counts.
    User.update(messages_count=True).where(User.id == user.id).execute()
    moved = assert_new_feed(app, user, held)
    assert events(moved)["Dana Reyes"]["DTSTART"].dt > events(held)["Dana Reyes"]["DTSTART"].dt


def test_one_daily_summary_event_instead_of_one_per_person_gives_the_new_feed(app, user):
    overdue(settled(user))
    held = fetch(app, user)
    # Changed in the database alone, without moving any stamp: the setting itself counts.
    User.update(calendar_style="summary").where(User.id == user.id).execute()
    moved = assert_new_feed(app, user, held)
    assert b"UID:summary-" not in held.data and b"UID:summary-" in moved.data


def test_a_new_time_zone_gives_the_new_feed(app, user):
    upcoming(settled(user))
    held = fetch(app, user)
    User.update(timezone="Pacific/Auckland").where(User.id == user.id).execute()
    assert_new_feed(app, user, held)


def test_a_new_day_moves_overdue_reminders_and_both_validators(app, user, monkeypatch):
    overdue(settled(user))
    now = datetime.now(timezone.utc)
    freeze(monkeypatch, now)
    held = fetch(app, user)
    freeze(monkeypatch, now + timedelta(days=1))
    moved = assert_new_feed(app, user, held)
    assert events(moved)["Dana Reyes"]["DTSTART"].dt == events(held)["Dana Reyes"]["DTSTART"].dt + timedelta(days=1)
    again = fetch(app, user, **{"If-Modified-Since": held.headers["Last-Modified"]})
    assert again.status_code == 200


def test_a_pause_ending_overnight_brings_the_reminder_back(app, user, monkeypatch):
    """Nothing is written when a pause ends: the day alone changes the feed."""
    settled(user)
    now = datetime.now(timezone.utc)
    freeze(monkeypatch, now)
    add_advisor(user, stage="paused", paused_until=user.today() + timedelta(days=1),
                changed_at=utcnow() - timedelta(days=40))
    held = fetch(app, user)
    assert events(held) == {}
    freeze(monkeypatch, now + timedelta(days=1))
    for headers in ({"If-None-Match": held.headers["ETag"]},
                    {"If-Modified-Since": held.headers["Last-Modified"]}):
        response = fetch(app, user, **headers)
        assert response.status_code == 200 and set(events(response)) == {"Dana Reyes"}


def test_another_accounts_changes_leave_this_feed_fresh(app, user, other):
    upcoming(user)
    held = fetch(app, user)
    upcoming(other, name="Grace Hopper")
    Advisor.update(sequence=Advisor.sequence + 5).where(Advisor.user == other).execute()
    assert revalidated(app, user, held).status_code == 304
