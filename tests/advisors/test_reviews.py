"""The board review over HTTP: the page walks the roles with each member's numbers and
goals, saving keeps the review and applies its cadences and pauses, past reviews read
newest first, the due list shows it when due, and another account's review is a 404
(advisory/advisors/reviews.py, models/reviews.py)."""
from datetime import timedelta

from advisory.core.cadence import Cadence, add_months
from advisory.models import Advisor, BoardReview, Give, Goal, ReviewDecision, User
from advisory.core.vocabulary import ROLES
from advisory.database import utcnow
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def board(user):
    """Dana (insight, monthly, met twice this quarter, thanked once, one open goal), Omar
    (expertise, every 2 weeks), Lena (wisdom, paused): perspective and balance are empty."""
    today = user.today()
    dana = add_advisor(user, name="Dana Reyes", role="insight",
                       added_on=add_months(today, -8))
    omar = add_advisor(user, name="Omar Haddad", role="expertise", cadence_count=2,
                       cadence_unit="weeks", added_on=add_months(today, -8))
    lena = add_advisor(user, name="Lena Park", role="wisdom", stage="paused",
                       added_on=add_months(today, -8))
    dana.log_contact(happened_on=today - timedelta(days=10), kind="call", thanked=True)
    dana.log_contact(happened_on=today - timedelta(days=40), kind="in_person")
    dana.log_contact(happened_on=today - timedelta(days=200), kind="call")  # before the period
    Give.record(dana, kind="article", note="An essay", given_on=today - timedelta(days=5))
    Goal.make(dana, text="Negotiate the director offer", created_on=today)
    return dana, omar, lena


def test_the_review_walks_each_role_with_its_numbers(session, user):
    dana, omar, lena = board(user)
    page = text(session.get("/board/review"))
    for role in ("Organizational insight", "Specific expertise", "Unique perspective",
                 "Business wisdom", "Work/life balance"):
        assert role in page
    assert "Met twice, cadence expects 3" in page  # monthly, over the last quarter
    assert "Not met, cadence expects 6" in page  # Omar, every 2 weeks
    assert "Thanked once, gave back once" in page
    assert "Goal: Negotiate the director offer" in page
    assert f'name="decision-{dana.id}"' in page and f'name="decision-{omar.id}"' in page
    assert f'name="decision-{lena.id}"' not in page and "On pause:" in page  # paused: named only
    assert 'name="recruit-perspective"' in page and 'name="recruit-balance"' in page
    assert "/advisors/new?role=perspective" in page
    assert "your first review" in page


def test_saving_keeps_the_review_and_applies_cadence_and_pause_at_once(session, user):
    dana, omar, _ = board(user)
    before = Advisor.get_by_id(dana.id).sequence
    response = session.post("/board/review", {
        f"decision-{dana.id}": "cadence:6w", f"note-{dana.id}": "Less often, deeper",
        f"decision-{omar.id}": "pause", f"note-{omar.id}": "He is on leave",
        "recruit-perspective": "y", "role_note-perspective": "Ask a customer",
        "reflection": "A quarter of changes."})
    assert response.status_code == 303
    review = BoardReview.get()
    assert response.headers["Location"].endswith(f"/board/reviews/{review.id}")
    assert review.reviewed_on == user.today() and review.reflection == "A quarter of changes."
    saved_dana, saved_omar = Advisor.get_by_id(dana.id), Advisor.get_by_id(omar.id)
    assert saved_dana.cadence == Cadence(6, "weeks") and saved_dana.sequence > before
    assert (saved_omar.stage, saved_omar.paused_until) == ("paused", None)
    rows = {(d.name, d.role, d.decision, d.cadence_count, d.cadence_unit, d.note)
            for d in ReviewDecision.select()}
    assert rows == {("Dana Reyes", "insight", "cadence", 6, "weeks", "Less often, deeper"),
                    ("Omar Haddad", "expertise", "pause", None, None, "He is on leave"),
                    ("", "perspective", "recruit", None, None, "Ask a customer"),
                    ("", "balance", "keep", None, None, ""),
                    ("", "wisdom", "keep", None, None, "")}  # Lena is paused: nobody active

    detail = text(session.get(response.headers["Location"]))
    assert "New cadence: Every 6 weeks" in detail and "He is on leave" in detail
    assert "A quarter of changes." in detail and "Left empty for now" in detail
    assert "/advisors/new?role=perspective" in detail
    assert "Every 6 weeks" in text(session.get(f"/advisors/{dana.id}"))


def test_bring_to_a_close_is_recorded_and_links_to_the_close_page(app, session, user):
    dana, omar, _ = board(user)
    session.post("/board/review", {f"decision-{dana.id}": "close", f"decision-{omar.id}": "keep"})
    detail = text(session.get(f"/board/reviews/{BoardReview.get().id}"))
    assert "Bring to a close" in detail
    close_page = f"/advisors/{dana.id}/close" if "closing.close" in app.view_functions \
        else f"/advisors/{dana.id}"  # a build without the close page: the member's page
    assert f'href="{close_page}">Close it well' in detail
    assert Advisor.get_by_id(dana.id).stage == "active"  # the close page does the closing
    Advisor.update(stage="alumni").where(Advisor.id == dana.id).execute()
    assert "now among your alumni" in text(session.get(f"/board/reviews/{BoardReview.get().id}"))


def test_a_refused_review_says_what_to_fix_and_saves_nothing(session, user):
    dana, omar, _ = board(user)
    response = session.post("/board/review", {
        f"decision-{dana.id}": "cadence:5y", f"note-{omar.id}": "x" * 1001,
        "reflection": "Kept\x00"})
    page = text(response)
    assert response.status_code == 422
    assert "Please fix these" in page and "Pick one of the listed options." in page
    assert "Use at most 1000 characters." in page and "cannot be saved" in page
    assert BoardReview.select().count() == 0
    assert Advisor.get_by_id(dana.id).cadence == Cadence(1, "months")


def test_past_reviews_read_newest_first(session, user):
    board(user)
    older = BoardReview.create(user=user, reviewed_on=user.today() - timedelta(days=95),
                               reflection="The first look")
    session.post("/board/review", {"reflection": "The second look"})
    page = text(session.get("/board/reviews"))
    assert page.index("The second look") < page.index("The first look")
    assert f"/board/reviews/{older.id}" in page
    assert "Your next review is due in 3 months" in page


def test_another_accounts_review_is_a_404(app, session, user, other):
    theirs = BoardReview.create(user=other, reviewed_on=other.today(), reflection="Private")
    assert session.get(f"/board/reviews/{theirs.id}").status_code == 404
    assert session.get("/board/reviews/99999999999999999999999").status_code == 404
    assert "Private" not in text(session.get("/board/reviews"))


def test_a_member_deleted_meanwhile_stops_the_save_and_keeps_what_was_typed(
        session, user, monkeypatch):
    dana, omar, _ = board(user)
    read = Advisor.listed

    def read_then_deleted(account):  # another device deletes Dana just after the read
        found = read(account)
        Advisor.update(deleted_at=utcnow()).where(Advisor.id == dana.id).execute()
        return found

    monkeypatch.setattr(Advisor, "listed", staticmethod(read_then_deleted))
    response = session.post("/board/review", {
        f"decision-{dana.id}": "pause", f"decision-{omar.id}": "cadence:1m",
        "reflection": "Typed with care"})
    page = text(response)
    assert response.status_code == 409 and "deleted on another device" in page
    assert "Typed with care" in page and "Dana Reyes" not in page
    assert BoardReview.select().count() == 0 and ReviewDecision.select().count() == 0
    assert Advisor.get_by_id(omar.id).cadence == Cadence(2, "weeks")


def test_the_review_comes_due_on_the_due_list_within_the_window(session, user):
    dana, _, _ = board(user)  # first advisor added 8 months ago: the review is late
    page = text(session.get("/"))
    assert "Board review due" in page and 'href="/board/review"' in page
    session.post("/board/review", {})
    assert "Board review due" not in text(session.get("/"))
    User.update(review_every="off").execute()
    BoardReview.delete().execute()
    assert "Board review due" not in text(session.get("/"))


def test_settings_choose_how_often(session, user):
    page = text(session.get("/settings"))
    assert 'name="review_every"' in page and "Every quarter" in page
    settings = {"timezone": "UTC", "due_soon_days": "7",
                **{key: role.default_cadence for key, role in ROLES.items()}}
    response = session.post("/settings", {**settings, "review_every": "yearly"})
    assert response.status_code == 303
    assert User.get_by_id(user.id).review_every == "yearly"
    session.post("/settings", settings)  # an older page without the field keeps the choice
    refused = session.post("/settings", {**settings, "review_every": "weekly"})
    assert refused.status_code == 422 and "Pick how often to review." in text(refused)
    assert User.get_by_id(user.id).review_every == "yearly"


def test_the_board_page_leads_to_the_review_and_past_reviews(session, user):
    page = text(session.get("/board"))
    assert 'href="/board/review">Review your board' in page
    assert 'href="/board/reviews">Past reviews' in page
