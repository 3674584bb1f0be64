"""Numbered schema migrations, applied in order by `flask --app app db upgrade`.

Each file `NNNN_name.py` has `up(migrator, database)` and `down(migrator, database)`;
`migrator` is peewee's SchemaMigrator for the database in use.
"""
import importlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from peewee import CharField, DateTimeField, Model, SqliteDatabase
from playhouse.migrate import SchemaMigrator


class AppliedMigration(Model):
    name = CharField(max_length=100, unique=True)
    applied_at = DateTimeField()

    class Meta:
        table_name = "migrations"


def available() -> list[str]:
    """Migration names, in the order they apply."""
    return sorted(p.stem for p in Path(__file__).parent.glob("[0-9][0-9][0-9][0-9]_*.py"))


def applied(database) -> list[str]:
    with database.bind_ctx([AppliedMigration]):
        AppliedMigration.create_table(safe=True)
        return [m.name for m in AppliedMigration.select().order_by(AppliedMigration.name)]


def _module(name: str):
    return importlib.import_module(f"{__name__}.{name}")


@contextmanager
def schema_changes(database):
    """Around migrations: on SQLite, foreign keys are off, because SQLite changes a column
    by copying its table and dropping the old one, and with foreign keys on that drop
    would cascade to every row pointing at it (an account's advisors, say). Whatever the
    migrations did is then checked, as SQLite's documentation for such changes advises."""
    if not isinstance(database, SqliteDatabase):
        yield
        return
    database.pragma("foreign_keys", 0)  # a no-op inside a transaction: set before any
    try:
        yield
        broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migrations left rows pointing nowhere: {broken[:5]}")
    finally:
        database.pragma("foreign_keys", 1)


def upgrade(database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    done = set(applied(database))
    migrator = SchemaMigrator.from_database(database)
    ran = []
    with database.bind_ctx([AppliedMigration]), schema_changes(database):
        for name in available():
            if name in done:
                continue
            with database.atomic():
                _module(name).up(migrator, database)
                AppliedMigration.create(name=name, applied_at=datetime.now(timezone.utc))
            ran.append(name)
    return ran


def downgrade(database, steps: int = 1) -> list[str]:
    """Revert the last `steps` applied migrations; return their names."""
    migrator = SchemaMigrator.from_database(database)
    reverted = []
    with database.bind_ctx([AppliedMigration]), schema_changes(database):
        for name in list(reversed(applied(database)))[:steps]:
            with database.atomic():
                _module(name).down(migrator, database)
                AppliedMigration.delete().where(AppliedMigration.name == name).execute()
            reverted.append(name)
    return reverted
