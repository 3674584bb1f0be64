"""Emails unique whatever their case, in the database itself (`LOWER(email)`).

The app already stores emails lower-case; this index makes a mixed-case duplicate,
written by any path, fail in the database. Plain SQL, identical on SQLite and
PostgreSQL, so the frozen form of the change is this statement itself.
"""


def up(migrator, database):
    database.execute_sql('CREATE UNIQUE INDEX "users_email_lower" ON "users" (LOWER("email"))')


def down(migrator, database):
    database.execute_sql('DROP INDEX "users_email_lower"')
