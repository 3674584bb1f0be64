"""Sign-ins as rows: one per signed-in device, so signing out can end it on the server.

The model is frozen here as it was at this migration (with the one column of `users`
its foreign key needs).
"""
import peewee as pw


def _models(database):
    class Base(pw.Model):
        class Meta:
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "users"

    class UserSession(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        token_hash = pw.CharField(max_length=64, unique=True)
        device = pw.CharField(max_length=60)
        created_at = pw.DateTimeField()
        last_used_at = pw.DateTimeField()
        expires_at = pw.DateTimeField()

        class Meta:
            table_name = "user_sessions"

    return [User, UserSession]


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models[1:])


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models[1:])
