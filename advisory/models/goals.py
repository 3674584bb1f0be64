"""What you seek from each advisor, broken into goals (open, achieved or dropped), each
with dated progress notes that can point at the conversation they came from.

Every write runs in write_transaction() under the advisor's lock (Advisor._locked), so a
write for an advisor deleted meanwhile raises Advisor.DoesNotExist (the caller answers
404). Goals are not in the calendar feed, so no write here moves the advisor's feed stamp.
"""
from datetime import date

from peewee import JOIN, Case, CharField, DateField, DateTimeField, ForeignKeyField, fn

from advisory.core.vocabulary import LIMITS
from advisory.database import db, utcnow, write_transaction
from advisory.models import search
from advisory.models.accounts import User
from advisory.models.advisors import Advisor
from advisory.models.contacts import Contact
from advisory.models.promises import _own


class Goal(db.Model):
    advisor = ForeignKeyField(Advisor, backref="goals", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="goals", on_delete="CASCADE", index=True)
    text = CharField(max_length=LIMITS["goal"])
    state = CharField(max_length=10, default="open")  # vocabulary.GOAL_STATES
    created_on = DateField()  # in the account's time zone
    closed_on = DateField(null=True)  # achieved or dropped on
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "goals"
        indexes = ((("advisor", "state"), False),)

    @classmethod
    def for_advisor(cls, advisor: Advisor) -> list["Goal"]:
        """An advisor's goals, open first (oldest first), then the closed ones (latest
        first), each holding its notes (newest first) as `.progress`: two queries."""
        goals = list(cls.select()
                     .where(cls.advisor == advisor.id)
                     .order_by(Case(None, [(cls.state == "open", 0)], 1),
                               cls.closed_on.desc(), cls.created_on, cls.id))
        notes: dict[int, list[GoalNote]] = {}
        if goals:
            query = (GoalNote.select(GoalNote, Contact)
                     .join(Contact, JOIN.LEFT_OUTER, on=(GoalNote.contact == Contact.id))
                     .where(GoalNote.goal.in_([g.id for g in goals]))
                     .order_by(GoalNote.noted_on.desc(), GoalNote.id.desc()))
            for note in query:
                notes.setdefault(note.goal_id, []).append(note)
        for goal in goals:
            goal.progress = notes.get(goal.id, [])
        return goals

    @classmethod
    def open_by_advisor(cls, user: User) -> dict[int, list["Goal"]]:
        """advisor id -> their open goals, oldest first: one query for a whole board."""
        found: dict[int, list[Goal]] = {}
        query = (cls.select().where(cls.user == user.id, cls.state == "open")
                 .order_by(cls.created_on, cls.id))
        for goal in query:
            found.setdefault(goal.advisor_id, []).append(goal)
        return found

    @classmethod
    def achieved_counts(cls, user: User) -> dict[int, int]:
        """advisor id -> how many of their goals were achieved: one query for a board."""
        return dict(cls.select(cls.advisor, fn.COUNT(cls.id))
                    .where(cls.user == user.id, cls.state == "achieved")
                    .group_by(cls.advisor).tuples())

    @classmethod
    def owned(cls, user: User, goal_id: int):
        """One of this account's goals, or None: never another account's."""
        return _own(cls, user, goal_id)

    @classmethod
    def make(cls, advisor: Advisor, *, text: str, created_on: date) -> "Goal":
        """Add an open goal; raises Advisor.DoesNotExist once the advisor is deleted."""
        with write_transaction():
            current = advisor._locked()
            goal = cls.create(advisor=current.id, user=current.user_id, text=text,
                              created_on=created_on)
            search.refresh("goal", goal.id)
        return goal

    def _update(self, columns: dict) -> bool:
        with write_transaction():
            self.advisor._locked()
            changed = Goal.update(columns).where(Goal.id == self.id).execute()
            search.refresh("goal", self.id)
        return bool(changed)

    def change(self, *, text: str) -> bool:
        """Save an edit; False when it was deleted meanwhile."""
        return self._update({Goal.text: text})

    def settle(self, state: str, on: date | None) -> bool:
        """Mark it achieved or dropped on `on`, or open again (state "open", on None)."""
        return self._update({Goal.state: state, Goal.closed_on: on})

    def remove(self) -> bool:
        """Delete it with its notes; False when it was gone already."""
        with write_transaction():
            self.advisor._locked()
            search.drop("goal_note", GoalNote.select(GoalNote.id).where(GoalNote.goal == self.id))
            search.drop("goal", self.id)
            GoalNote.delete().where(GoalNote.goal == self.id).execute()
            return bool(Goal.delete().where(Goal.id == self.id).execute())

    def note(self, *, note: str, noted_on: date, contact: Contact | None = None) -> "GoalNote":
        """Add a progress note; raises Goal.DoesNotExist once the goal is deleted."""
        with write_transaction():
            self.advisor._locked()
            Goal.select(Goal.id).where(Goal.id == self.id).get()
            added = GoalNote.create(goal=self.id, note=note, noted_on=noted_on,
                                    contact=contact)
            search.refresh("goal_note", added.id)
        return added


class GoalNote(db.Model):
    goal = ForeignKeyField(Goal, backref="notes", on_delete="CASCADE")
    note = CharField(max_length=LIMITS["goal_note"])
    noted_on = DateField()
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")  # came of it
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "goal_notes"
        indexes = ((("goal", "noted_on"), False),)

    @classmethod
    def owned(cls, goal: Goal, note_id: int):
        """One note of this goal (the caller's own), or None."""
        if not 0 < note_id < 2**63:
            return None
        return cls.get_or_none(cls.id == note_id, cls.goal == goal.id)

    @property
    def conversation(self) -> Contact | None:
        """The conversation it points at, unless that is in the trash."""
        contact = self.contact if self.contact_id else None
        return contact if contact and contact.deleted_at is None else None

    def remove(self, goal: Goal) -> bool:
        """Delete it; False when it was gone already."""
        with write_transaction():
            goal.advisor._locked()
            search.drop("goal_note", self.id)
            return bool(GoalNote.delete().where(GoalNote.id == self.id).execute())
