"""People from a phone's contacts: a .vcf file (vCard 2.1, 3.0 or 4.0) read with vobject.

Plain Python, no Flask, no database. Handles what Google Contacts, Apple Contacts and
Android write: folded lines, `item1.` groups, TYPE= parameters, quoted-printable values
with a charset, embedded photos (ignored).
"""
import re
from dataclasses import dataclass

import vobject

from .characters import without_refused
from .import_document import BadFile

MAX_PEOPLE = 2000
NAME, EMAIL, PHONE, ORGANISATION = 120, 254, 40, 120  # the advisors table's limits
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# vCard 2.1 quoted-printable: a line ending in "=" continues on the next line. vobject
# unfolds only the 3.0/4.0 way (a leading space), so these "soft" breaks are joined first.
QP_SOFT_BREAK = re.compile(r"^([^:\r\n]*QUOTED-PRINTABLE[^:\r\n]*:.*?)=\r?\n", re.I | re.M)


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    phone: str = ""
    organisation: str = ""


def decode(data: bytes) -> str:
    """The file's text: UTF-8 as every current exporter writes, else Windows-1252."""
    if b"\x00" in data:
        raise BadFile("This file is not a vCard (.vcf): it is binary data.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def join_soft_breaks(text: str) -> str:
    while True:
        joined = QP_SOFT_BREAK.sub(r"\1", text)
        if joined == text:
            return text
        text = joined


def parse(data: bytes) -> list[Person]:
    """Everyone in the file, in its order; BadFile says why a file cannot be read."""
    text = join_soft_breaks(decode(data))
    if text.lstrip().startswith("{") and '"format": "advisory"' in text[:200]:
        raise BadFile("This is an Advisory export, not a vCard: put it back with “Restore "
                      "from an Advisory export”.")
    if not re.search(r"^BEGIN:VCARD", text, re.I | re.M):
        raise BadFile("This file is not a vCard (.vcf): it has no BEGIN:VCARD line. Export "
                      "your contacts as vCard from your phone or contacts app.")
    people = []
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name.upper() != "VCARD":
                continue
            person = person_of(card)
            if person is not None:
                people.append(person)
            if len(people) > MAX_PEOPLE:
                raise BadFile(f"This file holds more than {MAX_PEOPLE} people. Export a "
                              "smaller group (a label or a list) and import that.")
    except (vobject.base.ParseError, ValueError, UnicodeError) as problem:
        raise BadFile(f"This vCard file could not be read: {first_line(problem)}") from None
    if not people:
        raise BadFile("This vCard file has no one with a name in it.")
    return people


def first_line(problem: Exception) -> str:
    return (str(problem).strip().splitlines() or ["it is malformed"])[0][:200]


def tidy(name, email="", phone="", organisation="") -> Person | None:
    """A person with each value as the board stores it (one line, within its length,
    a plausible email or none); None without a name. Also for values sent back by a page."""
    organisation = clean(organisation, ORGANISATION)
    email = clean(email, EMAIL)
    if not EMAIL_SHAPE.fullmatch(email):
        email = ""
    name = clean(name, NAME) or organisation or email
    if not name:
        return None
    return Person(name=name, email=email, phone=clean(phone, PHONE), organisation=organisation)


def person_of(card) -> Person | None:
    """Name, email, phone and organisation of one card; None for a card without a name."""
    return tidy(clean(first_value(card, "fn"), NAME) or name_parts(card),
                email=best(card, "email"), phone=best(card, "tel").removeprefix("tel:"),
                organisation=first_value(card, "org"))


def clean(value, limit: int) -> str:
    """One line of text, trimmed to the length the board stores, without the control
    characters a form would refuse (nobody can fix them in their phone's export)."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return " ".join(without_refused(str(value or ""), multi_line=True).split())[:limit]


def first_value(card, key: str):
    lines = card.contents.get(key) or []
    return lines[0].value if lines else ""


def name_parts(card) -> str:
    lines = card.contents.get("n") or []
    if not lines or not hasattr(lines[0].value, "given"):
        return ""
    name = lines[0].value
    parts = [name.prefix, name.given, name.additional, name.family, name.suffix]
    return " ".join(p if isinstance(p, str) else " ".join(p) for p in parts)


def best(card, key: str) -> str:
    """The preferred value of a repeated property (TYPE=pref or PREF=1), else the first."""
    lines = card.contents.get(key) or []

    def preferred(line) -> bool:
        given = line.params.get("TYPE", []) + line.singletonparams
        types = [t.strip().lower() for value in given for t in value.split(",")]
        return "pref" in types or line.params.get("PREF", [""])[0] == "1"

    for line in sorted(lines, key=lambda line: not preferred(line)):
        if isinstance(line.value, str) and line.value.strip():
            return line.value
    return ""
