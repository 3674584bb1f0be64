"""Search (models/search.py): the table of searchable entries, its engine's full-text
index (FTS5 on SQLite, a generated tsvector with a GIN index on PostgreSQL), filled from
the people and what was said already stored.

The models, the index and the sources are frozen here as this step needs them; the words
are folded by core/search.py, as every later write folds them.
"""
from datetime import date, datetime

import peewee as pw

from advisory.core.search import words

ACCOUNT_WORDS = ("CASE {row}.{column} WHEN '' THEN '' ELSE {row}.user_id || '_' ||"
                 " replace({row}.{column}, ' ', ' ' || {row}.user_id || '_') END")
INDEXED = ", ".join(ACCOUNT_WORDS.format(row="{row}", column=column)
                    for column in ("name_words", "words"))
INDEX_ADD = ("INSERT INTO search_index(rowid, name_words, words) VALUES (new.id, "
             + INDEXED.format(row="new") + ");")
INDEX_REMOVE = ("INSERT INTO search_index(search_index, rowid, name_words, words)"
                " VALUES ('delete', old.id, " + INDEXED.format(row="old") + ");")
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(name_words, words, content='',"
    " tokenize = \"unicode61 remove_diacritics 2 tokenchars '_'\")",
    "CREATE TRIGGER IF NOT EXISTS search_entries_insert AFTER INSERT ON search_entries"
    f" BEGIN {INDEX_ADD} END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_delete AFTER DELETE ON search_entries"
    f" BEGIN {INDEX_REMOVE} END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_update"
    " AFTER UPDATE OF name_words, words ON search_entries"
    f" BEGIN {INDEX_REMOVE} {INDEX_ADD} END",
)
POSTGRES_INDEX = (
    "ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS document tsvector"
    " GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, name_words), 'A')"
    " || to_tsvector('simple'::regconfig, words)) STORED",
    "CREATE INDEX IF NOT EXISTS search_entries_document ON search_entries USING GIN (document)",
)
# kind -> user, advisor, row id, day, the person's name, then the texts
SOURCES = {
    "person": "SELECT user_id, id, id, added_on, name, organisation, email, why, offer, agenda,"
              " notes, ideal_next_step, strengths, introductions_to_make, lesson FROM advisors",
    "contact": "SELECT a.user_id, c.advisor_id, c.id, c.happened_on, a.name, c.notes"
               " FROM contacts c JOIN advisors a ON a.id = c.advisor_id"
               " WHERE c.deleted_at IS NULL",
    **{kind: f"SELECT r.user_id, r.{advisor}, r.id, r.{day}, a.name, {texts} FROM {table} r"
             f" JOIN advisors a ON a.id = r.{advisor}"
       for kind, table, advisor, day, texts in (
           ("promise", "promises", "advisor_id", "created_at", "r.text"),
           ("advice", "advice", "advisor_id", "created_at", "r.text, r.outcome"),
           ("goal", "goals", "advisor_id", "created_on", "r.text"),
           ("give", "gives", "advisor_id", "given_on", "r.note"),
           ("introduction", "introductions", "person_id", "happened_on",
            "r.to_whom, r.outcome"))},
    "goal_note": "SELECT g.user_id, g.advisor_id, n.id, n.noted_on, a.name, n.note"
                 " FROM goal_notes n JOIN goals g ON g.id = n.goal_id"
                 " JOIN advisors a ON a.id = g.advisor_id",
}
BATCH = 400


def _models(database):
    class User(pw.Model):
        class Meta:
            table_name = "users"

    class Advisor(pw.Model):
        class Meta:
            table_name = "advisors"

    class SearchEntry(pw.Model):
        user = pw.ForeignKeyField(User, on_delete="CASCADE", index=False)
        advisor = pw.ForeignKeyField(Advisor, on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=20)
        row_id = pw.IntegerField()
        happened_on = pw.DateField(null=True)
        text = pw.TextField()
        words = pw.TextField()
        name_words = pw.TextField(default="")

        class Meta:
            table_name = "search_entries"
            indexes = ((("kind", "row_id"), True), (("user", "happened_on"), False))

    return (SearchEntry,)


def _day(value):
    """A stored day or moment as a date (SQLite hands raw values back as text)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def _entry(kind, row):
    user, advisor, row_id, day, name, *texts = row
    texts = [text.strip() for text in texts if text and text.strip()]
    indexed = words(" ".join([name, *texts] if kind == "person" else texts))
    if not indexed:
        return None
    return {"user": user, "advisor": advisor, "kind": kind, "row_id": row_id,
            "happened_on": _day(day), "text": " · ".join(texts), "words": indexed,
            "name_words": "" if kind == "person" else words(name)}


def up(migrator, database):
    models = _models(database)
    (SearchEntry,) = models
    with database.bind_ctx(models):
        database.create_tables(models)
        statements = (POSTGRES_INDEX if isinstance(database, pw.PostgresqlDatabase)
                      else SQLITE_INDEX)
        for statement in statements:
            database.execute_sql(statement)
        for kind, select in SOURCES.items():
            cursor = database.execute_sql(select)
            while rows := cursor.fetchmany(BATCH):
                entries = [entry for entry in (_entry(kind, row) for row in rows) if entry]
                if entries:
                    SearchEntry.insert_many(entries).execute()


def down(migrator, database):
    if not isinstance(database, pw.PostgresqlDatabase):
        for name in ("insert", "delete", "update"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS search_entries_{name}")
        database.execute_sql("DROP TABLE IF EXISTS search_index")
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
