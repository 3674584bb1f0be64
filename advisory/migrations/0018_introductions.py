"""Introductions asked for, received or made, on the people involved
(models/introductions.py). The models are frozen here as this step needs them."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class Introduction(pw.Model):
        person = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        direction = pw.CharField(max_length=10)
        to_whom = pw.CharField(max_length=200)
        to_person = pw.ForeignKeyField(Advisor, null=True, on_delete="SET NULL")
        happened_on = pw.DateField()
        outcome = pw.CharField(max_length=1000, default="")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "introductions"
            indexes = ((("person", "happened_on"), False),)

    return (Introduction,)


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
