"""Photos of people (models/photos.py): their two sizes in a table of their own, and on
each advisor the version of theirs, which pages read with the rest of the row. The
models are frozen here as this step needs them."""
import peewee as pw


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class Photo(pw.Model):
        person = pw.ForeignKeyField(Advisor, unique=True, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=True)
        small = pw.BlobField()
        large = pw.BlobField()
        content_type = pw.CharField(max_length=40)
        digest = pw.CharField(max_length=64)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "photos"

    return (Photo,)


def up(migrator, database):
    migrator.add_column("advisors", "photo_hash", pw.CharField(max_length=64, null=True)).run()
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
    migrator.drop_column("advisors", "photo_hash").run()
