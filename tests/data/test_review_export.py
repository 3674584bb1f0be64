"""Board reviews in the export and back: every field out, a round trip into another
account that keeps each decision on the right member, importing twice adds nothing, and
a bad review is refused with its place (data/export.py, core/import_document.py,
data/importer.py)."""
import json
from datetime import timedelta

import pytest

from advisory.core.cadence import Cadence
from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.models import Advisor, BoardReview, ReviewDecision, User
from advisory.models.reviews import Decision
from support import add_advisor


def reviewed(user):
    """Two reviews: the first changed Dana's cadence and asked to recruit for balance;
    the second paused Omar, and decided on someone since deleted for good."""
    dana = add_advisor(user, name="Dana Reyes", role="insight")
    omar = add_advisor(user, name="Omar Haddad", role="expertise")
    gone = add_advisor(user, name="Gone Person", role="wisdom")
    today = user.today()
    BoardReview.record(user, reviewed_on=today - timedelta(days=90), reflection="First look\nat it",
                       decisions=[Decision("insight", "cadence", "Deeper", dana, Cadence(6, "weeks")),
                                  Decision("balance", "recruit", "Ask around")])
    BoardReview.record(user, reviewed_on=today, reflection="Second",
                       decisions=[Decision("expertise", "pause", "", omar),
                                  Decision("wisdom", "close", "Moved on", gone)])
    User.update(review_every="twice_yearly").where(User.id == user.id).execute()
    gone.delete_instance()  # purged: the decision keeps the name
    return dana, omar


def test_the_export_holds_each_review_with_its_decisions(user):
    dana, omar = reviewed(user)
    document = export.document(User.get_by_id(user.id))
    assert document["account"]["review_every"] == "twice_yearly"
    first, second = document["reviews"]
    assert (first["reflection"], second["reflection"]) == ("First look\nat it", "Second")
    assert first["decisions"] == [
        {"advisor_uid": dana.uid, "name": "Dana Reyes", "role": "insight", "decision": "cadence",
         "cadence_count": 6, "cadence_unit": "weeks", "note": "Deeper"},
        {"advisor_uid": None, "name": "", "role": "balance", "decision": "recruit",
         "cadence_count": None, "cadence_unit": None, "note": "Ask around"}]
    assert [d["advisor_uid"] for d in second["decisions"]] == [omar.uid, None]


def test_every_review_field_is_exported_and_read_back():
    from advisory.core import import_document
    assert set(export.REVIEW_FIELDS) == (set(BoardReview._meta.fields)
                                         - export.REVIEW_COLUMNS_LEFT_OUT)
    assert set(export.DECISION_FIELDS) == (set(ReviewDecision._meta.fields)
                                           - export.DECISION_COLUMNS_LEFT_OUT)
    assert set(import_document.REVIEW) == set(export.REVIEW_FIELDS)
    assert set(import_document.DECISION) == set(export.DECISION_FIELDS) | {"advisor_uid"}


def test_a_round_trip_into_another_account_keeps_each_decision_on_its_member(user, other):
    reviewed(user)
    data = "".join(export.json_chunks(User.get_by_id(user.id))).encode()
    plan = importer.restore(other, parse(data), settings=True)
    assert len(plan.new_reviews) == 2
    theirs = {a.name: a for a in Advisor.for_user(other)}
    assert User.get_by_id(other.id).review_every == "twice_yearly"
    decisions = {(d.name, d.decision): d.advisor_id
                 for d in ReviewDecision.select().join(BoardReview)
                 .where(BoardReview.user == other.id)}
    assert decisions == {("Dana Reyes", "cadence"): theirs["Dana Reyes"].id,
                         ("", "recruit"): None,
                         ("Omar Haddad", "pause"): theirs["Omar Haddad"].id,
                         ("Gone Person", "close"): None}
    mine, copied = (export.document(User.get_by_id(u.id))["reviews"] for u in (user, other))
    for review in mine + copied:
        for decision in review["decisions"]:
            decision.pop("advisor_uid")  # each account's own uids
    assert copied == mine
    again = importer.restore(other, parse(data))
    assert again.changes_nothing and BoardReview.select().where(
        BoardReview.user == other.id).count() == 2


def test_a_file_without_reviews_imports_and_one_with_a_bad_review_is_refused(user):
    base = {"format": "advisory", "version": 1, "account": {"timezone": "UTC"}, "advisors": []}
    assert parse(json.dumps(base).encode()).reviews == []
    assert parse(json.dumps(base).encode()).account["review_every"] == "quarterly"
    bad = {**base, "reviews": [{"reviewed_on": "2026-01-01", "decisions": [
        {"role": "insight", "decision": "cadence", "cadence_count": 3}]}]}
    with pytest.raises(BadFile, match="Review 1 .2026-01-01.: a new cadence needs a count"):
        parse(json.dumps(bad).encode())
    wrong = {**base, "reviews": [{"reviewed_on": "2026-01-01",
                                  "decisions": [{"role": "insight", "decision": "fire"}]}]}
    with pytest.raises(BadFile, match="decision 1: the field “decision” must be one of keep"):
        parse(json.dumps(wrong).encode())
    with pytest.raises(BadFile, match="“reviews” must be a list"):
        parse(json.dumps({**base, "reviews": {}}).encode())
