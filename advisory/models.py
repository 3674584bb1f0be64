"""Database models: accounts, advisors, contacts, feed tokens and set-up tokens.

Queries that pages need live here as classmethods, so each page runs a fixed number
of them whatever the size of the board.
"""
import hashlib
import json
import uuid
from datetime import date

from flask_login import UserMixin
from peewee import (
    JOIN, BooleanField, IntegrityError, CharField, DateField, DateTimeField, ForeignKeyField,
    IntegerField, TextField, fn,
)
from werkzeug.security import check_password_hash, generate_password_hash

from . import cadence, calendar_feed
from .database import as_date, as_utc, db, new_token, utcnow
from .roles import ROLES


class User(db.Model, UserMixin):
    email = CharField(max_length=254, unique=True)  # stored lower-case
    password_hash = CharField(max_length=255)
    timezone = CharField(max_length=64, default="UTC")
    due_soon_days = IntegerField(default=7)
    messages_count = BooleanField(default=False)
    role_cadences = TextField(default="{}")  # JSON: role key -> cadence code
    feed_details = BooleanField(default=False)  # agenda and notes in the calendar feed
    feed_alarm = CharField(max_length=5, null=True, default="09:00")  # HH:MM, or None for off
    feed_changed_at = DateTimeField(default=utcnow)  # moves when an event leaves the feed
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "users"

    @classmethod
    def by_email(cls, email: str):
        """The account with this email (compared case-insensitively), or None."""
        return cls.get_or_none(cls.email == email.strip().lower())

    @classmethod
    def create_account(cls, email: str, password: str, tz: str = "UTC") -> "User":
        """A new account with its first calendar-feed token."""
        with db.database.atomic():
            user = cls.create(email=email.strip().lower(), timezone=tz, password_hash="")
            user.set_password(password)
            user.save()
            FeedToken.create(user=user, token=new_token())
        return user

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def today(self) -> date:
        """Today's date in the account's time zone."""
        return cadence.today_in(self.timezone)

    def default_cadence(self, role: str) -> str:
        """The cadence code that pre-fills the add form for this role."""
        chosen = json.loads(self.role_cadences or "{}")
        return chosen.get(role) or ROLES[role].default_cadence

    def feed_changed(self) -> None:
        """Record that the feed lost or changed events outside any advisor's own stamp."""
        self.feed_changed_at = utcnow()
        self.save(only=[User.feed_changed_at])


class Advisor(db.Model):
    user = ForeignKeyField(User, backref="advisors", on_delete="CASCADE", index=True)
    uid = CharField(max_length=64, unique=True, default=lambda: f"{uuid.uuid4()}@advisory")
    name = CharField(max_length=120)
    role = CharField(max_length=20)
    stage = CharField(max_length=20, default="active")
    paused_until = DateField(null=True)
    cadence_count = IntegerField(default=1)
    cadence_unit = CharField(max_length=10, default="months")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=40, default="")
    organisation = CharField(max_length=120, default="")
    why = TextField(default="")  # what you seek from them
    offer = TextField(default="")  # what you can give back
    meeting_style = CharField(max_length=200, default="")
    meeting_kind = CharField(max_length=20, default="call")  # kind logged by "Spoke today"
    horizon = CharField(max_length=120, default="")
    agenda = TextField(default="")  # "next time": topics, questions, homework promised
    notes = TextField(default="")
    last_spoke_on = DateField(null=True)  # given when adding someone you already know
    snoozed_until = DateField(null=True)
    added_on = DateField()  # in the account's time zone
    sequence = IntegerField(default=0)  # change counter for the calendar feed
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "advisors"

    @property
    def cadence(self) -> cadence.Cadence:
        return cadence.Cadence(self.cadence_count, self.cadence_unit)

    @property
    def last(self) -> date | None:
        """The latest contact that counts, as loaded by for_user()."""
        return as_date(getattr(self, "last_raw", None))

    @property
    def last_contact_on(self) -> date | None:
        """When you last spoke, as shown to the user: a logged contact or the date given when adding."""
        return max(filter(None, (self.last, self.last_spoke_on)), default=None)

    @property
    def role_info(self):
        return ROLES[self.role]

    @classmethod
    def for_user(cls, user: User):
        """This account's advisors, each with `.last`: the latest contact that counts.

        One query, however many advisors and contacts there are.
        """
        kinds = cadence.counting_kinds(user.messages_count)
        last = (Contact
                .select(Contact.advisor.alias("advisor_id"),
                        fn.MAX(Contact.happened_on).alias("last"))
                .where(Contact.kind.in_(kinds))
                .group_by(Contact.advisor)
                .alias("last_contact"))
        return (cls
                .select(cls, last.c.last.alias("last_raw"))
                .join(last, JOIN.LEFT_OUTER, on=(last.c.advisor_id == cls.id))
                .where(cls.user == user)
                .order_by(fn.LOWER(cls.name))
                .objects())

    @classmethod
    def owned(cls, user: User, advisor_id: int):
        """One of this account's advisors (with `.last`), or None: never another account's."""
        if not 0 < advisor_id < 2**63:  # beyond any database's integer: no such advisor
            return None
        advisor = cls.for_user(user).where(cls.id == advisor_id).first()
        if advisor is not None:
            advisor.user = user  # already loaded: touch() and deletion need not fetch it again
        return advisor

    def due_on(self, today: date):
        """The due date by the rules in cadence.due_on, or None (paused, alumni)."""
        return cadence.due_on(
            cadence=self.cadence, stage=self.stage, today=today, added_on=self.added_on,
            last=self.last, last_spoke_on=self.last_spoke_on,
            snoozed_until=self.snoozed_until, paused_until=self.paused_until)

    def feed_entry(self, due: date, url: str = "") -> calendar_feed.FeedEntry:
        """This advisor's reminder for the calendar feed, due on `due`."""
        return calendar_feed.FeedEntry(
            uid=self.uid, name=self.name, role=self.role_info.name,
            cadence=self.cadence.label(), due=due, last_contact=self.last_contact_on, url=url,
            sequence=self.sequence, changed_at=as_utc(self.changed_at),
            agenda=self.agenda, notes=self.notes)

    def touch(self) -> None:
        """Record a change the calendar feed must carry (new SEQUENCE and stamp).

        Call it before changing the fields: an overdue event's SEQUENCE grows each
        day the feed carries it forward (calendar_feed.stamp), so the new one is one
        past what the feed shows now, and SEQUENCE never goes down.
        """
        today = self.user.today()
        due = self.due_on(today) if self.id is not None else None  # a new one is in no feed yet
        shown = self.sequence
        if due is not None:
            options = calendar_feed.FeedOptions(today=today, tz=self.user.timezone)
            shown = calendar_feed.stamp(self.feed_entry(due), options)[0]
        self.sequence = shown + 1
        self.changed_at = utcnow()

    def log_contact(self, *, happened_on: date, kind: str, notes: str = "",
                    thanked: bool = False, key: str | None = None) -> "Contact":
        """Store a contact (once per idempotency key) and clear any snooze."""
        if key:
            existing = Contact.get_or_none(Contact.advisor == self,
                                           Contact.idempotency_key == key)
            if existing:
                return existing
        try:
            with db.database.atomic():
                contact = Contact.create(advisor=self, happened_on=happened_on, kind=kind,
                                         notes=notes, thanked=thanked, idempotency_key=key,
                                         cleared_snooze=self.snoozed_until)
                self.touch()
                self.snoozed_until = None
                self.save()
        except IntegrityError:  # the same key, sent twice at once: the first one won
            return Contact.get(Contact.advisor == self, Contact.idempotency_key == key)
        return contact

    def undo_last_contact(self) -> bool:
        """Remove the contact entered last and restore the snooze it cleared."""
        with db.database.atomic():
            contact = (Contact
                       .select()
                       .where(Contact.advisor == self)
                       .order_by(Contact.id.desc())
                       .first())
            if contact is None:
                return False
            contact.delete_instance()
            self.touch()
            self.snoozed_until = contact.cleared_snooze
            self.save()
        return True

    def snooze(self, until: date) -> None:
        """Make the member due on `until` without touching the cadence."""
        self.touch()
        self.snoozed_until = until
        self.save()

    def delete_with_history(self) -> None:
        """Delete the advisor and their contacts; the feed notices the missing event."""
        with db.database.atomic():
            Contact.delete().where(Contact.advisor == self).execute()
            self.delete_instance()
            self.user.feed_changed()


class Contact(db.Model):
    advisor = ForeignKeyField(Advisor, backref="contacts", on_delete="CASCADE")
    happened_on = DateField()
    kind = CharField(max_length=20)
    notes = TextField(default="")
    thanked = BooleanField(default=False)
    idempotency_key = CharField(max_length=64, null=True)  # from the client; stored once
    cleared_snooze = DateField(null=True)  # the snooze this log cleared, restored by undo
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "contacts"
        indexes = (
            (("advisor", "happened_on"), False),
            (("advisor", "idempotency_key"), True),
        )

    @classmethod
    def history(cls, advisor: Advisor):
        """An advisor's contacts as the history shows them, newest conversation first."""
        return (cls
                .select(cls.id, cls.happened_on, cls.kind, cls.notes, cls.thanked)
                .where(cls.advisor == advisor)
                .order_by(cls.happened_on.desc(), cls.id.desc()))

    @classmethod
    def dates(cls, advisor: Advisor, kinds, latest: int):
        """The `latest` most recent distinct dates of an advisor's contacts of these kinds,
        newest first: read backwards through the (advisor, happened_on) index, so the
        cost stays the same however long the history grows."""
        return (cls
                .select(cls.happened_on)
                .distinct()
                .where(cls.advisor == advisor, cls.kind.in_(kinds))
                .order_by(cls.happened_on.desc())
                .limit(latest))


class FeedToken(db.Model):
    """The secret in a calendar-feed URL; a rotated token is kept to answer 410 Gone."""
    user = ForeignKeyField(User, backref="feed_tokens", on_delete="CASCADE")
    token = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = "feed_tokens"

    @classmethod
    def current(cls, user: User) -> "FeedToken":
        return (cls
                .select()
                .where(cls.user == user, cls.retired_at.is_null())
                .get())


class SetupToken(db.Model):
    """A one-time token for creating the first account; only its hash is stored."""
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "setup_tokens"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls) -> str:
        """A new set-up token (valid until an account exists)."""
        token = new_token()
        cls.create(token_hash=cls.digest(token))
        return token

    @classmethod
    def is_valid(cls, token: str | None) -> bool:
        if not token or User.select().exists():
            return False
        return cls.select().where(cls.token_hash == cls.digest(token)).exists()


MODELS = (User, Advisor, Contact, FeedToken, SetupToken)
