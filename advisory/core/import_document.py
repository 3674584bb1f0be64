"""Reading an Advisory JSON export back: every record checked before anything is written.

Plain Python, no Flask, no database. A bad file raises BadFile with a message that says
what is wrong and where: not JSON, an unknown format or version, or which record and
which field.
"""
import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from advisory.core import photos, yearly
from advisory.core.cadence import Cadence
from advisory.core.characters import without_refused
from advisory.core.checks import shown
from advisory.core.import_specs import (
    ACCOUNT, ADVICE, ADVISOR, CONTACT, DECISION, GIVE, GOAL, GOAL_NOTE, INTRODUCTION, MENTEE,
    PROMISE, REQUIRED, REVIEW, YEARLY,
)
from advisory.data import export


class BadFile(ValueError):
    """The file cannot be imported; the message says why, in words for the person."""


@dataclass
class ContactIn:
    happened_on: date
    kind: str
    notes: str = ""
    thanked: bool = False
    idempotency_key: str | None = None
    cleared_snooze: date | None = None
    created_at: datetime | None = None

    def content(self) -> tuple:
        """What makes two contacts the same conversation when neither has a key."""
        return (self.happened_on, self.kind, self.notes, self.thanked)


@dataclass
class AdvisorIn:
    uid: str
    fields: dict  # column name -> value, ready for the advisors table
    contacts: list[ContactIn] = field(default_factory=list)
    promises: list[dict] = field(default_factory=list)  # promises column -> value
    advice: list[dict] = field(default_factory=list)  # advice column -> value
    gives: list[dict] = field(default_factory=list)  # gives column -> value
    goals: list[dict] = field(default_factory=list)  # goals column -> value, "notes": theirs
    # introductions column -> value, and "to_uid": the uid of the person it was to, if any
    introductions: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)  # yearly_dates column -> value
    photo: photos.Renditions | None = None  # made afresh from the file's image

    @property
    def name(self) -> str:
        return self.fields["name"]


@dataclass
class Document:
    account: dict  # users column name -> value (no email: an import never changes it)
    advisors: list[AdvisorIn]
    # Board reviews: board_reviews column -> value, and "decisions", each a
    # review_decisions column -> value with "advisor_uid" naming its member (or None).
    reviews: list[dict] = field(default_factory=list)


def listed(record: dict, name: str, spec: dict, where: str, what: str) -> list[dict]:
    """The record's list `name` (absent: none), each item checked by `spec`."""
    items = record.get(name, [])
    if not isinstance(items, list):
        raise BadFile(f"{where}: “{name}” must be a list [...].")
    return [checked(item, spec, f"{where}, {what} {number}")
            for number, item in enumerate(items, start=1)]


def checked(record, spec: dict, where: str) -> dict:
    """The record's fields by `spec`, or BadFile naming the record and the field."""
    if not isinstance(record, dict):
        raise BadFile(f"{where} must be an object {{...}}.")
    values = {}
    for name, (check, default) in spec.items():
        if name not in record or (record[name] is None and default is REQUIRED):
            if default is REQUIRED:
                raise BadFile(f"{where}: the field “{name}” is missing.")
            values[name] = default
            continue
        try:
            values[name] = check(record[name])
        except ValueError as problem:
            raise BadFile(f"{where}: the field “{name}” {problem}.") from None
    return values


def parse(data: bytes) -> Document:
    """The document in `data`, checked record by record; BadFile says what is wrong."""
    if data.lstrip(b"\xef\xbb\xbf \r\n\t")[:11].upper() == b"BEGIN:VCARD":
        raise BadFile("This is a contacts file (vCard), not an Advisory export: bring it in "
                      "with “Import from your phone's contacts”.")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadFile("This file is not text (UTF-8): choose the .json file Advisory "
                      "exported.") from None
    except RecursionError:
        raise BadFile("This JSON nests too deeply to be an Advisory export.") from None
    except ValueError as problem:  # JSONDecodeError, or a number too long to read
        where = f" (line {problem.lineno}, column {problem.colno})" if hasattr(problem, "lineno") else ""
        raise BadFile(f"This file is not valid JSON{where}: choose the .json file Advisory "
                      "exported.") from None
    if not isinstance(raw, dict) or raw.get("format") != export.FORMAT:
        raise BadFile('This JSON is not an Advisory export: it lacks "format": "advisory".')
    if raw.get("version") != export.VERSION:
        raise BadFile(f"This export has version {shown(raw.get('version'))}; this Advisory reads "
                      f"version {export.VERSION}. Update Advisory, then import it again.")
    account = checked(raw.get("account", {}), ACCOUNT, "The account settings")
    if not isinstance(raw.get("advisors", []), list):
        raise BadFile('"advisors" must be a list [...].')
    advisors, seen = [], {}
    for number, record in enumerate(raw.get("advisors", []), start=1):
        advisor = parse_advisor(record, f"Advisor {number}")
        if advisor.uid in seen:
            raise BadFile(f"Advisor {number} ({advisor.name}) has the same uid as advisor "
                          f"{seen[advisor.uid]}: each advisor needs its own.")
        seen[advisor.uid] = number
        advisors.append(advisor)
    return Document(account=account, advisors=advisors, reviews=parse_reviews(raw))


def parse_goals(record: dict, where: str) -> list[dict]:
    """The record's goals (absent: none), each with its progress notes as "notes"."""
    goals = listed(record, "goals", GOAL, where, "goal")
    for number, (goal, raw) in enumerate(zip(goals, record.get("goals", [])), start=1):
        goal["notes"] = listed(raw, "notes", GOAL_NOTE, f"{where}, goal {number}", "note")
    return goals


def parse_dates(record: dict, where: str) -> list[dict]:
    """The record's birthday and yearly dates (absent: none): real days, a label on each
    date but the birthday, one birthday at most."""
    dates = listed(record, "dates", YEARLY, where, "date")
    for number, found in enumerate(dates, start=1):
        month, day_, year = found["month"], found["day"], found["year"]
        problem = (yearly.day_problem(month, day_)
                   or yearly.year_problem(month, day_, year, date.max)  # no "today" here
                   or (found["kind"] == "date" and not found["label"]
                       and "A date other than the birthday needs its label."))
        if problem:
            raise BadFile(f"{where}, date {number}: {problem}")
        if found["kind"] == "birthday":
            found["label"] = ""
    if sum(found["kind"] == "birthday" for found in dates) > 1:
        raise BadFile(f"{where}: a person has one birthday; the file gives more.")
    return dates


def parse_photo(record: dict, where: str) -> photos.Renditions | None:
    """The person's photo (absent or null: none), made afresh from the file's image as
    from an upload: a file is no more trusted than an upload."""
    value = record.get("photo")
    if value is None:
        return None
    try:
        data = base64.b64decode(value, validate=True) if isinstance(value, str) else None
    except (binascii.Error, ValueError):
        data = None
    if not data:
        raise BadFile(f"{where}: “photo” must be an image in base64 text.")
    try:
        return photos.renditions(data)
    except photos.BadPhoto as refused:
        raise BadFile(f"{where}, photo: {refused}") from None


def parse_advisor(record, where: str) -> AdvisorIn:
    name = record.get("name") if isinstance(record, dict) else None
    shown = " ".join(without_refused(name, multi_line=True).split()) if isinstance(name, str) else ""
    if shown:
        where = f"{where} ({shown[:40]})"  # the person, so the record can be found
    mentee = isinstance(record, dict) and record.get("relation") == "mentee"
    values = checked(record, MENTEE if mentee else ADVISOR, where)
    problem = Cadence.validate(values["cadence_count"], values["cadence_unit"])
    if problem:
        raise BadFile(f"{where}: {problem}")
    contacts = record.get("contacts", [])
    if not isinstance(contacts, list):
        raise BadFile(f"{where}: “contacts” must be a list [...].")
    uid = values.pop("uid")
    return AdvisorIn(uid=uid, fields=values, contacts=[
        ContactIn(**checked(contact, CONTACT, f"{where}, contact {number}"))
        for number, contact in enumerate(contacts, start=1)],
        goals=parse_goals(record, where),
        promises=listed(record, "promises", PROMISE, where, "promise"),
        advice=listed(record, "advice", ADVICE, where, "advice"),
        gives=listed(record, "gives", GIVE, where, "give"),
        photo=parse_photo(record, where),
        introductions=listed(record, "introductions", INTRODUCTION, where, "introduction"),
        dates=parse_dates(record, where))


def parse_reviews(raw: dict) -> list[dict]:
    """The file's board reviews (absent: none), each with its decisions; a decision's new
    cadence is whole (a count and a unit) and sensible, or absent."""
    reviews = listed(raw, "reviews", REVIEW, "The reviews", "review")
    for number, (review, record) in enumerate(zip(reviews, raw.get("reviews", [])), start=1):
        where = f"Review {number} ({review['reviewed_on']})"
        review["decisions"] = listed(record, "decisions", DECISION, where, "decision")
        for decision in review["decisions"]:
            count, unit = decision["cadence_count"], decision["cadence_unit"]
            if (count is None) != (unit is None) or (
                    count is not None and Cadence.validate(count, unit)):
                raise BadFile(f"{where}: a new cadence needs a count and a unit of at most "
                              "two years, or neither.")
    return reviews
