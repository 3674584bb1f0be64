"""Promises both ways and the advice an advisor gave, with what came of it.

Every write runs in write_transaction() under the advisor's lock (Advisor._locked), so a
write for an advisor deleted meanwhile raises Advisor.DoesNotExist (the caller answers
404); a write that changes what the calendar feed shows (my promises with a date are
events of their own) moves the advisor's feed stamp, so the feed's ETag changes too.
"""
from datetime import date, timedelta

from peewee import (
    Case, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
)

from advisory.core.promises import REPORTABLE, DuePromise
from advisory.core.vocabulary import LIMITS
from advisory.database import db, utcnow, write_transaction
from advisory.models import search
from advisory.models.accounts import User
from advisory.models.advisors import Advisor
from advisory.models.contacts import Contact


def _own(model, user: User, row_id: int):
    """One row of `model` on this account, of an advisor not in the trash, or None."""
    if not 0 < row_id < 2**63:
        return None
    found = (model.select(model, Advisor).join(Advisor)
             .where(model.id == row_id, model.user == user.id,
                    Advisor.user == user.id, Advisor.deleted_at.is_null()).first())
    if found:
        found.advisor.user = getattr(user, "_get_current_object", lambda: user)()
    return found


class Promise(db.Model):
    advisor = ForeignKeyField(Advisor, backref="promises", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="promises", on_delete="CASCADE", index=True)
    text = CharField(max_length=LIMITS["promise"])
    owed_by = CharField(max_length=4)  # vocabulary.PROMISE_OWERS: "me" or "them"
    due_on = DateField(null=True)
    kept_on = DateField(null=True)
    sequence = IntegerField(default=1)  # the promise's own event's SEQUENCE in the feed
    created_at = DateTimeField(default=utcnow)
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "promises"
        indexes = ((("advisor", "kept_on"), False), (("user", "due_on"), False))

    @classmethod
    def open_for(cls, advisor: Advisor) -> list["Promise"]:
        """An advisor's open promises: mine first, then by date (undated last)."""
        return list(cls.select()
                    .where(cls.advisor == advisor.id, cls.kept_on.is_null())
                    .order_by(Case(None, [(cls.owed_by == "me", 0)], 1),
                              Case(None, [(cls.due_on.is_null(), 1)], 0),
                              cls.due_on, cls.id))

    @classmethod
    def kept_for(cls, advisor: Advisor, latest: int = 5) -> list["Promise"]:
        """The latest promises kept, newest first (for Undo and the record)."""
        return list(cls.select()
                    .where(cls.advisor == advisor.id, cls.kept_on.is_null(False))
                    .order_by(cls.kept_on.desc(), cls.id.desc()).limit(latest))

    @classmethod
    def _mine_dated(cls, user: User):
        return cls._dated_mine(cls.user == user.id)

    @classmethod
    def _dated_mine(cls, whose):
        """My open promises with a date, of advisors not in the trash, on the accounts
        `whose` picks."""
        return (cls.select(cls, Advisor).join(Advisor)
                .where(whose, cls.owed_by == "me", cls.kept_on.is_null(),
                       cls.due_on.is_null(False), Advisor.deleted_at.is_null()))

    @classmethod
    def due_for(cls, user: User, today: date, window_days: int) -> list["Promise"]:
        """My open promises with a date within the window or late, soonest first, each
        with its advisor loaded."""
        return list(cls._mine_dated(user)
                    .where(cls.due_on <= today + timedelta(days=window_days))
                    .order_by(cls.due_on, cls.id))

    @classmethod
    def open_by_advisor(cls, user: User) -> dict[int, list["Promise"]]:
        """advisor id -> their open promises (mine first, by date): one query for the due
        list's cards."""
        found: dict[int, list[Promise]] = {}
        query = (cls.select().where(cls.user == user.id, cls.kept_on.is_null())
                 .order_by(Case(None, [(cls.owed_by == "me", 0)], 1),
                           Case(None, [(cls.due_on.is_null(), 1)], 0), cls.due_on, cls.id))
        for promise in query:
            found.setdefault(promise.advisor_id, []).append(promise)
        return found

    @classmethod
    def dated_by_account(cls, accounts: list[int]) -> dict[int, list[DuePromise]]:
        """account id -> my open promises with a date, soonest first, as reminders mention
        them: one query for a batch of accounts (each keeps those due by its own day)."""
        found: dict[int, list[DuePromise]] = {}
        for p in cls._dated_mine(cls.user.in_(accounts)).order_by(cls.due_on, cls.id):
            found.setdefault(p.user_id, []).append(
                DuePromise(text=p.text, name=p.advisor.name, due=p.due_on,
                           advisor_id=p.advisor_id))
        return found

    @classmethod
    def in_feed(cls, user: User) -> list["Promise"]:
        """Every open promise of mine with a date: the calendar feed's promise events."""
        return list(cls._mine_dated(user).order_by(cls.due_on, cls.id))

    @classmethod
    def owned(cls, user: User, promise_id: int):
        """One of this account's promises, or None: never another account's."""
        return _own(cls, user, promise_id)

    @classmethod
    def make(cls, advisor: Advisor, *, text: str, owed_by: str,
             due_on: date | None = None) -> "Promise":
        """Add a promise; raises Advisor.DoesNotExist once the advisor is deleted."""
        with write_transaction():
            current = advisor._locked()
            current._write({})
            promise = cls.create(advisor=current.id, user=current.user_id, text=text,
                                 owed_by=owed_by, due_on=due_on)
            search.refresh("promise", promise.id)
        return promise

    def _update(self, columns: dict) -> bool:
        with write_transaction():
            self.advisor._locked()._write({})
            changed = (Promise
                       .update({**columns, Promise.sequence: Promise.sequence + 1,
                                Promise.changed_at: utcnow()})
                       .where(Promise.id == self.id).execute())
            search.refresh("promise", self.id)
        return bool(changed)

    def change(self, *, text: str, owed_by: str, due_on: date | None) -> bool:
        """Save an edit; False when it was deleted meanwhile."""
        return self._update({Promise.text: text, Promise.owed_by: owed_by,
                             Promise.due_on: due_on})

    def keep(self, on: date) -> bool:
        """Mark it kept on `on`: out of the lists, the reminders and the feed."""
        return self._update({Promise.kept_on: on})

    def reopen(self) -> bool:
        """Undo "Kept"."""
        return self._update({Promise.kept_on: None})

    def remove(self) -> bool:
        """Delete it; False when it was gone already."""
        with write_transaction():
            self.advisor._locked()._write({})
            search.drop("promise", self.id)
            return bool(Promise.delete().where(Promise.id == self.id).execute())


class Advice(db.Model):
    advisor = ForeignKeyField(Advisor, backref="advice", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="advice", on_delete="CASCADE", index=True)
    text = CharField(max_length=LIMITS["advice"])
    state = CharField(max_length=10, default="to_try")  # vocabulary.ADVICE_STATES
    outcome = CharField(max_length=LIMITS["advice"], default="")  # what happened
    outcome_on = DateField(null=True)
    told_on = DateField(null=True)  # reported back to them
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")  # given in
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "advice"
        indexes = ((("advisor", "created_at"), False),)

    @classmethod
    def for_advisor(cls, advisor: Advisor) -> list["Advice"]:
        """An advisor's advice, newest first."""
        return list(cls.select().where(cls.advisor == advisor.id)
                    .order_by(cls.created_at.desc(), cls.id.desc()))

    @classmethod
    def to_report(cls, advisor: Advisor) -> list["Advice"]:
        """Advice tried, adopted or set aside and not yet told back to them."""
        return list(cls.select()
                    .where(cls.advisor == advisor.id, cls.state.in_(REPORTABLE),
                           cls.told_on.is_null())
                    .order_by(cls.outcome_on, cls.id))

    @classmethod
    def owned(cls, user: User, advice_id: int):
        """One of this account's pieces of advice, or None."""
        return _own(cls, user, advice_id)

    @classmethod
    def record(cls, advisor: Advisor, *, text: str, contact: Contact | None = None) -> "Advice":
        """Add a piece of advice, to try; raises Advisor.DoesNotExist once it is deleted."""
        with write_transaction():
            current = advisor._locked()
            advice = cls.create(advisor=current.id, user=current.user_id, text=text,
                                contact=contact)
            search.refresh("advice", advice.id)
        return advice

    def _update(self, columns: dict) -> bool:
        with write_transaction():
            self.advisor._locked()
            changed = Advice.update(columns).where(Advice.id == self.id).execute()
            search.refresh("advice", self.id)
        return bool(changed)

    def change(self, *, text: str, state: str, outcome: str,
               outcome_on: date | None) -> bool:
        """Save the advice and what came of it; False when it was deleted meanwhile."""
        return self._update({Advice.text: text, Advice.state: state,
                             Advice.outcome: outcome, Advice.outcome_on: outcome_on})

    def tell(self, on: date | None) -> bool:
        """Mark it reported back to them on `on` (None: not yet)."""
        return self._update({Advice.told_on: on})

    def remove(self) -> bool:
        with write_transaction():
            self.advisor._locked()
            search.drop("advice", self.id)
            return bool(Advice.delete().where(Advice.id == self.id).execute())


def log_conversation(advisor: Advisor, *, happened_on: date, kind: str, notes: str = "",
                     thanked: bool = False, key: str | None = None,
                     agenda: str | None = None, promises=(), advice=()):
    """The Log form in one transaction: the contact, the agenda for next time (None:
    unchanged), the promises ((text, owed_by, due_on) each) and the advice (texts).
    Once per idempotency key: a replay finds the contact and adds nothing.
    Returns (contact, added)."""
    with write_transaction():
        current = advisor._locked()
        if key:
            existing = Contact.get_or_none(Contact.advisor == current,
                                           Contact.idempotency_key == key)
            if existing:
                return existing, False
        contact = current.log_contact(happened_on=happened_on, kind=kind, notes=notes,
                                      thanked=thanked, key=key)
        if agenda is not None:
            current._locked()._write({Advisor.agenda: agenda})
        for text, owed_by, due_on in promises:
            search.refresh("promise", Promise.create(advisor=current.id, user=current.user_id,
                                                     text=text, owed_by=owed_by,
                                                     due_on=due_on).id)
        for text in advice:
            search.refresh("advice", Advice.create(advisor=current.id, user=current.user_id,
                                                   text=text, contact=contact).id)
    return contact, True
