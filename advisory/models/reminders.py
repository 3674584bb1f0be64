"""What the reminder dispatcher keeps: each device's push subscription, each account's
other notification channels (Apprise URLs), and each delivery it owes, is sending or has
sent."""
import base64
import binascii
import hmac

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError

from advisory.database import SecretStr, db, locked, utcnow, write_transaction
from advisory.models.accounts import REMIND_AT_NEXT_PASS, User, UserSession


def _same_secret(stored: str, given: str) -> bool:
    """Whether two base64url auth secrets are the same bytes (padding or not), compared in
    constant time."""
    def raw(value: str) -> bytes:
        try:
            return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            return value.encode()
    return hmac.compare_digest(raw(stored), raw(given))


class PushSubscription(db.Model):
    """One device's Web Push subscription (PushSubscription.toJSON()) for an account."""
    user = ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE", index=True)
    endpoint = CharField(max_length=1000, unique=True)
    p256dh = CharField(max_length=200)
    auth = CharField(max_length=100)
    device = CharField(max_length=100, default="")
    created_at = DateTimeField(default=utcnow)
    # The sign-in that subscribed: signing that device out ends its reminders too.
    sign_in = ForeignKeyField(UserSession, null=True, on_delete="CASCADE", index=True)

    class Meta:
        table_name = "push_subscriptions"

    @classmethod
    def for_user(cls, user: User):
        """This account's devices, oldest first."""
        return cls.select().where(cls.user == user).order_by(cls.id)

    @classmethod
    def store(cls, user, endpoint: str, p256dh: str, auth: str, device: str,
              sign_in: int | None = None):
        """Keep a subscription for this account (`user`: the account or its id); None when
        the endpoint is another account's and the caller did not prove it holds it.

        The rule: an endpoint is a capability URL, and its subscription's auth secret is
        known only to the browser that made it (and to this server). An endpoint already
        stored for another account moves to this one only with the same auth secret: the
        same browser, signed out and signed in as someone else, sends its same subscription
        again, and its reminders move with it (the device must not show the previous
        account's people). Knowing the endpoint alone (a log, a copied URL) moves nothing.
        The account that has it already may store it again with new keys.
        """
        user_id = getattr(user, "id", user)
        for _ in range(2):  # a second look if another request stored it meanwhile
            try:
                with write_transaction():
                    # its first notification may be due today already
                    (User
                     .update(reminder_due_at=REMIND_AT_NEXT_PASS)
                     .where(User.id == user_id)
                     .execute())
                    existing = locked(cls.select().where(cls.endpoint == endpoint)).get_or_none()
                    if existing is None:
                        return cls.create(user=user_id, endpoint=endpoint, p256dh=p256dh,
                                          auth=auth, device=device, sign_in=sign_in)
                    if existing.user_id != user_id and not _same_secret(existing.auth, auth):
                        return None
                    (cls
                     .update(user=user_id, p256dh=p256dh, auth=auth, device=device,
                             sign_in=sign_in)
                     .where(cls.id == existing.id)
                     .execute())
                    return cls.get_by_id(existing.id)
            except IntegrityError:
                continue
        return None

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
    once store one row and only the winner sends. target: "digest", "push:<id>",
    "apprise:<id>" or "reset"; period: the local day (or a reset request's or a test's
    own stamp).
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


class SecretField(CharField):
    """Text that grants access (an Apprise URL holds tokens): read and written as SecretStr,
    so peewee's query log shows '<secret>' whichever way a query carries it."""

    def db_value(self, value):
        return None if value is None else SecretStr(value)

    def python_value(self, value):
        return None if value is None else SecretStr(value)


class NotifyChannel(db.Model):
    """One of an account's other ways to be reminded: an Apprise URL (ntfy, Gotify, Matrix,
    Telegram, a webhook...) the dispatcher sends the day's notification to.

    The URL is never shown again once saved: pages show `shown` (its scheme and server),
    stored beside it when the URL was checked (reminders/channels/outbound.py).
    """
    LABEL_LIMIT = 60
    URL_LIMIT = 1000
    PER_ACCOUNT = 10

    user = ForeignKeyField(User, backref="notify_channels", on_delete="CASCADE", index=True)
    label = CharField(max_length=LABEL_LIMIT)
    url = SecretField(max_length=URL_LIMIT)
    shown = CharField(max_length=300)  # e.g. "ntfys://ntfy.sh/…": nothing secret
    created_at = DateTimeField(default=utcnow)
    last_sent_at = DateTimeField(null=True)
    last_error = CharField(max_length=300, default="")

    class Meta:
        table_name = "notify_channels"

    @classmethod
    def for_user(cls, user) -> list["NotifyChannel"]:
        """This account's channels, oldest first."""
        return list(cls.select().where(cls.user == user).order_by(cls.id))

    @classmethod
    def owned(cls, user, channel_id: int) -> "NotifyChannel | None":
        """One of this account's channels; None for anyone else's (or an id no column holds)."""
        if not 0 < channel_id < 2**63:
            return None
        return cls.get_or_none(cls.id == channel_id, cls.user == user)

    @classmethod
    def add(cls, user, label: str, url: str, shown: str) -> "NotifyChannel":
        """Keep a checked channel for this account; its first reminder may be due today."""
        user_id = getattr(user, "id", user)
        with write_transaction():
            User.update(reminder_due_at=REMIND_AT_NEXT_PASS).where(User.id == user_id).execute()
            return cls.create(user=user_id, label=label, url=SecretStr(url), shown=shown)

    @classmethod
    def remove(cls, user, channel_id: int) -> int:
        """Delete one of this account's channels; never another's."""
        return cls.delete().where(cls.id == channel_id, cls.user == user).execute()

    @classmethod
    def record(cls, channel_id: int, sent_at=None, error: str = "") -> None:
        """What its latest send came to: when it was accepted, or why it was not."""
        values = {"last_error": error[:300]}
        if sent_at is not None:
            values["last_sent_at"] = sent_at
        cls.update(**values).where(cls.id == channel_id).execute()
