"""Account settings and changing the password."""
import json

import pytest

from advisory.models import User
from support import PASSWORD

VALID = {"timezone": "Asia/Tokyo", "due_soon_days": "10", "messages_count": "y",
         "insight": "1m", "expertise": "2w", "perspective": "3m", "wisdom": "6w", "balance": "6m"}


def test_save_settings(session, user):
    response = session.post("/settings", VALID)
    assert response.status_code == 303
    saved = User.get_by_id(user.id)
    assert (saved.timezone, saved.due_soon_days, saved.messages_count) == ("Asia/Tokyo", 10, True)
    assert json.loads(saved.role_cadences)["balance"] == "6m"
    assert "Settings saved." in session.get("/settings").get_data(as_text=True)
    # the add form now pre-fills the new default for that role
    assert '<option selected value="6m">' in session.get("/advisors/new?role=balance").get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"timezone": "Moon/Crater"}, "Pick a time zone from the list"),
    ({"due_soon_days": "-1"}, "Use 0 to 60 days."),
    ({"due_soon_days": "many"}, "Enter a whole number of days, from 0 to 60."),
    ({"wisdom": "17x"}, "Pick one of the listed cadences."),
])
def test_bad_settings_change_nothing(session, user, change, message):
    response = session.post("/settings", {**VALID, **change})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    saved = User.get_by_id(user.id)
    assert (saved.timezone, saved.due_soon_days) == ("UTC", 7)


def test_change_password(session, user):
    response = session.post("/settings/password", {"current": PASSWORD, "password": "new-password-1",
                                                   "confirm": "new-password-1"})
    assert response.status_code == 303
    assert User.get_by_id(user.id).check_password("new-password-1")


@pytest.mark.parametrize("data, message", [
    ({"current": "wrong-password", "password": "new-password-1", "confirm": "new-password-1"},
     "That is not your current password."),
    ({"current": PASSWORD, "password": "short", "confirm": "short"}, "Use between 12 and 200"),
    ({"current": PASSWORD, "password": "new-password-1", "confirm": "new-password-2"},
     "The two passwords differ."),
])
def test_bad_password_change_keeps_the_old_one(session, user, data, message):
    response = session.post("/settings/password", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert User.get_by_id(user.id).check_password(PASSWORD)
