"""Deleting an advisor or a contact puts it in the trash (a `deleted_at` time) instead of
removing the row, so the confirmation's Undo can bring back exactly what was there; the
trash is purged after 30 days (models/trash.py). Both columns are indexed: the purge
finds what is old enough without reading the rest.

Going back down deletes what is in the trash for good: without the column those rows
would come back as if never deleted. The models are frozen here as this step needs them.
"""
import peewee as pw


def _models(database):
    class Advisor(pw.Model):
        deleted_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "advisors"

    class Contact(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        deleted_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "contacts"

    return Advisor, Contact


def up(migrator, database):
    for table in ("advisors", "contacts"):
        migrator.add_column(table, "deleted_at",
                            pw.DateTimeField(null=True, index=True)).run()  # indexed too


def down(migrator, database):
    Advisor, Contact = _models(database)
    with database.bind_ctx([Advisor, Contact]):
        # SQLite runs migrations with foreign keys off: no cascade, so contacts go first.
        trashed = Advisor.select(Advisor.id).where(Advisor.deleted_at.is_null(False))
        (Contact
         .delete()
         .where(Contact.deleted_at.is_null(False) | Contact.advisor.in_(trashed))
         .execute())
        Advisor.delete().where(Advisor.deleted_at.is_null(False)).execute()
    for table in ("advisors", "contacts"):
        migrator.drop_index(table, f"{table}_deleted_at").run()
        migrator.drop_column(table, "deleted_at").run()
