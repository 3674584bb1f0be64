"""The calendar option: one event per person, or one daily summary event listing everyone
due (for calendars that fill up with overdue reminders)."""
from datetime import timedelta

from icalendar import Calendar

from advisory.models import FeedToken, User
from support import add_advisor


def fetch(app, user):
    return app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics")


def summaries(response) -> list[str]:
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.data).walk("VEVENT")
            if not str(e["UID"]).startswith("review-")]  # the board review: test_review_feed.py


def test_daily_summary_lists_everyone_due_in_one_event_per_day(app, user, session):
    today = user.today()
    add_advisor(user, "Dana Reyes", added_on=today - timedelta(days=40))
    add_advisor(user, "Omar Haddad", role="expertise", added_on=today)
    add_advisor(user, "Lena Park", role="wisdom", added_on=today + timedelta(days=3))
    per_person = fetch(app, user)
    assert len(summaries(per_person)) == 3

    response = session.post("/calendar", {"calendar_style": "summary", "alarm_on": "y",
                                          "alarm_time": "09:00"})
    assert response.status_code == 303
    assert User.get_by_id(user.id).calendar_style == "summary"
    summary = fetch(app, user)
    assert summary.headers["ETag"] != per_person.headers["ETag"]
    calendar = Calendar.from_ical(summary.data)
    first, second = [e for e in calendar.walk("VEVENT") if not str(e["UID"]).startswith("review-")]
    assert str(first["SUMMARY"]) == "Reach out to 2 people"
    assert first.decoded("DTSTART") == today
    assert "Dana Reyes" in str(first["DESCRIPTION"]) and "Omar Haddad" in str(first["DESCRIPTION"])
    assert str(second["SUMMARY"]) == "Reach out to Lena Park (Business wisdom)"
    assert second.decoded("DTSTART") == today + timedelta(days=3)
    assert len(first.walk("VALARM")) == 1
    assert fetch(app, user).data == summary.data  # unchanged data, identical bytes

    session.post("/calendar", {"calendar_style": "person", "alarm_on": "y", "alarm_time": "09:00"})
    assert len(summaries(fetch(app, user))) == 3


def test_a_summary_event_keeps_its_uid_and_its_sequence_grows(app, user, session):
    today = user.today()
    dana = add_advisor(user, "Dana Reyes", added_on=today - timedelta(days=4))
    add_advisor(user, "Omar Haddad", role="expertise", added_on=today)
    session.post("/calendar", {"calendar_style": "summary"})
    before = Calendar.from_ical(fetch(app, user).data).walk("VEVENT")[0]
    session.post(f"/advisors/{dana.id}/snooze", {"until": str(today + timedelta(days=2))})
    after = Calendar.from_ical(fetch(app, user).data).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["SUMMARY"]) == "Reach out to Omar Haddad (Specific expertise)"
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"])


def test_an_unknown_style_is_refused_with_a_message(app, user, session):
    response = session.post("/calendar", {"calendar_style": "hourly"})
    assert response.status_code == 422
    assert "Pick one of the two." in response.get_data(as_text=True)
    assert User.get_by_id(user.id).calendar_style == "person"
