"""The first schema: accounts, advisors, contacts, feed tokens, set-up tokens.

The models are frozen here as they were at this migration, so later model changes
never change what this step creates.
"""
import peewee as pw


def _models(database):
    class Base(pw.Model):
        class Meta:
            legacy_table_names = False

    class User(Base):
        email = pw.CharField(max_length=254, unique=True)
        password_hash = pw.CharField(max_length=255)
        timezone = pw.CharField(max_length=64)
        due_soon_days = pw.IntegerField()
        messages_count = pw.BooleanField()
        role_cadences = pw.TextField()
        feed_details = pw.BooleanField()
        feed_alarm = pw.CharField(max_length=5, null=True)
        feed_changed_at = pw.DateTimeField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "users"

    class Advisor(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        uid = pw.CharField(max_length=64, unique=True)
        name = pw.CharField(max_length=120)
        role = pw.CharField(max_length=20)
        stage = pw.CharField(max_length=20)
        paused_until = pw.DateField(null=True)
        cadence_count = pw.IntegerField()
        cadence_unit = pw.CharField(max_length=10)
        email = pw.CharField(max_length=254)
        phone = pw.CharField(max_length=40)
        organisation = pw.CharField(max_length=120)
        why = pw.TextField()
        offer = pw.TextField()
        meeting_style = pw.CharField(max_length=200)
        meeting_kind = pw.CharField(max_length=20)
        horizon = pw.CharField(max_length=120)
        agenda = pw.TextField()
        notes = pw.TextField()
        last_spoke_on = pw.DateField(null=True)
        snoozed_until = pw.DateField(null=True)
        added_on = pw.DateField()
        sequence = pw.IntegerField()
        changed_at = pw.DateTimeField()

        class Meta:
            table_name = "advisors"

    class Contact(Base):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        happened_on = pw.DateField()
        kind = pw.CharField(max_length=20)
        notes = pw.TextField()
        thanked = pw.BooleanField()
        idempotency_key = pw.CharField(max_length=64, null=True)
        cleared_snooze = pw.DateField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "contacts"
            indexes = (
                (("advisor", "happened_on"), False),
                (("advisor", "idempotency_key"), True),
            )

    class FeedToken(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        token = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        retired_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "feed_tokens"

    class SetupToken(Base):
        token_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "setup_tokens"

    return [User, Advisor, Contact, FeedToken, SetupToken]


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
