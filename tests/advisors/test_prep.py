"""The prep page: what to read before a conversation, on one screen."""
from datetime import timedelta

from advisory.models.gives import Give
from support import add_advisor, count_queries


def text(response):
    return response.get_data(as_text=True)


def test_the_prep_page_gathers_what_to_bring(session, user):
    today = user.today()
    dana = add_advisor(user, why="Navigating the reorg", agenda="Ask about the Q3 budget",
                       offer="Intros to designers")
    dana.log_contact(happened_on=today - timedelta(days=60), kind="call", thanked=True)
    dana.log_contact(happened_on=today - timedelta(days=30), kind="video", notes="Talked pricing")
    Give.record(dana, kind="article", note="Anchoring essay", given_on=today)
    page = text(session.get(f"/advisors/{dana.id}/prep"))
    for expected in ("Navigating the reorg", "Ask about the Q3 budget", "Talked pricing",
                     "Video", "Intros to designers", "Anchoring essay",
                     "1 conversation since you last thanked them"):
        assert expected in page


def test_a_new_advisor_prep_page_says_what_is_missing(session, user):
    dana = add_advisor(user)
    page = text(session.get(f"/advisors/{dana.id}/prep"))
    assert "No contact logged yet." in page and "Nothing on the agenda yet." in page


def test_another_accounts_prep_page_is_not_found(session, other):
    theirs = add_advisor(other, why="secret reasons")
    response = session.get(f"/advisors/{theirs.id}/prep")
    assert response.status_code == 404 and "secret reasons" not in text(response)


def test_the_prep_page_reads_a_fixed_number_of_queries(session, user):
    dana = add_advisor(user)
    session.get(f"/advisors/{dana.id}/prep")
    with count_queries() as few:
        session.get(f"/advisors/{dana.id}/prep")
    for days in range(1, 40):
        dana.log_contact(happened_on=user.today() - timedelta(days=days), kind="call")
        Give.record(dana, kind="other", note="", given_on=user.today())
    with count_queries() as many:
        assert session.get(f"/advisors/{dana.id}/prep").status_code == 200
    assert len(many) == len(few)


def test_spoke_today_offers_add_notes_for_that_very_contact(session, user):
    from advisory.models import Contact
    dana = add_advisor(user)
    response = session.post(f"/advisors/{dana.id}/spoke-today", follow_redirects=True)
    contact = Contact.get(Contact.advisor == dana.id)
    page = text(response)
    assert "Logged: call with Dana Reyes, today." in page
    assert f'href="/advisors/{dana.id}/contacts/{contact.id}/edit">Add notes</a>' in page


def test_the_due_card_links_to_the_prep_page(session, user):
    dana = add_advisor(user, added_on=user.today() - timedelta(days=60))
    assert f'href="/advisors/{dana.id}/prep">Prepare</a>' in text(session.get("/"))


def test_the_prep_page_lists_open_promises_both_ways_and_advice_to_report(session, user):
    from advisory.models import Advice, Promise
    today = user.today()
    dana = add_advisor(user)
    Promise.make(dana, text="Send the pricing deck", owed_by="me", due_on=today)
    Promise.make(dana, text="Intro to their CFO", owed_by="them")
    kept = Promise.make(dana, text="Read the memo", owed_by="me")
    kept.keep(today)
    anchoring = Advice.record(dana, text="Anchor high")
    anchoring.change(text="Anchor high", state="adopted", outcome="Closed at 20% more",
                     outcome_on=today)
    Advice.record(dana, text="Still to try")
    page = text(session.get(f"/advisors/{dana.id}/prep"))
    assert "You: Send the pricing deck · due today" in page
    assert "They: Intro to their CFO" in page
    assert "Read the memo" not in page and "Still to try" not in page
    assert "Anchor high: Closed at 20% more" in page
