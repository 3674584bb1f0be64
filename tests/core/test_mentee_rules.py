"""The rules for mentees and introductions, on plain values (no database): the due list
gives mentees their own section and counts them at the top, the board keeps its five
roles, the gentle note comes past four active mentees, and an introduction received since
the last thanks is a reason to thank."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from advisory.core import due_list
from advisory.core.cadence import Cadence
from advisory.core.gratitude import Introduced, introductions_to_thank
from advisory.core.vocabulary import FEW_MENTEES, MENTEE, ROLES

TODAY = date(2026, 11, 23)


@dataclass
class Person:
    """What due_list reads from an advisor or a mentee."""
    name: str
    relation: str = "advisor"
    role: str = "insight"
    stage: str = "active"
    due: date | None = TODAY
    paused_until: date | None = None
    cadence: Cadence = field(default_factory=lambda: Cadence(1, "months"))

    def due_on(self, today):
        return self.due

    @property
    def reminder_cadence(self):
        return self.cadence


def mentee(name, **fields):
    return Person(name, relation="mentee", role="", **fields)


def test_mentees_have_their_own_section_and_count_at_the_top():
    content = due_list.build([
        Person("Dana", due=TODAY - timedelta(days=3)),
        mentee("Sam", due=TODAY - timedelta(days=1)),
        mentee("Ana", due=TODAY + timedelta(days=20)),
        mentee("Paused", stage="paused", due=None),
        Person("Pat", stage="prospect"),
    ], TODAY, 7)
    assert [card.advisor.name for card in content.mentees] == ["Sam", "Ana"]
    assert [card.advisor.name for card in content.groups["overdue"]] == ["Dana"]
    assert all(card.advisor.relation == "advisor"
               for cards in content.groups.values() for card in cards)
    assert [card.advisor.name for card in content.prospects] == ["Pat"]
    assert [person.name for person in content.resting] == ["Paused"]
    assert content.counts == {"overdue": 2, "due": 0, "soon": 0, "later": 1}  # prospects apart


def test_the_board_keeps_to_the_five_roles_without_mentees():
    board = due_list.board([Person("Dana"), mentee("Sam"), mentee("Ana")], TODAY, 7)
    assert [seat.key for seat in board.seats] == list(ROLES)
    assert [m[0].name for seat in board.seats for m in seat.members] == ["Dana"]
    assert board.active_count == 1 and len(board.empty_roles) == 4
    assert MENTEE.key not in ROLES


def test_the_gentle_note_comes_past_four_active_mentees():
    few = [mentee(f"M{n}") for n in range(FEW_MENTEES)]
    assert FEW_MENTEES == 4 and not due_list.too_many_mentees(few, TODAY)
    paused = few + [mentee("Resting", stage="paused")]
    assert not due_list.too_many_mentees(paused, TODAY)
    back_soon = few + [mentee("Back", stage="paused", paused_until=TODAY)]  # resumed today
    assert due_list.too_many_mentees(back_soon, TODAY)
    assert due_list.too_many_mentees(few + [mentee("Fifth")], TODAY)


def test_introductions_received_since_the_last_thanks_are_to_thank_for():
    sam = Introduced(date(2026, 12, 3), "Sam")
    ana = Introduced(date(2026, 11, 1), "Ana")
    assert introductions_to_thank([sam, ana], None) == [ana, sam]
    assert introductions_to_thank([sam, ana], date(2026, 11, 1)) == [sam]  # thanked that day
    assert introductions_to_thank([sam, ana], date(2026, 12, 3)) == []
