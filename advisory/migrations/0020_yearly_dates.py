"""Birthdays and other yearly dates on a person (models/yearly_dates.py). The models are
frozen here as this step needs them."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class YearlyDate(pw.Model):
        person = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=10)
        label = pw.CharField(max_length=100, default="")
        month = pw.SmallIntegerField()
        day = pw.SmallIntegerField()
        year = pw.SmallIntegerField(null=True)
        sequence = pw.IntegerField(default=1)
        created_at = pw.DateTimeField()
        changed_at = pw.DateTimeField()

        class Meta:
            table_name = "yearly_dates"

    return (YearlyDate,)


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
