"""The board's members: their table, the queries pages need and every write to them
(logging and editing their contacts in the ContactLog mixin of models/contact_log.py, the
close and bringing back from the alumni in Closing of models/closing.py; deleting and
bringing back, theirs and their contacts', in the Trash mixin of models/trash.py).

Queries that pages need live here as classmethods, so each page runs a fixed number of
them whatever the size of the board. Writes follow DESIGN.md's rules: each runs in
write_transaction() on the row as stored now and writes only the columns it changes.
"""
import uuid
from datetime import date

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from advisory.core import cadence, calendar_feed
from advisory.core.vocabulary import LIMITS, MENTEE, ROLES
from advisory.database import as_utc, db, locked, utcnow, write_transaction
from advisory.models.accounts import User
from advisory.models.closing import Closing
from advisory.models.contact_log import ContactLog
from advisory.models.trash import Trash


class Advisor(ContactLog, Closing, Trash, db.Model):
    user = ForeignKeyField(User, backref="advisors", on_delete="CASCADE", index=True)
    uid = CharField(max_length=64, unique=True, default=lambda: f"{uuid.uuid4()}@advisory")
    name = CharField(max_length=LIMITS["name"])
    role = CharField(max_length=20)  # "" for a mentee: they fill no role
    relation = CharField(max_length=10, default="advisor")  # vocabulary.RELATIONS
    stage = CharField(max_length=20, default="active")
    paused_until = DateField(null=True)
    cadence_count = IntegerField(default=1)
    cadence_unit = CharField(max_length=10, default="months")
    email = CharField(max_length=LIMITS["email"], default="")
    phone = CharField(max_length=LIMITS["phone"], default="")
    organisation = CharField(max_length=LIMITS["organisation"], default="")
    why = TextField(default="")  # what you seek from them
    offer = TextField(default="")  # what you can give back
    meeting_style = CharField(max_length=LIMITS["meeting_style"], default="")
    meeting_kind = CharField(max_length=20, default="call")  # kind logged by "Spoke today"
    horizon = CharField(max_length=LIMITS["horizon"], default="")
    agenda = TextField(default="")  # "next time": topics, questions, homework promised
    notes = TextField(default="")
    # A mentee's (relation "mentee"): where they head, what they love, whom to introduce.
    ideal_next_step = TextField(default="")
    strengths = TextField(default="")  # strengths and passions
    introductions_to_make = TextField(default="")  # contacts I could introduce them to
    last_spoke_on = DateField(null=True)  # given when adding someone you already know
    snoozed_until = DateField(null=True)
    added_on = DateField()  # in the account's time zone
    sequence = IntegerField(default=0)  # change counter for the calendar feed
    changed_at = DateTimeField(default=utcnow)
    # The latest contact of each sort and how many there are, kept right by every write
    # that adds or removes a contact, so no page aggregates over contacts: see recount().
    last_conversation_on = DateField(null=True)  # in person, call or video
    last_message_on = DateField(null=True)
    contact_count = IntegerField(default=0)
    deleted_at = DateTimeField(null=True, index=True)  # in the trash since (models/trash.py)
    # Brought to an honourable close (stage alumni): when, why, what I learned from them,
    # and whether a yearly check-in keeps reminding (cadence.due_on).
    closed_on = DateField(null=True)
    close_reason = CharField(max_length=20, default="")  # vocabulary.CLOSE_REASONS
    lesson = TextField(default="")
    yearly_check_in = BooleanField(default=False)
    # The version of their photo (models/photos.py), set by the same write: pages show
    # faces from the rows they load, with no query per person.
    photo_hash = CharField(max_length=64, null=True)

    class Meta:
        table_name = "advisors"

    @property
    def cadence(self) -> cadence.Cadence:
        return cadence.Cadence(self.cadence_count, self.cadence_unit)

    @property
    def reminder_cadence(self) -> "cadence.Cadence":
        """The cadence reminders follow: yearly for alumni who stay in touch yearly."""
        return cadence.reminder_cadence(self.cadence, self.stage, self.yearly_check_in)

    @property
    def last(self) -> date | None:
        """The latest contact that counts, by the account's "a message counts" setting."""
        return cadence.latest_counting(self.last_conversation_on, self.last_message_on,
                                       self.user.messages_count)

    @property
    def last_contact_on(self) -> date | None:
        """When you last spoke, as shown to the user: a logged contact or the date given when adding."""
        return max(filter(None, (self.last, self.last_spoke_on)), default=None)

    @property
    def is_mentee(self) -> bool:
        return self.relation == "mentee"

    @property
    def role_info(self):
        """The board role they fill; for a mentee, the Mentee entry (no board role)."""
        return MENTEE if self.is_mentee else ROLES[self.role]

    @classmethod
    def for_user(cls, user: User, *fields) -> list["Advisor"]:
        """This account's advisors, by name, each holding `user` itself (for `.last`):
        with only `fields` when given (see LISTED), else whole.

        One indexed query, however many advisors and contacts there are; the account is
        the caller's, so no row of it is read or built again per advisor.
        """
        query = (cls
                 .select(*fields)
                 .where(cls.user == user, cls.deleted_at.is_null())
                 .order_by(fn.LOWER(cls.name)))
        return cls._holding(user, query)

    @classmethod
    def listed(cls, user: User) -> list["Advisor"]:
        """This account's advisors as the due list, the board and reminders show them."""
        return cls.for_user(user, *LISTED)

    @classmethod
    def listed_by_account(cls, users: list[User]) -> dict[int, list["Advisor"]]:
        """account id -> its advisors as listed() reads them, for a batch of accounts in
        one query (reminders read a batch at a time), each holding its account."""
        accounts = {user.id: user for user in users}
        found: dict[int, list[Advisor]] = {user_id: [] for user_id in accounts}
        for advisor in (cls
                        .select(*LISTED, cls.user)
                        .where(cls.user.in_(list(accounts)), cls.deleted_at.is_null())
                        .order_by(fn.LOWER(cls.name))):
            advisor.user = accounts[advisor.user_id]
            found[advisor.user_id].append(advisor)
        return found

    @classmethod
    def mentees(cls, user: User) -> list["Advisor"]:
        """This account's mentees as /mentees lists them (with their ideal next step)."""
        query = (cls
                 .select(*LISTED, cls.ideal_next_step)
                 .where(cls.user == user, cls.relation == "mentee", cls.deleted_at.is_null())
                 .order_by(fn.LOWER(cls.name)))
        return cls._holding(user, query)

    @staticmethod
    def feed_stamps() -> tuple:
        """What an account's calendar feed depends on among its advisors, as aggregates to
        select grouped by the account (calendar.feed_owner): how many, the highest id, the
        sum of their SEQUENCEs and the latest change time."""
        return (fn.COUNT(Advisor.id).alias("advisor_count"),
                fn.MAX(Advisor.id).alias("highest_advisor_id"),
                fn.SUM(Advisor.sequence).alias("advisor_sequences"),
                fn.MAX(Advisor.changed_at).alias("advisor_changed_at"))

    @classmethod
    def owned(cls, user: User, advisor_id: int):
        """One of this account's advisors, or None: never another account's, nor one in
        the trash."""
        if not 0 < advisor_id < 2**63:  # beyond any database's integer: no such advisor
            return None
        found = cls._holding(user, cls.select().where(cls.user == user, cls.id == advisor_id,
                                                       cls.deleted_at.is_null()))
        return found[0] if found else None

    @staticmethod
    def _holding(user: User, query) -> list["Advisor"]:
        # Flask-Login's current_user is a proxy that finds the account again on each use:
        # the advisors hold the account itself.
        user = getattr(user, "_get_current_object", lambda: user)()
        advisors = list(query)
        for advisor in advisors:
            advisor.user = user
        return advisors

    @classmethod
    def add(cls, user: User, details: dict) -> "Advisor":
        """A new advisor on the account's board: the one way an advisor is made (the add
        form, a vCard, a restore). Added today in the account's time zone, with SEQUENCE 1
        (one past the 0 of an event no feed had yet), unless `details` bring their own (a
        restored export keeps its uid, added_on and sequence)."""
        with db.database.atomic():
            advisor = cls.create(**{"added_on": user.today(), "sequence": 1, **details,
                                    "user": user})
            search.refresh("person", advisor.id)
        return advisor

    def due_on(self, today: date):
        """The due date by the rules in cadence.due_on, or None (paused, most alumni)."""
        return cadence.due_on(
            cadence=self.cadence, stage=self.stage, today=today, added_on=self.added_on,
            last=self.last, last_spoke_on=self.last_spoke_on,
            snoozed_until=self.snoozed_until, paused_until=self.paused_until,
            yearly_check_in=self.yearly_check_in, closed_on=self.closed_on)

    def feed_entry(self, due: date, url: str = "") -> calendar_feed.FeedEntry:
        """This advisor's reminder for the calendar feed, due on `due`."""
        return calendar_feed.FeedEntry(
            uid=self.uid, name=self.name, role=self.role_info.name,
            cadence=self.reminder_cadence.label(), due=due, last_contact=self.last_contact_on,
            url=url, sequence=self.sequence, changed_at=as_utc(self.changed_at),
            agenda=self.agenda, notes=self.notes)

    # Writes. Each runs in write_transaction() on the row as stored now (_locked), never
    # on the copy loaded at the start of the request, and writes only the columns it
    # changes, so a change made meanwhile on another device is never written over.

    def _locked(self) -> "Advisor":
        """This advisor's row as stored now, locked until the transaction ends.

        Raises Advisor.DoesNotExist when it was deleted meanwhile (the caller answers 404).
        """
        current = locked(Advisor
                         .select()
                         .where(Advisor.id == self.id, Advisor.deleted_at.is_null())).get()
        current.user = self.user
        return current

    def _next_stamp(self) -> dict:
        """The feed columns recording a change: a new SEQUENCE and change time.

        Computed from the locked row before it changes: an overdue event's SEQUENCE
        grows each day the feed carries it forward (calendar_feed.stamp), so the new
        one is one past what the feed shows now, and SEQUENCE never goes down.
        """
        today = self.user.today()
        due = self.due_on(today)
        shown = self.sequence
        if due is not None:
            options = calendar_feed.FeedOptions(today=today, tz=self.user.timezone)
            shown = calendar_feed.stamp(self.feed_entry(due), options)[0]
        return {Advisor.sequence: shown + 1, Advisor.changed_at: utcnow()}

    def _write(self, columns: dict) -> None:
        """Write `columns` (values or SQL expressions) and a new feed stamp to the
        locked row, and nothing else."""
        (Advisor
         .update({**columns, **self._next_stamp()})
         .where(Advisor.id == self.id)
         .execute())
        search.person_changed(self.id, columns)

    def mark_changed(self) -> None:
        """Record a change the calendar feed must carry (a new SEQUENCE and stamp), inside
        the caller's write_transaction(), e.g. before an import adds contacts."""
        self._locked()._write({})

    def update_details(self, details: dict) -> None:
        """Save an edit: the form's fields only, so a snooze or a contact logged on
        another device meanwhile stays as it is."""
        with write_transaction():
            self._locked()._write(details)

    def snooze(self, until: date) -> bool:
        """Make the member due on `until` without touching the cadence; refused (False)
        unless `until` lies after the due date as stored now: a snooze never brings a
        reminder earlier."""
        with write_transaction():
            current = self._locked()
            due = current.due_on(self.user.today())
            if due is None or until <= due:
                return False
            current._write({Advisor.snoozed_until: until})
        return True

    def unsnooze(self, snoozed: date | None = None, restore: date | None = None) -> bool:
        """End the snooze. With `snoozed` (undoing the snooze just set), only if that is
        still the snooze, and putting back `restore`, the snooze it replaced."""
        with write_transaction():
            current = self._locked()
            if current.snoozed_until is None or (snoozed and current.snoozed_until != snoozed):
                return False
            current._write({Advisor.snoozed_until: restore if snoozed else None})
        return True


# What lists of advisors read of each: name, role, agenda, phone and email (Call, Text and
# Email on a card), the photo's version (their face) and what the due date needs. Long
# texts are read only for an advisor's own page and the feed; a field left out here reads
# as None, so a list that shows one more field adds it here.
LISTED = (Advisor.id, Advisor.name, Advisor.role, Advisor.relation, Advisor.stage,
          Advisor.paused_until, Advisor.cadence_count, Advisor.cadence_unit, Advisor.agenda,
          Advisor.added_on, Advisor.phone, Advisor.email, Advisor.last_spoke_on,
          Advisor.snoozed_until, Advisor.last_conversation_on, Advisor.last_message_on,
          Advisor.closed_on, Advisor.close_reason, Advisor.lesson,
          Advisor.yearly_check_in, Advisor.photo_hash)


# The search module imports Advisor, so it is imported after it; Advisor's writes use it.
from advisory.models import search  # noqa: E402
