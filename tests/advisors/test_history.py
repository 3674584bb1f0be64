"""Correcting the history: editing and deleting one logged contact."""
from datetime import timedelta

import pytest

from advisory.models import Advisor, Contact
from support import add_advisor, sign_in


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def dana(user):
    """Monthly, added long ago, with a call 40 days ago and one 10 days ago."""
    today = user.today()
    advisor = add_advisor(user, added_on=today - timedelta(days=400))
    for days in (40, 10):
        advisor.log_contact(happened_on=today - timedelta(days=days), kind="call")
    return Advisor.get_by_id(advisor.id)


def contact_on(advisor, days_ago):
    day = advisor.user.today() - timedelta(days=days_ago)
    return Contact.get(Contact.advisor == advisor.id, Contact.happened_on == day)


def test_each_contact_in_the_history_links_to_its_edit_page(session, dana):
    html = text(session.get(f"/advisors/{dana.id}"))
    for contact in Contact.select().where(Contact.advisor == dana.id):
        assert f'href="/advisors/{dana.id}/contacts/{contact.id}/edit"' in html
    assert "Undo the last log" not in html


def test_editing_a_contacts_date_moves_the_due_date(session, user, dana):
    latest = contact_on(dana, 10)
    before = Advisor.get_by_id(dana.id)
    moved = user.today() - timedelta(days=20)
    response = session.post(f"/advisors/{dana.id}/contacts/{latest.id}/edit", {
        "happened_on": str(moved), "kind": "video", "notes": "Lisbon plans", "thanked": "y"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#contact-history")
    saved = Contact.get_by_id(latest.id)
    assert (saved.happened_on, saved.kind, saved.notes, saved.thanked) == (
        moved, "video", "Lisbon plans", True)
    after = Advisor.get_by_id(dana.id)
    assert after.due_on(user.today()) == dana.cadence.after(moved)  # the due date came forward
    assert after.sequence > before.sequence  # the feed's event changed, SEQUENCE grows
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Lisbon plans" in page and "thanked them" in page


def test_a_contact_edited_into_a_message_no_longer_counts(session, user, dana):
    latest = contact_on(dana, 10)
    session.post(f"/advisors/{dana.id}/contacts/{latest.id}/edit", {
        "happened_on": str(latest.happened_on), "kind": "message"})
    after = Advisor.get_by_id(dana.id)
    assert after.last == user.today() - timedelta(days=40)


def test_bad_edit_says_what_to_fix_and_changes_nothing(session, user, dana):
    latest = contact_on(dana, 10)
    response = session.post(f"/advisors/{dana.id}/contacts/{latest.id}/edit", {
        "happened_on": str(user.today() + timedelta(days=3)), "kind": "call"})
    assert response.status_code == 422
    assert "That date is in the future" in text(response)
    assert Contact.get_by_id(latest.id).happened_on == latest.happened_on


def test_the_edit_page_shows_the_contact_as_stored(session, dana):
    latest = contact_on(dana, 10)
    html = text(session.get(f"/advisors/{dana.id}/contacts/{latest.id}/edit"))
    assert f'value="{latest.happened_on}"' in html
    assert "Yes, delete this contact" in html


def test_deleting_a_contact_recomputes_the_due_date(session, user, dana):
    latest = contact_on(dana, 10)
    before = Advisor.get_by_id(dana.id).sequence
    response = session.post(f"/advisors/{dana.id}/contacts/{latest.id}/delete")
    assert response.status_code == 303
    assert Contact.owned(dana, latest.id) is None  # in the trash (test_trash.py)
    after = Advisor.get_by_id(dana.id)
    assert after.last == user.today() - timedelta(days=40)
    assert after.due_on(user.today()) == dana.cadence.after(user.today() - timedelta(days=40))
    assert after.sequence > before
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Deleted the contact" in page
    assert 'History <span class="count">1</span>' in page


def test_another_accounts_contact_is_404(client, user, other, dana):
    latest = contact_on(dana, 10)
    theirs = add_advisor(other, "Grace's mentor")
    intruder = sign_in(client, other)
    for url in (f"/advisors/{dana.id}/contacts/{latest.id}/edit",
                f"/advisors/{theirs.id}/contacts/{latest.id}/edit"):
        assert intruder.get(url).status_code == 404
        assert intruder.post(url, {"happened_on": "2020-01-01", "kind": "call"}).status_code == 404
    assert intruder.post(f"/advisors/{theirs.id}/contacts/{latest.id}/delete").status_code == 404
    assert Contact.get_by_id(latest.id).happened_on == latest.happened_on


def test_a_contact_of_another_advisor_of_the_same_account_is_404(session, user, dana):
    latest = contact_on(dana, 10)
    omar = add_advisor(user, "Omar")
    assert session.get(f"/advisors/{omar.id}/contacts/{latest.id}/edit").status_code == 404
    assert session.post(f"/advisors/{omar.id}/contacts/{latest.id}/delete").status_code == 404
    assert Contact.select().where(Contact.id == latest.id).exists()


@pytest.mark.parametrize("contact_id", ["0", "99999999999999999999"])
def test_impossible_contact_ids_are_404(session, dana, contact_id):
    assert session.get(f"/advisors/{dana.id}/contacts/{contact_id}/edit").status_code == 404


def test_history_pages_bring_the_reader_to_the_top_of_the_history(session, user):
    advisor = add_advisor(user, added_on=user.today() - timedelta(days=400))
    for days in range(1, 25):
        advisor.log_contact(happened_on=user.today() - timedelta(days=days), kind="call")
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert f'href="/advisors/{advisor.id}?page=2#contact-history"' in html
