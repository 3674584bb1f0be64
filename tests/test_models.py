"""The advisor's write paths: each writes only what it changes, on the row as stored now,
and keeps the stored latest conversation and message, and the count of contacts, right."""
from datetime import timedelta

import pytest

from advisory.core.vcard_person import Person
from advisory.data import people
from advisory.database import utcnow
from advisory.models import Advisor, Contact, User
from advisory.models.trash import TRASH_DAYS
from support import add_advisor, count_queries


def stored(advisor: Advisor) -> Advisor:
    return Advisor.owned(User.get_by_id(advisor.user_id), advisor.id)


@pytest.fixture
def dana(user):
    return add_advisor(user, cadence_count=1, cadence_unit="weeks")


def test_logging_keeps_the_latest_conversation_and_message(user, dana):
    today = user.today()
    dana.log_contact(happened_on=today - timedelta(days=10), kind="call")
    dana.log_contact(happened_on=today - timedelta(days=2), kind="message")
    dana.log_contact(happened_on=today - timedelta(days=20), kind="in_person")  # backdated
    saved = stored(dana)
    assert saved.last_conversation_on == today - timedelta(days=10)
    assert saved.last_message_on == today - timedelta(days=2)
    assert saved.last == today - timedelta(days=10)  # a message does not count by default
    assert saved.contact_count == 3

    User.update(messages_count=True).where(User.id == user.id).execute()
    assert stored(dana).last == today - timedelta(days=2)  # no recount needed


def test_undo_recounts_from_the_contacts_left(user, dana):
    today = user.today()
    dana.log_contact(happened_on=today - timedelta(days=3), kind="video")
    dana.log_contact(happened_on=today - timedelta(days=1), kind="video")
    dana.log_contact(happened_on=today - timedelta(days=9), kind="message")
    assert dana.undo_last_contact()  # the message
    assert (stored(dana).last_conversation_on, stored(dana).last_message_on) == (
        today - timedelta(days=1), None)
    assert stored(dana).contact_count == 2
    assert dana.undo_last_contact()
    assert stored(dana).last == today - timedelta(days=3)
    assert dana.undo_last_contact()
    assert stored(dana).last is None and not dana.undo_last_contact()
    assert stored(dana).contact_count == 0


def test_recount_matches_the_contacts_for_many_advisors_at_once(user, other):
    mine, theirs = add_advisor(user), add_advisor(other, name="Grace")
    today = user.today()
    Contact.insert_many([
        {"advisor": mine, "happened_on": today - timedelta(days=4), "kind": "call"},
        {"advisor": mine, "happened_on": today - timedelta(days=1), "kind": "message"},
        {"advisor": theirs, "happened_on": today - timedelta(days=7), "kind": "in_person"},
    ]).execute()  # a bulk load, as an import or a benchmark does
    Advisor.recount(Advisor.id.in_([mine.id, theirs.id]))
    assert (stored(mine).last_conversation_on, stored(mine).last_message_on) == (
        today - timedelta(days=4), today - timedelta(days=1))
    assert stored(theirs).last_conversation_on == today - timedelta(days=7)
    assert (stored(mine).contact_count, stored(theirs).contact_count) == (2, 1)


def test_an_edit_from_a_stale_copy_keeps_a_snooze_and_a_log_made_since(user, dana):
    stale = stored(dana)  # loaded by the edit request before the others landed
    snooze = user.today() + timedelta(days=5)
    stored(dana).snooze(snooze)
    stale.update_details({"agenda": "Ask about the offsite"})
    saved = stored(dana)
    assert (saved.snoozed_until, saved.agenda) == (snooze, "Ask about the offsite")

    stale.log_contact(happened_on=user.today(), kind="call")  # clears the snooze, keeps the edit
    saved = stored(dana)
    assert (saved.snoozed_until, saved.agenda, saved.last) == (
        None, "Ask about the offsite", user.today())


def test_a_log_from_a_stale_copy_keeps_an_edit_made_since(user, dana):
    stale = stored(dana)
    stored(dana).update_details({"name": "Dana R.", "notes": "Moved to Lisbon"})
    stale.log_contact(happened_on=user.today(), kind="video")
    assert stale.snooze(user.today() + timedelta(days=60))
    saved = stored(dana)
    assert (saved.name, saved.notes) == ("Dana R.", "Moved to Lisbon")


def test_every_write_from_stale_copies_moves_the_sequence_on(user, dana):
    copies = [stored(dana) for _ in range(4)]
    before = stored(dana).sequence
    copies[0].update_details({"agenda": "a"})
    copies[1].log_contact(happened_on=user.today(), kind="call")
    assert copies[2].snooze(user.today() + timedelta(days=60))
    copies[3].undo_last_contact()
    assert stored(dana).sequence >= before + 4


def test_undo_keeps_a_snooze_set_after_the_log(user, dana):
    first = user.today() + timedelta(days=4)
    dana.snooze(first)
    dana.log_contact(happened_on=user.today(), kind="call")  # clears `first`
    later = user.today() + timedelta(days=8)
    dana.snooze(later)
    dana.undo_last_contact()
    assert stored(dana).snoozed_until == later  # the newer choice stays


def test_writes_to_a_deleted_advisor_raise_does_not_exist(user, dana):
    stale = stored(dana)
    dana.delete_with_history()
    for write in (lambda: stale.log_contact(happened_on=user.today(), kind="call"),
                  lambda: stale.snooze(user.today() + timedelta(days=1)),
                  lambda: stale.update_details({"name": "Ghost"}),
                  stale.undo_last_contact, stale.delete_with_history):
        with pytest.raises(Advisor.DoesNotExist):
            write()
    assert Advisor.for_user(user) == [] and Advisor.owned(user, dana.id) is None


def test_for_user_reads_no_contacts(user, dana):
    dana.log_contact(happened_on=user.today(), kind="call")
    with count_queries() as queries:
        advisors = list(Advisor.for_user(user))
        assert [a.last for a in advisors] == [user.today()]
    assert len(queries) == 1 and "contacts" not in queries[0]


@pytest.mark.parametrize("advisor_id", [0, -1, 2**63, 10**30])
def test_owned_is_none_for_ids_beyond_any_integer(user, advisor_id):
    assert Advisor.owned(user, advisor_id) is None


def test_owned_is_none_for_another_accounts_advisor(user, other):
    assert Advisor.owned(user, add_advisor(other).id) is None


def test_every_way_in_makes_an_advisor_the_same_way(user):
    """The add form, a vCard and a restore all go through Advisor.add: each new event starts
    at SEQUENCE 1, added today in the account's zone."""
    people.add_people(user, [(Person("Omar Haddad", "", "", ""), "expertise")])
    by_form = Advisor.add(user, {"name": "Dana Reyes", "role": "insight"})
    by_vcard = Advisor.get(Advisor.name == "Omar Haddad")
    assert (by_vcard.sequence, by_vcard.added_on) == (by_form.sequence, by_form.added_on) == (
        1, user.today())


# The trash ---------------------------------------------------------------------------

def kept(advisor: Advisor) -> tuple:
    """What bringing someone back must give back exactly."""
    saved = Advisor.get_by_id(advisor.id)
    history = [(c.happened_on, c.kind, c.notes) for c in Contact.history(saved)]
    return (saved.uid, saved.name, saved.snoozed_until, saved.last_conversation_on,
            saved.last_message_on, saved.contact_count, history)


def binned(model, row_id: int, days: int) -> None:
    """Say the row went in the trash `days` days ago."""
    model.update(deleted_at=utcnow() - timedelta(days=days)).where(model.id == row_id).execute()


def test_a_deleted_advisor_is_nowhere_until_brought_back_as_they_were(user, dana):
    today = user.today()
    dana.log_contact(happened_on=today - timedelta(days=6), kind="call", notes="Lisbon")
    dana.log_contact(happened_on=today - timedelta(days=2), kind="message")
    dana.snooze(Advisor.get_by_id(dana.id).due_on(today) + timedelta(days=3))
    before = kept(dana)
    sequence = Advisor.get_by_id(dana.id).sequence

    stored(dana).delete_with_history()
    assert Advisor.for_user(user) == [] and Advisor.listed(user) == []
    assert Advisor.owned(user, dana.id) is None
    assert [a.name for a in Advisor.trashed(user)] == ["Dana Reyes"]

    back = Advisor.restore(user, dana.id)
    assert back.name == "Dana Reyes" and stored(dana) is not None
    assert kept(dana) == before  # contacts, snooze, stored latest contacts and count, UID
    assert Advisor.get_by_id(dana.id).sequence > sequence
    assert Advisor.trashed(user) == []


def test_bringing_back_twice_changes_nothing_the_second_time(user, dana):
    dana.delete_with_history()
    Advisor.restore(user, dana.id)
    once = Advisor.get_by_id(dana.id)
    assert Advisor.restore(user, dana.id).id == dana.id
    again = Advisor.get_by_id(dana.id)
    assert (again.sequence, again.changed_at) == (once.sequence, once.changed_at)


def test_nobody_brings_back_another_accounts_advisor(user, other):
    theirs = add_advisor(other, name="Grace")
    theirs.delete_with_history()
    assert Advisor.restore(user, theirs.id) is None
    assert Advisor.trashed(user) == [] and Advisor.owned(other, theirs.id) is None
    for impossible in (0, -1, 2**63):
        assert Advisor.restore(user, impossible) is None


def test_a_deleted_contact_leaves_every_count_until_brought_back(user, dana):
    today = user.today()
    old = dana.log_contact(happened_on=today - timedelta(days=9), kind="call")
    latest = dana.log_contact(happened_on=today - timedelta(days=1), kind="video")
    assert dana.delete_contact(latest.id)
    saved = stored(dana)
    assert (saved.last, saved.contact_count) == (today - timedelta(days=9), 1)
    assert [c.id for c in Contact.history(saved)] == [old.id]
    assert Contact.owned(saved, latest.id) is None
    assert Contact.dates(saved, ["video"], 5) == []
    assert not dana.undo_last_contact(latest.id)  # the log's Undo no longer finds it
    assert [c.id for c in Advisor.trashed_contacts(user)] == [latest.id]

    assert dana.restore_contact(latest.id)
    saved = stored(dana)
    assert (saved.last, saved.contact_count) == (today - timedelta(days=1), 2)
    assert not dana.restore_contact(latest.id)  # already back
    assert Advisor.trashed_contacts(user) == []


def test_the_contacts_of_a_deleted_advisor_come_back_with_them_not_on_their_own(user, dana):
    contact = dana.log_contact(happened_on=user.today(), kind="call")
    dana.delete_with_history()
    assert Advisor.trashed_contacts(user) == []  # listed with them, not on their own
    with pytest.raises(Advisor.DoesNotExist):
        dana.restore_contact(contact.id)


def test_purge_deletes_for_good_only_what_is_older_than_the_trash_keeps(user, other, dana):
    today = user.today()
    grace = add_advisor(other, name="Grace")
    grace.log_contact(happened_on=today, kind="call")
    grace.delete_with_history()
    binned(Advisor, grace.id, TRASH_DAYS + 1)
    dana.log_contact(happened_on=today - timedelta(days=3), kind="call")
    old = dana.log_contact(happened_on=today - timedelta(days=2), kind="call")
    recent = dana.log_contact(happened_on=today - timedelta(days=1), kind="call")
    dana.delete_contact(old.id)
    dana.delete_contact(recent.id)
    binned(Contact, old.id, TRASH_DAYS + 1)
    binned(Contact, recent.id, TRASH_DAYS - 1)

    assert Advisor.purge() == (1, 1)
    assert not Advisor.select().where(Advisor.id == grace.id).exists()
    assert not Contact.select().join(Advisor).where(Advisor.user == other).exists()
    assert [c.id for c in Advisor.trashed_contacts(user)] == [recent.id]
    assert Advisor.restore(other, grace.id) is None  # gone for good: Undo finds nothing
    assert not dana.restore_contact(old.id) and dana.restore_contact(recent.id)
    assert stored(dana).contact_count == 2
    assert Advisor.purge() == (0, 0)


def test_purge_goes_through_the_trash_a_batch_at_a_time(user, monkeypatch):
    monkeypatch.setattr("advisory.models.trash.PURGE_BATCH", 2)
    doomed = [add_advisor(user, name=f"Doomed {n}") for n in range(5)]
    for advisor in doomed:
        advisor.log_contact(happened_on=user.today(), kind="call")
        advisor.delete_with_history()
        binned(Advisor, advisor.id, TRASH_DAYS + 1)
    assert Advisor.purge() == (5, 0)
    assert Advisor.select().count() == 0 and Contact.select().count() == 0
