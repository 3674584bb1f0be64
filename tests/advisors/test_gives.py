"""Giving back: recording, editing and deleting what you gave an advisor, with Undo."""
from datetime import timedelta

from advisory.models.gives import Give
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def test_a_give_recorded_shows_in_the_ledger(session, user):
    dana = add_advisor(user, offer="Intros to founders")
    day = user.today() - timedelta(days=3)
    response = session.post(f"/advisors/{dana.id}/gives/new", {
        "kind": "introduction", "note": "Met Ana from Lisbon", "given_on": str(day)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#gives")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Introduction: Met Ana from Lisbon" in page and "Intros to founders" in page


def test_a_give_in_the_future_or_too_long_is_refused_with_a_reason(session, user):
    dana = add_advisor(user)
    future = session.post(f"/advisors/{dana.id}/gives/new", {
        "kind": "article", "given_on": str(user.today() + timedelta(days=2))})
    assert future.status_code == 422 and "in the future" in text(future)
    long = session.post(f"/advisors/{dana.id}/gives/new", {
        "kind": "nonsense", "note": "x" * 501, "given_on": str(user.today())})
    assert long.status_code == 422 and "Pick what you gave." in text(long)
    assert Give.select().count() == 0


def test_editing_and_deleting_with_undo(session, user):
    dana = add_advisor(user)
    give = Give.record(dana, kind="article", note="Pricing essay", given_on=user.today())
    session.post(f"/advisors/{dana.id}/gives/{give.id}/edit", {
        "kind": "project", "note": "Reviewed the deck", "given_on": str(user.today())})
    assert (Give.get_by_id(give.id).kind, Give.get_by_id(give.id).note) == (
        "project", "Reviewed the deck")
    session.post(f"/advisors/{dana.id}/gives/{give.id}/delete")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert Give.select().count() == 0 and "Deleted what you gave" in page
    assert f'action="/advisors/{dana.id}/gives/new"' in page  # the Undo button
    session.post(f"/advisors/{dana.id}/gives/new", {
        "kind": "project", "note": "Reviewed the deck", "given_on": str(user.today())})
    assert [g.note for g in Give.select()] == ["Reviewed the deck"]


def test_another_accounts_gives_are_out_of_reach(session, user, other):
    theirs = add_advisor(other, name="Grace's mentor")
    give = Give.record(theirs, kind="other", note="secret", given_on=other.today())
    assert session.get(f"/advisors/{theirs.id}/gives/{give.id}/edit").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/gives/{give.id}/delete").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/gives/new", {
        "kind": "other", "given_on": str(user.today())}).status_code == 404
    mine = add_advisor(user)
    assert session.post(f"/advisors/{mine.id}/gives/{give.id}/delete").status_code == 404
    assert Give.get_by_id(give.id).note == "secret"


def test_the_advisor_page_says_where_thanks_stand(session, user):
    dana = add_advisor(user)
    for days in (30, 20, 10):
        dana.log_contact(happened_on=user.today() - timedelta(days=days), kind="call")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Never thanked, in 3 conversations." in page
    assert f'href="/advisors/{dana.id}/prep"' in page
