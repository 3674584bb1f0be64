"""`flask --app app db backup FILE` while the app keeps writing (advisory/backup.py).

SQLite's online backup; on PostgreSQL the command only points to pg_dump (last test)."""
import sqlite3
import threading
from datetime import date

from advisory import create_app
from advisory.database import db
from advisory.models import Contact
from support import add_advisor, sqlite_only


@sqlite_only
def test_backup_taken_while_writes_run_holds_every_committed_row(app, user, runner, tmp_path):
    advisor = add_advisor(user)
    Contact.insert_many([{"advisor": advisor.id, "happened_on": date(2020, 1, 1), "kind": "call",
                          "notes": "x" * 200} for _ in range(5000)]).execute()
    committed, stop, started = [], threading.Event(), threading.Event()

    def write():  # another connection, as a web worker would have, committing one row at a time
        with db.database.connection_context():
            for n in range(20000):  # bounded, whatever happens to the test
                if stop.is_set():
                    break
                with db.database.atomic():
                    contact = Contact.create(advisor=advisor.id, happened_on=date(2021, 1, 1),
                                             kind="call", notes=f"live {n}")
                committed.append(contact.id)
                if n == 50:
                    started.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert started.wait(30)
        before = len(committed)
        result = runner.invoke(args=["db", "backup", str(tmp_path / "backup.db")])
        during = len(committed)
    finally:
        stop.set()
        writer.join(30)
    assert result.exit_code == 0, result.output
    assert "Backed up the database" in result.output
    assert len(committed) > before  # writes really ran alongside

    copy = sqlite3.connect(tmp_path / "backup.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {row[0] for row in copy.execute("SELECT id FROM contacts")}
    assert set(committed[:before]) <= ids  # everything committed before the backup began
    assert ids <= set(range(1, 5001)) | set(committed[:during + 1])  # nothing half-written
    assert copy.execute("SELECT email FROM users").fetchall() == [("ada@example.com",)]
    copy.close()


@sqlite_only
def test_a_backup_restores_as_a_working_installation(app, user, runner, tmp_path, monkeypatch):
    add_advisor(user, name="Zoë Müller")
    assert runner.invoke(args=["db", "backup", str(tmp_path / "copy.db")]).exit_code == 0
    db.database.close()
    restored = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'copy.db'}"})
    client = restored.test_client()
    page = client.get("/login")
    assert page.status_code == 200
    assert "up to date" in restored.test_cli_runner().invoke(args=["db", "upgrade"]).output
    result = restored.test_cli_runner().invoke(args=["export", "ada@example.com"])
    assert "Zoë Müller" in result.output
    db.database.close()


@sqlite_only
def test_backup_never_overwrites_a_file(runner, tmp_path, app):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert target.read_text() == "keep me"


def test_postgresql_gets_pg_dump_advice(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test")
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql://advisory@localhost/advisory"})
    result = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "x.dump")])
    assert result.exit_code != 0
    assert "pg_dump --format=custom --file" in result.output and "pg_restore" in result.output
    assert not (tmp_path / "x.dump").exists()
