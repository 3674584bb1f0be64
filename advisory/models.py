"""Database models: accounts, advisors, contacts, feed tokens (live and retired), set-up tokens,
sign-ins, push subscriptions and deliveries.

Queries that pages need live here as classmethods, so each page runs a fixed number
of them whatever the size of the board.
"""
import hashlib
import json
import uuid
from datetime import date, timedelta
from functools import cache

from flask_login import UserMixin
from peewee import (
    BooleanField, Case, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
    TextField, fn,
)
from werkzeug.security import check_password_hash, generate_password_hash

from . import cadence, calendar_feed
from .database import as_utc, db, locked, new_token, utcnow, write_transaction
from .roles import ROLES

LAST_USED_STEP = timedelta(hours=1)  # how finely a device's "last used" time is kept


def digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256, so a copy of the database grants nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def dummy_password_hash() -> str:
    """A hash of no one's password, made once, so an unknown email costs a real check too."""
    return generate_password_hash(uuid.uuid4().hex)


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
    # Reminders (push and email digest), at this local time in the account's zone.
    reminder_time = CharField(max_length=5, default="08:00")  # HH:MM
    digest = CharField(max_length=10, default="off")  # off, daily or weekly
    digest_weekday = IntegerField(default=0)  # 0 = Monday, for a weekly digest
    calendar_style = CharField(max_length=10, default="person")  # person or summary

    class Meta:
        table_name = "users"

    @classmethod
    def by_email(cls, email: str):
        """The account with this email (compared case-insensitively), or None."""
        return cls.get_or_none(cls.email == email.strip().lower())

    # The token of the sign-in this object was loaded for (see UserSession); not a column.
    session_token: str | None = None

    @classmethod
    def authenticate(cls, email: str, password: str) -> "User | None":
        """The account these credentials open, or None.

        An unknown email is checked against a dummy hash, so it takes as long as a wrong
        password and the time taken does not tell which emails have accounts.
        """
        user = cls.by_email(email)
        matches = check_password_hash(user.password_hash if user else dummy_password_hash(),
                                      password)
        return user if user is not None and matches else None

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

    def change_password(self, password: str, keep: str | None = None) -> None:
        """Set a new password and sign out every device but the sign-in `keep` (a token)."""
        self.set_password(password)
        with db.database.atomic():
            self.save(only=[User.password_hash])
            self.end_sessions(keep=keep)

    def get_id(self) -> str:
        """Flask-Login's id for this sign-in: the session's random token, not the account's
        id, so deleting the session row ends both the session and the remember cookie."""
        if not self.session_token:
            raise RuntimeError("sign in with UserSession.start(), which issues the token")
        return self.session_token

    def end_sessions(self, keep: str | None = None) -> int:
        """Sign out every device of this account except the sign-in whose token (Flask-Login
        id) is `keep`; return how many were signed out."""
        query = UserSession.delete().where(UserSession.user == self.id)
        if keep:
            query = query.where(UserSession.token_hash != digest(keep))
        return query.execute()

    def update_settings(self, **values) -> None:
        """Write these settings, and only their columns: saving the whole row could write
        back a password hash another device changed a moment ago."""
        values["feed_changed_at"] = utcnow()  # the zone and what counts can move every event
        User.update(**values).where(User.id == self.id).execute()

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


# Unique whatever the case, enforced by the database itself (emails are also stored lower-case).
User.add_index(fn.LOWER(User.email), unique=True, name="users_email_lower")


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
    # The latest contact of each sort, kept right by every write that adds or removes a
    # contact, so no page aggregates over contacts: see recount_last_contacts().
    last_conversation_on = DateField(null=True)  # in person, call or video
    last_message_on = DateField(null=True)

    class Meta:
        table_name = "advisors"

    @property
    def cadence(self) -> cadence.Cadence:
        return cadence.Cadence(self.cadence_count, self.cadence_unit)

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
    def role_info(self):
        return ROLES[self.role]

    @classmethod
    def for_user(cls, user: User):
        """This account's advisors, by name, each with its account loaded (for `.last`).

        One indexed query, however many advisors and contacts there are.
        """
        return (cls
                .select(cls, User)
                .join(User)
                .where(cls.user == user)
                .order_by(fn.LOWER(cls.name)))

    @classmethod
    def owned(cls, user: User, advisor_id: int):
        """One of this account's advisors, or None: never another account's."""
        if not 0 < advisor_id < 2**63:  # beyond any database's integer: no such advisor
            return None
        advisor = cls.for_user(user).where(cls.id == advisor_id).first()
        if advisor is not None:
            advisor.user = user  # the signed-in account itself, as the caller holds it
        return advisor

    @classmethod
    def add(cls, user: User, details: dict, last_spoke_on: date | None = None) -> "Advisor":
        """A new advisor on the account's board, added today in its time zone."""
        # SEQUENCE 1: one past the 0 of an event that was in no feed yet.
        return cls.create(user=user, added_on=user.today(), sequence=1,
                          **{"last_spoke_on": last_spoke_on, **details})

    @classmethod
    def recount_last_contacts(cls, which) -> None:
        """Set the stored latest conversation and message of the advisors matching
        `which` (an expression, e.g. `Advisor.id == 7`) from their contacts.

        Call it inside the transaction that removed, changed or bulk-loaded contacts;
        each advisor's contacts are read through the index (advisor, happened_on).
        """
        def latest(kinds):
            return (Contact
                    .select(fn.MAX(Contact.happened_on))
                    .where(Contact.advisor == cls.id, Contact.kind.in_(kinds)))

        (cls
         .update({cls.last_conversation_on: latest(CONVERSATION_KINDS),
                  cls.last_message_on: latest(MESSAGE_KINDS)})
         .where(which)
         .execute())

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

    # Writes. Each runs in write_transaction() on the row as stored now (_locked), never
    # on the copy loaded at the start of the request, and writes only the columns it
    # changes, so a change made meanwhile on another device is never written over.

    def _locked(self) -> "Advisor":
        """This advisor's row as stored now, locked until the transaction ends.

        Raises Advisor.DoesNotExist when it was deleted meanwhile (the caller answers 404).
        """
        current = locked(Advisor.select().where(Advisor.id == self.id)).get()
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
            latest = (Advisor.last_conversation_on if kind in CONVERSATION_KINDS
                      else Advisor.last_message_on)
            # A backdated log never moves the latest contact backwards.
            raised = Case(None, [(latest.is_null() | (latest < happened_on), happened_on)],
                          latest)
            current._write({Advisor.snoozed_until: None, latest: raised})
        return contact

    def undo_last_contact(self, contact_id: int | None = None) -> bool:
        """Remove the contact just logged (`contact_id`, as the confirmation names it;
        without one, the contact entered last) and restore the snooze it cleared, unless
        a snooze was set since (the newer one stays)."""
        with write_transaction():
            current = self._locked()
            query = Contact.select().where(Contact.advisor == current)
            if contact_id is not None:
                query = query.where(Contact.id == contact_id)
            contact = query.order_by(Contact.id.desc()).first()
            if contact is None:
                return False
            restored = fn.COALESCE(Advisor.snoozed_until, contact.cleared_snooze)
            current._write({Advisor.snoozed_until: restored})
            contact.delete_instance()
            Advisor.recount_last_contacts(Advisor.id == current.id)
        return True

    def edit_contact(self, contact_id: int, values: dict) -> bool:
        """Correct one logged contact (date, kind, notes, thanked); the due date follows.
        False when the contact is gone (deleted on another device)."""
        with write_transaction():
            current = self._locked()
            current._write({})  # a new feed stamp: the due date may move either way
            changed = (Contact
                       .update(values)
                       .where(Contact.id == contact_id, Contact.advisor == current.id)
                       .execute())
            Advisor.recount_last_contacts(Advisor.id == current.id)
        return changed == 1

    def delete_contact(self, contact_id: int) -> bool:
        """Remove one contact from the history; the due date follows. The snooze it may
        have cleared long ago stays cleared (unlike undo, right after logging)."""
        with write_transaction():
            current = self._locked()
            current._write({})
            deleted = (Contact
                       .delete()
                       .where(Contact.id == contact_id, Contact.advisor == current.id)
                       .execute())
            Advisor.recount_last_contacts(Advisor.id == current.id)
        return deleted == 1

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

    def delete_with_history(self) -> None:
        """Delete the advisor and their contacts; the feed notices the missing event.

        A contact being logged at the same moment either lands first and goes with
        them, or finds them gone (Advisor.DoesNotExist)."""
        with write_transaction():
            current = self._locked()
            Contact.delete().where(Contact.advisor == current).execute()
            current.delete_instance()
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
    def owned(cls, advisor: Advisor, contact_id: int):
        """One contact of this advisor (who is the caller's own), or None."""
        if not 0 < contact_id < 2**63:
            return None
        return cls.get_or_none(cls.id == contact_id, cls.advisor == advisor.id)

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


CONVERSATION_KINDS = cadence.counting_kinds(messages_count=False)
MESSAGE_KINDS = tuple(kind for kind in cadence.KINDS if kind not in CONVERSATION_KINDS)


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


class RetiredFeedToken(db.Model):
    """A feed token of a deleted account, kept (as a hash) so its URL answers 410 Gone.

    An account's own FeedToken rows go with it; this table outlives them and links to
    no account, so nothing of the person stays but the digest of a dead secret.
    """
    token_hash = CharField(max_length=64, unique=True)
    retired_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "retired_feed_tokens"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def retire_all(cls, user: User) -> None:
        """Keep a tombstone of every feed token the account ever had."""
        hashes = [{"token_hash": cls.digest(t.token), "retired_at": utcnow()}
                  for t in FeedToken.select(FeedToken.token).where(FeedToken.user == user)]
        if hashes:
            cls.insert_many(hashes).on_conflict_ignore().execute()

    @classmethod
    def is_retired(cls, token: str) -> bool:
        return cls.select().where(cls.token_hash == cls.digest(token)).exists()


class SetupToken(db.Model):
    """A one-time token for creating the first account; only its hash is stored."""
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "setup_tokens"

    digest = staticmethod(digest)

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

    @classmethod
    def redeem(cls, token: str, email: str, password: str, tz: str) -> User | None:
        """Create the first account, using the token up; None if it was already used.

        Of several attempts at once exactly one succeeds: the DELETE comes first, so it
        takes the write lock (SQLite) or the row lock (PostgreSQL), and the others wait
        for it, then find no row to delete and create nothing.
        """
        with db.database.atomic() as transaction:
            if cls.delete().where(cls.token_hash == cls.digest(token)).execute() != 1:
                transaction.rollback()
                return None
            if User.select().exists():  # an account made another way closes set-up
                transaction.rollback()
                return None
            cls.delete().execute()  # any other set-up link closes with it
            return User.create_account(email, password, tz)


class UserSession(db.Model):
    """One signed-in device. Its cookies carry a random token and the database only the
    token's hash; deleting the row signs that device out, remember cookie included."""
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    device = CharField(max_length=60, default="")  # e.g. "Chrome on Android"
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()

    class Meta:
        table_name = "user_sessions"

    @classmethod
    def start(cls, user: User, lifetime: timedelta, device: str = "") -> str:
        """Sign `user` in on a new device for `lifetime`; return the token for its cookies
        (also left on `user`, for Flask-Login's login_user)."""
        token, now = new_token(), utcnow()
        with db.database.atomic():
            cls.delete().where(cls.user == user.id, cls.expires_at <= now).execute()  # tidy up
            cls.create(user=user, token_hash=digest(token), device=device[:60],
                       created_at=now, last_used_at=now, expires_at=now + lifetime)
        user.session_token = token
        return token

    @classmethod
    def user_for(cls, token: str | None) -> User | None:
        """The account signed in with this token, while its session lasts; else None."""
        if not token:
            return None
        now = utcnow()
        found = (cls
                 .select(cls, User)
                 .join(User)
                 .where(cls.token_hash == digest(token), cls.expires_at > now)
                 .first())
        if found is None:
            return None
        if now - found.last_used_at >= LAST_USED_STEP:  # at most one write an hour per device
            cls.update(last_used_at=now).where(cls.id == found.id).execute()
        user = found.user
        user.session_token = token
        return user

    @classmethod
    def for_user(cls, user: User):
        """The devices signed in to this account, the most recently used first."""
        return (cls
                .select()
                .where(cls.user == user.id, cls.expires_at > utcnow())
                .order_by(cls.last_used_at.desc(), cls.id.desc()))

    @classmethod
    def end(cls, token: str) -> None:
        """Sign out the device holding this token."""
        cls.delete().where(cls.token_hash == digest(token)).execute()

    def is_token(self, token: str | None) -> bool:
        """Whether this is the sign-in holding `token` (the device asking)."""
        return bool(token) and self.token_hash == digest(token)


class PushSubscription(db.Model):
    """One device's Web Push subscription (PushSubscription.toJSON()) for an account."""
    user = ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE", index=True)
    endpoint = CharField(max_length=1000, unique=True)
    p256dh = CharField(max_length=200)
    auth = CharField(max_length=100)
    device = CharField(max_length=100, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "push_subscriptions"

    @classmethod
    def for_user(cls, user: User):
        """This account's devices, oldest first."""
        return cls.select().where(cls.user == user).order_by(cls.id)

    @classmethod
    def store(cls, user: User, endpoint: str, p256dh: str, auth: str, device: str):
        """Keep a subscription for this account; an endpoint another account used moves here
        (the same browser, now signed in as someone else, must not get their reminders)."""
        with db.database.atomic():
            cls.delete().where(cls.endpoint == endpoint).execute()
            return cls.create(user=user, endpoint=endpoint, p256dh=p256dh, auth=auth,
                              device=device)

    @classmethod
    def remove(cls, user: User, subscription_id=None, endpoint=None) -> int:
        """Delete one of this account's subscriptions (by id or endpoint); never another's."""
        query = cls.delete().where(cls.user == user)
        if subscription_id is not None:
            return query.where(cls.id == subscription_id).execute()
        return query.where(cls.endpoint == endpoint).execute()


class Delivery(db.Model):
    """A reminder (or reset email) the dispatcher owes, is sending or has sent.

    (user, target, period) is unique, so two dispatchers claiming the same reminder at
    once store one row and only the winner sends. target: "digest", "push:<id>" or
    "reset"; period: the local day (or a reset request's own stamp).
    """
    user = ForeignKeyField(User, backref="deliveries", on_delete="CASCADE")
    target = CharField(max_length=40)
    period = CharField(max_length=40)
    state = CharField(max_length=10, default="claimed")  # queued, claimed, retry, sent, ...
    attempts = IntegerField(default=0)  # also the claim's version: each claim adds one
    claimed_at = DateTimeField(null=True)
    next_attempt_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)
    detail = CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "deliveries"
        indexes = (
            (("user", "target", "period"), True),
            (("state", "next_attempt_at"), False),
        )


MODELS = (User, Advisor, Contact, FeedToken, RetiredFeedToken, SetupToken, UserSession,
          PushSubscription, Delivery)
