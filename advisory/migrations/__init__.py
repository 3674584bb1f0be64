"""Numbered schema migrations, applied in order by `flask --app app db upgrade`.

Each file `NNNN_name.py` has `up(migrator, database)` and `down(migrator, database)`;
`migrator` is peewee's SchemaMigrator for the database in use.

Several app servers may run `db upgrade` at the same moment: each migration runs in a
transaction that holds a lock no other run can take meanwhile (a transaction-scoped
advisory lock on PostgreSQL, an IMMEDIATE transaction on SQLite), and checks again,
under that lock, whether another run applied it first.
"""
import importlib
from contextlib import contextmanager
from pathlib import Path

from peewee import CharField, DateTimeField, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.migrate import SchemaMigrator

from advisory.database import utcnow

# Any fixed 64-bit number names the lock; this one is "advisory" read as ASCII.
POSTGRES_LOCK_KEY = 0x61_64_76_69_73_6F_72_79


class AppliedMigration(Model):
    name = CharField(max_length=100, unique=True)
    applied_at = DateTimeField()  # naive UTC, like every stored time

    class Meta:
        table_name = "migrations"


def available() -> list[str]:
    """Migration names, in the order they apply."""
    return sorted(p.stem for p in Path(__file__).parent.glob("[0-9][0-9][0-9][0-9]_*.py"))


def applied(database) -> list[str]:
    """Names of the migrations this database has, in the order they apply."""
    with database.bind_ctx([AppliedMigration]), _exclusive(database):
        return _applied()


def _applied() -> list[str]:
    AppliedMigration.create_table(safe=True)
    return [m.name for m in AppliedMigration.select().order_by(AppliedMigration.name)]


@contextmanager
def _exclusive(database):
    """A transaction that no other migration run, in any process, holds at the same time."""
    if isinstance(database, SqliteDatabase):
        # IMMEDIATE takes the write lock at BEGIN, so the check below sees the final state.
        with database.atomic("IMMEDIATE"):
            yield
        return
    with database.atomic():
        if isinstance(database, PostgresqlDatabase):
            # Released at COMMIT or ROLLBACK: a crashed run never leaves it held.
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (POSTGRES_LOCK_KEY,))
        yield


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
    migrator = SchemaMigrator.from_database(database)
    ran = []
    with database.bind_ctx([AppliedMigration]), schema_changes(database):
        for name in available():
            with _exclusive(database):
                if name in _applied():
                    continue
                _module(name).up(migrator, database)
                AppliedMigration.create(name=name, applied_at=utcnow())
            ran.append(name)
    return ran


def downgrade(database, steps: int = 1) -> list[str]:
    """Revert the last `steps` applied migrations; return their names."""
    migrator = SchemaMigrator.from_database(database)
    reverted = []
    with database.bind_ctx([AppliedMigration]), schema_changes(database):
        for _ in range(steps):
            with _exclusive(database):
                names = _applied()
                if not names:
                    break
                name = names[-1]
                _module(name).down(migrator, database)
                AppliedMigration.delete().where(AppliedMigration.name == name).execute()
            reverted.append(name)
    return reverted
