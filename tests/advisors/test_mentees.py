"""Do for one: mentees on the same cadence engine as the board, with their own fields,
their own list and section of the due list, and no seat among the five roles."""
from datetime import timedelta

from advisory.models import Advisor, Goal
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def add_mentee(user, name="Sam Okafor", **fields) -> Advisor:
    return add_advisor(user, name=name, role="", relation="mentee", **fields)


def test_adding_a_mentee_with_their_goals_and_fields(session, user):
    response = session.post("/mentees/new", {
        "name": "Sam Okafor", "last_talked": "never", "cadence": "1m", "email": "sam@example.com",
        "their_goals": "Lead a team\n\n  Speak at a conference  ",
        "ideal_next_step": "A team lead role", "strengths": "Patient, loves data",
        "introductions_to_make": "Ana at Lisbon Labs", "stage": "active", "meeting_kind": "video"})
    assert response.status_code == 303
    sam = Advisor.get(Advisor.name == "Sam Okafor")
    assert response.headers["Location"].endswith(f"/advisors/{sam.id}")
    assert (sam.relation, sam.role, sam.cadence.label()) == ("mentee", "", "Monthly")
    goals = Goal.select().where(Goal.advisor == sam.id).order_by(Goal.id)
    assert [(goal.text, goal.state) for goal in goals] == [("Lead a team", "open"),
                                                          ("Speak at a conference", "open")]
    page = text(session.get(f"/advisors/{sam.id}"))
    for shown in ("Mentee", "A team lead role", "Patient, loves data", "Ana at Lisbon Labs",
                  f'href="/mentees/{sam.id}/edit"'):
        assert shown in page
    assert "Why they are on your board" not in page and "Giving back" not in page


def test_the_add_form_has_the_last_talked_block_and_no_roles(session, user):
    page = text(session.get("/mentees/new"))
    assert "When did you last talk?" in page and "Their goals" in page
    assert "Strengths and passions" in page and "Contacts you could introduce them to" in page
    assert 'name="role"' not in page
    assert '<option selected value="1m">' in page  # monthly unless chosen otherwise


def test_a_mentee_without_a_name_or_with_too_many_goals_is_refused(session, user):
    response = session.post("/mentees/new", {"name": "", "cadence": "1m",
                                             "their_goals": "\n".join(["x"] * 11)})
    page = text(response)
    assert response.status_code == 422
    assert "Enter their name." in page and "Keep it to 10 goals" in page
    assert Advisor.select().count() == 0


def test_editing_a_mentee_keeps_them_a_mentee(session, user):
    sam = add_mentee(user)
    assert session.get(f"/advisors/{sam.id}/edit").headers["Location"].endswith(
        f"/mentees/{sam.id}/edit")
    response = session.post(f"/mentees/{sam.id}/edit", {
        "name": "Sam O.", "cadence": "2w", "stage": "active", "meeting_kind": "call",
        "ideal_next_step": "Staff engineer"})
    assert response.status_code == 303
    sam = Advisor.get_by_id(sam.id)
    assert (sam.name, sam.relation, sam.role, sam.ideal_next_step, sam.cadence.label()) == (
        "Sam O.", "mentee", "", "Staff engineer", "Every 2 weeks")


def test_the_list_shows_each_mentee_due_and_a_gentle_note_past_four(session, user):
    for number in range(4):
        add_mentee(user, name=f"Mentee {number}")
    page = text(session.get("/mentees"))
    assert page.count('<li class="card status-due"') == 4 and "Due today" in page
    assert "never more than" not in page
    add_mentee(user, name="Paused one", stage="paused")
    assert "never more than" not in text(session.get("/mentees"))  # paused: not counted
    add_mentee(user, name="Fifth")
    assert "never more than\n  3 or 4" in text(session.get("/mentees"))


def test_the_due_list_puts_mentees_in_their_own_section(session, user):
    add_advisor(user, name="Dana Reyes")
    add_mentee(user, added_on=user.today() - timedelta(days=40))
    page = text(session.get("/"))
    section = page.split('id="group-mentees"')[1]
    assert "People you mentor" in section and "Sam Okafor" in section
    board = page.split('id="group-mentees"')[0]
    assert "Sam Okafor" not in board and "Dana Reyes" in board
    assert "2 overdue" not in page and "1 overdue" in page  # Sam, counted at the top too


def test_spoke_today_on_a_mentee_moves_them_to_their_next_date(session, user):
    sam = add_mentee(user)
    session.post(f"/advisors/{sam.id}/spoke-today", {"from": "due"})
    sam = Advisor.get_by_id(sam.id)
    assert sam.due_on(user.today()) > user.today() + timedelta(days=27)


def test_the_board_counts_only_the_five_roles(session, user):
    add_advisor(user, name="Dana Reyes", role="insight")
    add_mentee(user)
    page = text(session.get("/board"))
    assert "Sam Okafor" not in page and "Dana Reyes" in page
    assert "4 of 5 roles" in page or "4 roles" in page


def test_another_accounts_mentee_is_out_of_reach(session, user, other):
    theirs = add_mentee(other, name="Grace's mentee")
    assert session.get(f"/mentees/{theirs.id}/edit").status_code == 404
    assert session.post(f"/mentees/{theirs.id}/edit", {"name": "Mine now", "cadence": "1m",
                                                       "stage": "active"}).status_code == 404
    assert session.get(f"/advisors/{theirs.id}").status_code == 404
    assert "Grace's mentee" not in text(session.get("/mentees"))
    assert Advisor.get_by_id(theirs.id).name == "Grace's mentee"


def test_adding_without_the_csrf_token_is_refused(client, session, user):
    response = client.post("/mentees/new", data={"name": "Sam", "cadence": "1m"})
    assert response.status_code == 400
    assert Advisor.select().count() == 0


def test_a_deleted_mentee_comes_back_with_the_people_you_mentor(session, user):
    sam = add_mentee(user)
    session.post(f"/advisors/{sam.id}/delete")
    assert f'id="mentee-{sam.id}"' not in text(session.get("/mentees"))
    response = session.post(f"/advisors/{sam.id}/restore")
    assert "back with the people you mentor" in text(session.get(response.headers["Location"]))


def test_a_deleted_mentee_is_listed_as_a_mentee_under_recently_deleted(session, user):
    sam = add_mentee(user)
    session.post(f"/advisors/{sam.id}/delete")
    page = session.get("/advisors/deleted")
    assert page.status_code == 200
    assert "<strong>Sam Okafor</strong> · Mentee" in text(page)


def test_a_mentees_goals_are_theirs(session, user):
    """Goals on a mentee's page are what they want to achieve, not what you seek."""
    sam = add_mentee(user)
    page = session.get(f"/advisors/{sam.id}").get_data(as_text=True)
    assert "What do they want to achieve, with your help?" in page
    assert f"with {sam.name}'s help" not in page
