"""Promises both ways and the advice each advisor gave (models/promises.py). The models
are frozen here as this step needs them."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class Contact(pw.Model):
        class Meta:
            table_name = "contacts"

    class Promise(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        text = pw.CharField(max_length=500)
        owed_by = pw.CharField(max_length=4)
        due_on = pw.DateField(null=True)
        kept_on = pw.DateField(null=True)
        sequence = pw.IntegerField(default=1)
        created_at = pw.DateTimeField()
        changed_at = pw.DateTimeField()

        class Meta:
            table_name = "promises"
            indexes = ((("advisor", "kept_on"), False), (("user", "due_on"), False))

    class Advice(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        text = pw.CharField(max_length=1000)
        state = pw.CharField(max_length=10, default="to_try")
        outcome = pw.CharField(max_length=1000, default="")
        outcome_on = pw.DateField(null=True)
        told_on = pw.DateField(null=True)
        contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "advice"
            indexes = ((("advisor", "created_at"), False),)

    return Promise, Advice


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)  # each table's indexes go with it, on both databases
