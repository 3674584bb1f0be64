"""The board review, the pure rules: when the next one is due, the period it looks back
over, and each member's numbers for that period (how often you met against the cadence,
thanks and gives). No Flask, no database.

When a review is due: one period (REVIEW_PERIODS: 3, 6 or 12 months) after the latest
review; before the first review, one period after the day the account's first advisor
still on the board was added, so a new board is first reviewed a quarter after it began
(and an account with nobody on it has nothing to review). "off" is never due, though a
review can still be made at any time.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from advisory.core.cadence import Cadence, add_months
from advisory.core.gratitude import Touch
from advisory.core.promises import when
from advisory.core.vocabulary import REVIEW_PERIODS, ROLES

DEFAULT_PERIOD = "quarterly"


def period_months(every: str) -> int:
    """The review period in months for a REVIEW_PERIODS key (0: off); an unknown key
    reads as the default, quarterly."""
    period = REVIEW_PERIODS.get(every) or REVIEW_PERIODS[DEFAULT_PERIOD]
    return period.months


def first_added(advisors) -> date | None:
    """The day the first of `advisors` still on the board was added (a mentee, with no
    role, does not count), or None: where reviews start before the first one."""
    return min((advisor.added_on for advisor in advisors if advisor.role in ROLES),
               default=None)


def next_due(every: str, last_review: date | None, first_added: date | None) -> date | None:
    """The day the next review is due, or None (reviews off, or nobody to review yet)."""
    months = period_months(every)
    start = last_review or first_added
    if not months or start is None:
        return None
    return add_months(start, months)


def period_start(every: str, last_review: date | None, today: date) -> date:
    """The first day a review looks back to: the latest review, or one period ago (a
    quarter when reviews are off)."""
    if last_review is not None:
        return last_review
    return add_months(today, -(period_months(every) or period_months(DEFAULT_PERIOD)))


def role_order(role: str) -> int:
    """A role's place in ROLES, for listing decisions the way the review walks them."""
    return list(ROLES).index(role) if role in ROLES else len(ROLES)


def _count(number: int) -> str:
    return {0: "not once", 1: "once", 2: "twice"}.get(number, f"{number} times")


class Attendance(NamedTuple):
    """How often you met a member over the period, against what their cadence asks."""
    met: int
    expected: int

    def words(self) -> str:
        """"Met 2 times, cadence expects 3"; "Met once; too soon for the cadence to
        expect a meeting" for someone added lately."""
        met = "Not met" if not self.met else f"Met {_count(self.met)}"
        if not self.expected:
            return f"{met}; too soon for the cadence to expect a meeting"
        return f"{met}, cadence expects {self.expected}"

    @property
    def short(self) -> bool:
        """Fewer meetings than the cadence asked for."""
        return self.met < self.expected


def expected_meetings(cadence: Cadence, start: date, today: date) -> int:
    """How many whole cadences fit between `start` and `today`: what the cadence asks.

    Computed, not stepped, so a review over decades on a daily cadence costs nothing."""
    if today <= start:
        return 0
    if cadence.unit == "months":
        months = (today.year - start.year) * 12 + today.month - start.month
        if add_months(start, months) > today:
            months -= 1
        return months // cadence.count
    step = cadence.count * (7 if cadence.unit == "weeks" else 1)
    return (today - start).days // step


def attendance(touches: Iterable[Touch], counting: Iterable[str], cadence: Cadence,
               start: date, today: date) -> Attendance:
    """Meetings (contacts of the `counting` kinds) from `start` to today, against the
    cadence over the same span."""
    kinds = set(counting)
    met = sum(1 for touch in touches if touch.kind in kinds and start <= touch.happened_on <= today)
    return Attendance(met, expected_meetings(cadence, start, today))


class Balance(NamedTuple):
    """Thanks and gives over the period."""
    thanks: int
    gives: int

    def words(self) -> str:
        """"Thanked twice, gave back once"; "Not thanked, nothing given back"."""
        thanked = f"Thanked {_count(self.thanks)}" if self.thanks else "Not thanked"
        gave = f"gave back {_count(self.gives)}" if self.gives else "nothing given back"
        return f"{thanked}, {gave}"


def balance(touches: Iterable[Touch], gives: Iterable[date], start: date,
            today: date) -> Balance:
    """Thanks (any contact marked thanked) and gives from `start` to today."""
    return Balance(sum(1 for t in touches if t.thanked and start <= t.happened_on <= today),
                   sum(1 for day in gives if start <= day <= today))


@dataclass(frozen=True)
class DueReview:
    """The board review as reminders mention it: due on `due`, done at `url`."""
    due: date
    url: str = ""

    def sentence(self, today: date) -> str:
        """"Your board review is due today", "Your board review, 3 days late"."""
        words = when(self.due, today)
        return (f"Your board review is {words}" if words.startswith("due")
                else f"Your board review, {words}")


def owed_now(review: "DueReview | None", today: date) -> "DueReview | None":
    """The review when it is due today or late (what reminders mention), else None."""
    return review if review is not None and review.due <= today else None


def due_within(due: date | None, today: date, window_days: int) -> bool:
    """Whether the due list shows the review: late, or due within the account's window."""
    return due is not None and due <= today + timedelta(days=window_days)
