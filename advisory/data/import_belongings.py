"""What a person of an imported file holds besides their contacts: promises, advice,
gives, goals with their notes, introductions, yearly dates and the photo, each added only
where the account lacks it (the same content is the same record). Apart from the importer
(data/importer.py), which matches people and contacts and runs the one transaction, since
each kind here is its own small merge that grows with the export; `chunks` is here too, as
every insert of an import batches its rows with it.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from advisory.database import utcnow
from advisory.models import Advice, Advisor, Give, Introduction, Promise, User
from advisory.models.goals import Goal, GoalNote
from advisory.models.photos import Photo
from advisory.models.yearly_dates import YearlyDate

if TYPE_CHECKING:
    from advisory.data.importer import Step

BATCH = 400  # rows per INSERT: well under any database's limit on query parameters


def chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def add_promises_and_advice(user: User, advisor: Advisor, step: Step) -> None:
    """Store the file's promises, advice and gives that the advisor does not hold yet (the
    same text, and for a promise the same owner and date, is the same one; a give, the same
    kind, note and day)."""
    for model, rows, same in ((Promise, step.incoming.promises, ("text", "owed_by", "due_on")),
                              (Advice, step.incoming.advice, ("text",)),
                              (Give, step.incoming.gives, ("kind", "note", "given_on"))):
        held = Counter(model.select(*[getattr(model, name) for name in same])
                       .where(model.advisor == advisor.id).tuples())
        new = []
        for row in rows:
            content = tuple(row[name] for name in same)
            if held[content] > 0:
                held[content] -= 1
                continue
            stamps = {name: row[name] or utcnow() for name in ("created_at", "changed_at")
                      if name in row}
            new.append({**row, **stamps, "advisor": advisor.id, "user": user.id})
        if new and model is Promise and step.existing is not None:
            advisor.mark_changed()  # the feed shows my promises with a date
        for part in chunks(new):
            model.insert_many(part).execute()


def add_introductions(user: User, people: dict[str, tuple[Advisor, list[dict]]]) -> None:
    """Store the file's introductions (`people`: file uid -> the person and theirs) that
    each person does not hold yet (the same direction, to whom and day is the same one),
    once everyone is in: one may point at another person of the file by its "to_uid", or
    at one of the account's own."""
    ids = {uid: advisor.id for uid, (advisor, _) in people.items()}
    elsewhere = {row["to_uid"] for _, rows in people.values() for row in rows} - set(ids)
    elsewhere.discard(None)
    if elsewhere:
        ids |= dict(Advisor.select(Advisor.uid, Advisor.id)
                    .where(Advisor.user == user, Advisor.uid.in_(list(elsewhere))).tuples())
    for person, rows in people.values():
        held = Counter(Introduction
                       .select(Introduction.direction, Introduction.to_whom,
                               Introduction.happened_on)
                       .where(Introduction.person == person.id).tuples())
        new = []
        for row in rows:
            content = (row["direction"], row["to_whom"], row["happened_on"])
            if held[content] > 0:
                held[content] -= 1
                continue
            fields = {name: value for name, value in row.items() if name != "to_uid"}
            new.append({**fields, "created_at": row["created_at"] or utcnow(),
                        "to_person": ids.get(row["to_uid"]), "person": person.id,
                        "user": user.id})
        for part in chunks(new):
            Introduction.insert_many(part).execute()


def add_goals(user: User, advisor: Advisor, step: Step) -> None:
    """Store the file's goals the advisor does not hold yet (the same words and start day
    is the same goal), and the progress notes each goal lacks (the same words and day)."""
    held: dict[tuple, list[int]] = {}
    for goal_id, words, day in (Goal.select(Goal.id, Goal.text, Goal.created_on)
                                .where(Goal.advisor == advisor.id).order_by(Goal.id).tuples()):
        held.setdefault((words, day), []).append(goal_id)
    notes = Counter(GoalNote.select(GoalNote.goal, GoalNote.note, GoalNote.noted_on)
                    .join(Goal).where(Goal.advisor == advisor.id).tuples())
    for row in step.incoming.goals:
        same = held.get((row["text"], row["created_on"]))
        fields = {**{name: value for name, value in row.items() if name != "notes"},
                  "created_at": row["created_at"] or utcnow()}
        goal_id = same.pop(0) if same else Goal.insert(
            **fields, advisor=advisor.id, user=user.id).execute()
        new = []
        for note in row["notes"]:
            content = (goal_id, note["note"], note["noted_on"])
            if notes[content] > 0:
                notes[content] -= 1
                continue
            new.append({**note, "created_at": note["created_at"] or utcnow(), "goal": goal_id})
        for part in chunks(new):
            GoalNote.insert_many(part).execute()


def add_dates(user: User, advisor: Advisor, step: Step) -> None:
    """Store the file's yearly dates the person does not hold yet (the same kind, label,
    day and month is the same date; a birthday only when they have none); each is an
    event of the feed, so a known person's feed stamp moves."""
    held = Counter(YearlyDate.select(YearlyDate.kind, YearlyDate.label, YearlyDate.month,
                                     YearlyDate.day)
                   .where(YearlyDate.person == advisor.id).tuples())
    birthday = any(kind == "birthday" for kind, *_ in held)
    new = []
    for row in step.incoming.dates:
        content = (row["kind"], row["label"], row["month"], row["day"])
        if held[content] > 0:
            held[content] -= 1
            continue
        if row["kind"] == "birthday" and birthday:
            continue
        birthday = birthday or row["kind"] == "birthday"
        stamps = {name: row[name] or utcnow() for name in ("created_at", "changed_at")}
        new.append({**row, **stamps, "person": advisor.id, "user": user.id})
    if new and step.existing is not None:
        advisor.mark_changed()
    for part in chunks(new):
        YearlyDate.insert_many(part).execute()


def add_photo(advisor: Advisor, step: Step) -> None:
    """The file's photo of a person who has none (a photo they have stays)."""
    if step.incoming.photo is not None and not advisor.photo_hash:
        Photo.put(advisor, step.incoming.photo)
