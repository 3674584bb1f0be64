"""The board review: how often it comes due (the account's `review_every`, quarterly for
every existing account), and each review kept with its date, reflection and the decision
taken for each member or empty role (models/reviews.py)."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class BoardReview(pw.Model):
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=False)
        reviewed_on = pw.DateField()
        reflection = pw.TextField(default="")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "board_reviews"
            indexes = ((("user", "reviewed_on"), False),)

    class ReviewDecision(pw.Model):
        review = pw.ForeignKeyField(BoardReview, on_delete="CASCADE")
        advisor = pw.ForeignKeyField(Advisor, null=True, on_delete="SET NULL")
        name = pw.CharField(max_length=120, default="")
        role = pw.CharField(max_length=20)
        decision = pw.CharField(max_length=10)
        cadence_count = pw.IntegerField(null=True)
        cadence_unit = pw.CharField(max_length=10, null=True)
        note = pw.TextField(default="")

        class Meta:
            table_name = "review_decisions"

    return BoardReview, ReviewDecision


def up(migrator, database):
    migrator.add_column("users", "review_every",
                        pw.CharField(max_length=12, default="quarterly")).run()
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
    migrator.drop_column("users", "review_every").run()
