"""A consistent copy of the whole database while the app keeps serving (no Flask).

SQLite: the online backup API (the standard library's Connection.backup) copies every
page in one step under one read transaction, so the copy is the database as it was at
one moment; with WAL, writers carry on meanwhile. PostgreSQL: pg_dump does the same job
better than we could, so we say how to run it.
"""
import os
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase


class BackupError(Exception):
    """The backup was not made; the message says why and what to do instead."""


PG_DUMP_ADVICE = (
    "This installation runs on PostgreSQL: back it up with pg_dump, which takes a "
    "consistent snapshot while the app serves:\n\n"
    "    pg_dump --format=custom --file {file} \"$DATABASE_URL\"\n\n"
    "and restore into an empty database with:\n\n"
    "    pg_restore --no-owner --dbname \"$DATABASE_URL\" {file}\n"
)


def backup(database, target: str) -> int:
    """Copy `database` into the new file `target`; returns its size in bytes."""
    if not isinstance(database, SqliteDatabase):
        raise BackupError(PG_DUMP_ADVICE.format(file=target))
    path = Path(target)
    if path.exists():
        raise BackupError(f"{target} already exists: choose a new file name.")
    partial = path.with_name(path.name + ".partial")
    source = sqlite3.connect(database.database)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)  # all pages in one step: one consistent snapshot
            check = destination.execute("PRAGMA integrity_check").fetchone()[0]
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            destination.close()
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check ({check}); nothing was kept.")
    os.replace(partial, path)  # the named file only ever holds a whole backup
    return path.stat().st_size
