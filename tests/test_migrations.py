"""The migrated schema is exactly the models' schema, and migrations run both ways."""
import importlib
from datetime import date, datetime

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


def test_stored_last_contact_is_filled_from_the_contacts_already_logged(tmp_path, monkeypatch):
    database = SqliteDatabase(str(tmp_path / "db.sqlite"), pragmas=SQLITE_PRAGMAS)
    every = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [n for n in every if n < "0003"])
    migrations.upgrade(database)
    User, Advisor, Contact = importlib.import_module(
        "advisory.migrations.0001_initial")._models(database)[:3]
    with database.bind_ctx([User, Advisor, Contact]):
        user = User.create(email="a@example.com", password_hash="", timezone="UTC",
                           due_soon_days=7, messages_count=False, role_cadences="{}",
                           feed_details=False, feed_changed_at=datetime(2026, 1, 1),
                           created_at=datetime(2026, 1, 1))
        fields = dict(user=user, role="insight", stage="active", cadence_count=1,
                      cadence_unit="months", email="", phone="", organisation="", why="",
                      offer="", meeting_style="", meeting_kind="call", horizon="", agenda="",
                      notes="", added_on=date(2026, 1, 1), sequence=0,
                      changed_at=datetime(2026, 1, 1))
        talked = Advisor.create(uid="a", name="Talked", **fields)
        Advisor.create(uid="b", name="Silent", **fields)
        for day, kind in ((date(2026, 3, 1), "call"), (date(2026, 2, 1), "video"),
                          (date(2026, 4, 1), "message")):
            Contact.create(advisor=talked, happened_on=day, kind=kind, notes="",
                           thanked=False, created_at=datetime(2026, 4, 1))
    monkeypatch.setattr(migrations, "available", lambda: every)
    migrations.upgrade(database)
    rows = database.execute_sql("SELECT name, last_conversation_on, last_message_on "
                                "FROM advisors ORDER BY name").fetchall()
    assert rows == [("Silent", None, None), ("Talked", "2026-03-01", "2026-04-01")]
