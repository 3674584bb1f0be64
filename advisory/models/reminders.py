"""What the reminder dispatcher keeps: each device's push subscription, and each
delivery it owes, is sending or has sent."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from ..database import db, utcnow
from .accounts import User


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
