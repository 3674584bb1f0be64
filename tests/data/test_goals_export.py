"""Goals (with their progress notes) and an honourable close in the export, and back in a
restore: every field, once, and a file that gets them wrong refused with a reason."""
import json
from datetime import date

import pytest

from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.models import Advisor
from advisory.models.goals import Goal, GoalNote
from support import add_advisor, make_user


def closed_board(user):
    """Zoë, brought to a close with a yearly check-in, and her goals: one achieved with
    two progress notes (one from a conversation), one open."""
    zoe = add_advisor(user, name="Zoë Müller", added_on=date(2024, 1, 10))
    call = zoe.log_contact(happened_on=date(2025, 2, 1), kind="call", thanked=True)
    offer = Goal.make(zoe, text="Negotiate the director offer", created_on=date(2024, 2, 1))
    offer.note(note="Asked for 15%", noted_on=date(2025, 2, 1), contact=call)
    offer.note(note="Signed\non Friday", noted_on=date(2025, 3, 1))
    offer.settle("achieved", date(2025, 3, 1))
    Goal.make(zoe, text="Find a sponsor", created_on=date(2025, 1, 5))
    Advisor.update(stage="alumni", closed_on=date(2025, 6, 1), close_reason="goal_reached",
                   lesson="Ask for the number first.", yearly_check_in=True).where(
        Advisor.id == zoe.id).execute()
    return zoe


def test_every_goal_field_is_exported():
    """A column added later fails this until the export (and import) carry it."""
    assert set(export.GOAL_FIELDS) == set(Goal._meta.fields) - export.GOAL_COLUMNS_LEFT_OUT
    assert set(export.GOAL_NOTE_FIELDS) == (set(GoalNote._meta.fields)
                                            - export.GOAL_NOTE_COLUMNS_LEFT_OUT)


def test_the_export_holds_goals_notes_and_the_close(user):
    closed_board(user)
    zoe = export.document(user)["advisors"][0]
    assert (zoe["stage"], zoe["closed_on"], zoe["close_reason"], zoe["lesson"],
            zoe["yearly_check_in"]) == ("alumni", "2025-06-01", "goal_reached",
                                        "Ask for the number first.", True)
    achieved, open_goal = zoe["goals"]
    assert (achieved["text"], achieved["state"], achieved["closed_on"]) == (
        "Negotiate the director offer", "achieved", "2025-03-01")
    assert [n["note"] for n in achieved["notes"]] == ["Asked for 15%", "Signed\non Friday"]
    assert (open_goal["state"], open_goal["notes"]) == ("open", [])


def test_goals_and_the_close_come_back_once(user):
    closed_board(user)
    before = export.document(user)
    data = json.dumps(before).encode()
    target = make_user("restored@example.com")
    importer.restore(target, parse(data))
    importer.restore(target, parse(data))  # twice: still once each
    after = export.document(target)
    assert after["advisors"][0]["goals"] == before["advisors"][0]["goals"]
    for name in ("stage", "closed_on", "close_reason", "lesson", "yearly_check_in"):
        assert after["advisors"][0][name] == before["advisors"][0][name]
    assert Goal.select().where(Goal.user == target).count() == 2
    restored = Advisor.get(Advisor.user == target)
    restored.user = target
    assert restored.due_on(date(2025, 7, 1)) == date(2026, 6, 1)  # the yearly check-in


def test_a_note_added_since_comes_back_beside_those_restored(user):
    zoe = closed_board(user)
    data = "".join(export.json_chunks(user)).encode()
    offer = Goal.get(Goal.text == "Negotiate the director offer")
    GoalNote.delete().where(GoalNote.note == "Asked for 15%").execute()
    offer.note(note="Started the new role", noted_on=date(2025, 4, 1))
    importer.restore(user, parse(data))
    notes = (GoalNote.select().where(GoalNote.goal == offer.id).order_by(GoalNote.noted_on))
    assert [n.note for n in notes] == ["Asked for 15%", "Signed\non Friday",
                                       "Started the new role"]
    assert Goal.select().where(Goal.advisor == zoe.id).count() == 2


@pytest.mark.parametrize(("change", "where"), [
    (lambda a: a["goals"][0].update(state="won"), "goal 1"),
    (lambda a: a["goals"][1].pop("text"), "goal 2"),
    (lambda a: a["goals"][0]["notes"][1].update(noted_on="someday"), "goal 1, note 2"),
    (lambda a: a.update(close_reason="bored"), "close_reason"),
    (lambda a: a.update(lesson=["not", "text"]), "lesson"),
])
def test_a_file_with_a_wrong_goal_or_close_is_refused_naming_it(user, change, where):
    closed_board(user)
    document = export.document(user)
    change(document["advisors"][0])
    with pytest.raises(BadFile, match=where):
        parse(json.dumps(document).encode())


def test_an_older_file_without_goals_or_a_close_still_restores(user):
    add_advisor(user, name="Ana")
    document = export.document(user)
    for name in ("goals", "closed_on", "close_reason", "lesson", "yearly_check_in"):
        document["advisors"][0].pop(name)
    restored = parse(json.dumps(document).encode()).advisors[0]
    assert restored.goals == [] and restored.fields["yearly_check_in"] is False
