"""The board reviews: each review kept with its date and reflection, the decision taken for
each member and each empty role, and the one write that records a review and applies what
it changes.

Saving a review is one transaction: the review, its decisions, and each member's new
cadence or pause, written under that member's row lock (Advisor._locked) with only the
columns the decision changes, so an edit of the same member on another device meanwhile
is kept, and a member deleted meanwhile stops the whole save (Advisor.DoesNotExist).
"""
from dataclasses import dataclass
from datetime import date

from peewee import (
    CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn,
)

from advisory.core import reviews
from advisory.core.cadence import Cadence
from advisory.core.vocabulary import ROLES
from advisory.database import db, utcnow, write_transaction
from advisory.models.accounts import User
from advisory.models.advisors import Advisor


@dataclass(frozen=True)
class Decision:
    """What the review form decided for one member (`advisor`) or one empty role."""
    role: str
    decision: str  # vocabulary.REVIEW_DECISIONS
    note: str = ""
    advisor: Advisor | None = None
    cadence: Cadence | None = None  # the new cadence, for "cadence"


class BoardReview(db.Model):
    user = ForeignKeyField(User, backref="board_reviews", on_delete="CASCADE", index=False)
    reviewed_on = DateField()  # in the account's time zone
    reflection = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "board_reviews"
        indexes = ((("user", "reviewed_on"), False),)

    @staticmethod
    def feed_stamp():
        """What the calendar feed's review event depends on besides the account's own
        stamps, as a column to select beside the account (calendar.feed_owner): the id of
        its latest review (a review saved within the second the feed was read still
        moves the ETag)."""
        return (BoardReview
                .select(fn.MAX(BoardReview.id))
                .where(BoardReview.user == User.id)
                .alias("latest_review_id"))

    @classmethod
    def history(cls, user: User) -> list["BoardReview"]:
        """This account's reviews, newest first."""
        return list(cls.select()
                    .where(cls.user == user.id)
                    .order_by(cls.reviewed_on.desc(), cls.id.desc()))

    @classmethod
    def latest(cls, user: User) -> "BoardReview | None":
        return (cls.select()
                .where(cls.user == user.id)
                .order_by(cls.reviewed_on.desc(), cls.id.desc())
                .first())

    @classmethod
    def owned(cls, user: User, review_id: int) -> "BoardReview | None":
        """One of this account's reviews, or None: never another account's."""
        if not 0 < review_id < 2**63:
            return None
        return cls.get_or_none(cls.id == review_id, cls.user == user.id)

    @classmethod
    def due_on(cls, user: User, advisors: list[Advisor] | None = None) -> date | None:
        """When the account's next review is due (core.reviews.next_due), or None: the
        latest review, and the day the first advisor still on the board was added, read
        from `advisors` (the board the page read already) or else by a query."""
        latest = cls.latest(user)
        if advisors is None:
            advisors = (Advisor
                        .select(Advisor.added_on, Advisor.role)
                        .where(Advisor.user == user.id, Advisor.deleted_at.is_null(),
                               Advisor.role.in_(list(ROLES)))
                        .order_by(Advisor.added_on, Advisor.id)
                        .limit(1))
        return reviews.next_due(user.review_every, latest.reviewed_on if latest else None,
                                reviews.first_added(advisors))

    @classmethod
    def last_reviewed(cls, accounts: list[int]) -> dict[int, date]:
        """account id -> the day of its latest review, for a batch of accounts in one
        query (reminders read a batch at a time); an account never reviewed is absent."""
        return dict(cls.select(cls.user, fn.MAX(cls.reviewed_on))
                    .where(cls.user.in_(accounts))
                    .group_by(cls.user)
                    .tuples())

    @classmethod
    def record(cls, user: User, *, reviewed_on: date, reflection: str,
               decisions: list[Decision]) -> "BoardReview":
        """Keep a review with its decisions and apply those that change something (a new
        cadence, a pause), all in one transaction. Raises Advisor.DoesNotExist, saving
        nothing, when a member decided on was deleted meanwhile."""
        with write_transaction():
            review = cls.create(user=user.id, reviewed_on=reviewed_on, reflection=reflection)
            for decided in decisions:
                member = decided.advisor
                if member is not None:
                    current = member._locked()
                    if decided.decision == "cadence" and decided.cadence != current.cadence:
                        current._write({Advisor.cadence_count: decided.cadence.count,
                                        Advisor.cadence_unit: decided.cadence.unit})
                    elif decided.decision == "pause" and current.stage != "paused":
                        current._write({Advisor.stage: "paused", Advisor.paused_until: None})
                ReviewDecision.create(
                    review=review, advisor=member.id if member is not None else None,
                    name=member.name if member is not None else "", role=decided.role,
                    decision=decided.decision, note=decided.note,
                    cadence_count=decided.cadence.count if decided.cadence else None,
                    cadence_unit=decided.cadence.unit if decided.cadence else None)
            # The calendar feed's review event moves to the next due date.
            User.update(feed_changed_at=utcnow()).where(User.id == user.id).execute()
        return review

    def decisions(self) -> list["ReviewDecision"]:
        """What this review decided, members first in role order, then the empty roles."""
        found = list(ReviewDecision.select().where(ReviewDecision.review == self.id)
                     .order_by(ReviewDecision.id))
        return sorted(found, key=lambda d: (not d.name, reviews.role_order(d.role)))


class ReviewDecision(db.Model):
    review = ForeignKeyField(BoardReview, backref="decision_rows", on_delete="CASCADE")
    # None for an empty role's decision, or once the member was deleted for good.
    advisor = ForeignKeyField(Advisor, null=True, on_delete="SET NULL")
    name = CharField(max_length=120, default="")  # the member's name on the day
    role = CharField(max_length=20)
    decision = CharField(max_length=10)  # vocabulary.REVIEW_DECISIONS
    cadence_count = IntegerField(null=True)  # the new cadence, for "cadence"
    cadence_unit = CharField(max_length=10, null=True)
    note = TextField(default="")

    class Meta:
        table_name = "review_decisions"

    @property
    def cadence(self) -> Cadence | None:
        if self.cadence_count is None or self.cadence_unit is None:
            return None
        return Cadence(self.cadence_count, self.cadence_unit)
