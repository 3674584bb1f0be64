"""Putting people from a phone's contacts on the board (the vCard import): who is there
already, and adding the ones picked, each with their role's default cadence. No Flask."""
from datetime import date
from typing import NamedTuple

from advisory.core import photos
from advisory.core.cadence import Cadence
from advisory.core.vcard_person import Person
from advisory.data.importer import lock_account
from advisory.database import write_transaction
from advisory.models import Advisor, Photo, User, YearlyDate


def on_board(user: User, people: list[Person]) -> list[bool]:
    """For each person, whether the board already has them: the same email (any case),
    or for someone without an email, the same name."""
    emails, names = set(), set()
    query = (Advisor
             .select(Advisor.email, Advisor.name)
             .where(Advisor.user == user, Advisor.deleted_at.is_null()))
    for advisor in query:
        emails.add(advisor.email.lower())
        names.add(advisor.name.casefold())
    found = []
    for person in people:
        key, known = ((person.email.lower(), emails) if person.email
                      else (person.name.casefold(), names))
        found.append(key in known)
        known.add(key)  # the same person twice in one file is added once
    return found


class Pick(NamedTuple):
    """Someone from the contacts to put on the board, with the role they play and the day
    you last talked (None: never, or not yet, so they are due the day they are added)."""
    person: Person
    role: str
    last_spoke_on: date | None = None


def add_people(user: User, chosen: list[Pick]) -> tuple[list[str], list[str]]:
    """Put each picked person on the board with their role's default cadence, counted from
    the day you last talked, skipping anyone already there; returns (names added, names
    skipped). One transaction, and every advisor made by Advisor.add."""
    picks = [Pick(*choice) for choice in chosen]  # (person, role) alone: never talked
    faces = [photo_of(pick.person) for pick in picks]  # made before the write lock is taken
    added, skipped = [], []
    today = user.today()
    with write_transaction():
        lock_account(user)
        present = on_board(user, [pick.person for pick in picks])
        for (person, role, last_spoke_on), there, face in zip(picks, present, faces):
            if there:
                skipped.append(person.name)
                continue
            count, unit = cadence_of(user, role)
            advisor = Advisor.add(user, {
                "name": person.name, "role": role, "email": person.email,
                "phone": person.phone, "organisation": person.organisation,
                "cadence_count": count, "cadence_unit": unit, "added_on": today,
                "last_spoke_on": last_spoke_on})
            YearlyDate.add_all(advisor, person.dates, today)
            if face is not None:
                Photo.put(advisor, face)
            added.append(person.name)
    return added, skipped


def photo_of(person: Person) -> photos.Renditions | None:
    """The sizes of the person's photo from their card; None without one, or for one that
    is not a readable JPEG, PNG, WebP or HEIC (the person is added all the same)."""
    try:
        return photos.renditions(person.photo) if person.photo else None
    except photos.BadPhoto:
        return None


def cadence_of(user: User, role: str) -> tuple[int, str]:
    """The account's default cadence for `role`, as stored on an advisor."""
    chosen = Cadence.parse(user.default_cadence(role))
    return chosen.count, chosen.unit
