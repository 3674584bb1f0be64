"""What you gave back to each advisor: a short ledger beside "What you offer them", so a
relationship that only takes is visible (the board page counts it per member)."""
from datetime import date

from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from advisory.core.vocabulary import LIMITS
from advisory.database import db, utcnow, write_transaction
from advisory.models import search
from advisory.models.accounts import User
from advisory.models.advisors import Advisor
from advisory.models.introductions import Introduction


class Give(db.Model):
    advisor = ForeignKeyField(Advisor, backref="gives", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="gives", on_delete="CASCADE", index=True)
    kind = CharField(max_length=20)  # vocabulary.GIVE_KINDS
    note = CharField(max_length=LIMITS["give"], default="")
    given_on = DateField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "gives"
        indexes = ((("advisor", "given_on"), False),)

    @classmethod
    def ledger(cls, advisor: Advisor, latest: int | None = None):
        """An advisor's gives, newest first (the `latest` few)."""
        query = (cls.select().where(cls.advisor == advisor)
                 .order_by(cls.given_on.desc(), cls.id.desc()))
        return list(query.limit(latest) if latest else query)

    @classmethod
    def owned(cls, advisor: Advisor, give_id: int):
        """One give of this advisor (the caller's own), or None."""
        if not 0 < give_id < 2**63:
            return None
        return cls.get_or_none(cls.id == give_id, cls.advisor == advisor.id)

    @classmethod
    def dates_since(cls, user: User, start: date) -> dict[int, list[date]]:
        """advisor id -> the days you gave them back something since `start`: their gives,
        and the introductions you made for them (models/introductions.py), which count as
        giving back too. Two queries for a board."""
        found = Introduction.made_since(user, start)
        rows = (cls.select(cls.advisor, cls.given_on)
                .where(cls.user == user, cls.given_on >= start).tuples())
        for advisor_id, day in rows:
            found.setdefault(advisor_id, []).append(day)
        return found

    @classmethod
    def record(cls, advisor: Advisor, *, kind: str, note: str, given_on: date) -> "Give":
        """Add a give; raises Advisor.DoesNotExist once the advisor is deleted."""
        with write_transaction():
            current = advisor._locked()
            give = cls.create(advisor=current, user=current.user_id, kind=kind, note=note,
                              given_on=given_on)
            search.refresh("give", give.id)
        return give

    def change(self, *, kind: str, note: str, given_on: date) -> bool:
        """Save an edit; False when it was deleted meanwhile."""
        with write_transaction():
            changed = (Give.update(kind=kind, note=note, given_on=given_on)
                       .where(Give.id == self.id).execute())
            search.refresh("give", self.id)
        return bool(changed)

    def remove(self) -> bool:
        """Delete it; False when it was gone already."""
        with write_transaction():
            search.drop("give", self.id)
            return bool(Give.delete().where(Give.id == self.id).execute())

