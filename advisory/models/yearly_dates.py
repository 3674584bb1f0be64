"""A person's birthday (day and month, the year if known) and other yearly dates with a
label ("work anniversary"), for board members and mentees alike.

Every write runs in write_transaction() under the person's lock (Advisor._locked), so a
write for a person deleted meanwhile raises Advisor.DoesNotExist (the caller answers 404),
and two devices adding a birthday at once still leave one. Each date is an event of its
own in the calendar feed, so every write moves the person's feed stamp (`_write({})`),
which moves the feed's ETag, and grows the date's own SEQUENCE.
"""
from datetime import date

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, SmallIntegerField

from advisory.core import yearly
from advisory.core.vocabulary import LIMITS
from advisory.database import db, utcnow, write_transaction
from advisory.models.accounts import User
from advisory.models.advisors import Advisor


class YearlyDate(db.Model):
    person = ForeignKeyField(Advisor, backref="yearly_dates", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="yearly_dates", on_delete="CASCADE", index=True)
    kind = CharField(max_length=10)  # vocabulary.YEARLY_KINDS: "birthday" or "date"
    label = CharField(max_length=LIMITS["yearly_label"], default="")  # "" for a birthday
    month = SmallIntegerField()
    day = SmallIntegerField()
    year = SmallIntegerField(null=True)  # when known
    sequence = IntegerField(default=1)  # the date's own event's SEQUENCE in the feed
    created_at = DateTimeField(default=utcnow)
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "yearly_dates"

    @property
    def birthday(self) -> bool:
        return self.kind == "birthday"

    @property
    def name(self) -> str:
        """The person's name (loaded with the date by the queries below)."""
        return self.person.name

    @property
    def title(self) -> str:
        return yearly.title(self.person.name, self.label, self.birthday)

    @property
    def in_words(self) -> str:
        return yearly.day_month(self.month, self.day, self.year)

    def next_time(self, today: date) -> tuple[date, int | None]:
        """When it next falls (today or later), and how many years it makes then."""
        on = yearly.next_on_or_after(self.month, self.day, today)
        return on, yearly.turns(self.year, on)

    @classmethod
    def for_person(cls, person: Advisor) -> list["YearlyDate"]:
        """A person's dates: the birthday first, then through the year."""
        found = list(cls.select().where(cls.person == person.id)
                     .order_by(cls.kind, cls.month, cls.day, cls.id))
        for row in found:
            row.person = person
        return found

    @classmethod
    def _listed(cls, *where):
        return (cls.select(cls, Advisor.id, Advisor.name).join(Advisor)
                .where(Advisor.deleted_at.is_null(), *where))

    @classmethod
    def of_account(cls, user: User) -> list["YearlyDate"]:
        """Every date of the account's people (not in the trash), with their names: one
        query through the account's index, for the due list and the feed."""
        return list(cls._listed(cls.user == user.id).order_by(cls.month, cls.day, cls.id))

    @classmethod
    def by_account(cls, user_ids: list[int]) -> dict[int, list["YearlyDate"]]:
        """account id -> the dates of its people, for a batch of accounts in one query
        (reminders read a batch at a time)."""
        found: dict[int, list[YearlyDate]] = {}
        for row in cls._listed(cls.user.in_(user_ids)).order_by(cls.month, cls.day, cls.id):
            found.setdefault(row.user_id, []).append(row)
        return found

    @classmethod
    def coming_up(cls, user: User, today: date, window_days: int) -> list[yearly.Upcoming]:
        """The dates falling from today to the account's window's end, soonest first."""
        return yearly.coming_up(cls.of_account(user), today, window_days)

    @classmethod
    def owned(cls, person: Advisor, date_id: int):
        """One date of this person (the caller's own), or None."""
        if not 0 < date_id < 2**63:
            return None
        found = cls.get_or_none(cls.id == date_id, cls.person == person.id)
        if found:
            found.person = person
        return found

    @staticmethod
    def has_birthday(person_id: int, but: int | None = None) -> bool:
        """Whether the person has a birthday (other than date `but`) already."""
        query = YearlyDate.select().where(YearlyDate.person == person_id,
                                          YearlyDate.kind == "birthday")
        return query.where(YearlyDate.id != but).exists() if but else query.exists()

    @classmethod
    def make(cls, person: Advisor, *, kind: str, label: str, month: int, day: int,
             year: int | None) -> "YearlyDate | None":
        """Add a date; None when it is a birthday and the person has one already. Raises
        Advisor.DoesNotExist once the person is deleted."""
        with write_transaction():
            current = person._locked()
            if kind == "birthday" and cls.has_birthday(current.id):
                return None
            current._write({})
            return cls.create(person=current.id, user=current.user_id, kind=kind,
                              label="" if kind == "birthday" else label, month=month,
                              day=day, year=year)

    @classmethod
    def add_all(cls, person: Advisor, values, today: date) -> None:
        """Give a person just added (a vCard, a restore) their dates (yearly.YearlyValue
        each), inside the caller's transaction: one birthday at most, and no year that
        would put the date after `today`."""
        birthday = False
        for value in values:
            if value.kind == "birthday" and birthday:
                continue
            birthday = birthday or value.kind == "birthday"
            year = value.year
            if yearly.year_problem(value.month, value.day, year, today):
                year = None
            cls.create(person=person.id, user=person.user_id, kind=value.kind,
                       label=value.label, month=value.month, day=value.day, year=year)

    def change(self, *, kind: str, label: str, month: int, day: int,
               year: int | None) -> bool | None:
        """Save an edit; False when it was deleted meanwhile, None when it would be a
        second birthday."""
        with write_transaction():
            current = self.person._locked()
            if kind == "birthday" and self.has_birthday(current.id, but=self.id):
                return None
            current._write({})
            return bool(YearlyDate
                        .update({YearlyDate.kind: kind,
                                 YearlyDate.label: "" if kind == "birthday" else label,
                                 YearlyDate.month: month, YearlyDate.day: day,
                                 YearlyDate.year: year,
                                 YearlyDate.sequence: YearlyDate.sequence + 1,
                                 YearlyDate.changed_at: utcnow()})
                        .where(YearlyDate.id == self.id).execute())

    def remove(self) -> bool:
        """Delete it; False when it was gone already."""
        with write_transaction():
            self.person._locked()._write({})
            return bool(YearlyDate.delete().where(YearlyDate.id == self.id).execute())
