"""One account never sees or changes another's advisors or contacts."""
import io
from datetime import timedelta

import pytest

from advisory.core import photos
from advisory.models import (
    Advisor, BoardReview, Contact, FeedToken, Photo, ReviewDecision, YearlyDate,
)
from advisory.models.reviews import Decision
from support import add_advisor
from support.photos import image_bytes, phone_jpeg

GET_ROUTES = ["/advisors/{id}", "/advisors/{id}/edit", "/advisors/{id}/log", "/mentees/{id}/edit",
              "/advisors/{id}/introductions/new", "/advisors/{id}/close"]
POST_ROUTES = {
    "/advisors/{id}/edit": {"name": "Stolen", "role": "insight", "stage": "active", "cadence": "1m",
                            "meeting_kind": "call"},
    "/advisors/{id}/log": {"happened_on": "2026-01-01", "kind": "call"},
    "/advisors/{id}/spoke-today": {},
    "/advisors/{id}/undo": {},
    "/advisors/{id}/snooze": {"days": "7"},
    "/advisors/{id}/delete": {},
    "/mentees/{id}/edit": {"name": "Stolen", "stage": "active", "cadence": "1m",
                           "meeting_kind": "call"},
    "/advisors/{id}/introductions/new": {"direction": "made", "to_whom": "Me",
                                         "happened_on": "2026-01-01"},
    "/advisors/{id}/goals/new": {"text": "Stolen"},
    "/advisors/{id}/close": {"reason": "other", "thank": "thanked"},
    "/advisors/{id}/bring-back": {},
    "/advisors/{id}/dates/new": {"kind": "birthday", "day": "1", "month": "5"},
}


@pytest.fixture
def theirs(other):
    advisor = add_advisor(other, name="Private Person", notes="secret notes",
                          snoozed_until=None)
    advisor.log_contact(happened_on=other.today() - timedelta(days=3), kind="call",
                        notes="their conversation")
    return advisor


@pytest.mark.parametrize("route", GET_ROUTES)
def test_other_accounts_pages_are_404(session, theirs, route):
    response = session.get(route.format(id=theirs.id))
    assert response.status_code == 404
    assert "Private Person" not in response.get_data(as_text=True)


@pytest.mark.parametrize("route, data", POST_ROUTES.items())
def test_other_accounts_advisor_cannot_be_changed(session, theirs, route, data):
    before = Advisor.get_by_id(theirs.id)
    response = session.post(route.format(id=theirs.id), data)
    assert response.status_code == 404
    after = Advisor.get_by_id(theirs.id)
    assert (after.name, after.snoozed_until, after.sequence) == (before.name, before.snoozed_until, before.sequence)
    assert [c.notes for c in Contact.select()] == ["their conversation"]


def test_lists_show_only_own_advisors(session, user, theirs):
    add_advisor(user, name="My Mentor")
    for url in ("/", "/board"):
        html = session.get(url).get_data(as_text=True)
        assert "My Mentor" in html and "Private Person" not in html


def test_the_mentees_list_shows_only_own_mentees(session, user, other):
    add_advisor(user, name="My Mentee", role="", relation="mentee")
    add_advisor(other, name="Their Mentee", role="", relation="mentee")
    for url in ("/", "/mentees"):
        html = session.get(url).get_data(as_text=True)
        assert "My Mentee" in html and "Their Mentee" not in html


def test_another_accounts_review_is_404_and_a_review_never_touches_their_advisor(
        session, user, other, theirs):
    review = BoardReview.record(other, reviewed_on=other.today(), reflection="Their reflection",
                                decisions=[Decision(theirs.role, "keep", "about them", theirs)])
    assert session.get(f"/board/reviews/{review.id}").status_code == 404
    before = Advisor.get_by_id(theirs.id)
    response = session.post("/board/review", {f"decision-{theirs.id}": "pause",
                                              f"note-{theirs.id}": "stolen", "reflection": "Mine"})
    assert response.status_code == 303  # my own review, which knows nothing of theirs
    after = Advisor.get_by_id(theirs.id)
    assert (after.stage, after.sequence) == (before.stage, before.sequence)
    assert not ReviewDecision.select().where(ReviewDecision.advisor == theirs.id,
                                             ReviewDecision.review != review.id).exists()
    for url in ("/board/review", "/board/reviews", response.headers["Location"]):
        html = session.get(url).get_data(as_text=True)
        assert "Private Person" not in html and "Their reflection" not in html


def test_search_never_finds_another_accounts_people_or_words(session, user, other, theirs):
    Advisor.add(other, {"name": "Private Twin", "role": "insight", "why": "secret plans"})
    mine = Advisor.add(user, {"name": "My Mentor", "role": "insight"})
    mine.log_contact(happened_on=user.today(), kind="call", notes="my conversation")
    theirs_shown = ("Private Twin", "Private Person", "secret plans", "secret notes", "their")
    for query in ("private", "secret", "twin", "their", "conversation"):
        html = session.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert ("Nothing found" in html) == (query != "conversation")
        assert not [shown for shown in theirs_shown if f"{shown}</" in html or
                    f"<mark>{shown}" in html]
    html = session.get("/search?q=conversation").get_data(as_text=True)
    assert "my <mark>conversation</mark>" in html and "My Mentor" in html


def test_another_accounts_birthday_is_out_of_reach_and_out_of_sight(app, session, user, theirs):
    today = user.today()
    found = YearlyDate.make(theirs, kind="birthday", label="", month=today.month,
                            day=today.day, year=1980)
    mine = add_advisor(user, name="My Mentor")
    form = {"kind": "date", "label": "Stolen", "day": "1", "month": "5"}
    for url, data in ((f"/advisors/{theirs.id}/dates/{found.id}/edit", form),
                      (f"/advisors/{theirs.id}/dates/{found.id}/delete", {}),
                      (f"/advisors/{mine.id}/dates/{found.id}/edit", form),
                      (f"/advisors/{mine.id}/dates/{found.id}/delete", {})):
        assert session.post(url, data).status_code == 404
    assert session.get(f"/advisors/{mine.id}/dates/{found.id}/edit").status_code == 404
    assert [(d.person_id, d.label, d.year) for d in YearlyDate.select()] == [
        (theirs.id, "", 1980)]
    assert "Private Person" not in session.get("/").get_data(as_text=True)
    feed = app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics").data
    assert b"yearly-" not in feed and b"Private Person" not in feed


def test_another_accounts_photo_is_out_of_reach_and_out_of_sight(app, session, user, theirs):
    """Their photo (each size, any version) is 404, as are changing and removing it; my
    pages never show it; my photo never becomes theirs."""
    made = photos.renditions(phone_jpeg())
    Photo.put(theirs, made)
    mine = add_advisor(user, name="My Mentor")
    for size in ("small", "large"):
        url = f"/advisors/{theirs.id}/photo/{size}.webp"
        assert session.get(url, query_string={"v": made.digest}).status_code == 404
    assert session.get(f"/advisors/{theirs.id}/photo").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/photo/remove").status_code == 404
    stolen = session.post(f"/advisors/{theirs.id}/photo", content_type="multipart/form-data",
                          data={"photo": (io.BytesIO(image_bytes("PNG")), "p.png")})
    assert stolen.status_code == 404
    assert [(p.person_id, p.digest) for p in Photo.select()] == [(theirs.id, made.digest)]
    for url in ("/", "/board", f"/advisors/{mine.id}"):
        assert made.digest not in session.get(url).get_data(as_text=True)
