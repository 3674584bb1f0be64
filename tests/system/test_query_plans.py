"""A structural guard: the pages a person opens most read only their own account's rows,
through indexes. Each page's SQL is captured as it runs, and the database is asked how it
would run it (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL): a full pass over
`contacts`, `advisors`, `search_entries` or `yearly_dates` fails, since its cost grows
with every other account's data. (Search on SQLite also reads its FTS5 index only under the account's own
prefix: tests/search/test_search.py.)
"""
import json
import re
from datetime import timedelta

import pytest
from peewee import PostgresqlDatabase, fn

from advisory.models import Contact, FeedToken, YearlyDate
from support import add_advisor, make_user, sign_in, statements

GUARDED = {"contacts", "advisors", "search_entries", "yearly_dates"}


def sqlite_full_scans(database, sql: str, params) -> list[str]:
    """Plan rows that pass over a whole guarded table or one of its indexes.

    SQLite names a table by its alias ("t1"). SEARCH ... USING an index is a lookup;
    SCAN reads everything (with USING INDEX, every entry of that index instead), and so
    does a SEARCH with no index to use.
    """
    aliases = {alias: table for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', sql)}
    scans = []
    for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params):
        detail = row[-1]
        match = re.match(r"(SCAN|SEARCH) (\w+)", detail)
        if (match and aliases.get(match.group(2), match.group(2)) in GUARDED
                and (match.group(1) == "SCAN" or " USING " not in detail)):
            scans.append(detail)
    return scans


def postgres_full_scans(database, sql: str, params) -> list[str]:
    """Plan nodes that pass over a whole guarded table or index.

    The test tables are tiny, where a sequential scan is always cheapest, so sequential
    scans are priced out first: one that remains has no index to use instead.
    """
    cursor = database.cursor()
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Relation Name") not in GUARDED:
            continue
        kind = node["Node Type"]
        if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan")
                                  and "Index Cond" not in node):
            scans.append(f"{kind} on {node['Relation Name']}")
    return scans


def full_scans(database, captured) -> dict[str, list[str]]:
    """Each captured SELECT's full scans of contacts or advisors, by statement."""
    explain = (postgres_full_scans if isinstance(database, PostgresqlDatabase)
               else sqlite_full_scans)
    found = {}
    with database.atomic():  # SET LOCAL lasts until the end of this transaction
        for sql, params in captured:
            if sql.lstrip().upper().startswith("SELECT"):
                scans = explain(database, sql, params)
                if scans:
                    found[sql] = scans
    return found


@pytest.fixture
def board(app, client):
    """A signed-in account with a board and a history, beside another account's data."""
    user = make_user()
    advisors = []
    for owner in (user, make_user("grace@example.com")):
        for n in range(3):
            advisor = add_advisor(owner, name=f"Advisor {n}",
                                  added_on=owner.today() - timedelta(days=400))
            for days_ago in range(25, 0, -1):
                advisor.log_contact(happened_on=owner.today() - timedelta(days=days_ago * 9),
                                    kind="message" if days_ago % 4 == 0 else "call")
            YearlyDate.make(advisor, kind="birthday", label="", month=owner.today().month,
                            day=owner.today().day, year=None)
            advisors.append(advisor)
    return sign_in(client, user), user, advisors[0].id


def pages(app, session, user, advisor_id) -> dict:
    """Each page's statements, as it runs them."""
    feed = f"/feed/{FeedToken.current(user).token}.ics"
    captured = {}
    for name, fetch in {
        "due list": lambda: session.get("/"),
        "board": lambda: session.get("/board"),
        "advisor page": lambda: session.get(f"/advisors/{advisor_id}"),
        "advisor page, older history": lambda: session.get(f"/advisors/{advisor_id}?page=2"),
        "feed, full": lambda: app.test_client().get(feed),
        "search": lambda: session.get("/search?q=advisor"),
    }.items():
        with statements() as captured[name]:
            response = fetch()
        assert response.status_code == 200, name
    etag = app.test_client().get(feed).headers["ETag"]
    with statements() as captured["feed, 304"]:
        assert app.test_client().get(feed, headers={"If-None-Match": etag}).status_code == 304
    return captured


def test_pages_read_contacts_and_advisors_only_through_indexes(app, board):
    session, user, advisor_id = board
    problems = {}
    for name, captured in pages(app, session, user, advisor_id).items():
        assert any("advisors" in sql for sql, _ in captured), name  # the capture works
        for sql, scans in full_scans(app.config["DATABASE"], captured).items():
            problems.setdefault(name, []).append((scans, sql))
    assert not problems, "full scans:\n" + "\n".join(
        f"{name}: {scans}\n  {sql}" for name, found in problems.items() for scans, sql in found)


def test_the_guard_sees_a_full_scan(app, board):
    """Reading every account's latest contacts is caught, so a pass above means something."""
    everyones_latest = (Contact
                        .select(Contact.advisor, fn.MAX(Contact.happened_on))
                        .where(Contact.kind.in_(["call", "video"]))
                        .group_by(Contact.advisor))
    with statements() as captured:
        list(everyones_latest.tuples())
    assert list(full_scans(app.config["DATABASE"], captured)) == [captured[0][0]]
