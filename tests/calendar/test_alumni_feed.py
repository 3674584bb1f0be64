"""Alumni in the calendar feed, over HTTP: one who stays in touch yearly has a reminder a
year after the last contact, read back by the independent parsers (ical.js, vobject,
ics-py, libical) and stored by a Radicale server; one who does not has none; bringing them back moves the event."""
from datetime import timedelta

import pytest

from advisory.core.cadence import add_months
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


def alumni(user) -> tuple[Advisor, Advisor]:
    """Two alumni, both last spoken to ten days ago: one checks in yearly, one does not."""
    spoke = user.today() - timedelta(days=10)
    kept = add_advisor(user, name="Dana Reyes", cadence_count=2, cadence_unit="weeks")
    gone = add_advisor(user, name="Omar Haddad")
    for advisor, yearly in ((kept, True), (gone, False)):
        advisor.log_contact(happened_on=spoke, kind="call")
        Advisor.get_by_id(advisor.id).close(reason="moved_on", lesson="", yearly_check_in=yearly)
    return kept, gone


@pytest.mark.parametrize("parse", [parse_icaljs, parse_vobject, parse_ics, parse_libical],
                         ids=["ical.js", "vobject", "ics-py", "libical"])
def test_the_parsers_see_a_yearly_check_in_and_nothing_else(app, user, parse, tmp_path):
    kept, gone = alumni(user)
    path = tmp_path / "feed.ics"
    path.write_bytes(feed(app, user))
    seen = {event["uid"]: event for event in parse(path)}
    assert kept.uid in seen and gone.uid not in seen
    check_in = seen[kept.uid]
    # a year after the close (today), which is later than the last call
    assert check_in["start"] == add_months(user.today(), 12)
    assert check_in["end"] == check_in["start"] + timedelta(days=1)
    assert check_in["summary"] == "Reach out to Dana Reyes (Organizational insight)"
    assert check_in["description"].startswith("Role: Organizational insight\nCadence: Yearly")


def test_radicale_stores_the_yearly_check_in(app, user, tmp_path):
    kept, gone = alumni(user)
    stored = events(stored_by_radicale(feed(app, user), tmp_path))
    assert kept.uid in stored and gone.uid not in stored
    assert stored[kept.uid]["DTSTART"].dt == add_months(user.today(), 12)


def test_bringing_them_back_puts_their_own_cadence_back_in_the_feed(app, user, session):
    kept, gone = alumni(user)
    before = events(feed(app, user))[kept.uid]
    session.post(f"/advisors/{kept.id}/bring-back")
    session.post(f"/advisors/{gone.id}/bring-back")
    after = events(feed(app, user))
    assert after[kept.uid]["SEQUENCE"] > before["SEQUENCE"]
    assert after[kept.uid]["DTSTART"].dt == user.today() + timedelta(days=4)  # fortnightly
    assert gone.uid in after
