"""Reminders: the account's reminder time, digest and calendar style; push subscriptions;
the deliveries the dispatcher claims, sends and records.

Models frozen as they were at this migration (see 0001).
"""
import peewee as pw
from playhouse.migrate import migrate

USER_COLUMNS = {
    "reminder_time": pw.CharField(max_length=5, default="08:00"),
    "digest": pw.CharField(max_length=10, default="off"),
    "digest_weekday": pw.IntegerField(default=0),
    "calendar_style": pw.CharField(max_length=10, default="person"),
}


def _models(database):
    class Base(pw.Model):
        class Meta:
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "users"

    class PushSubscription(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        endpoint = pw.CharField(max_length=1000, unique=True)
        p256dh = pw.CharField(max_length=200)
        auth = pw.CharField(max_length=100)
        device = pw.CharField(max_length=100)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "push_subscriptions"

    class Delivery(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        target = pw.CharField(max_length=40)
        period = pw.CharField(max_length=40)
        state = pw.CharField(max_length=10)
        attempts = pw.IntegerField()
        claimed_at = pw.DateTimeField(null=True)
        next_attempt_at = pw.DateTimeField(null=True)
        sent_at = pw.DateTimeField(null=True)
        detail = pw.CharField(max_length=300)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "deliveries"
            indexes = (
                (("user", "target", "period"), True),
                (("state", "next_attempt_at"), False),
            )

    return [PushSubscription, Delivery]


def up(migrator, database):
    migrate(*(migrator.add_column("users", name, field) for name, field in USER_COLUMNS.items()))
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
    migrate(*(migrator.drop_column("users", name) for name in USER_COLUMNS))
