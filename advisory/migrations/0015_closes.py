"""An honourable close: an advisor brought to a close keeps when, why, what you learned
from them and whether to check in yearly (Advisor.close, cadence.due_on)."""
import peewee as pw

COLUMNS = {
    "closed_on": pw.DateField(null=True),
    "close_reason": pw.CharField(max_length=20, default=""),
    "lesson": pw.TextField(default=""),
    "yearly_check_in": pw.BooleanField(default=False),
}


def up(migrator, database):
    for name, field in COLUMNS.items():
        migrator.add_column("advisors", name, field).run()


def down(migrator, database):
    for name in COLUMNS:
        migrator.drop_column("advisors", name).run()
