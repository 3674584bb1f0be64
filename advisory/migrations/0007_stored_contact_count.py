"""Each advisor stores how many contacts are logged with them, filled in from the contacts
already logged, so an advisor's page no longer counts their whole history.

The models are frozen here as this step needs them, so later model changes never
change what it does.
"""
import peewee as pw


def _models(database):
    class Advisor(pw.Model):
        contact_count = pw.IntegerField(default=0)

        class Meta:
            table_name = "advisors"

    class Contact(pw.Model):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")

        class Meta:
            table_name = "contacts"

    return Advisor, Contact


def up(migrator, database):
    Advisor, Contact = _models(database)
    migrator.add_column("advisors", "contact_count", pw.IntegerField(default=0)).run()
    with database.bind_ctx([Advisor, Contact]):
        (Advisor
         .update({Advisor.contact_count: (Contact
                                          .select(pw.fn.COUNT(Contact.id))
                                          .where(Contact.advisor == Advisor.id))})
         .execute())


def down(migrator, database):
    migrator.drop_column("advisors", "contact_count").run()
