"""Notification channels: each account's Apprise URLs (ntfy, Gotify, Matrix, a webhook...),
which the dispatcher sends the day's notification to besides Web Push and email.

Going back down drops them, and the deliveries addressed to them, which no channel
would know any more. The models are frozen here as this step needs them.
"""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class NotifyChannel(pw.Model):
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        label = pw.CharField(max_length=60)
        url = pw.CharField(max_length=1000)
        shown = pw.CharField(max_length=300)
        created_at = pw.DateTimeField()
        last_sent_at = pw.DateTimeField(null=True)
        last_error = pw.CharField(max_length=300)

        class Meta:
            table_name = "notify_channels"

    class Delivery(pw.Model):
        target = pw.CharField(max_length=40)

        class Meta:
            table_name = "deliveries"

    return NotifyChannel, Delivery


def up(migrator, database):
    NotifyChannel, _ = _models(database)
    with database.bind_ctx([NotifyChannel]):
        database.create_tables([NotifyChannel])


def down(migrator, database):
    NotifyChannel, Delivery = _models(database)
    with database.bind_ctx([NotifyChannel, Delivery]):
        Delivery.delete().where(Delivery.target.startswith("apprise:")).execute()
        database.drop_tables([NotifyChannel])
