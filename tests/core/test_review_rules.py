"""The board review's pure rules: when the next review is due, the period it looks back
over, and each member's numbers (advisory/core/reviews.py)."""
from datetime import date

import pytest

from advisory.core import reminders, reviews
from advisory.core.cadence import Cadence
from advisory.core.gratitude import Touch
from advisory.core.vocabulary import REVIEW_PERIODS

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("every, last, first, due", [
    ("quarterly", date(2026, 9, 6), date(2025, 1, 1), date(2026, 12, 6)),  # the latest review
    ("twice_yearly", date(2026, 9, 6), None, date(2027, 3, 6)),
    ("yearly", date(2026, 2, 28), None, date(2027, 2, 28)),
    ("quarterly", None, date(2026, 11, 30), date(2027, 2, 28)),  # a quarter after the first add, month end
    ("yearly", None, date(2024, 2, 29), date(2025, 2, 28)),  # leap day
    ("quarterly", None, None, None),  # nobody on the board: nothing to review
    ("off", date(2026, 9, 6), date(2025, 1, 1), None),
    ("weekly", date(2026, 9, 6), None, date(2026, 12, 6)),  # unknown: the default, quarterly
])
def test_next_due(every, last, first, due):
    assert reviews.next_due(every, last, first) == due


def test_every_period_but_off_comes_due_and_quarterly_is_first():
    assert list(REVIEW_PERIODS)[0] == reviews.DEFAULT_PERIOD == "quarterly"
    assert {key: p.months for key, p in REVIEW_PERIODS.items()} == {
        "quarterly": 3, "twice_yearly": 6, "yearly": 12, "off": 0}


def test_the_period_runs_from_the_last_review_or_one_period_back():
    assert reviews.period_start("yearly", date(2026, 5, 1), TODAY) == date(2026, 5, 1)
    assert reviews.period_start("yearly", None, TODAY) == date(2025, 12, 6)
    assert reviews.period_start("off", None, TODAY) == date(2026, 9, 6)  # a quarter


@pytest.mark.parametrize("cadence, start, expected", [
    (Cadence(1, "months"), date(2026, 9, 6), 3),
    (Cadence(1, "months"), date(2026, 9, 7), 2),  # one day short of the third month
    (Cadence(2, "weeks"), date(2026, 9, 6), 6),  # 91 days
    (Cadence(10, "days"), date(2026, 9, 6), 9),
    (Cadence(3, "months"), date(2026, 9, 6), 1),
    (Cadence(6, "months"), date(2026, 9, 6), 0),  # too soon for a twice-yearly cadence
    (Cadence(1, "months"), date(2026, 8, 31), 3),  # from a month end: 30 Nov counts
    (Cadence(1, "days"), date(1900, 1, 1), 46_360),  # computed, not stepped
    (Cadence(1, "months"), TODAY, 0),
])
def test_what_the_cadence_expects(cadence, start, expected):
    assert reviews.expected_meetings(cadence, start, TODAY) == expected


def test_attendance_counts_meetings_of_the_counting_kinds_in_the_period():
    touches = [Touch(date(2026, 11, 20), "call", False), Touch(date(2026, 10, 2), "in_person", True),
               Touch(date(2026, 11, 1), "message", False), Touch(date(2026, 8, 1), "call", False)]
    met = reviews.attendance(touches, ("call", "in_person", "video"), Cadence(1, "months"),
                             date(2026, 9, 6), TODAY)
    assert met == reviews.Attendance(2, 3) and met.short
    assert met.words() == "Met twice, cadence expects 3"
    with_messages = reviews.attendance(touches, ("call", "in_person", "video", "message"),
                                       Cadence(1, "months"), date(2026, 9, 6), TODAY)
    assert with_messages.words() == "Met 3 times, cadence expects 3" and not with_messages.short
    assert reviews.Attendance(0, 6).words() == "Not met, cadence expects 6"
    assert reviews.Attendance(1, 0).words() == "Met once; too soon for the cadence to expect a meeting"


def test_balance_of_thanks_and_gives_in_the_period():
    touches = [Touch(date(2026, 11, 20), "call", True), Touch(date(2026, 10, 2), "message", True),
               Touch(date(2026, 8, 1), "call", True)]
    gives = [date(2026, 12, 1), date(2026, 1, 1)]
    found = reviews.balance(touches, gives, date(2026, 9, 6), TODAY)
    assert found == reviews.Balance(2, 1)
    assert found.words() == "Thanked twice, gave back once"
    assert reviews.Balance(0, 0).words() == "Not thanked, nothing given back"


def test_a_review_due_today_or_late_is_what_reminders_mention():
    due = reviews.DueReview(date(2026, 12, 3), "/board/review")
    assert reviews.owed_now(due, TODAY) == due
    assert reviews.owed_now(reviews.DueReview(date(2026, 12, 7)), TODAY) is None
    assert reviews.owed_now(None, TODAY) is None
    assert due.sentence(TODAY) == "Your board review, 3 days late"
    assert reviews.DueReview(TODAY).sentence(TODAY) == "Your board review is due today"
    assert reviews.due_within(date(2026, 12, 13), TODAY, 7)
    assert not reviews.due_within(date(2026, 12, 14), TODAY, 7)
    assert not reviews.due_within(None, TODAY, 7)


def test_the_notification_and_digest_carry_the_review():
    """Alone, it makes the message (opening the review); with others, it ends it."""
    review = reviews.DueReview(TODAY, "/board/review")
    alone = reminders.notification([], TODAY, 1, "k", review=review)
    assert (alone["title"], alone["body"], alone["url"]) == (
        "Board review due", "Your board review is due today.", "/board/review")
    assert alone["count"] == 0 and alone["advisors"] == []
    assert reminders.notification([], TODAY, 1, "k",
                                  review=reviews.DueReview(date(2026, 12, 9))) is None
    content = reminders.digest([], TODAY, review=review)
    assert not content.empty and content.review == review
    assert reminders.digest_subject(content) == "Your board of advisors: board review due"
    assert reminders.digest([], TODAY, review=reviews.DueReview(date(2026, 12, 9))).empty
