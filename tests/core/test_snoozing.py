"""The snooze choices and the rule that a snooze never brings a reminder earlier."""
from datetime import date

import pytest

from advisory.core import snoozing
from advisory.core.cadence import Cadence

TODAY = date(2026, 11, 24)


def test_someone_not_yet_due_is_snoozed_past_their_due_date():
    due = date(2027, 1, 24)  # two months ahead
    choices = snoozing.choices(due, TODAY, Cadence(2, "months"))
    assert [(c.label, c.until) for c in choices] == [
        ("Skip this time", date(2027, 3, 24)),
        ("1 week later", date(2027, 1, 31)),
        ("2 weeks later", date(2027, 2, 7))]
    assert all(choice.until > due for choice in choices)


@pytest.mark.parametrize("due", [TODAY, date(2026, 10, 1)])
def test_someone_due_or_overdue_is_snoozed_from_today(due):
    choices = snoozing.choices(due, TODAY, Cadence(1, "months"))
    assert [(c.label, c.until) for c in choices] == [
        ("Tomorrow", date(2026, 11, 25)), ("3 days", date(2026, 11, 27)),
        ("1 week", date(2026, 12, 1)), ("2 weeks", date(2026, 12, 8))]


def test_days_count_from_the_due_date_or_today_whichever_is_later():
    assert snoozing.until(date(2027, 1, 24), TODAY, 7) == date(2027, 1, 31)
    assert snoozing.until(date(2026, 1, 1), TODAY, 7) == date(2026, 12, 1)


@pytest.mark.parametrize("chosen, due, problem", [
    (date(2026, 12, 1), date(2027, 1, 24), "after 24 Jan 2027"),  # earlier than due
    (date(2027, 1, 24), date(2027, 1, 24), "after 24 Jan 2027"),  # no change
    (TODAY, date(2026, 1, 1), "after 24 Nov 2026"),
    (date(2028, 1, 25), date(2027, 1, 24), "within a year"),
    (date(2027, 1, 25), date(2027, 1, 24), None),
    (date(2026, 11, 25), date(2026, 1, 1), None),
])
def test_a_chosen_date_must_lie_after_the_due_date(chosen, due, problem):
    found = snoozing.problem(chosen, due, TODAY)
    assert (found is None) if problem is None else (problem in found)
