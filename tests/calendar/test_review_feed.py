"""The board review in the calendar feed, over HTTP: an all-day event on its due date
whose UID names that date, read back by the independent parsers (ical.js, vobject,
ics-py, libical) and stored by a Radicale server; a saved review or a new period moves
it to a new date (the old event leaves the feed, the ETag moves, SEQUENCE and
LAST-MODIFIED never go down); off or an empty board has none; never another account's."""
from datetime import date, timedelta

import pytest

from advisory.core.cadence import add_months
from advisory.models import BoardReview, FeedToken
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


def reviews_in(body: bytes) -> dict:
    return {uid: event for uid, event in events(body).items() if uid.startswith("review-")}


def late_review(user) -> date:
    """A board begun four months ago and never reviewed: due a month ago."""
    started = add_months(user.today(), -4)
    add_advisor(user, name="Dana Reyes", added_on=started)
    return add_months(started, 3)


@pytest.mark.parametrize("parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
                         ids=["ical.js", "vobject", "ics-py", "libical"])
@pytest.mark.parametrize("style", ["person", "summary"])
def test_the_parsers_see_the_review_on_its_due_date(app, user, session, parse, style, tmp_path):
    due = late_review(user)
    session.post("/calendar", {"calendar_style": style, "alarm_on": "y", "alarm_time": "09:00"})
    path = tmp_path / "feed.ics"
    path.write_bytes(fetch(app, user).data)
    [seen] = [event for event in parse(path) if event["uid"].startswith("review-")]
    assert seen["uid"] == f"review-{due:%Y%m%d}-{user.id}@advisory"
    assert seen["summary"] == "Board review due"
    assert seen["description"].endswith("\nhttp://advisory.test/board/review")
    assert (seen["start"], seen["end"]) == (due, due + timedelta(days=1))  # late: on its date
    assert len(seen["alarms"]) == 1 and seen["alarms"][0].date() == due


def test_radicale_stores_the_feed_with_the_review(app, user, tmp_path):
    due = late_review(user)
    stored = stored_by_radicale(fetch(app, user).data, tmp_path)
    assert str(reviews_in(stored)[f"review-{due:%Y%m%d}-{user.id}@advisory"]["SUMMARY"]) == \
        "Board review due"


def test_a_saved_review_moves_the_event_to_its_next_date(app, user, session):
    late = late_review(user)
    first = fetch(app, user)
    [before] = reviews_in(first.data).values()
    assert fetch(app, user, **{"If-None-Match": first.headers["ETag"]}).status_code == 304

    session.post("/board/review", {"reflection": "Done"})
    second = fetch(app, user)
    assert second.headers["ETag"] != first.headers["ETag"]
    next_due = add_months(user.today(), 3)
    [(uid, after)] = reviews_in(second.data).items()
    assert uid == f"review-{next_due:%Y%m%d}-{user.id}@advisory" and f"{late:%Y%m%d}" not in uid
    assert after["DTSTART"].dt == next_due
    assert after["SEQUENCE"] >= before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt
    assert fetch(app, user).data == second.data  # unchanged: the same bytes


def test_the_period_setting_moves_it_and_off_removes_it(app, user, session):
    late_review(user)
    BoardReview.create(user=user, reviewed_on=user.today() - timedelta(days=10))
    settings = {"timezone": "UTC", "due_soon_days": "7", "insight": "1m", "expertise": "2w",
                "perspective": "3m", "wisdom": "6w", "balance": "3m"}
    quarterly = fetch(app, user)
    session.post("/settings", {**settings, "review_every": "yearly"})
    yearly = fetch(app, user)
    [event] = reviews_in(yearly.data).values()
    assert event["DTSTART"].dt == add_months(user.today() - timedelta(days=10), 12)
    assert yearly.headers["ETag"] != quarterly.headers["ETag"]
    session.post("/settings", {**settings, "review_every": "off"})
    assert reviews_in(fetch(app, user).data) == {}


def test_no_board_no_review_and_another_accounts_never_shows(app, user, other):
    assert reviews_in(fetch(app, user).data) == {}
    late_review(other)
    assert reviews_in(fetch(app, user).data) == {}
    assert len(reviews_in(fetch(app, other).data)) == 1


