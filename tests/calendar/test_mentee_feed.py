"""A mentee in the calendar feed, over HTTP: their own reminder like an advisor's, named
as a mentee, read back by the independent parsers (ical.js, vobject, ics-py, libical) and
stored by a Radicale server."""
from datetime import timedelta

import pytest

from advisory.models import Advisor, FeedToken
from core.test_calendar_feed import (
    events,
    parse_icaljs,
    parse_ics,
    parse_libical,
    parse_vobject,
    stored_by_radicale,
)
from support import add_advisor


def feed(app, user) -> bytes:
    response = app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics")
    assert response.status_code == 200
    return response.data


def board_with_a_mentee(user):
    dana = add_advisor(user, name="Dana Reyes", added_on=user.today() + timedelta(days=5))
    sam = add_advisor(user, name="Sam Okafor", role="", relation="mentee",
                      added_on=user.today() - timedelta(days=3))
    return dana, sam


@pytest.mark.parametrize("parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
                         ids=["ical.js", "vobject", "ics-py", "libical"])
def test_the_parsers_see_a_mentees_reminder(app, user, parse, tmp_path):
    dana, sam = board_with_a_mentee(user)
    path = tmp_path / "feed.ics"
    path.write_bytes(feed(app, user))
    seen = {event["uid"]: event for event in parse(path)}
    assert {dana.uid, sam.uid} <= set(seen)
    mentee = seen[sam.uid]
    assert mentee["summary"] == "Reach out to Sam Okafor (Mentee)"
    assert mentee["description"].startswith("Role: Mentee\nCadence: Monthly")
    assert mentee["start"] == user.today()  # overdue: carried to today
    assert mentee["end"] == user.today() + timedelta(days=1)


def test_spoke_today_moves_a_mentees_event_and_deleting_takes_it_away(app, user, session):
    _, sam = board_with_a_mentee(user)
    before = events(feed(app, user))[sam.uid]
    session.post(f"/advisors/{sam.id}/spoke-today")
    after = events(feed(app, user))[sam.uid]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTART"].dt == Advisor.get_by_id(sam.id).due_on(user.today())
    session.post(f"/advisors/{sam.id}/delete")
    assert sam.uid not in events(feed(app, user))


def test_radicale_stores_a_feed_with_a_mentee(app, user, tmp_path):
    _, sam = board_with_a_mentee(user)
    stored = events(stored_by_radicale(feed(app, user), tmp_path))
    assert str(stored[sam.uid]["SUMMARY"]) == "Reach out to Sam Okafor (Mentee)"
