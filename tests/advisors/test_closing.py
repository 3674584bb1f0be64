"""An honourable close: alumni with a reason, a lesson, a last thank-you (logged or
promised) and an optional yearly check-in, kept on the board page and brought back."""
from datetime import timedelta

import pytest

from advisory.core.cadence import add_months
from advisory.models import Advisor, Contact, Promise
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def close(session, advisor, **fields):
    data = {"reason": "goal_reached", "lesson": "Ask for the number first.", **fields}
    return session.post(f"/advisors/{advisor.id}/close", data)


def test_the_advisor_page_offers_to_bring_it_to_a_close(session, user):
    dana = add_advisor(user)
    page = text(session.get(f"/advisors/{dana.id}"))
    assert f'href="/advisors/{dana.id}/close"' in page
    form = text(session.get(f"/advisors/{dana.id}/close"))
    for words in ("The goal was reached", "My needs changed", "They moved on", "We lost touch",
                  "What I learned from them", "I thanked them", "Remind me to thank them",
                  "Stay in touch yearly"):
        assert words in form


def test_closing_with_thanks_logs_a_thank_you_today_and_lists_them_as_alumni(session, user):
    dana = add_advisor(user, name="Dana Reyes", role="wisdom",
                       added_on=user.today() - timedelta(days=400),
                       snoozed_until=user.today() + timedelta(days=5))
    response = close(session, dana, thank="thanked")
    assert response.status_code == 303 and response.headers["Location"].endswith("/board#alumni")
    closed = Advisor.get_by_id(dana.id)
    assert (closed.stage, closed.closed_on, closed.close_reason, closed.snoozed_until) == (
        "alumni", user.today(), "goal_reached", None)
    thanks = Contact.get(Contact.advisor == dana.id)
    assert (thanks.happened_on, thanks.thanked) == (user.today(), True)
    board = text(session.get("/board"))
    assert "Dana Reyes is among your alumni. Your thank-you is logged today." in board
    alumni = board.split('id="alumni-title"')[1]
    assert (f"Member from {(user.today() - timedelta(days=400)):%a %-d %b %Y} "
            f"to {user.today():%a %-d %b %Y} · The goal was reached") in alumni
    assert "Ask for the number first." in alumni and "Bring back" in alumni
    assert "Dana Reyes" not in board.split('id="alumni-title"')[0].split('class="seats"')[1]


def test_remind_me_to_thank_them_promises_it_a_week_out(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    close(session, dana, thank="remind")
    promise = Promise.get(Promise.advisor == dana.id)
    assert (promise.text, promise.owed_by, promise.due_on) == (
        "Thank Dana Reyes", "me", user.today() + timedelta(days=7))
    assert Contact.select().count() == 0


def test_neither_thanks_nor_yearly_check_in_means_no_reminder_ever(session, user):
    dana = add_advisor(user, name="Dana Reyes", added_on=user.today() - timedelta(days=900))
    close(session, dana, reason="lost_touch", lesson="")
    assert Contact.select().count() == 0 and Promise.select().count() == 0
    closed = Advisor.get_by_id(dana.id)
    closed.user = user
    assert closed.due_on(user.today() + timedelta(days=800)) is None
    session.get("/board")  # the confirmation, read
    due_list = text(session.get("/"))
    assert "Not on this list (paused or alumni):" in due_list
    assert ">Spoke today<" not in due_list


def test_a_yearly_check_in_is_due_a_year_after_the_last_contact(session, user):
    dana = add_advisor(user, name="Dana Reyes", added_on=user.today() - timedelta(days=90))
    dana.log_contact(happened_on=user.today() - timedelta(days=10), kind="call")
    close(session, dana, thank="thanked", yearly_check_in="y")
    closed = Advisor.get_by_id(dana.id)
    closed.user = user
    assert closed.yearly_check_in
    assert closed.due_on(user.today()) == add_months(user.today(), 12)
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Yearly check-in" in page and "Bring back" in page


def test_a_close_needs_a_reason_and_a_known_thank_choice(session, user):
    dana = add_advisor(user)
    response = session.post(f"/advisors/{dana.id}/close", {"lesson": "x" * 2001,
                                                            "thank": "bribe"})
    body = text(response)
    assert response.status_code == 422
    assert "Pick why it comes to a close." in body and "Pick one of the choices." in body
    assert Advisor.get_by_id(dana.id).stage == "active"


def test_bringing_back_clears_the_close_and_restores_the_cadence(session, user):
    dana = add_advisor(user, name="Dana Reyes", cadence_count=2, cadence_unit="weeks")
    close(session, dana, yearly_check_in="y")
    response = session.post(f"/advisors/{dana.id}/bring-back", {"from": "board"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/board")
    back = Advisor.get_by_id(dana.id)
    assert (back.stage, back.closed_on, back.close_reason, back.lesson, back.yearly_check_in) == (
        "active", None, "", "", False)
    assert (back.cadence_count, back.cadence_unit) == (2, "weeks")
    board = text(session.get("/board"))
    assert "Dana Reyes is back on your board" in board and 'id="alumni-title"' not in board
    again = session.post(f"/advisors/{dana.id}/bring-back")
    assert again.status_code == 303 and "on your board already" in text(session.get("/board"))


def test_closing_someone_already_closed_changes_nothing(session, user):
    dana = add_advisor(user)
    close(session, dana, lesson="First lesson")
    response = close(session, dana, lesson="Second lesson")
    assert response.status_code == 303 and Advisor.get_by_id(dana.id).lesson == "First lesson"


@pytest.mark.parametrize("path", ["close", "bring-back"])
def test_another_accounts_member_cannot_be_closed_or_brought_back(session, other, path):
    theirs = add_advisor(other, stage="alumni" if path == "bring-back" else "active")
    assert session.post(f"/advisors/{theirs.id}/{path}", {"reason": "other"}).status_code == 404
    assert Advisor.get_by_id(theirs.id).stage == ("alumni" if path == "bring-back" else "active")


def test_closing_without_the_csrf_token_is_refused(client, session, user):
    dana = add_advisor(user)
    assert client.post(f"/advisors/{dana.id}/close",
                       data={"reason": "other"}).status_code == 400
    assert Advisor.get_by_id(dana.id).stage == "active"


def test_closing_and_bringing_back_move_the_calendar_feed(session, user):
    dana = add_advisor(user, sequence=1)
    close(session, dana)
    closed = Advisor.get_by_id(dana.id)
    session.post(f"/advisors/{dana.id}/bring-back")
    assert 1 < closed.sequence < Advisor.get_by_id(dana.id).sequence


def test_a_mentee_is_not_brought_to_a_close_as_board_alumni(session, user):
    sam = add_advisor(user, name="Sam Mentee", role="", relation="mentee")
    assert f'href="/advisors/{sam.id}/close"' not in text(session.get(f"/advisors/{sam.id}"))
    assert session.post(f"/advisors/{sam.id}/close", {"reason": "other"}).status_code == 404
    assert Advisor.get_by_id(sam.id).stage == "active"


def test_a_yearly_check_in_comes_due_on_the_due_list_and_in_reminders(session, user):
    from advisory.reminders.agenda import agenda
    long_ago = add_months(user.today(), -13)
    add_advisor(user, name="Dana Reyes", stage="alumni", closed_on=long_ago,
                yearly_check_in=True, last_spoke_on=long_ago, added_on=long_ago)
    add_advisor(user, name="Omar Haddad", stage="alumni", closed_on=long_ago,
                last_spoke_on=long_ago, added_on=long_ago)
    overdue = text(session.get("/")).split('id="due-list"')[1].split("Not on this list")[0]
    assert "Dana Reyes" in overdue and "Omar Haddad" not in overdue
    assert [card.advisor.name for card in agenda(user, user.today()).cards] == ["Dana Reyes"]
