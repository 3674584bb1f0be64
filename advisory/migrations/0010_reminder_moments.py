"""Each account stores when the dispatcher next looks at its reminders, indexed, so a pass
reads only the accounts whose moment has come instead of every account with reminders.

Every existing account starts at "the next pass" (a moment long past): that pass plans
what is owed as before and moves each account on to its next reminder time.
"""
from datetime import datetime

import peewee as pw

REMIND_AT_NEXT_PASS = datetime(2000, 1, 1)


def _models(database):
    class User(pw.Model):
        reminder_due_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "users"

    return (User,)


def up(migrator, database):
    (User,) = _models(database)
    migrator.add_column("users", "reminder_due_at", pw.DateTimeField(null=True, index=True)).run()
    with database.bind_ctx([User]):
        User.update(reminder_due_at=REMIND_AT_NEXT_PASS).execute()


def down(migrator, database):
    migrator.drop_index("users", "users_reminder_due_at").run()
    migrator.drop_column("users", "reminder_due_at").run()
