"""Goals: what you seek from each advisor, each open, achieved or dropped, with dated
progress notes that can point at a conversation (models/goals.py)."""
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

    class Goal(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        text = pw.CharField(max_length=300)
        state = pw.CharField(max_length=10, default="open")
        created_on = pw.DateField()
        closed_on = pw.DateField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "goals"
            indexes = ((("advisor", "state"), False),)

    class GoalNote(pw.Model):
        goal = pw.ForeignKeyField(Goal, on_delete="CASCADE")
        note = pw.CharField(max_length=1000)
        noted_on = pw.DateField()
        contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "goal_notes"
            indexes = ((("goal", "noted_on"), False),)

    return Goal, GoalNote


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
