"""Search: one row per searchable thing (a person, or something said: a conversation's
notes, a promise, advice, a goal or its progress, a give, an introduction), kept current
by the writes that change its text, in their own transaction, and read by one method,
SearchEntry.find(), whichever database holds it.

Both databases index `words`, the folded words core/search.py makes, and `name_words`,
those of the person something was said by (so "dana reorg" finds what Dana said about
the reorg; core.search.fts5_match says how):
- SQLite: an FTS5 table over them. FTS5 cannot be partitioned by account, so each word
  goes into it prefixed by the account's id ("7_negotiation"): a search for "negot"
  looks up the prefix "7_negot", and reads only that account's part of the index.
- PostgreSQL: a generated `tsvector` column (the name's words weighted A) with a GIN
  index, beside the (user, happened_on) index that keeps a search within the account.

A person in the trash keeps their entries, unseen (find() joins their row); a contact in
the trash on its own loses its entry and gets it back when restored.
"""
from datetime import datetime

from peewee import (
    SQL, CharField, DateField, ForeignKeyField, IntegerField, PostgresqlDatabase, Proxy,
    TextField,
)

from advisory.core import search
from advisory.database import db
from advisory.models.accounts import User
from advisory.models.advisors import Advisor

LIMIT = 100  # results shown; more than this asks for another word
# A person's own words, as searched; the name comes first.
PERSON_FIELDS = ("name", "organisation", "email", "why", "offer", "agenda", "notes",
                 "ideal_next_step", "strengths", "introductions_to_make", "lesson")

# What goes in and out of SQLite's index: each word after the account's id, made by one
# expression, so a delete takes out exactly what the insert put in.
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


def engine(database):
    """The database behind FlaskDB's proxy (or a bound one)."""
    return database.obj if isinstance(database, Proxy) else database


def full_text_index(database) -> tuple[str, ...]:
    """The statements that give search_entries its engine's full-text index."""
    return POSTGRES_INDEX if isinstance(engine(database), PostgresqlDatabase) else SQLITE_INDEX


class SearchEntry(db.Model):
    user = ForeignKeyField(User, on_delete="CASCADE", index=False)  # (user, happened_on)
    advisor = ForeignKeyField(Advisor, on_delete="CASCADE", index=True)
    kind = CharField(max_length=20)  # "person", or what was said (a key of _sources())
    row_id = IntegerField()  # the person's, contact's, promise's... id
    happened_on = DateField(null=True)
    text = TextField()  # as shown on a result (a person's: all but the name)
    words = TextField()  # core.search.words() of the text and, for a person, the name
    name_words = TextField(default="")  # of the person something was said by

    class Meta:
        table_name = "search_entries"
        indexes = ((("kind", "row_id"), True), (("user", "happened_on"), False))

    @classmethod
    def create_table(cls, safe=True, **options):
        """The table and its engine's full-text index (the migration makes the same)."""
        super().create_table(safe=safe, **options)
        for statement in full_text_index(cls._meta.database):
            cls._meta.database.execute_sql(statement)

    @classmethod
    def find(cls, user: User, query: str) -> list[search.Hit]:
        """This account's entries matching every word of `query` as the start of a word
        (of the entry's own, or of the name of the person it was said by), people first
        (by name), then what was said, newest first; at most LIMIT + 1 (one more tells the
        page there are more). No words, no results."""
        wanted = search.terms(query)
        if not wanted:
            return []
        found = (cls
                 .select(cls.kind, cls.row_id, cls.advisor, Advisor.name, Advisor.relation,
                         cls.happened_on, cls.text)
                 .join(Advisor)
                 .where(cls.user == user.id, Advisor.deleted_at.is_null(), matching(wanted,
                                                                                  user.id))
                 .order_by(SQL("kind <> 'person'"), cls.happened_on.desc(nulls="LAST"),
                           cls.id.desc())
                 .limit(LIMIT + 1))
        hits = [search.Hit(kind, row_id, advisor_id, name, relation == "mentee", day, text)
                for kind, row_id, advisor_id, name, relation, day, text in found.tuples()]
        people = sorted((h for h in hits if h.kind == "person"), key=lambda h: h.name.lower())
        return people + [h for h in hits if h.kind != "person"]


def matching(wanted: list[str], account: int):
    """The condition an entry of `account` meets when it holds every wanted term."""
    if isinstance(engine(db.database), PostgresqlDatabase):
        return SQL("document @@ to_tsquery('simple', %s)"
                   " AND document @@ to_tsquery('simple', %s)", search.tsqueries(wanted))
    return SearchEntry.id.in_(SQL("(SELECT rowid FROM search_index WHERE search_index MATCH ?)",
                                  [search.fts5_match(account, wanted)]))


def _sources() -> dict:
    """kind -> (a query of user, advisor, row id, day, the person's name, texts...; its
    row id field; its advisor field). Imported here: these models import Advisor, whose
    writes call us."""
    from advisory.models.contacts import Contact
    from advisory.models.gives import Give
    from advisory.models.goals import Goal, GoalNote
    from advisory.models.introductions import Introduction
    from advisory.models.promises import Advice, Promise
    person = [getattr(Advisor, name) for name in PERSON_FIELDS]
    return {
        "person": (Advisor.select(Advisor.user, Advisor.id, Advisor.id, Advisor.added_on,
                                  *person), Advisor.id, Advisor.id),
        "contact": (Contact.select(Advisor.user, Contact.advisor, Contact.id,
                                   Contact.happened_on, Advisor.name, Contact.notes)
                    .join(Advisor).where(Contact.deleted_at.is_null()),
                    Contact.id, Contact.advisor),
        "promise": (Promise.select(Promise.user, Promise.advisor, Promise.id,
                                   Promise.created_at, Advisor.name, Promise.text)
                    .join(Advisor), Promise.id, Promise.advisor),
        "advice": (Advice.select(Advice.user, Advice.advisor, Advice.id, Advice.created_at,
                                 Advisor.name, Advice.text, Advice.outcome)
                   .join(Advisor), Advice.id, Advice.advisor),
        "goal": (Goal.select(Goal.user, Goal.advisor, Goal.id, Goal.created_on, Advisor.name,
                             Goal.text).join(Advisor), Goal.id, Goal.advisor),
        "goal_note": (GoalNote.select(Goal.user, Goal.advisor, GoalNote.id, GoalNote.noted_on,
                                      Advisor.name, GoalNote.note).join(Goal).join(Advisor),
                      GoalNote.id, Goal.advisor),
        "give": (Give.select(Give.user, Give.advisor, Give.id, Give.given_on, Advisor.name,
                             Give.note).join(Advisor), Give.id, Give.advisor),
        "introduction": (Introduction.select(Introduction.user, Introduction.person,
                                             Introduction.id, Introduction.happened_on,
                                             Advisor.name, Introduction.to_whom,
                                             Introduction.outcome)
                         .join(Advisor, on=Introduction.person == Advisor.id),
                         Introduction.id, Introduction.person),
    }


def _entry(kind: str, row: tuple) -> dict | None:
    """An entry's columns from a source row, or None when it has nothing to find."""
    user, advisor, row_id, day, name, *texts = row
    texts = [text.strip() for text in texts if text and text.strip()]
    indexed = search.words(" ".join([name, *texts] if kind == "person" else texts))
    if not indexed:
        return None
    return {"user": user, "advisor": advisor, "kind": kind, "row_id": row_id,
            "happened_on": day.date() if isinstance(day, datetime) else day,
            "text": " · ".join(texts), "words": indexed,
            "name_words": "" if kind == "person" else search.words(name)}


def refresh(kind: str, row_id: int) -> None:
    """Bring one entry up to date with its row: written, changed, or gone (deleted, in
    the trash, or emptied). Call it in the transaction that changed the row."""
    query, row_field, _ = _sources()[kind]
    row = query.where(row_field == row_id).tuples().first()
    entry = _entry(kind, row) if row else None
    if entry is None:
        drop(kind, row_id)
        return
    (SearchEntry
     .insert(entry)
     .on_conflict(conflict_target=[SearchEntry.kind, SearchEntry.row_id],
                  update={SearchEntry.happened_on: entry["happened_on"],
                          SearchEntry.text: entry["text"], SearchEntry.words: entry["words"],
                          SearchEntry.name_words: entry["name_words"]})
     .execute())


def person_changed(advisor_id: int, columns: dict) -> None:
    """After an advisor's write: their entry again, if the write touched what is searched."""
    names = {getattr(field, "name", field) for field in columns}
    if names & set(PERSON_FIELDS):
        refresh("person", advisor_id)
    if "name" in names:  # what was said by them is found by their name too
        name = Advisor.select(Advisor.name).where(Advisor.id == advisor_id).scalar()
        (SearchEntry
         .update(name_words=search.words(name or ""))
         .where(SearchEntry.advisor == advisor_id, SearchEntry.kind != "person")
         .execute())


def drop(kind: str, row_ids) -> None:
    """Forget the entries of these rows (an id, or a query of ids) once they are deleted."""
    ids = row_ids if hasattr(row_ids, "sql") else [row_ids]
    SearchEntry.delete().where(SearchEntry.kind == kind, SearchEntry.row_id.in_(ids)).execute()


def reindex(advisor_ids: list[int]) -> None:
    """Build these advisors' entries afresh from everything they hold (after a restore
    from an export, which adds rows in bulk)."""
    for start in range(0, len(advisor_ids), 400):
        part = advisor_ids[start:start + 400]
        SearchEntry.delete().where(SearchEntry.advisor.in_(part)).execute()
        for kind, (query, _, advisor_field) in _sources().items():
            rows = [_entry(kind, row) for row in query.where(advisor_field.in_(part)).tuples()]
            rows = [row for row in rows if row]
            for first in range(0, len(rows), 400):
                SearchEntry.insert_many(rows[first:first + 400]).execute()

