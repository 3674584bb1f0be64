"""Mentees and introductions leave with an export and come back with a restore, the same
every time, and survive a backup (advisory/data/export.py, core/import_document.py,
data/importer.py, data/backup.py)."""
import json
from datetime import date

import pytest

from advisory import create_app
from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.database import db
from advisory.models import Advisor, Introduction
from support import add_advisor, make_user, sqlite_only


def people(user):
    """Dana on the board, Sam mentored; an introduction made for Dana to Sam, one received
    from Dana to someone outside."""
    dana = add_advisor(user, name="Dana Reyes")
    sam = add_advisor(user, name="Sam Okafor", role="", relation="mentee",
                      ideal_next_step="Lead a team", strengths="Data, patience",
                      introductions_to_make="Ana at Lisbon Labs", last_spoke_on=date(2026, 10, 1))
    Introduction.record(dana, direction="made", to_whom="Sam Okafor", to_person=sam.id,
                        happened_on=date(2026, 9, 1), outcome="They meet monthly")
    Introduction.record(dana, direction="received", to_whom="Ana Lima",
                        happened_on=date(2026, 9, 9))
    return dana, sam


def test_a_mentee_and_introductions_come_back_the_same_in_another_account(app, user):
    people(user)
    data = "".join(export.json_chunks(user)).encode()
    document = json.loads(data)
    sam = next(p for p in document["advisors"] if p["name"] == "Sam Okafor")
    assert (sam["relation"], sam["role"], sam["ideal_next_step"]) == ("mentee", "", "Lead a team")
    dana = next(p for p in document["advisors"] if p["name"] == "Dana Reyes")
    assert [i["to_uid"] for i in dana["introductions"]] == [sam["uid"], None]
    target = make_user("copy@example.com")
    importer.restore(target, parse(data))
    again = export.document(target)
    for mine, theirs in zip(document["advisors"], again["advisors"], strict=True):
        assert {k: v for k, v in mine.items() if k not in ("uid", "introductions")} == \
            {k: v for k, v in theirs.items() if k not in ("uid", "introductions")}
    copied_sam = Advisor.get(Advisor.user == target, Advisor.name == "Sam Okafor")
    made = Introduction.get(Introduction.user == target, Introduction.direction == "made")
    assert (made.to_person_id, made.outcome) == (copied_sam.id, "They meet monthly")
    importer.restore(target, parse(data))  # again: nothing doubles
    assert Introduction.select().where(Introduction.user == target).count() == 2
    assert Advisor.select().where(Advisor.user == target).count() == 2


def test_an_older_file_without_relations_holds_advisors_only(app, user):
    add_advisor(user, name="Dana Reyes")
    document = export.document(user)
    for person in document["advisors"]:
        for name in ("relation", "ideal_next_step", "strengths", "introductions_to_make",
                     "introductions"):
            person.pop(name)
    parsed = parse(json.dumps(document).encode())
    assert parsed.advisors[0].fields["relation"] == "advisor"
    assert parsed.advisors[0].introductions == []


@pytest.mark.parametrize("change, message", [
    ({"relation": "friend"}, "the field “relation” must be one of advisor, mentee"),
    ({"relation": "mentee", "role": "insight"}, "the field “role” must be one of"),
    ({"relation": "advisor", "role": ""}, "the field “role” must be one of insight"),
])
def test_a_person_with_a_wrong_relation_or_role_is_refused(app, user, change, message):
    add_advisor(user, name="Dana Reyes")
    document = export.document(user)
    document["advisors"][0].update(change)
    with pytest.raises(BadFile, match=message):
        parse(json.dumps(document).encode())


def test_a_bad_introduction_is_refused_naming_it(app, user):
    dana, _ = people(user)
    document = export.document(user)
    record = next(p for p in document["advisors"] if p["name"] == "Dana Reyes")
    record["introductions"][1]["direction"] = "sideways"
    with pytest.raises(BadFile, match=r"Advisor 1 \(Dana Reyes\), introduction 2: the field "
                                      r"“direction” must be one of asked, received, made"):
        parse(json.dumps(document).encode())


@sqlite_only
def test_a_backup_keeps_mentees_and_introductions(app, user, runner, tmp_path):
    people(user)
    assert runner.invoke(args=["db", "backup", str(tmp_path / "copy.db")]).exit_code == 0
    db.database.close()
    restored = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'copy.db'}"})
    output = restored.test_cli_runner().invoke(args=["export", "ada@example.com"]).output
    assert '"relation": "mentee"' in output and '"to_whom": "Ana Lima"' in output
    db.database.close()


def test_every_stored_introduction_field_is_exported():
    """A column added later fails this until the export (and import) carry it."""
    assert set(export.INTRODUCTION_FIELDS) == (set(Introduction._meta.fields)
                                               - export.INTRODUCTION_COLUMNS_LEFT_OUT)
