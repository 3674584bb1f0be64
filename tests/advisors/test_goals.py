"""Goals on the advisor page: adding, editing, achieved / dropped / open again, deleting,
progress notes pointing at a conversation, with and without htmx; never another
account's."""
from datetime import timedelta

from advisory.models import Contact
from advisory.models.goals import Goal, GoalNote
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def add_goal(session, advisor, words="Negotiate the director offer"):
    response = session.post(f"/advisors/{advisor.id}/goals/new", {"text": words})
    assert response.status_code == 303
    return Goal.get(Goal.text == words)


def test_a_goal_added_shows_open_on_the_page_prep_and_board(session, user):
    dana = add_advisor(user, name="Dana Reyes", role="wisdom")
    response = session.post(f"/advisors/{dana.id}/goals/new", {"text": "  Negotiate the offer "})
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#goals")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Goal added: Negotiate the offer." in page
    assert "Negotiate the offer" in page.split('id="goals-title"')[1]
    assert "Negotiate the offer" in text(session.get(f"/advisors/{dana.id}/prep"))
    board = text(session.get("/board"))
    assert 'aria-label="Open goals with Dana Reyes"' in board and "Negotiate the offer" in board


def test_an_empty_or_too_long_goal_is_refused_with_a_reason(session, user):
    dana = add_advisor(user)
    empty = session.post(f"/advisors/{dana.id}/goals/new", {"text": "   "})
    assert empty.status_code == 422 and "Say what you want to achieve." in text(empty)
    long = session.htmx_post(f"/advisors/{dana.id}/goals/new", {"text": "x" * 301})
    assert long.status_code == 422 and 'id="goals"' in text(long) and "<html" not in text(long)
    assert "300" in text(long) and Goal.select().count() == 0


def test_achieved_goals_are_kept_counted_and_can_be_reopened(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    first = add_goal(session, dana, "Negotiate the offer")
    second = add_goal(session, dana, "Find a sponsor")
    for goal in (first, second):
        response = session.post(f"/advisors/{dana.id}/goals/{goal.id}/state",
                                {"state": "achieved"})
        assert response.status_code == 303
    assert Goal.get_by_id(first.id).closed_on == user.today()
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "2 goals achieved" in page and "Achieved and dropped (2)" in page
    assert "No open goal." in page
    assert "2 goals achieved" in text(session.get("/board"))
    session.post(f"/advisors/{dana.id}/goals/{first.id}/state", {"state": "open"})
    reopened = Goal.get_by_id(first.id)
    assert (reopened.state, reopened.closed_on) == ("open", None)
    assert "1 goal achieved" in text(session.get(f"/advisors/{dana.id}"))


def test_a_dropped_goal_leaves_the_prep_page_but_stays_on_record(session, user):
    dana = add_advisor(user)
    goal = add_goal(session, dana, "Move to Lisbon")
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/state", {"state": "dropped"})
    prep = text(session.get(f"/advisors/{dana.id}/prep")).split('<article class="prep">')[1]
    assert "Move to Lisbon" not in prep
    assert "Dropped" in text(session.get(f"/advisors/{dana.id}/goals/{goal.id}"))
    refused = session.post(f"/advisors/{dana.id}/goals/{goal.id}/state", {"state": "won"})
    assert refused.status_code == 400 and Goal.get_by_id(goal.id).state == "dropped"


def test_htmx_swaps_only_the_goals_panel(session, user):
    dana = add_advisor(user)
    goal = add_goal(session, dana)
    response = session.htmx_post(f"/advisors/{dana.id}/goals/{goal.id}/state",
                                 {"state": "achieved"})
    body = text(response)
    assert response.status_code == 200 and body.lstrip().startswith('<section class="panel" id="goals"')
    assert "Achieved: Negotiate the director offer. Well done." in body
    assert "HX-Request" in response.headers["Vary"]
    # nothing left to show on the next full page: the panel said it already
    assert "Well done" not in text(session.get(f"/advisors/{dana.id}"))


def test_progress_notes_point_at_a_conversation(session, user):
    dana = add_advisor(user)
    call = dana.log_contact(happened_on=user.today() - timedelta(days=2), kind="call")
    goal = add_goal(session, dana)
    page = text(session.get(f"/advisors/{dana.id}"))
    assert f'<option value="{call.id}">' in page  # the latest conversations to pick from
    response = session.post(f"/advisors/{dana.id}/goals/{goal.id}/notes", {
        "note": "They said ask for 15%", "noted_on": str(user.today()), "contact": str(call.id)})
    assert response.status_code == 303
    note = GoalNote.get()
    assert (note.note, note.contact_id) == ("They said ask for 15%", call.id)
    goal_page = text(session.get(f"/advisors/{dana.id}/goals/{goal.id}"))
    assert "They said ask for 15%" in goal_page
    assert f'from the <a href="/advisors/{dana.id}/contacts/{call.id}/edit">call of' in goal_page
    assert "They said ask for 15%" in text(session.get(f"/advisors/{dana.id}/prep"))
    # the conversation deleted for good: the note stays, without its link
    Contact.delete().where(Contact.id == call.id).execute()
    assert GoalNote.get().contact_id is None
    assert "from the <a" not in text(session.get(f"/advisors/{dana.id}/goals/{goal.id}"))


def test_a_note_is_refused_for_a_future_date_or_someone_elses_conversation(session, user, other):
    dana = add_advisor(user)
    goal = add_goal(session, dana)
    theirs = add_advisor(other).log_contact(happened_on=other.today(), kind="call")
    future = session.post(f"/advisors/{dana.id}/goals/{goal.id}/notes", {
        "note": "Soon", "noted_on": str(user.today() + timedelta(days=3))})
    assert future.status_code == 422 and "in the future" in text(future)
    stolen = session.htmx_post(f"/advisors/{dana.id}/goals/{goal.id}/notes", {
        "note": "Peek", "noted_on": str(user.today()), "contact": str(theirs.id)})
    assert stolen.status_code == 422 and "Pick one of the conversations listed" in text(stolen)
    assert GoalNote.select().count() == 0


def test_editing_deleting_notes_and_goals(session, user):
    dana = add_advisor(user)
    goal = add_goal(session, dana)
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/notes", {
        "note": "First step", "noted_on": str(user.today()), "from": "goal"})
    note = GoalNote.get()
    edited = session.post(f"/advisors/{dana.id}/goals/{goal.id}/edit",
                          {"text": "Negotiate a better offer", "from": "goal"})
    assert edited.headers["Location"].endswith(f"/advisors/{dana.id}/goals/{goal.id}")
    assert Goal.get_by_id(goal.id).text == "Negotiate a better offer"
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/notes/{note.id}/delete", {"from": "goal"})
    assert GoalNote.select().count() == 0
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/notes", {
        "note": "Second step", "noted_on": str(user.today())})
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/delete")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Deleted the goal Negotiate a better offer" in page
    assert Goal.select().count() == 0 and GoalNote.select().count() == 0


def test_another_accounts_goals_are_out_of_reach(session, user, other):
    theirs = add_advisor(other, name="Grace's mentor")
    secret = Goal.make(theirs, text="secret", created_on=other.today())
    mine = add_advisor(user)
    for advisor in (theirs, mine):
        base = f"/advisors/{advisor.id}/goals/{secret.id}"
        assert session.get(base).status_code == 404
        assert session.post(f"{base}/edit", {"text": "mine"}).status_code == 404
        assert session.post(f"{base}/state", {"state": "dropped"}).status_code == 404
        assert session.post(f"{base}/notes", {"note": "x", "noted_on": str(user.today())}
                            ).status_code == 404
        assert session.post(f"{base}/delete").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/goals/new", {"text": "x"}).status_code == 404
    kept = Goal.get_by_id(secret.id)
    assert (kept.text, kept.state) == ("secret", "open") and GoalNote.select().count() == 0
    assert "secret" not in text(session.get("/board"))


def test_changing_goals_without_the_csrf_token_is_refused(client, session, user):
    dana = add_advisor(user)
    goal = Goal.make(dana, text="Find a sponsor", created_on=user.today())
    assert client.post(f"/advisors/{dana.id}/goals/new", data={"text": "x"}).status_code == 400
    assert client.post(f"/advisors/{dana.id}/goals/{goal.id}/state",
                       data={"state": "achieved"}).status_code == 400
    assert Goal.select().count() == 1 and Goal.get().state == "open"


def test_goals_never_move_the_calendar_feed(session, user):
    dana = add_advisor(user)
    before = dana.sequence
    goal = add_goal(session, dana)
    session.post(f"/advisors/{dana.id}/goals/{goal.id}/state", {"state": "achieved"})
    assert type(dana).get_by_id(dana.id).sequence == before
