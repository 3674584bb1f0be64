"""The gives ledger: what you gave back to each advisor, and when (models/gives.py)."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class Give(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=20)
        note = pw.CharField(max_length=500, default="")
        given_on = pw.DateField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "gives"
            indexes = ((("advisor", "given_on"), False),)

    return (Give,)


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
