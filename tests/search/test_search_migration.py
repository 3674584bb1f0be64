"""Migration 0019 fills the search from what is already stored: people, their notes,
promises, advice, goals and progress, gives and introductions; a contact in the trash
stays out."""
from datetime import date

from advisory import migrations
from advisory.models import Advice, Advisor, Give, Goal, Introduction, Promise
from advisory.models.search import SearchEntry


def test_upgrading_fills_the_search_from_existing_rows(app, user):
    database = app.config["DATABASE"]
    with app.app_context():
        dana = Advisor.add(user, {"name": "Dana Réyes", "role": "insight", "why": "Reorg"})
        dana.log_contact(happened_on=date(2026, 1, 2), kind="call", notes="Negotiation tips")
        binned = dana.log_contact(happened_on=date(2026, 1, 3), kind="call", notes="Binned")
        dana.delete_contact(binned.id)
        Promise.make(dana, text="Send the deck", owed_by="me")
        Advice.record(dana, text="Anchor high")
        Goal.make(dana, text="A raise", created_on=date(2026, 1, 4)).note(
            note="Asked", noted_on=date(2026, 1, 5))
        Give.record(dana, kind="article", note="An essay", given_on=date(2026, 1, 6))
        Introduction.record(dana, direction="made", to_whom="Ana", happened_on=date(2026, 1, 7))
        before = sorted(SearchEntry.select(SearchEntry.kind, SearchEntry.row_id,
                                           SearchEntry.text, SearchEntry.words,
                                           SearchEntry.name_words).tuples())
    reverted = []
    while "0019_search" not in reverted:
        reverted += migrations.downgrade(database, steps=1)
    assert "search_entries" not in database.get_tables()
    assert migrations.upgrade(database) == reverted[::-1]
    with app.app_context():
        after = sorted(SearchEntry.select(SearchEntry.kind, SearchEntry.row_id,
                                          SearchEntry.text, SearchEntry.words,
                                          SearchEntry.name_words).tuples())
        found = [hit.kind for hit in SearchEntry.find(user, "reyes negot")]
    assert after == before and len(after) == 8
    assert "contact" in [kind for kind, *_ in after] and "Binned" not in str(after)
    assert found == ["contact"]
