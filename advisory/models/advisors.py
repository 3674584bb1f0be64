"""The board's members: their table, the queries pages need and every write to them
(logging and editing their contacts included, under the advisor's lock; deleting and
bringing back, theirs and their contacts', in the Trash mixin of models/trash.py).

Queries that pages need live here as classmethods, so each page runs a fixed number of
them whatever the size of the board. Writes follow DESIGN.md's rules: each runs in
write_transaction() on the row as stored now and writes only the columns it changes.
"""
import uuid
from datetime import date, timedelta

from peewee import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from advisory.core import cadence, calendar_feed
from advisory.core.vocabulary import LIMITS, MENTEE, ROLES, conversation_kinds
from advisory.database import as_utc, db, locked, utcnow, write_transaction
from advisory.models.accounts import User
from advisory.models.trash import Trash


class Advisor(Trash, db.Model):
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

    @classmethod
    def recount(cls, which) -> None:
        """Set the stored latest conversation, latest message and count of contacts of
        the advisors matching `which` (an expression, e.g. `Advisor.id == 7`), from their
        contacts not in the trash.

        Call it inside the transaction that removed, changed or bulk-loaded contacts;
        each advisor's contacts are read through the index (advisor, happened_on).
        """
        kept = (Contact.advisor == cls.id) & Contact.deleted_at.is_null()

        def latest(kinds):
            return Contact.select(fn.MAX(Contact.happened_on)).where(kept, Contact.kind.in_(kinds))

        (cls
         .update({cls.last_conversation_on: latest(conversation_kinds()),
                  cls.last_message_on: latest(conversation_kinds(False)),
                  cls.contact_count: Contact.select(fn.COUNT(Contact.id)).where(kept)})
         .where(which)
         .execute())

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

    def log_contact(self, *, happened_on: date, kind: str, notes: str = "",
                    thanked: bool = False, key: str | None = None) -> "Contact":
        """Store a contact (once per idempotency key), clear any snooze and raise the
        stored latest contact. Raises Advisor.DoesNotExist once the advisor is deleted."""
        with write_transaction():
            current = self._locked()
            if key:  # under the lock: a replay sent at the same moment waits and finds it
                existing = Contact.get_or_none(Contact.advisor == current,
                                               Contact.idempotency_key == key)
                if existing:
                    return existing
            contact = Contact.create(advisor=current, happened_on=happened_on, kind=kind,
                                     notes=notes, thanked=thanked, idempotency_key=key,
                                     cleared_snooze=current.snoozed_until)
            if notes:  # nothing to find in a contact without notes
                search.refresh("contact", contact.id)
            latest = (Advisor.last_conversation_on if kind in conversation_kinds()
                      else Advisor.last_message_on)
            # A backdated log never moves the latest contact backwards.
            raised = Case(None, [(latest.is_null() | (latest < happened_on), happened_on)],
                          latest)
            current._write({Advisor.snoozed_until: None, latest: raised,
                            Advisor.contact_count: Advisor.contact_count + 1})
        return contact

    def undo_last_contact(self, contact_id: int | None = None) -> bool:
        """Remove the contact just logged (`contact_id`, as the confirmation names it;
        without one, the contact entered last) and restore the snooze it cleared, unless
        a snooze was set since (the newer one stays)."""
        with write_transaction():
            current = self._locked()
            query = Contact.select().where(Contact.advisor == current,
                                           Contact.deleted_at.is_null())
            if contact_id is not None:
                query = query.where(Contact.id == contact_id)
            contact = query.order_by(Contact.id.desc()).first()
            if contact is None:
                return False
            restored = fn.COALESCE(Advisor.snoozed_until, contact.cleared_snooze)
            current._write({Advisor.snoozed_until: restored})
            contact.delete_instance()
            search.drop("contact", contact.id)
            Advisor.recount(Advisor.id == current.id)
        return True

    def edit_contact(self, contact_id: int, values: dict) -> bool:
        """Correct one logged contact (date, kind, notes, thanked); the due date follows.
        False when the contact is gone (deleted on another device)."""
        with write_transaction():
            current = self._locked()
            current._write({})  # a new feed stamp: the due date may move either way
            changed = (Contact
                       .update(values)
                       .where(Contact.id == contact_id, Contact.advisor == current.id,
                              Contact.deleted_at.is_null())
                       .execute())
            Advisor.recount(Advisor.id == current.id)
            search.refresh("contact", contact_id)
        return changed == 1

    def close(self, *, reason: str, lesson: str, yearly_check_in: bool,
              thank: str = "") -> None:
        """Bring it to an honourable close today: alumni, with the reason, the lesson and
        whether to check in yearly (no pause or snooze left behind), and in the same
        transaction the thank-you: "thanked" logs a conversation today with thanks,
        "remind" adds my promise to thank them, dated a week out."""
        with write_transaction():
            current = self._locked()
            today = self.user.today()
            if thank == "thanked":
                current.log_contact(happened_on=today, kind=current.meeting_kind,
                                    thanked=True)
            elif thank == "remind":
                promise = Promise.create(advisor=current.id, user=current.user_id,
                                         text=f"Thank {current.name}", owed_by="me",
                                         due_on=today + timedelta(days=7))
                search.refresh("promise", promise.id)
            current._locked()._write({
                Advisor.stage: "alumni", Advisor.closed_on: today, Advisor.close_reason: reason,
                Advisor.lesson: lesson, Advisor.yearly_check_in: yearly_check_in,
                Advisor.paused_until: None, Advisor.snoozed_until: None})

    def bring_back(self) -> bool:
        """Back from the alumni to the active board, the close forgotten; False when they
        were not alumni (brought back on another device meanwhile)."""
        with write_transaction():
            current = self._locked()
            if current.stage != "alumni":
                return False
            current._write({Advisor.stage: "active", Advisor.closed_on: None,
                            Advisor.close_reason: "", Advisor.lesson: "",
                            Advisor.yearly_check_in: False})
        return True

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


# Contact's table refers to Advisor, so it is defined after it; Advisor's writes use it.
from advisory.models import search  # noqa: E402
from advisory.models.contacts import Contact  # noqa: E402
from advisory.models.promises import Promise  # noqa: E402
