"""Each push subscription belongs to the sign-in that made it: when that device is signed
out (by itself, from another device, by a password change or reset), its reminders,
which name people, stop too. Subscriptions made before this keep no sign-in and go on
until their device subscribes again.
"""
import peewee as pw


def _models(database):
    class UserSession(pw.Model):
        class Meta:
            table_name = "user_sessions"

    return UserSession


def up(migrator, database):
    UserSession = _models(database)
    sign_in = pw.ForeignKeyField(UserSession, null=True, on_delete="CASCADE",
                                 field=UserSession.id)
    migrator.add_column("push_subscriptions", "sign_in_id", sign_in).run()  # indexed too


def down(migrator, database):
    migrator.drop_index("push_subscriptions", "push_subscriptions_sign_in_id").run()
    migrator.drop_column("push_subscriptions", "sign_in_id").run()
