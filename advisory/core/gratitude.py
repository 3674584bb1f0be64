"""Gratitude and giving back, counted from the log: how many conversations since you last
thanked someone, the year of a relationship in one line, and who is owed a thank-you.

Conversations are the kinds the vocabulary marks as such; a thank-you counts whatever the
kind (a note after a call is still thanks)."""
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from advisory.core.cadence import add_months
from advisory.core.vocabulary import KINDS

YEAR_MONTHS = 12
NUDGE_FROM = 3  # the digest mentions someone once this many conversations went unthanked


class Touch(NamedTuple):
    """One logged contact, as gratitude reads it."""
    happened_on: date
    kind: str
    thanked: bool


class Gratitude(NamedTuple):
    last_thanked: date | None
    unthanked: int  # conversations after the last thanks (all of them when never thanked)

    def words(self) -> str:
        """"3 conversations since you last thanked them", "never thanked, in 4
        conversations", "last thanked in March"; empty when nothing was logged."""
        if self.last_thanked is None:
            return f"never thanked, in {_times(self.unthanked, 'conversation')}" \
                if self.unthanked else ""
        if self.unthanked:
            return f"{_times(self.unthanked, 'conversation')} since you last thanked them"
        return f"last thanked in {self.last_thanked:%B %Y}"

    def nudge(self) -> bool:
        """Worth a gentle line in the digest."""
        return self.unthanked >= NUDGE_FROM


def _times(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _count(number: int) -> str:
    return {1: "once", 2: "twice"}.get(number, f"{number} times")


def is_conversation(kind: str) -> bool:
    known = KINDS.get(kind)
    return bool(known and known.conversation)


def gratitude(touches: Iterable[Touch]) -> Gratitude:
    """Where thanks stand for one advisor, from their contacts in any order."""
    ordered = sorted(touches, key=lambda touch: touch.happened_on)
    last = None
    unthanked = 0
    for touch in ordered:
        if touch.thanked:
            last, unthanked = touch.happened_on, 0
        elif is_conversation(touch.kind):
            unthanked += 1
    return Gratitude(last, unthanked)


def year_start(today: date) -> date:
    """The first day of the last twelve months."""
    return add_months(today, -YEAR_MONTHS)


class Year(NamedTuple):
    """A relationship's last twelve months."""
    conversations: int
    thanks: int
    gives: int

    def words(self) -> str:
        """"6 conversations, thanked twice, gave back once"."""
        thanked = f"thanked {_count(self.thanks)}" if self.thanks else "not thanked"
        gave = f"gave back {_count(self.gives)}" if self.gives else "nothing given back"
        return f"{_times(self.conversations, 'conversation')}, {thanked}, {gave}"


def year(touches: Iterable[Touch], gives: Iterable[date], today: date) -> Year:
    """Conversations, thanks and gives from twelve months ago up to today."""
    start = year_start(today)
    recent = [touch for touch in touches if start <= touch.happened_on <= today]
    return Year(sum(is_conversation(touch.kind) for touch in recent),
                sum(touch.thanked for touch in recent),
                sum(start <= day <= today for day in gives))


def owed_thanks(last_thanked: date | None, talked: bool, today: date) -> bool:
    """For the yearly thank-you round: talked with, and not thanked in twelve months."""
    return talked and (last_thanked is None or last_thanked < year_start(today))


class Introduced(NamedTuple):
    """An introduction someone made for you (models/introductions.py, "received")."""
    happened_on: date
    to_whom: str


def introductions_to_thank(received: Iterable[Introduced],
                           last_thanked: date | None) -> list[Introduced]:
    """The introductions received after you last thanked them (all, when never thanked),
    oldest first: each one a reason to thank them ("They introduced you to Sam on 3 Dec:
    thank them"). Thanks given on the day of an introduction covers it."""
    return sorted((intro for intro in received
                   if last_thanked is None or intro.happened_on > last_thanked),
                  key=lambda intro: intro.happened_on)
