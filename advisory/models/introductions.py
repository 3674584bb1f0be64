"""Introductions asked for, received or made, recorded on the person they came from or
were made for, and optionally pointing at another of the account's people (to whom).

One received counts toward thanking that person (core.gratitude.introductions_to_thank);
one made for an advisor counts as giving back (the board page's year line). Every write
runs in write_transaction() under the person's lock (Advisor._locked), so a write for a
person deleted meanwhile raises Advisor.DoesNotExist (the caller answers 404).
Introductions are not in the calendar feed: no write here moves the feed's stamp.
"""
from datetime import date

from peewee import JOIN, CharField, DateField, DateTimeField, ForeignKeyField

from advisory.core import gratitude
from advisory.core.vocabulary import LIMITS
from advisory.database import db, utcnow, write_transaction
from advisory.models import search
from advisory.models.accounts import User
from advisory.models.advisors import Advisor


class Introduction(db.Model):
    person = ForeignKeyField(Advisor, backref="introductions", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="introductions", on_delete="CASCADE", index=True)
    direction = CharField(max_length=10)  # vocabulary.INTRODUCTION_DIRECTIONS
    to_whom = CharField(max_length=LIMITS["to_whom"])
    # When "to whom" is another of the account's people: shown on their page too.
    to_person = ForeignKeyField(Advisor, null=True, on_delete="SET NULL")
    happened_on = DateField()
    outcome = CharField(max_length=LIMITS["introduction_outcome"], default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "introductions"
        indexes = ((("person", "happened_on"), False),)

    @classmethod
    def involving(cls, person: Advisor) -> list["Introduction"]:
        """The introductions recorded on `person` or made to them, newest first, each with
        `.person` and `.other` (the to-whom person, None when not one of the account's
        people or in the trash): one query."""
        Other = Advisor.alias()
        found = (cls
                 .select(cls, Advisor.id, Advisor.name, Advisor.deleted_at,
                         Other.id, Other.name, Other.deleted_at)
                 .join(Advisor, on=(cls.person == Advisor.id))
                 .switch(cls)
                 .join(Other, JOIN.LEFT_OUTER, on=(cls.to_person == Other.id), attr="other")
                 .where(cls.user == person.user_id,
                        (cls.person == person.id) | (cls.to_person == person.id),
                        Advisor.deleted_at.is_null())
                 .order_by(cls.happened_on.desc(), cls.id.desc()))
        introductions = list(found)
        for introduction in introductions:
            other = getattr(introduction, "other", None)
            if other is None or other.id is None or other.deleted_at is not None:
                introduction.other = None
        return introductions

    @classmethod
    def to_thank(cls, person: Advisor, last_thanked: date | None) -> list[gratitude.Introduced]:
        """The introductions `person` made for me since I last thanked them, oldest first."""
        rows = (cls.select(cls.happened_on, cls.to_whom)
                .where(cls.person == person.id, cls.direction == "received")
                .tuples())
        return gratitude.introductions_to_thank(
            [gratitude.Introduced(*row) for row in rows], last_thanked)

    @classmethod
    def made_since(cls, user: User, start: date) -> dict[int, list[date]]:
        """person id -> the days I made an introduction for them since `start`: one query
        for a board (giving back, with the gives ledger)."""
        found: dict[int, list[date]] = {}
        rows = (cls.select(cls.person, cls.happened_on)
                .where(cls.user == user.id, cls.direction == "made", cls.happened_on >= start)
                .tuples())
        for person_id, day in rows:
            found.setdefault(person_id, []).append(day)
        return found

    @classmethod
    def owned(cls, person: Advisor, introduction_id: int):
        """One introduction recorded on this person (the caller's own), or None."""
        if not 0 < introduction_id < 2**63:
            return None
        return cls.get_or_none(cls.id == introduction_id, cls.person == person.id)

    @classmethod
    def record(cls, person: Advisor, **values) -> "Introduction":
        """Add one; raises Advisor.DoesNotExist once the person is deleted."""
        with write_transaction():
            current = person._locked()
            introduction = cls.create(person=current.id, user=current.user_id, **values)
            search.refresh("introduction", introduction.id)
        return introduction

    def change(self, **values) -> bool:
        """Save an edit; False when it was deleted meanwhile."""
        with write_transaction():
            changed = Introduction.update(values).where(Introduction.id == self.id).execute()
            search.refresh("introduction", self.id)
        return bool(changed)

    def remove(self) -> bool:
        """Delete it; False when it was gone already."""
        with write_transaction():
            search.drop("introduction", self.id)
            return bool(Introduction.delete().where(Introduction.id == self.id).execute())
