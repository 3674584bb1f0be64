"""Introductions asked for, received or made, on the people involved: a received one is a
reason to thank them, one made for an advisor counts as giving back."""
from datetime import date, timedelta

from advisory.models import Advisor, Introduction
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def introduce(session, person, **fields):
    return session.post(f"/advisors/{person.id}/introductions/new", {
        "direction": "made", "to_whom": "", "to_person": "", "outcome": "",
        "happened_on": str(date.today()), **fields})


def test_an_introduction_made_to_another_of_my_people_shows_on_both_pages(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    sam = add_advisor(user, name="Sam Okafor", role="", relation="mentee")
    day = user.today() - timedelta(days=2)
    response = introduce(session, dana, to_person=str(sam.id), happened_on=str(day),
                         outcome="They meet monthly now")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#introductions")
    stored = Introduction.get()
    assert (stored.to_whom, stored.to_person_id, stored.user_id) == ("Sam Okafor", sam.id, user.id)
    on_dana = text(session.get(f"/advisors/{dana.id}"))
    assert "You introduced Dana Reyes to" in on_dana and "They meet monthly now" in on_dana
    assert f'<a href="/advisors/{sam.id}">Sam Okafor</a>' in on_dana
    on_sam = text(session.get(f"/advisors/{sam.id}"))
    assert f'You introduced <a href="/advisors/{dana.id}">Dana Reyes</a> to Sam Okafor' in on_sam


def test_one_received_asks_to_thank_them_until_thanked(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    day = user.today() - timedelta(days=3)
    introduce(session, dana, direction="received", to_whom="Ana Lima", happened_on=str(day))
    prompt = f"They introduced you to Ana Lima on\n  <time datetime=\"{day}\">"
    assert prompt in text(session.get(f"/advisors/{dana.id}"))
    assert prompt in text(session.get(f"/advisors/{dana.id}/prep"))
    dana.log_contact(happened_on=user.today(), kind="call", thanked=True)
    assert prompt not in text(session.get(f"/advisors/{dana.id}"))


def test_one_made_for_an_advisor_counts_as_giving_back_on_the_board(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    introduce(session, dana, to_whom="A founder I know", happened_on=str(user.today()))
    assert "gave back once" in text(session.get("/board"))
    assert "Introductions you made for them count too: 1" in text(
        session.get(f"/advisors/{dana.id}"))


def test_a_bad_introduction_is_refused_with_what_to_fix(session, user, other):
    dana = add_advisor(user)
    theirs = add_advisor(other, name="Grace's mentor")
    nobody = introduce(session, dana)
    assert nobody.status_code == 422 and "Say to whom, or pick one of your people." in text(nobody)
    future = introduce(session, dana, to_whom="Ana",
                       happened_on=str(user.today() + timedelta(days=3)))
    assert future.status_code == 422 and "in the future" in text(future)
    asked = introduce(session, dana, direction="asked", to_whom="Ana",
                      happened_on=str(user.today() + timedelta(days=3)))
    assert asked.status_code == 303  # an ask can be for later
    stranger = introduce(session, dana, to_person=str(theirs.id))
    assert stranger.status_code == 422 and "Pick one of your people, or none." in text(stranger)
    assert "Grace's mentor" not in text(session.get(f"/advisors/{dana.id}/introductions/new"))
    assert Introduction.select().count() == 1


def test_editing_and_deleting_with_undo(session, user):
    dana = add_advisor(user)
    introduce(session, dana, to_whom="Ana")
    stored = Introduction.get()
    base = f"/advisors/{dana.id}/introductions/{stored.id}"
    session.post(f"{base}/edit", {"direction": "asked", "to_whom": "Ana Lima", "to_person": "",
                                  "happened_on": str(user.today()), "outcome": "Said yes"})
    edited = Introduction.get_by_id(stored.id)
    assert (edited.direction, edited.to_whom, edited.outcome) == ("asked", "Ana Lima", "Said yes")
    session.post(f"{base}/delete")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert Introduction.select().count() == 0 and "Deleted the introduction to Ana Lima." in page
    assert f'action="/advisors/{dana.id}/introductions/new"' in page  # the Undo button
    session.post(f"/advisors/{dana.id}/introductions/new", {
        "direction": "asked", "to_whom": "Ana Lima", "to_person": "",
        "happened_on": str(user.today()), "outcome": "Said yes"})
    assert [i.outcome for i in Introduction.select()] == ["Said yes"]


def test_another_accounts_introductions_are_out_of_reach(session, user, other):
    theirs = add_advisor(other, name="Grace's mentor")
    secret = Introduction.record(theirs, direction="made", to_whom="secret",
                                 happened_on=other.today())
    base = f"/advisors/{theirs.id}/introductions"
    assert session.get(f"{base}/{secret.id}/edit").status_code == 404
    assert session.post(f"{base}/{secret.id}/delete").status_code == 404
    assert session.post(f"{base}/new", {"direction": "made", "to_whom": "x",
                                        "happened_on": str(user.today())}).status_code == 404
    mine = add_advisor(user)
    assert session.post(f"/advisors/{mine.id}/introductions/{secret.id}/delete").status_code == 404
    assert Introduction.get_by_id(secret.id).to_whom == "secret"


def test_recording_without_the_csrf_token_is_refused(client, session, user):
    dana = add_advisor(user)
    response = client.post(f"/advisors/{dana.id}/introductions/new", data={
        "direction": "made", "to_whom": "Ana", "happened_on": str(user.today())})
    assert response.status_code == 400 and Introduction.select().count() == 0


def test_a_deleted_person_takes_their_introductions_out_of_sight(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    sam = add_advisor(user, name="Sam Okafor")
    introduce(session, dana, to_person=str(sam.id))
    Advisor.get_by_id(dana.id).delete_with_history()
    assert "You introduced" not in text(session.get(f"/advisors/{sam.id}"))
