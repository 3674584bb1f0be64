"""A person as the board takes them from a contact card: name, email, phone,
organisation and yearly dates, each tidied to what the board stores.

Apart from vcards.py, which scans the file and has vobject read each card, because this
is the other half: the values of a card vobject has read (or sent back by a page, for
tidy()) made into a Person, whatever the exporter wrote.
"""
import re
from dataclasses import dataclass, field

from advisory.core import yearly
from advisory.core.characters import without_refused
from advisory.core.vocabulary import LIMITS

# Apple's and Google's labels of an X-ABDATE (other labels are the person's own words).
AB_LABELS = {"_$!<Anniversary>!$_": "anniversary", "_$!<Other>!$_": "other date"}
NAME, EMAIL, PHONE, ORGANISATION = (LIMITS[field] for field in
                                    ("name", "email", "phone", "organisation"))
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    phone: str = ""
    organisation: str = ""
    dates: tuple = ()  # yearly.YearlyValue each: the birthday, anniversaries
    # The card's image as it came (core/photos.py reads it, or refuses it, when the person
    # is added); not part of who they are, nor of what a failed test prints.
    photo: bytes = field(default=b"", compare=False, repr=False)


def tidy(name, email="", phone="", organisation="", dates=()) -> Person | None:
    """A person with each value as the board stores it (one line, within its length,
    a plausible email or none); None without a name. Also for values sent back by a page."""
    organisation = clean(organisation, ORGANISATION)
    email = clean(email, EMAIL)
    if not EMAIL_SHAPE.fullmatch(email):
        email = ""
    name = clean(name, NAME) or organisation or email
    if not name:
        return None
    return Person(name=name, email=email, phone=clean(phone, PHONE), organisation=organisation,
                  dates=tuple(dates))


def person_of(card) -> Person | None:
    """Name, email, phone and organisation of one card; None for a card without a name."""
    return tidy(clean(first_value(card, "fn"), NAME) or name_parts(card),
                email=best(card, "email"), phone=best(card, "tel").removeprefix("tel:"),
                organisation=first_value(card, "org"), dates=dates_of(card))


def dates_of(card) -> list:
    """The card's birthday and anniversaries that make a whole day of the year: BDAY,
    ANNIVERSARY (4.0), X-ANNIVERSARY (Android) and X-ABDATE with its X-ABLabel (Apple,
    Google); with the year when there is one (not Apple's X-APPLE-OMIT-YEAR)."""
    labels = {line.group: line.value for line in card.contents.get("x-ablabel", [])
              if line.group and isinstance(line.value, str)}
    found = []
    for key, kind in (("bday", "birthday"), ("anniversary", "date"),
                      ("x-anniversary", "date"), ("x-abdate", "date")):
        for line in card.contents.get(key, []):
            label = labels.get(line.group, "_$!<Anniversary>!$_")
            label = clean(AB_LABELS.get(label, label), LIMITS["yearly_label"])
            omit = line.params.get("X-APPLE-OMIT-YEAR", [""])[0]
            value = yearly.from_vcard(kind, label, line.value, omit)
            if value is not None:
                found.append(value)
    return found


def clean(value, limit: int) -> str:
    """One line of text, trimmed to the length the board stores, without the control
    characters a form would refuse (nobody can fix them in their phone's export)."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if isinstance(value, bytes):  # a value in base64 (ENCODING=b) is decoded to bytes
        value = value.decode("utf-8", errors="replace")
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
