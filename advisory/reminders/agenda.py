"""What an account's reminders say on a day, read for a whole batch of accounts at once.

Every channel's message (the digest, a push notification, an Apprise message) is about the
same things: who is due, my promises due today or late, the board review once due, and
the birthdays and yearly dates falling that day.
The dispatcher reads them for each batch of deliveries it claimed, in one query per kind
for the whole batch, not a few queries per message: in a wave of 100,000 digests that was
most of the database's work.
"""
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from advisory.core import due_list, reviews, yearly
from advisory.core.promises import DuePromise
from advisory.models import Advisor, BoardReview, Promise, User, YearlyDate


@dataclass(frozen=True)
class Agenda:
    """One account's reminder content on `today`."""
    today: date
    cards: list  # core.due_list cards: everyone listed with when they are due
    promises: list[DuePromise]  # mine due today or late
    review_due: date | None  # when the board review is due
    dates: list[yearly.Upcoming] = field(default_factory=list)  # birthdays and dates today

    def review(self, url: str) -> reviews.DueReview | None:
        """The board review, done at `url`, when due today or late."""
        if self.review_due is None:
            return None
        return reviews.owed_now(reviews.DueReview(self.review_due, url), self.today)


class Agendas:
    """The agendas of a batch of accounts: `agendas(user, today)` is one account's.

    Each kind is read on first use, for every account of the batch at once; an account
    with several deliveries (a digest and two devices) gets its agenda made once.
    """

    def __init__(self, users: list[User]):
        self.users = list({user.id: user for user in users}.values())
        self.ids = [user.id for user in self.users]
        self.made: dict[tuple[int, date], Agenda] = {}

    @cached_property
    def _advisors(self) -> dict[int, list[Advisor]]:
        return Advisor.listed_by_account(self.users)

    @cached_property
    def _promises(self) -> dict[int, list[DuePromise]]:
        return Promise.dated_by_account(self.ids)

    @cached_property
    def _dates(self) -> dict[int, list[YearlyDate]]:
        return YearlyDate.by_account(self.ids)

    @cached_property
    def _reviewed(self) -> dict[int, date]:
        return BoardReview.last_reviewed(self.ids)

    def __call__(self, user: User, today: date) -> Agenda:
        if (user.id, today) not in self.made:
            self.made[user.id, today] = self._agenda(user, today)
        return self.made[user.id, today]

    def _agenda(self, user: User, today: date) -> Agenda:
        advisors = self._advisors.get(user.id, [])
        return Agenda(
            today=today,
            cards=due_list.cards(advisors, today, user.due_soon_days),
            promises=[p for p in self._promises.get(user.id, []) if p.due <= today],
            review_due=reviews.next_due(user.review_every, self._reviewed.get(user.id),
                                        reviews.first_added(advisors)),
            dates=yearly.coming_up(self._dates.get(user.id, []), today, 0))


def agenda(user: User, today: date) -> Agenda:
    """One account's agenda on its own (a single send, a test)."""
    return Agendas([user])(user, today)
