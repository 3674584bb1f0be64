"""Accounts and their secrets: the account itself, its signed-in devices and the one-time
set-up token (the calendar-feed tokens: feeds.py).

Secrets a copy of the database must not grant are stored as digests.
"""
import hashlib
import json
import uuid
from datetime import date, datetime, timedelta
from functools import cache

from flask_login import UserMixin
from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)
from werkzeug.security import check_password_hash, generate_password_hash

from advisory.core import cadence
from advisory.core.vocabulary import ROLES
from advisory.database import db, new_token, utcnow, write_transaction

LAST_USED_STEP = timedelta(hours=1)  # how finely a device's "last used" time is kept


def digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256, so a copy of the database grants nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def dummy_password_hash() -> str:
    """A hash of no one's password, made once, so an unknown email costs a real check too."""
    return generate_password_hash(uuid.uuid4().hex)


# Settings that move an account's reminders, and the stored next moment that stands for
# "at the dispatcher's next pass" (a new account, a changed setting: see reminder_due_at).
REMINDER_SETTINGS = {"timezone", "reminder_time", "digest", "digest_weekday"}
REMIND_AT_NEXT_PASS = datetime(2000, 1, 1)

# Settings that change the calendar feed's events (the zone and what counts move due dates).
FEED_SETTINGS = {"timezone", "due_soon_days", "messages_count", "feed_details", "feed_alarm",
                 "calendar_style", "review_every"}


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
    review_every = CharField(max_length=12, default="quarterly")  # vocabulary.REVIEW_PERIODS
    # When (naive UTC) a dispatcher next looks at this account's reminders: the next time
    # its reminder time comes, moved on by each pass; None while it has no reminders. A
    # pass reads only the accounts whose moment has come (dispatcher.plan).
    reminder_due_at = DateTimeField(null=True, default=REMIND_AT_NEXT_PASS, index=True)

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
        from advisory.models.feeds import FeedToken  # feeds.py imports this module
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

    def end_session(self, session_id: int, keep: str) -> bool:
        """Sign out one other device of this account (never another account's, and not
        the one asking, whose token is `keep`); False when there was no such device."""
        if not 0 < session_id < 2**63:  # no database takes a larger id
            return False
        return bool(UserSession
                    .delete()
                    .where(UserSession.id == session_id, UserSession.user == self.id,
                           UserSession.token_hash != digest(keep))
                    .execute())

    def update_settings(self, **values) -> None:
        """The one way an account's settings are written: only their columns (saving the
        whole row could write back a password hash another device changed a moment ago),
        and the feed's stamp moves when one of them changes what the feed says."""
        if FEED_SETTINGS & values.keys():
            values["feed_changed_at"] = utcnow()
        if REMINDER_SETTINGS & values.keys():
            values["reminder_due_at"] = REMIND_AT_NEXT_PASS
        User.update(**values).where(User.id == self.id).execute()
        for name, value in values.items():  # this copy says what was saved
            setattr(self, name, value)

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

    def delete_account(self) -> None:
        """Delete the account and, by the database's ON DELETE CASCADE, every row that hangs
        from it (advisors, contacts, feed tokens, sign-ins, deliveries...), in one
        transaction. Its feed tokens are first kept as hashes, so calendars still
        subscribed get 410 Gone rather than a puzzling 404."""
        from advisory.models.feeds import RetiredFeedToken  # feeds.py imports this module
        with write_transaction():
            RetiredFeedToken.retire_all(self)
            User.delete().where(User.id == self.id).execute()


# Unique whatever the case, enforced by the database itself (emails are also stored lower-case).
User.add_index(fn.LOWER(User.email), unique=True, name="users_email_lower")


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
    def id_for(cls, token: str) -> int | None:
        """The id of the sign-in holding this token."""
        return cls.select(cls.id).where(cls.token_hash == digest(token)).scalar()

    @classmethod
    def end(cls, token: str) -> None:
        """Sign out the device holding this token."""
        cls.delete().where(cls.token_hash == digest(token)).execute()

    def is_token(self, token: str | None) -> bool:
        """Whether this is the sign-in holding `token` (the device asking)."""
        return bool(token) and self.token_hash == digest(token)


class SetupToken(db.Model):
    """A one-time token for creating the first account; only its hash is stored."""
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "setup_tokens"

    @classmethod
    def issue(cls) -> str:
        """A new set-up token (valid until an account exists)."""
        token = new_token()
        cls.create(token_hash=digest(token))
        return token

    @classmethod
    def is_valid(cls, token: str | None) -> bool:
        if not token or User.select().exists():
            return False
        return cls.select().where(cls.token_hash == digest(token)).exists()

    @classmethod
    def redeem(cls, token: str, email: str, password: str, tz: str) -> User | None:
        """Create the first account, using the token up; None if it was already used.

        Of several attempts at once exactly one succeeds: the DELETE comes first, so it
        takes the write lock (SQLite) or the row lock (PostgreSQL), and the others wait
        for it, then find no row to delete and create nothing.
        """
        with db.database.atomic() as transaction:
            if cls.delete().where(cls.token_hash == digest(token)).execute() != 1:
                transaction.rollback()
                return None
            if User.select().exists():  # an account made another way closes set-up
                transaction.rollback()
                return None
            cls.delete().execute()  # any other set-up link closes with it
            return User.create_account(email, password, tz)
