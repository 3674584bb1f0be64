"""One account never sees or changes another's advisors or contacts."""
from datetime import timedelta

import pytest

from advisory.models import Advisor, Contact
from support import add_advisor

GET_ROUTES = ["/advisors/{id}", "/advisors/{id}/edit", "/advisors/{id}/log"]
POST_ROUTES = {
    "/advisors/{id}/edit": {"name": "Stolen", "role": "insight", "stage": "active", "cadence": "1m",
                            "meeting_kind": "call"},
    "/advisors/{id}/log": {"happened_on": "2026-01-01", "kind": "call"},
    "/advisors/{id}/spoke-today": {},
    "/advisors/{id}/undo": {},
    "/advisors/{id}/snooze": {"days": "7"},
    "/advisors/{id}/delete": {},
}


@pytest.fixture
def theirs(other):
    advisor = add_advisor(other, name="Private Person", notes="secret notes",
                          snoozed_until=None)
    advisor.log_contact(happened_on=other.today() - timedelta(days=3), kind="call",
                        notes="their conversation")
    return advisor


@pytest.mark.parametrize("route", GET_ROUTES)
def test_other_accounts_pages_are_404(session, theirs, route):
    response = session.get(route.format(id=theirs.id))
    assert response.status_code == 404
    assert "Private Person" not in response.get_data(as_text=True)


@pytest.mark.parametrize("route, data", POST_ROUTES.items())
def test_other_accounts_advisor_cannot_be_changed(session, theirs, route, data):
    before = Advisor.get_by_id(theirs.id)
    response = session.post(route.format(id=theirs.id), data)
    assert response.status_code == 404
    after = Advisor.get_by_id(theirs.id)
    assert (after.name, after.snoozed_until, after.sequence) == (before.name, before.snoozed_until, before.sequence)
    assert [c.notes for c in Contact.select()] == ["their conversation"]


def test_lists_show_only_own_advisors(session, user, theirs):
    add_advisor(user, name="My Mentor")
    for url in ("/", "/board"):
        html = session.get(url).get_data(as_text=True)
        assert "My Mentor" in html and "Private Person" not in html
