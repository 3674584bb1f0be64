"""Each advisor stores its latest conversation and latest message, filled in from the
contacts already logged, so the due list no longer aggregates over every contact.

The models are frozen here as this step needs them, so later model changes never
change what it does.
"""
import peewee as pw

CONVERSATION_KINDS = ("in_person", "call", "video")
MESSAGE_KINDS = ("message",)


def _models(database):
    class Base(pw.Model):
        class Meta:
            legacy_table_names = False

    class Advisor(Base):
        last_conversation_on = pw.DateField(null=True)
        last_message_on = pw.DateField(null=True)

        class Meta:
            table_name = "advisors"

    class Contact(Base):
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE")
        happened_on = pw.DateField()
        kind = pw.CharField(max_length=20)

        class Meta:
            table_name = "contacts"

    return Advisor, Contact


def up(migrator, database):
    Advisor, Contact = _models(database)
    migrator.add_column("advisors", "last_conversation_on", pw.DateField(null=True)).run()
    migrator.add_column("advisors", "last_message_on", pw.DateField(null=True)).run()

    def latest(kinds):
        return (Contact
                .select(pw.fn.MAX(Contact.happened_on))
                .where(Contact.advisor == Advisor.id, Contact.kind.in_(kinds)))

    with database.bind_ctx([Advisor, Contact]):
        (Advisor
         .update({Advisor.last_conversation_on: latest(CONVERSATION_KINDS),
                  Advisor.last_message_on: latest(MESSAGE_KINDS)})
         .execute())


def down(migrator, database):
    migrator.drop_column("advisors", "last_message_on").run()
    migrator.drop_column("advisors", "last_conversation_on").run()
