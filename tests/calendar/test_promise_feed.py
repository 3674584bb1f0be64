"""My promises with a date in the calendar feed, over HTTP: their own all-day event on
their date with a stable UID, a SEQUENCE that grows with each change, gone when kept or
deleted, and an ETag that moves each time (advisory/calendar/views.py)."""
from datetime import date, timedelta

from icalendar import Calendar

from advisory.models import FeedToken, Promise
from support import add_advisor, sign_in


def fetch(app, user, **headers):
    return app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics", headers=headers)


def promise_events(response) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")
            if str(e["UID"]).startswith("promise-")}


def test_my_dated_promise_is_an_event_until_kept(app, user, client):
    dana = add_advisor(user, name="Dana Reyes")
    day = user.today() + timedelta(days=3)
    mine = Promise.make(dana, text="Send the pricing deck", owed_by="me", due_on=day)
    Promise.make(dana, text="Undated", owed_by="me")
    Promise.make(dana, text="Theirs", owed_by="them", due_on=day)
    first = fetch(app, user)
    events = promise_events(first)
    uid = f"promise-{mine.id}-{user.id}@advisory"
    assert list(events) == [uid]
    event = events[uid]
    assert str(event["SUMMARY"]) == "Promised Dana Reyes: Send the pricing deck"
    assert event["DTSTART"].dt == day and event["DTEND"].dt == day + timedelta(days=1)
    assert fetch(app, user, **{"If-None-Match": first.headers["ETag"]}).status_code == 304

    session = sign_in(client, user)
    session.post(f"/advisors/{dana.id}/promises/{mine.id}/edit",
                 data={"text": "Send the pricing deck v2", "owed_by": "me",
                       "due_on": (day + timedelta(days=1)).isoformat()})
    edited = fetch(app, user)
    moved = promise_events(edited)[uid]
    assert moved["SEQUENCE"] > event["SEQUENCE"] and moved["DTSTART"].dt == day + timedelta(days=1)
    assert edited.headers["ETag"] != first.headers["ETag"]

    session.post(f"/advisors/{dana.id}/promises/{mine.id}/kept")
    kept = fetch(app, user)
    assert promise_events(kept) == {}
    assert fetch(app, user, **{"If-None-Match": edited.headers["ETag"]}).status_code == 200

    session.post(f"/advisors/{dana.id}/promises/reopen", data={"promise": mine.id})
    back = promise_events(fetch(app, user))[uid]
    assert back["SEQUENCE"] > moved["SEQUENCE"]
    session.post(f"/advisors/{dana.id}/promises/{mine.id}/delete")
    assert promise_events(fetch(app, user)) == {}


def test_a_late_promise_stays_on_its_date_and_another_accounts_never_shows(app, user, other):
    late = user.today() - timedelta(days=2)
    Promise.make(add_advisor(user, name="Dana"), text="Late", owed_by="me", due_on=late)
    Promise.make(add_advisor(other, name="Grace"), text="Not mine", owed_by="me",
                 due_on=date.today())
    events = list(promise_events(fetch(app, user)).values())
    assert [(str(e["SUMMARY"]), e["DTSTART"].dt) for e in events] == [("Promised Dana: Late", late)]
