"""The migrated schema is exactly the models' schema, and migrations run both ways."""
from peewee import SqliteDatabase

from advisory import migrations
from advisory.database import SQLITE_PRAGMAS
from advisory.models import MODELS


def schema(database) -> dict:
    """Tables with their columns, indexes and foreign keys, as the database reports them."""
    result = {}
    for table in sorted(database.get_tables()):
        if table == "migrations":
            continue
        result[table] = {
            "columns": sorted((c.name, c.data_type.upper(), c.null, c.primary_key)
                              for c in database.get_columns(table)),
            "indexes": sorted((tuple(i.columns), i.unique) for i in database.get_indexes(table)),
            "foreign_keys": sorted((f.column, f.dest_table, f.dest_column)
                                   for f in database.get_foreign_keys(table)),
        }
    return result


def test_migrated_schema_equals_models(tmp_path):
    migrated = SqliteDatabase(str(tmp_path / "migrated.db"), pragmas=SQLITE_PRAGMAS)
    assert migrations.upgrade(migrated) == migrations.available()
    created = SqliteDatabase(str(tmp_path / "created.db"), pragmas=SQLITE_PRAGMAS)
    with created.bind_ctx(MODELS):
        created.create_tables(MODELS)
    assert schema(migrated) == schema(created)
    assert schema(migrated)  # not two empty schemas


def test_downgrade_and_upgrade_again(tmp_path):
    database = SqliteDatabase(str(tmp_path / "db.sqlite"))
    migrations.upgrade(database)
    assert migrations.downgrade(database, steps=len(migrations.available()))
    assert schema(database) == {}
    assert migrations.upgrade(database) == migrations.available()
    assert migrations.upgrade(database) == []


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    database = app.config["DATABASE"]
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
