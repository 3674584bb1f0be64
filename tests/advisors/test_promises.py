"""Promises both ways and advice (advisory/models/promises.py): the queries, the writes'
feed stamps, the Log form's one transaction, isolation and the export round trip."""
import json
import re
from datetime import date, timedelta

import pytest

from advisory.core.import_document import parse
from advisory.data import export, importer
from advisory.models import Advice, Advisor, Promise
from advisory.models.promises import log_conversation
from support import add_advisor, make_user

TODAY = date(2026, 3, 10)


def reload(advisor):
    return Advisor.get_by_id(advisor.id)


def test_open_promises_mine_first_by_date(user):
    dana = add_advisor(user, name="Dana")
    Promise.make(dana, text="They intro me to Sam", owed_by="them", due_on=TODAY)
    Promise.make(dana, text="Undated", owed_by="me")
    Promise.make(dana, text="Deck", owed_by="me", due_on=TODAY + timedelta(days=3))
    kept = Promise.make(dana, text="Old", owed_by="me", due_on=TODAY)
    kept.keep(TODAY)
    assert [p.text for p in Promise.open_for(dana)] == ["Deck", "Undated", "They intro me to Sam"]


def test_due_for_holds_mine_within_the_window_or_late(user, other):
    dana = add_advisor(user, name="Dana")
    for text, owed_by, days in (("late", "me", -2), ("today", "me", 0), ("in window", "me", 7),
                                ("too far", "me", 8), ("theirs", "them", 0)):
        Promise.make(dana, text=text, owed_by=owed_by, due_on=TODAY + timedelta(days=days))
    Promise.make(add_advisor(other, name="Other's"), text="not mine", owed_by="me", due_on=TODAY)
    assert [p.text for p in Promise.due_for(user, TODAY, 7)] == ["late", "today", "in window"]
    assert Promise.due_for(user, TODAY, 7)[0].advisor.name == "Dana"


def test_every_promise_write_moves_the_advisors_feed_stamp(user):
    dana = add_advisor(user, name="Dana")
    before = reload(dana).sequence
    promise = Promise.make(dana, text="Deck", owed_by="me", due_on=TODAY)
    assert reload(dana).sequence > before
    for write in (lambda: promise.change(text="Deck v2", owed_by="me", due_on=TODAY),
                  lambda: promise.keep(TODAY), promise.reopen, promise.remove):
        before = reload(dana).sequence
        assert write()
        assert reload(dana).sequence > before
    assert Promise.select().count() == 0
    assert not promise.remove()  # gone already


def test_keep_and_undo(user):
    dana = add_advisor(user, name="Dana")
    promise = Promise.make(dana, text="Deck", owed_by="me", due_on=TODAY)
    promise.keep(TODAY)
    assert Promise.open_for(dana) == [] and Promise.due_for(user, TODAY, 7) == []
    promise.reopen()
    assert [p.text for p in Promise.open_for(dana)] == ["Deck"]


def test_a_deleted_advisors_promise_cannot_be_written(user):
    dana = add_advisor(user, name="Dana")
    promise = Promise.make(dana, text="Deck", owed_by="me", due_on=TODAY)
    Advisor.delete().where(Advisor.id == dana.id).execute()
    with pytest.raises(Advisor.DoesNotExist):
        promise.keep(TODAY)


def test_advice_to_report_back(user):
    dana = add_advisor(user, name="Dana")
    anchoring = Advice.record(dana, text="Anchor the price first")
    Advice.record(dana, text="Read Getting to Yes")
    assert Advice.to_report(dana) == []  # to try is not news yet
    anchoring.change(text=anchoring.text, state="adopted", outcome="Won the deal",
                     outcome_on=TODAY)
    assert [a.text for a in Advice.to_report(dana)] == ["Anchor the price first"]
    anchoring.tell(TODAY)
    assert Advice.to_report(dana) == []


def test_log_conversation_stores_everything_once_per_key(user):
    dana = add_advisor(user, name="Dana", agenda="Ask about pricing")
    fields = dict(happened_on=TODAY, kind="in_person", notes="Good chat", thanked=True,
                  key="log-key-0001", agenda="Follow up on the intro",
                  promises=[("Send the deck", "me", TODAY + timedelta(days=2)),
                            ("Intro to Sam", "them", None)],
                  advice=["Anchor first"])
    contact, added = log_conversation(dana, **fields)
    again, added_again = log_conversation(dana, **fields)
    assert added and not added_again and again.id == contact.id
    assert reload(dana).agenda == "Follow up on the intro"
    assert reload(dana).contact_count == 1
    assert sorted(p.text for p in Promise.open_for(dana)) == ["Intro to Sam", "Send the deck"]
    assert [(a.text, a.contact_id) for a in Advice.for_advisor(dana)] == [("Anchor first", contact.id)]


def test_another_accounts_rows_are_never_found(user, other):
    dana = add_advisor(user, name="Dana")
    promise = Promise.make(dana, text="Deck", owed_by="me")
    advice = Advice.record(dana, text="Anchor")
    assert Promise.owned(other, promise.id) is None and Advice.owned(other, advice.id) is None
    assert Promise.owned(user, promise.id).text == "Deck"
    assert Promise.owned(user, 2**70) is None


def test_export_and_restore_carry_promises_and_advice(user):
    dana = add_advisor(user, name="Dana")
    kept = Promise.make(dana, text="Deck", owed_by="me", due_on=TODAY)
    kept.keep(TODAY)
    Promise.make(dana, text="Intro to Sam", owed_by="them")
    advice = Advice.record(dana, text="Anchor first\nthen wait")
    advice.change(text=advice.text, state="set_aside", outcome="Not for now", outcome_on=TODAY)
    document = export.document(user)
    record = document["advisors"][0]
    assert [p["text"] for p in record["promises"]] == ["Deck", "Intro to Sam"]
    assert record["promises"][0]["kept_on"] == TODAY.isoformat()
    assert record["advice"][0]["state"] == "set_aside"

    target = make_user("restored@example.com")
    importer.restore(target, parse(json.dumps(document).encode()))
    importer.restore(target, parse(json.dumps(document).encode()))  # twice: nothing doubles
    again = export.document(target)["advisors"][0]
    assert again["promises"] == record["promises"] and again["advice"] == record["advice"]


def test_the_log_form_shows_the_agenda_and_stores_everything_from_one_post(session, user):
    dana = add_advisor(user, name="Dana", agenda="Ask about pricing")
    page = session.get(f"/advisors/{dana.id}/log?thanked=1").get_data(as_text=True)
    assert "Ask about pricing" in page and "Next time" in page and "I promised" in page
    assert re.search(r'<input checked[^>]*name="thanked"', page)
    response = session.post(f"/advisors/{dana.id}/log", data={
        "happened_on": "2026-01-05", "kind": "in_person", "notes": "", "agenda": "",
        "promised-0-text": " Send the deck ", "promised-0-due_on": "2026-01-09",
        "promised-1-text": "", "promised-1-due_on": "",
        "offered-0-text": "Intro to Sam", "offered-0-due_on": "",
        "advice-0": "Anchor first", "advice-1": ""})
    assert response.status_code == 303
    assert reload(dana).agenda == ""  # covered: it does not linger
    assert [(p.text, p.owed_by, p.due_on) for p in Promise.open_for(dana)] == [
        ("Send the deck", "me", date(2026, 1, 9)), ("Intro to Sam", "them", None)]
    assert [a.text for a in Advice.for_advisor(dana)] == ["Anchor first"]


def test_a_dated_line_without_words_is_refused_and_nothing_is_saved(session, user):
    dana = add_advisor(user, name="Dana", agenda="Ask about pricing")
    response = session.post(f"/advisors/{dana.id}/log", data={
        "happened_on": "2026-01-05", "kind": "call", "agenda": "New",
        "offered-0-text": "", "offered-0-due_on": "2026-02-01",
        "advice-0": "x" * 1001})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "They offered: line 1: Say what was promised, or clear its date." in page
    assert "Advice they gave: line 1:" in page
    assert reload(dana).contact_count == 0 and reload(dana).agenda == "Ask about pricing"


def test_the_advisor_page_lists_promises_and_one_tap_kept_with_undo(session, user):
    dana = add_advisor(user, name="Dana")
    session.post(f"/advisors/{dana.id}/promises/new",
                 data={"text": "Send the deck", "owed_by": "me", "due_on": "2031-01-02"})
    theirs = Promise.make(dana, text="Intro to Sam", owed_by="them")
    page = session.get(f"/advisors/{dana.id}").get_data(as_text=True)
    assert "Send the deck" in page and "Intro to Sam" in page
    kept = session.post(f"/advisors/{dana.id}/promises/{theirs.id}/kept", follow_redirects=True)
    page = kept.get_data(as_text=True)
    assert "Kept: Intro to Sam." in page and "Tell them it worked, and thank them" in page
    assert f"/advisors/{dana.id}/log?thanked=1" in page
    assert [p.text for p in Promise.open_for(dana)] == ["Send the deck"]
    session.post(f"/advisors/{dana.id}/promises/reopen", data={"promise": theirs.id})
    assert len(Promise.open_for(dana)) == 2


def test_a_promise_is_edited_and_deleted_with_undo(session, user):
    dana = add_advisor(user, name="Dana")
    promise = Promise.make(dana, text="Deck", owed_by="me")
    bad = session.post(f"/advisors/{dana.id}/promises/{promise.id}/edit",
                       data={"text": " ", "owed_by": "nobody", "due_on": "2031-02-30"})
    assert bad.status_code == 422
    for message in ("Say what was promised.", "Pick who promised it.", "does not exist"):
        assert message in bad.get_data(as_text=True)
    session.post(f"/advisors/{dana.id}/promises/{promise.id}/edit",
                 data={"text": "Deck v2", "owed_by": "me", "due_on": "2031-02-03"})
    assert Promise.get_by_id(promise.id).due_on == date(2031, 2, 3)
    page = session.post(f"/advisors/{dana.id}/promises/{promise.id}/delete",
                        follow_redirects=True).get_data(as_text=True)
    assert "Deleted: Deck v2." in page and Promise.select().count() == 0
    session.post(f"/advisors/{dana.id}/promises/new",
                 data={"text": "Deck v2", "owed_by": "me", "due_on": "2031-02-03"})  # Undo
    assert Promise.get().text == "Deck v2"


def test_advice_state_outcome_and_told(session, user):
    dana = add_advisor(user, name="Dana")
    advice = Advice.record(dana, text="Anchor first")
    adopted = session.post(f"/advisors/{dana.id}/advice/{advice.id}/edit",
                           data={"text": "Anchor first", "state": "adopted",
                                 "outcome": "Won the deal", "outcome_on": "2026-01-02"},
                           follow_redirects=True).get_data(as_text=True)
    assert "Tell them it worked, and thank them" in adopted  # the moment it is adopted
    assert f"/advisors/{dana.id}/log?thanked=1" in adopted
    page = session.get(f"/advisors/{dana.id}").get_data(as_text=True)
    assert "Adopted: Won the deal" in page and "Told them" in page
    again = session.post(f"/advisors/{dana.id}/advice/{advice.id}/edit",
                         data={"text": "Anchor first", "state": "adopted",
                               "outcome": "Won two deals", "outcome_on": "2026-01-02"},
                         follow_redirects=True).get_data(as_text=True)
    assert "Saved." in again and "Tell them it worked" not in again  # not asked twice
    session.post(f"/advisors/{dana.id}/advice/{advice.id}/told")
    assert Advice.to_report(dana) == [] and Advice.get_by_id(advice.id).told_on == user.today()
    bad = session.post(f"/advisors/{dana.id}/advice/{advice.id}/edit",
                       data={"text": "x", "state": "forgotten"})
    assert bad.status_code == 422 and "Pick where it stands." in bad.get_data(as_text=True)


def test_another_accounts_promise_and_advice_answer_404(session, user, other):
    mine = add_advisor(user, name="Dana")
    theirs = add_advisor(other, name="Grace")
    promise = Promise.make(theirs, text="Theirs", owed_by="me")
    advice = Advice.record(theirs, text="Theirs")
    mine_promise = Promise.make(mine, text="Mine", owed_by="me")
    for path in (f"/advisors/{mine.id}/promises/{promise.id}/kept",
                 f"/advisors/{mine.id}/promises/{promise.id}/delete",
                 f"/advisors/{theirs.id}/promises/{promise.id}/kept",
                 f"/advisors/{mine.id}/advice/{advice.id}/told",
                 f"/advisors/{mine.id}/advice/{advice.id}/delete"):
        assert session.post(path).status_code == 404, path
    assert session.post(f"/advisors/{mine.id}/promises/reopen",
                        data={"promise": promise.id}).status_code == 404
    assert session.get(f"/advisors/{mine.id}/promises/{promise.id}/edit").status_code == 404
    assert session.get(f"/advisors/{theirs.id}/promises/{mine_promise.id}/edit").status_code == 404
    assert Promise.get_by_id(promise.id).kept_on is None and Advice.get_by_id(advice.id).told_on is None


def test_the_due_list_shows_my_promises_due_and_the_cards_open_promises(session, user):
    dana = add_advisor(user, name="Dana", added_on=user.today() - timedelta(days=90))
    today = user.today()
    late = Promise.make(dana, text="Send the pricing deck", owed_by="me",
                        due_on=today - timedelta(days=1))
    Promise.make(dana, text="Far off", owed_by="me", due_on=today + timedelta(days=30))
    Promise.make(dana, text="Intro to Sam", owed_by="them", due_on=today)
    page = session.get("/").get_data(as_text=True)
    assert "Your promises" in page and f'id="promise-{late.id}"' in page
    assert "Far off</h3>" not in page and "Intro to Sam</h3>" not in page
    assert "3 open promises" in page and "yours: Send the pricing deck" in page
    response = session.post(f"/advisors/{dana.id}/promises/{late.id}/kept", data={"from": "due"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert "Your promises" not in session.get("/").get_data(as_text=True)
