"""Birthdays and yearly dates in the calendar feed, over HTTP: one all-day event a year
with a stable UID, 29 February on the 28th in other years (read back and expanded by
ical.js, vobject and libical, kept by ics-py, stored by Radicale), and an ETag that moves
when a date is added, changed or removed (advisory/calendar/views.py)."""
from datetime import date, timedelta

import pytest

from advisory.models import FeedToken, YearlyDate
from core.test_calendar_feed import (
    events,
    parse_icaljs,
    parse_ics,
    parse_libical,
    parse_vobject,
    stored_by_radicale,
)
from support import add_advisor


def fetch(app, user, **headers):
    return app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics", headers=headers)


def yearly_events(raw) -> dict:
    return {uid: event for uid, event in events(raw).items() if uid.startswith("yearly-")}


def dates(user):
    """Dana born on 29 February 1988, and Eli's company founded on 15 April."""
    dana = add_advisor(user, name="Dana Reyes")
    eli = add_advisor(user, name="Eli Cohen", relation="mentee", role="")
    leap = YearlyDate.make(dana, kind="birthday", label="", month=2, day=29, year=1988)
    founded = YearlyDate.make(eli, kind="date", label="company founded", month=4, day=15,
                              year=None)
    return leap, founded


@pytest.mark.parametrize("parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
                         ids=["ical.js", "vobject", "ics-py", "libical"])
def test_the_parsers_repeat_each_date_every_year(app, user, parse, tmp_path):
    leap, founded = dates(user)
    path = tmp_path / "feed.ics"
    path.write_bytes(fetch(app, user).data)
    seen = {event["uid"]: event for event in parse(path)}
    since = leap.created_at.year
    birthday = seen[f"yearly-{leap.id}-{user.id}@advisory"]
    assert birthday["summary"] == "Dana Reyes's birthday"
    assert birthday["description"].startswith("Dana Reyes's birthday: 29 February 1988\n")
    assert birthday["alarms"] == []  # an absolute alarm would ring in the first year only
    assert "BYMONTHDAY=-1" in birthday["rrule"] and "BYMONTH=2" in birthday["rrule"]
    assert birthday["end"] - birthday["start"] == timedelta(days=1)
    company = seen[f"yearly-{founded.id}-{user.id}@advisory"]
    assert company["summary"] == "Eli Cohen: company founded"
    assert company["start"] == date(since, 4, 15) and company["rrule"] == "FREQ=YEARLY"
    if parse is parse_ics:  # ics-py keeps the rule without expanding it
        return
    leap_years = [day for day in birthday["occurrences"] if day.day == 29]
    assert len(birthday["occurrences"]) == 4 and len(leap_years) == 1
    assert all(day.month == 2 and day.day == (29 if day.year % 4 == 0 else 28)
               for day in birthday["occurrences"])
    assert company["occurrences"] == [date(since + n, 4, 15) for n in range(4)]


def test_radicale_stores_the_yearly_events(app, user, tmp_path):
    leap, founded = dates(user)
    stored = yearly_events(stored_by_radicale(fetch(app, user).data, tmp_path))
    assert len(stored) == 2
    rule = stored[f"yearly-{leap.id}-{user.id}@advisory"]["RRULE"]
    assert rule["FREQ"] == ["YEARLY"] and rule["BYMONTHDAY"] == [-1] and rule["BYMONTH"] == [2]


def test_adding_changing_and_removing_a_date_moves_the_feed(app, user, session):
    dana = add_advisor(user, name="Dana")
    first = fetch(app, user)
    assert yearly_events(first.data) == {}
    session.post(f"/advisors/{dana.id}/dates/new", {"kind": "birthday", "day": "3",
                                                     "month": "5"})
    added = fetch(app, user, **{"If-None-Match": first.headers["ETag"]})
    assert added.status_code == 200
    [(uid, event)] = yearly_events(added.data).items()
    found = YearlyDate.get()
    assert uid == f"yearly-{found.id}-{user.id}@advisory"
    assert event["DTSTART"].dt == date(found.created_at.year, 5, 3)
    assert fetch(app, user, **{"If-None-Match": added.headers["ETag"]}).status_code == 304

    session.post(f"/advisors/{dana.id}/dates/{found.id}/edit", {
        "kind": "birthday", "day": "4", "month": "5"})
    changed = fetch(app, user, **{"If-None-Match": added.headers["ETag"]})
    assert changed.status_code == 200
    moved = yearly_events(changed.data)[uid]  # the same UID, a higher SEQUENCE
    assert moved["SEQUENCE"] > event["SEQUENCE"] and moved["DTSTART"].dt.day == 4

    session.post(f"/advisors/{dana.id}/dates/{found.id}/delete")
    removed = fetch(app, user, **{"If-None-Match": changed.headers["ETag"]})
    assert removed.status_code == 200 and yearly_events(removed.data) == {}


def test_trashed_people_and_other_accounts_leave_no_date(app, user, other):
    dana = add_advisor(user, name="Dana")
    YearlyDate.make(dana, kind="birthday", label="", month=1, day=2, year=None)
    YearlyDate.make(add_advisor(other, name="Grace"), kind="birthday", label="", month=1,
                    day=3, year=None)
    assert [str(e["SUMMARY"]) for e in yearly_events(fetch(app, user).data).values()] == [
        "Dana's birthday"]
    dana.delete_with_history()
    assert yearly_events(fetch(app, user).data) == {}
