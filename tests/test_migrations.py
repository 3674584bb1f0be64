"""The migrated schema is exactly the models' schema, migrations run both ways, existing
rows survive them, and several servers upgrading one database at once apply each
migration once."""
import importlib
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from advisory import migrations
from advisory.database import open_database, utcnow
from advisory.models import MODELS, Advisor, Contact, Introduction, User
from support import close_database, sqlite_only

ROOT = Path(__file__).resolve().parents[1]


def index_columns(index) -> tuple:
    """An index's columns; an expression index (SQLite reports None) by its expression."""
    if None not in index.columns:
        return tuple(index.columns)
    expression = index.sql.split(" ON ", 1)[1].split("(", 1)[1].rsplit(")", 1)[0]
    return (expression.replace('"', "").lower(),)


def schema(database) -> dict:
    """Tables with their columns, indexes and foreign keys, as the database reports them."""
    result = {}
    for table in sorted(database.get_tables()):
        if table == "migrations":
            continue
        result[table] = {
            "columns": sorted((c.name, c.data_type.upper(), c.null, c.primary_key)
                              for c in database.get_columns(table)),
            "indexes": sorted((index_columns(i), i.unique) for i in database.get_indexes(table)),
            "foreign_keys": sorted((f.column, f.dest_table, f.dest_column)
                                   for f in database.get_foreign_keys(table)),
        }
    return result


def test_migrated_schema_equals_models(fresh_database):
    migrated = open_database(fresh_database(migrated=False))
    assert migrations.upgrade(migrated) == migrations.available()
    created = open_database(fresh_database(migrated=False))
    with created.bind_ctx(MODELS):
        created.create_tables(MODELS)
    try:
        assert schema(migrated) == schema(created)
        assert schema(migrated)  # not two empty schemas
    finally:
        close_database(migrated)
        close_database(created)


def test_downgrade_and_upgrade_again(fresh_database):
    database = open_database(fresh_database(migrated=False))
    try:
        migrations.upgrade(database)
        assert migrations.downgrade(database, steps=len(migrations.available()))
        assert schema(database) == {}
        assert migrations.upgrade(database) == migrations.available()
        assert migrations.upgrade(database) == []
    finally:
        close_database(database)


def test_applied_times_are_naive_utc(fresh_database):
    database = open_database(fresh_database(migrated=False))
    try:
        before = utcnow()
        migrations.upgrade(database)
        with database.bind_ctx([migrations.AppliedMigration]):
            stamps = [m.applied_at for m in migrations.AppliedMigration.select()]
    finally:
        close_database(database)
    assert stamps and all(s.tzinfo is None and before <= s <= utcnow() for s in stamps)


# Each process opens the database, says it is ready, waits for "go", then upgrades.
UPGRADE = """
import json, sys
from advisory import migrations
from advisory.database import open_database
database = open_database(sys.argv[1])
database.connect()
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(migrations.upgrade(database)), flush=True)
"""


def test_servers_upgrading_at_once_apply_each_migration_once(fresh_database):
    url = fresh_database(migrated=False)
    runs = [subprocess.Popen([sys.executable, "-c", UPGRADE, url], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
            for _ in range(4)]
    for run in runs:
        assert run.stdout.readline() == "ready\n", run.stderr.read()
    for run in runs:  # released together, so their upgrades overlap
        run.stdin.write("go\n")
        run.stdin.flush()
    results = [run.communicate(timeout=60) for run in runs]

    assert [run.returncode for run in runs] == [0] * len(runs), [err for _, err in results]
    applied_by = [name for out, _ in results for name in json.loads(out)]
    assert sorted(applied_by) == migrations.available()  # every one once, by someone
    database = open_database(url)
    try:
        assert migrations.applied(database) == migrations.available()
        assert migrations.upgrade(database) == []
    finally:
        close_database(database)


@sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(app):
    database = app.config["DATABASE"]
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_stored_last_contact_is_filled_from_the_contacts_already_logged(fresh_database,
                                                                       monkeypatch):
    database = open_database(fresh_database(migrated=False))
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
    try:
        migrations.upgrade(database)  # every later migration too: none may lose a row
        rows = database.execute_sql("SELECT name, last_conversation_on, last_message_on,"
                                    " contact_count FROM advisors ORDER BY name").fetchall()
    finally:
        close_database(database)
    as_text = [tuple(None if v is None else str(v) for v in row) for row in rows]
    assert as_text == [("Silent", None, None, "0"), ("Talked", "2026-03-01", "2026-04-01", "3")]


def test_going_down_from_the_trash_deletes_what_is_in_it_and_keeps_the_rest(fresh_database):
    database = open_database(fresh_database(migrated=False))
    migrations.upgrade(database)
    User, Advisor, Contact = MODELS[:3]
    try:
        with database.bind_ctx(MODELS):
            user = User.create(email="a@example.com", password_hash="", timezone="UTC")
            kept, binned = (Advisor.create(user=user, name=name, role="insight",
                                           added_on=date(2026, 1, 1), deleted_at=deleted)
                            for name, deleted in (("Kept", None), ("Binned", datetime(2026, 1, 1))))
            for advisor in (kept, binned):
                Contact.create(advisor=advisor, happened_on=date(2026, 1, 2), kind="call")
            Contact.create(advisor=kept, happened_on=date(2026, 1, 3), kind="call",
                           deleted_at=datetime(2026, 1, 4))  # deleted on its own
        reverted = []  # down to before the trash, through any later migration
        while "0009_trash" not in reverted:
            reverted += migrations.downgrade(database, steps=1)
        left = database.execute_sql("SELECT a.name, c.happened_on FROM advisors a"
                                    " JOIN contacts c ON c.advisor_id = a.id").fetchall()
        assert [(name, str(day)) for name, day in left] == [("Kept", "2026-01-02")]
        assert migrations.upgrade(database) == reverted[::-1]
    finally:
        close_database(database)


def test_going_down_from_mentees_deletes_them_with_what_points_at_them(fresh_database):
    """Without the relation a mentee would come back as a board member with no role: going
    below 0017 deletes mentees, their contacts and introductions, and keeps the board."""
    database = open_database(fresh_database(migrated=False))
    migrations.upgrade(database)
    try:
        with database.bind_ctx(MODELS):
            user = User.create(email="a@example.com", password_hash="", timezone="UTC")
            dana, sam = (Advisor.create(user=user, name=name, role=role, relation=relation,
                                        added_on=date(2026, 1, 1))
                         for name, role, relation in (("Dana", "insight", "advisor"),
                                                      ("Sam", "", "mentee")))
            for person in (dana, sam):
                Contact.create(advisor=person, happened_on=date(2026, 1, 2), kind="call")
            Introduction.create(person=dana, user=user, direction="made", to_whom="Sam",
                                to_person=sam, happened_on=date(2026, 1, 3), created_at=utcnow())
        reverted = []
        while "0017_mentees" not in reverted:
            reverted += migrations.downgrade(database, steps=1)
        left = database.execute_sql("SELECT a.name, c.happened_on FROM advisors a"
                                    " JOIN contacts c ON c.advisor_id = a.id").fetchall()
        assert [(name, str(day)) for name, day in left] == [("Dana", "2026-01-02")]
        assert migrations.upgrade(database) == reverted[::-1]
    finally:
        close_database(database)
