"""The pure rules of promises and advice (advisory/core/promises.py)."""
from datetime import date

from advisory.core.promises import promise_status, to_report, when

TODAY = date(2026, 3, 10)


def test_a_promise_is_late_due_soon_or_not_yet():
    assert promise_status(date(2026, 3, 9), None, TODAY, 7) == "late"
    assert promise_status(TODAY, None, TODAY, 7) == "due"
    assert promise_status(date(2026, 3, 17), None, TODAY, 7) == "soon"
    assert promise_status(date(2026, 3, 18), None, TODAY, 7) is None
    assert promise_status(None, None, TODAY, 7) is None
    assert promise_status(date(2026, 3, 9), TODAY, TODAY, 7) is None  # kept


def test_advice_is_reported_once_tried_until_told():
    assert not to_report("to_try", None)
    assert all(to_report(state, None) for state in ("trying", "adopted", "set_aside"))
    assert not to_report("adopted", TODAY)


def test_a_promise_date_in_words():
    assert when(TODAY, TODAY) == "due today"
    assert when(date(2026, 3, 11), TODAY) == "due tomorrow"
    assert when(date(2026, 3, 9), TODAY) == "1 day late"
    assert when(date(2026, 3, 7), TODAY) == "3 days late"
    assert when(date(2026, 3, 20), TODAY) == "due 20 Mar"
