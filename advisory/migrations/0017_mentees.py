"""The people I mentor live in the advisors table, on the same cadence engine: a relation
("advisor" for every row so far, or "mentee") and a mentee's own fields.

Going back down deletes the mentees with every row that points at them (their contacts,
promises and the rest, found through the database's own foreign keys): without the
relation column they would come back as board members with no role.
"""
import peewee as pw

COLUMNS = ("ideal_next_step", "strengths", "introductions_to_make")


def up(migrator, database):
    migrator.add_column("advisors", "relation",
                        pw.CharField(max_length=10, default="advisor")).run()
    for name in COLUMNS:
        migrator.add_column("advisors", name, pw.TextField(default="")).run()


def down(migrator, database):
    purge(database, "advisors", "relation = 'mentee'")
    for name in ("relation", *COLUMNS):
        migrator.drop_column("advisors", name).run()


def purge(database, table: str, condition: str) -> None:
    """Delete the rows of `table` matching `condition` (SQL), and first, depth first,
    every row of any table whose foreign key points at one of them: SQLite runs
    migrations with foreign keys off, so nothing cascades by itself."""
    for other in database.get_tables():
        for key in database.get_foreign_keys(other):
            if key.dest_table == table and other != table:
                purge(database, other,
                      f'"{key.column}" IN (SELECT "{key.dest_column}" FROM "{table}" '
                      f"WHERE {condition})")
    database.execute_sql(f'DELETE FROM "{table}" WHERE {condition}')
