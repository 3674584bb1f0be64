"""Everything an account holds, as one JSON document or as two CSV files (no Flask).

The JSON is versioned ("format": "advisory", "version": 1) and deterministic: the same
data gives the same bytes, so two exports can be compared or checked into a backup.
Both formats are produced piece by piece, so a long history never sits in memory whole.
Password hashes and feed tokens are never exported.
"""
import base64
import csv
import io
import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime

from peewee import JOIN

from advisory.models import (
    Advice, Advisor, Contact, Give, Introduction, Promise, User, YearlyDate,
)
from advisory.models.goals import Goal, GoalNote
from advisory.models.photos import Photo
from advisory.models.reviews import BoardReview, ReviewDecision

FORMAT = "advisory"
VERSION = 1

# Every field a person entered or the app keeps about an advisor, in the document's order.
ADVISOR_FIELDS = (
    "uid", "name", "role", "stage", "paused_until", "cadence_count", "cadence_unit",
    "email", "phone", "organisation", "why", "offer", "meeting_style", "meeting_kind",
    "horizon", "agenda", "notes", "last_spoke_on", "snoozed_until", "added_on",
    "closed_on", "close_reason", "lesson", "yearly_check_in",
    "sequence", "changed_at", "relation", "ideal_next_step", "strengths",
    "introductions_to_make",
)
# Columns left out: row ids and links, what is derived from the contacts (recomputed
# on import), and the trash's mark (nothing in the trash is exported). Anything else a
# migration adds must join the lists above.
# The photo's version too: the photo itself is exported ("photo": its large size in base64,
# for a person with one) and is made afresh on import, with its own version.
ADVISOR_COLUMNS_LEFT_OUT = {"id", "user", "last_conversation_on", "last_message_on",
                            "contact_count", "deleted_at", "photo_hash"}
CONTACT_FIELDS = ("happened_on", "kind", "notes", "thanked", "idempotency_key",
                  "cleared_snooze", "created_at")
CONTACT_COLUMNS_LEFT_OUT = {"id", "advisor", "deleted_at"}
PROMISE_FIELDS = ("text", "owed_by", "due_on", "kept_on", "sequence", "created_at",
                  "changed_at")
PROMISE_COLUMNS_LEFT_OUT = {"id", "advisor", "user"}
ADVICE_FIELDS = ("text", "state", "outcome", "outcome_on", "told_on", "created_at")
ADVICE_COLUMNS_LEFT_OUT = {"id", "advisor", "user", "contact"}  # the contact: a link
GIVE_FIELDS = ("kind", "note", "given_on", "created_at")
GIVE_COLUMNS_LEFT_OUT = {"id", "advisor", "user"}
GOAL_FIELDS = ("text", "state", "created_on", "closed_on", "created_at")
GOAL_COLUMNS_LEFT_OUT = {"id", "advisor", "user"}
GOAL_NOTE_FIELDS = ("note", "noted_on", "created_at")
GOAL_NOTE_COLUMNS_LEFT_OUT = {"id", "goal", "contact"}  # the contact: a link, like advice's
# "to_person" is exported as the other person's uid ("to_uid"), their link across accounts.
INTRODUCTION_FIELDS = ("direction", "to_whom", "happened_on", "outcome", "created_at")
INTRODUCTION_COLUMNS_LEFT_OUT = {"id", "person", "user", "to_person"}
# A person's birthday and yearly dates ("dates"), in the order they were added.
YEARLY_FIELDS = ("kind", "label", "month", "day", "year", "sequence", "created_at",
                 "changed_at")
YEARLY_COLUMNS_LEFT_OUT = {"id", "person", "user"}
ACCOUNT_FIELDS = ("email", "timezone", "due_soon_days", "messages_count", "role_cadences",
                  "feed_details", "feed_alarm", "calendar_style", "reminder_time", "digest",
                  "digest_weekday", "review_every")
# Board reviews, a line each after the advisors, oldest first, each with its decisions;
# a decision names its member by uid ("advisor_uid"), null for an empty role.
REVIEW_FIELDS = ("reviewed_on", "reflection", "created_at")
REVIEW_COLUMNS_LEFT_OUT = {"id", "user"}
DECISION_FIELDS = ("name", "role", "decision", "cadence_count", "cadence_unit", "note")
DECISION_COLUMNS_LEFT_OUT = {"id", "review", "advisor"}

ADVISOR_COLUMNS = ("uid", "name", "role", "stage", "closed_on", "close_reason", "lesson",
                   "yearly_check_in", "cadence_count", "cadence_unit", "email",
                   "phone", "organisation", "why", "offer", "meeting_style", "meeting_kind",
                   "horizon", "agenda", "notes", "last_spoke_on", "snoozed_until",
                   "paused_until", "added_on", "relation", "ideal_next_step", "strengths",
                   "introductions_to_make")
CONTACT_COLUMNS = ("advisor_uid", "advisor_name", "happened_on", "kind", "notes", "thanked")

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def plain(value):
    """A stored value as JSON has it: dates ISO, times ISO in UTC with a Z."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def dumps(value) -> str:
    """One deterministic JSON text: sorted keys, real UTF-8 characters."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def account_record(user: User) -> dict:
    record = {name: plain(getattr(user, name)) for name in ACCOUNT_FIELDS}
    record["role_cadences"] = json.loads(user.role_cadences or "{}")
    return record


def advisor_record(advisor: Advisor, contacts, promises=(), advice=(), gives=(),
                   introductions=(), uids=None) -> dict:
    """One person of the export with everything recorded on them; `uids` (id -> uid) names
    the other person an introduction was to."""
    record = {name: plain(getattr(advisor, name)) for name in ADVISOR_FIELDS}
    record["contacts"] = [{name: plain(getattr(c, name)) for name in CONTACT_FIELDS}
                          for c in contacts]
    record["promises"] = [{name: plain(getattr(p, name)) for name in PROMISE_FIELDS}
                          for p in promises]
    record["advice"] = [{name: plain(getattr(a, name)) for name in ADVICE_FIELDS}
                        for a in advice]
    record["gives"] = [{name: plain(getattr(g, name)) for name in GIVE_FIELDS} for g in gives]
    record["introductions"] = [
        {**{name: plain(getattr(i, name)) for name in INTRODUCTION_FIELDS},
         "to_uid": (uids or {}).get(i.to_person_id)}
        for i in introductions]
    return record


def by_advisor(model, user: User, key: str = "advisor_id") -> dict[int, list]:
    """Advisor id -> the account's rows of `model` (promises, advice, gives, introductions
    by `key`), oldest first."""
    found: dict[int, list] = {}
    for row in model.select().where(model.user == user).order_by(model.id):
        found.setdefault(getattr(row, key), []).append(row)
    return found


def uids_of(user: User) -> dict[int, str]:
    """Advisor id -> uid, for the account's people not in the trash (one query)."""
    return dict(Advisor.select(Advisor.id, Advisor.uid)
                .where(Advisor.user == user, Advisor.deleted_at.is_null()).tuples())


def goal_records(goals, notes: dict[int, list]) -> list[dict]:
    """An advisor's goals for the export, each with its progress notes (`notes`: goal id ->
    notes, oldest first)."""
    return [{**{name: plain(getattr(g, name)) for name in GOAL_FIELDS},
             "notes": [{name: plain(getattr(n, name)) for name in GOAL_NOTE_FIELDS}
                       for n in notes.get(g.id, ())]}
            for g in goals]


def notes_by_goal(user: User) -> dict[int, list]:
    """Goal id -> the account's progress notes on it, oldest first (one query)."""
    found: dict[int, list] = {}
    for note in (GoalNote.select(GoalNote).join(Goal).where(Goal.user == user)
                 .order_by(GoalNote.noted_on, GoalNote.id)):
        found.setdefault(note.goal_id, []).append(note)
    return found


def in_order_added(user: User) -> Iterator[Advisor]:
    """The account's advisors, whole, in the order they were added, read row by row
    (not those in the trash)."""
    return (Advisor
            .select()
            .where(Advisor.user == user, Advisor.deleted_at.is_null())
            .order_by(Advisor.id)
            .iterator())


def advisors_with_contacts(user: User) -> Iterator[tuple[Advisor, list[Contact]]]:
    """The account's advisors in the order they were added, each with its contacts
    (oldest conversation first): two queries, read row by row; nothing in the trash."""
    advisors = in_order_added(user)
    contacts = (Contact
                .select(Contact)
                .join(Advisor)
                .where(Advisor.user == user, Advisor.deleted_at.is_null(),
                       Contact.deleted_at.is_null())
                .order_by(Contact.advisor, Contact.happened_on, Contact.id)
                .iterator())
    grouped = itertools.groupby(contacts, key=lambda c: c.advisor_id)
    pending = next(grouped, None)
    for advisor in advisors:
        history = []
        if pending is not None and pending[0] == advisor.id:
            history = list(pending[1])
            pending = next(grouped, None)
        yield advisor, history


def json_chunks(user: User) -> Iterator[str]:
    """The account as one JSON document, a line per advisor."""
    yield (f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n'
           f'  "account": {dumps(account_record(user))},\n  "advisors": [')
    promises, advice = by_advisor(Promise, user), by_advisor(Advice, user)
    gives = by_advisor(Give, user)
    goals, notes = by_advisor(Goal, user), notes_by_goal(user)
    introductions, uids = by_advisor(Introduction, user, "person_id"), uids_of(user)
    photos = Photo.large_by_person(user)
    dates = by_advisor(YearlyDate, user, "person_id")
    for index, (advisor, contacts) in enumerate(advisors_with_contacts(user)):
        record = advisor_record(advisor, contacts, promises.get(advisor.id, ()),
                                advice.get(advisor.id, ()), gives.get(advisor.id, ()),
                                introductions.get(advisor.id, ()), uids)
        record["goals"] = goal_records(goals.get(advisor.id, ()), notes)
        if advisor.id in photos:
            record["photo"] = base64.b64encode(photos[advisor.id]).decode("ascii")
        record["dates"] = [{name: plain(getattr(d, name)) for name in YEARLY_FIELDS}
                           for d in dates.get(advisor.id, ())]
        yield ("," if index else "") + "\n    " + dumps(record)
    yield '\n  ],\n  "reviews": ['
    for index, record in enumerate(review_records(user)):
        yield ("," if index else "") + "\n    " + dumps(record)
    yield "\n  ]\n}\n"


def review_records(user: User) -> Iterator[dict]:
    """The account's board reviews, oldest first, each with its decisions: two queries."""
    decisions: dict[int, list] = {}
    for decision in (ReviewDecision
                     .select(ReviewDecision, Advisor.uid.alias("advisor_uid"))
                     .join(BoardReview)
                     .switch(ReviewDecision)
                     .join(Advisor, JOIN.LEFT_OUTER)
                     .where(BoardReview.user == user)
                     .order_by(ReviewDecision.id)
                     .objects()):
        record = {name: plain(getattr(decision, name)) for name in DECISION_FIELDS}
        record["advisor_uid"] = decision.advisor_uid
        decisions.setdefault(decision.review_id, []).append(record)
    for review in (BoardReview.select().where(BoardReview.user == user)
                   .order_by(BoardReview.reviewed_on, BoardReview.id)):
        yield {**{name: plain(getattr(review, name)) for name in REVIEW_FIELDS},
               "decisions": decisions.get(review.id, [])}


def document(user: User) -> dict:
    """The export as a Python value (for tests and the CLI's checks)."""
    return json.loads("".join(json_chunks(user)))


def safe_cell(value) -> str | int:
    """A value a spreadsheet shows as typed: formula-looking text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    text = plain(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_rows(header, rows) -> Iterator[str]:
    """CSV text, a row at a time, with a BOM so spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def advisors_csv(user: User) -> Iterator[str]:
    """One row per advisor, every field as a column."""
    def rows():  # a generator, so the query runs as the response streams, not before
        for advisor in in_order_added(user):
            yield [getattr(advisor, name) for name in ADVISOR_COLUMNS]
    return csv_rows(ADVISOR_COLUMNS, rows())


def contacts_csv(user: User) -> Iterator[str]:
    """One row per logged contact, with the advisor's UID and name."""
    rows = ([advisor.uid, advisor.name, contact.happened_on, contact.kind, contact.notes,
             contact.thanked]
            for advisor, contacts in advisors_with_contacts(user)
            for contact in contacts)
    return csv_rows(CONTACT_COLUMNS, rows)
