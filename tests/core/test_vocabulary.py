"""The vocabulary is data: a role or a kind added in advisory/core/vocabulary.py is
followed by the settings, the board, the forms' messages and the due dates."""
from datetime import timedelta

import pytest

from advisory.core import vocabulary
from advisory.core.cadence import counting_kinds
from advisory.core.vocabulary import KINDS, ROLES, Kind, Role
from advisory.models import Advisor, User
from support import add_advisor


@pytest.fixture
def community(monkeypatch):
    monkeypatch.setitem(ROLES, "community", Role(
        "community", "Community", "Knows the people in your field outside work.", "6w"))


@pytest.fixture
def email_kind(monkeypatch):
    monkeypatch.setitem(KINDS, "email", Kind("email", "Email", conversation=False))


def test_a_sixth_role_gets_its_settings_field_and_its_seat_on_the_board(community, session):
    page = session.get("/settings")
    assert page.status_code == 200 and 'name="community"' in page.get_data(as_text=True)
    cadences = {key: "1m" for key in ROLES} | {"community": "6w"}
    saved = session.post("/settings", {"timezone": "UTC", "due_soon_days": "7", **cadences})
    assert saved.status_code == 303
    assert User.get_by_id(session.user.id).default_cadence("community") == "6w"
    add_advisor(session.user, role="insight")
    board = session.get("/board").get_data(as_text=True)
    assert "5 of 6 roles are empty" in board and "Community" in board


def test_a_kind_that_is_not_a_conversation_does_not_reset_the_cadence(email_kind, user):
    assert "email" not in counting_kinds(messages_count=False)
    assert "email" in counting_kinds(messages_count=True)
    today = user.today()
    advisor = add_advisor(user, added_on=today - timedelta(days=60))
    advisor.log_contact(happened_on=today - timedelta(days=1), kind="email")
    stored = Advisor.get_by_id(advisor.id)
    assert stored.last_conversation_on is None  # an email is not a conversation
    assert stored.last_message_on == today - timedelta(days=1)


def test_messages_name_every_choice():
    assert vocabulary.spoken(KINDS) == "in person, call, video or message"
    assert vocabulary.choices(KINDS)["in_person"] == "In person"
