"""Search (/search, models/search.py): people and what was said, found with accents and
case folded and by the start of a word; current after every write; one account's words
never found by another; nothing in the trash found; any query answered."""
import re
from datetime import date

import pytest

from advisory.models import Advice, Advisor, Give, Goal, Introduction, Promise
from advisory.models.search import SearchEntry
from support import make_user, sign_in, sqlite_only


def text(response) -> str:
    return response.get_data(as_text=True)


def found(session, query: str) -> str:
    """The results page for `query` (asserting it answered), from <main> on."""
    response = session.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return text(response).split('id="main"', 1)[1]


def results(page: str) -> list[str]:
    """The links of the results, in order."""
    return re.findall(r'class="found-title" href="([^"]+)"', page)


@pytest.fixture
def emilie(app, user):
    with app.app_context():
        return Advisor.add(user, {"name": "Émilie Dubois", "role": "insight",
                                  "organisation": "Acme Négoce", "email": "emilie@acme.example",
                                  "why": "Knows how the reorg will land",
                                  "agenda": "Ask about the Lisbon office"})


def test_a_person_is_found_by_name_without_accents_or_case(session, emilie):
    for query in ("emilie", "EMILIE", "Émilie", "dubo", "negoce", "acme.example", "lisbon"):
        page = found(session, query)
        assert results(page) == [f"/advisors/{emilie.id}"], query
    page = found(session, "emilie")
    assert "<mark>Émilie</mark> Dubois" in page and "1 result for" in page


def test_what_was_said_is_found_by_the_start_of_a_word_newest_first(app, session, user, emilie):
    with app.app_context():
        emilie.log_contact(happened_on=date(2026, 3, 1), kind="call",
                           notes="Talked about the negotiation with Finance")
        emilie.log_contact(happened_on=date(2026, 5, 1), kind="video",
                           notes="Negotiating the reorg timeline")
        Promise.make(emilie, text="Send the negotiation deck", owed_by="me")
        Advice.record(emilie, text="Anchor high when you negotiate")
        goal = Goal.make(emilie, text="Negotiate a raise", created_on=date(2026, 1, 5))
        goal.note(note="Asked for a negotiation slot", noted_on=date(2026, 2, 1))
        Give.record(emilie, kind="article", note="A negotiation essay", given_on=date(2026, 4, 1))
        Introduction.record(emilie, direction="made", to_whom="Ana, a negotiator",
                            happened_on=date(2026, 4, 2), outcome="")
    page = found(session, "negot")
    links = results(page)
    assert len(links) == 8 and "What was said" in page
    assert links[0] in (f"/advisors/{emilie.id}#promises", f"/advisors/{emilie.id}#advice")
    assert f"/advisors/{emilie.id}#contact-history" in links
    anchors = {link.split("#")[1] for link in links}
    assert anchors == {"contact-history", "promises", "advice", "goals", "gives", "introductions"}
    assert "<mark>Negotiating</mark> the reorg timeline" in page
    # Every word must match: only the video call has both.
    both = found(session, "negot reorg")
    assert results(both) == [f"/advisors/{emilie.id}#contact-history"]
    assert "Conversation · Fri 1 May 2026" in both


@sqlite_only
def test_sqlite_reads_only_the_accounts_part_of_its_index(app, user, emilie):
    """The FTS5 match alone, before any filter by account, finds only this account's
    rows: each word is indexed under the account's id, so its cost follows the account."""
    from advisory.core import search
    with app.app_context():
        grace = make_user("grace@example.com")
        Advisor.add(grace, {"name": "Emilie Grace", "role": "insight"})
        database = app.config["DATABASE"]
        for account in (user, grace):
            rowids = [row[0] for row in database.execute_sql(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?",
                [search.fts5_match(account.id, ["emil"])])]
            owners = set(SearchEntry.select(SearchEntry.user)
                         .where(SearchEntry.id.in_(rowids)).scalars())
            assert len(rowids) == 1 and owners == {account.id}


def test_another_accounts_words_are_never_found(app, session, emilie):
    with app.app_context():
        grace = make_user("grace@example.com")
        omar = Advisor.add(grace, {"name": "Omar Emilie", "role": "insight"})
        omar.log_contact(happened_on=date(2026, 1, 1), kind="call", notes="secret merger")
    assert results(found(session, "emilie")) == [f"/advisors/{emilie.id}"]
    assert "Nothing found" in found(session, "merger")
    other = sign_in(app.test_client(), grace)
    assert results(found(other, "emilie")) == [f"/advisors/{omar.id}"]
    assert "Nothing found" in found(other, "lisbon")


def test_nothing_in_the_trash_is_found_until_it_comes_back(app, session, emilie):
    with app.app_context():
        contact = emilie.log_contact(happened_on=date(2026, 1, 1), kind="call",
                                     notes="the reorg rumours")
    session.post(f"/advisors/{emilie.id}/contacts/{contact.id}/delete")
    assert "Nothing found" in found(session, "rumour")
    session.post(f"/advisors/{emilie.id}/contacts/restore", {"contact": contact.id})
    assert len(results(found(session, "rumour"))) == 1
    session.post(f"/advisors/{emilie.id}/delete")
    assert "Nothing found" in found(session, "emilie")
    assert "Nothing found" in found(session, "rumour")
    session.post(f"/advisors/{emilie.id}/restore")
    assert len(results(found(session, "emilie rumour"))) == 1


def test_edits_and_deletes_show_at_once(app, session, user, emilie):
    with app.app_context():
        contact = emilie.log_contact(happened_on=date(2026, 1, 1), kind="call",
                                     notes="budget talk")
        promise = Promise.make(emilie, text="Send the budget", owed_by="me")
    session.post(f"/advisors/{emilie.id}/contacts/{contact.id}/edit", {
        "happened_on": "2026-01-01", "kind": "call", "notes": "hiring plans"})
    assert len(results(found(session, "budget"))) == 1  # the promise only
    assert len(results(found(session, "hiring"))) == 1
    session.post(f"/advisors/{emilie.id}/promises/{promise.id}/delete")
    assert "Nothing found" in found(session, "budget")
    with app.app_context():
        Advisor.get_by_id(emilie.id).update_details({"name": "Emily Dubois", "why": ""})
    assert "Nothing found" in found(session, "reorg")
    assert results(found(session, "emily hiring")) == [
        f"/advisors/{emilie.id}#contact-history"]  # what she said, by her new name


def test_any_query_gets_an_answer(session, emilie):
    for query in ('"', "*", "NEAR", "NEAR(", "-", "()", "(emilie", 'emilie"', "emilie*",
                  "AND OR NOT", "x" * 5000, "\0", "emi\0lie", "😀", "🙂 emilie",
                  "'; DROP TABLE users; --", "%", "_", "\\", "e:*", "a & b | !c", "{} ^",
                  "emilie:*", "!", "<script>alert(1)</script>"):
        page = found(session, query)
        assert "<script>alert" not in page
    assert results(found(session, "(emilie")) == [f"/advisors/{emilie.id}"]
    assert results(found(session, "🙂 emilie")) == [f"/advisors/{emilie.id}"]


def test_notes_holding_markup_show_as_text(app, session, emilie):
    with app.app_context():
        emilie.log_contact(happened_on=date(2026, 1, 1), kind="call",
                           notes='<img src=x onerror=alert(1)> the reorg plan')
    page = found(session, "reorg")
    assert "&lt;img src=x onerror=alert(1)&gt; the <mark>reorg</mark> plan" in page
    assert "<img src=x" not in page


def test_while_typing_the_results_come_as_a_partial(session, emilie):
    partial = session.get("/search?q=emil", headers={"HX-Request": "true",
                                                     "HX-Request-Type": "partial"})
    body = text(partial)
    assert partial.status_code == 200 and "HX-Request" in partial.headers["Vary"]
    assert body.lstrip().startswith('<div id="search-results"') and "<html" not in body
    assert "<mark>Émilie</mark>" in body
    whole = session.get("/search?q=emil")
    assert "<html" in text(whole) and 'id="search-results"' in text(whole)
    assert 'hx-get="/search"' in text(whole)


def test_the_box_is_on_the_due_list_and_the_board_and_the_page_explains_itself(session):
    for url in ("/", "/board"):
        page = text(session.get(url))
        assert 'class="search-box search-page"' in page and 'action="/search"' in page
    empty = found(session, "")
    assert "negot" in empty and "Nothing found" not in empty


def test_signed_out_search_asks_to_sign_in(client):
    response = client.get("/search?q=x")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_mentee_is_found_and_said_to_be_one(app, session, user):
    with app.app_context():
        sam = Advisor.add(user, {"name": "Sam Okafor", "role": "", "relation": "mentee",
                                 "ideal_next_step": "Lead the platform team"})
    page = found(session, "platform")
    assert results(page) == [f"/advisors/{sam.id}"] and "Mentee" in page


def test_people_come_first_by_name(app, session, user):
    with app.app_context():
        zoe = Advisor.add(user, {"name": "Zoe Acme", "role": "insight"})
        ann = Advisor.add(user, {"name": "Ann", "role": "expertise", "organisation": "Acme"})
        zoe.log_contact(happened_on=date(2026, 1, 1), kind="call", notes="acme news")
    assert results(found(session, "acme")) == [
        f"/advisors/{ann.id}", f"/advisors/{zoe.id}", f"/advisors/{zoe.id}#contact-history"]


def test_an_entry_per_row_and_none_for_empty_notes(app, user, emilie):
    with app.app_context():
        emilie.log_contact(happened_on=date(2026, 1, 1), kind="call")
        kinds = [e.kind for e in SearchEntry.select().where(SearchEntry.user == user.id)]
    assert kinds == ["person"]


def test_what_dana_said_about_the_reorg_in_one_search(app, session, user):
    with app.app_context():
        dana = Advisor.add(user, {"name": "Dana Reyes", "role": "insight"})
        sam = Advisor.add(user, {"name": "Sam Lee", "role": "expertise"})
        dana.log_contact(happened_on=date(2026, 2, 1), kind="call",
                         notes="Her view of the reorganisation: wait and see")
        dana.log_contact(happened_on=date(2026, 3, 1), kind="call", notes="Budget season")
        sam.log_contact(happened_on=date(2026, 3, 2), kind="call", notes="The reorg is good")
    page = found(session, "dana reorg")
    assert results(page) == [f"/advisors/{dana.id}#contact-history"]
    assert "<mark>reorganisation</mark>" in page and "<mark>Dana</mark> Reyes" in page
    # Her name alone finds her, not everything she said.
    assert results(found(session, "dana")) == [f"/advisors/{dana.id}"]


def test_a_restore_from_an_export_can_be_searched_at_once(app, user, emilie):
    from advisory.core.import_document import parse
    from advisory.data import export, importer
    with app.app_context():
        emilie.log_contact(happened_on=date(2026, 1, 1), kind="call", notes="the reorg plan")
        Goal.make(emilie, text="Negotiate a raise", created_on=date(2026, 1, 5))
        data = "".join(export.json_chunks(user)).encode()
        grace = make_user("grace@example.com")
        importer.restore(grace, parse(data))
        importer.restore(grace, parse(data))  # twice changes nothing
        theirs = [(h.kind, h.name) for h in SearchEntry.find(grace, "emilie")]
        reorg = sorted(h.kind for h in SearchEntry.find(grace, "reorg"))
        negot = [h.kind for h in SearchEntry.find(grace, "emilie negot")]
    assert theirs == [("person", "Émilie Dubois")]
    assert reorg == ["contact", "person"] and negot == ["goal"]


def test_a_hundred_results_at_most_and_a_word_more_narrows_them(app, session, emilie):
    with app.app_context():
        for day in range(1, 102):
            emilie.log_contact(happened_on=date.fromordinal(739000 + day),
                               kind="call", notes=f"reorg week {day}")
    page = found(session, "reorg week")
    assert len(results(page)) == 100 and "100+ results" in page
    assert "Showing the first 100. Add a word to narrow it down." in page
    assert len(results(found(session, "reorg week 101"))) == 1
