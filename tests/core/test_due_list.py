"""The due list and board built from plain values (no database)."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from advisory.core import due_list
from advisory.core.cadence import Cadence

TODAY = date(2026, 11, 23)


@dataclass
class Member:
    """A stand-in with what due_list reads from an advisor."""
    name: str
    role: str = "insight"
    stage: str = "active"
    due: date | None = TODAY
    cadence: Cadence = field(default_factory=lambda: Cadence(1, "months"))
    paused_until: date | None = None
    closed_on: date | None = None

    def due_on(self, today):
        return self.due

    @property
    def reminder_cadence(self):
        return self.cadence


def test_cards_most_urgent_first_relative_to_cadence():
    weekly = Member("Weekly", due=TODAY - timedelta(days=7), cadence=Cadence(1, "weeks"))
    yearly = Member("Yearly", due=TODAY - timedelta(days=7), cadence=Cadence(12, "months"))
    later = Member("Later", due=TODAY + timedelta(days=30))
    ordered = [card.advisor.name for card in due_list.cards([later, yearly, weekly], TODAY, 7)]
    assert ordered == ["Weekly", "Yearly", "Later"]


def test_ties_break_by_name():
    names = [c.advisor.name for c in due_list.cards([Member("bea"), Member("Ann")], TODAY, 7)]
    assert names == ["Ann", "bea"]


def test_build_separates_prospects_and_resting():
    board = due_list.build([Member("Active"), Member("Prospect", stage="prospect"),
                            Member("Paused", stage="paused", due=None),
                            Member("Alum", stage="alumni", due=None)], TODAY, 7)
    assert [c.advisor.name for c in board.groups["due"]] == ["Active"]
    assert [c.advisor.name for c in board.prospects] == ["Prospect"]
    assert [a.name for a in board.resting] == ["Paused", "Alum"]
    assert list(board.groups) == ["overdue", "due", "soon", "later"]


def test_board_seats_empty_roles_and_size():
    members = [Member(f"M{n}") for n in range(9)] + [Member("Alum", role="wisdom", stage="alumni")]
    board = due_list.board(members, TODAY, 7)
    assert [seat.name for seat in board.empty_roles] == [
        "Specific expertise", "Unique perspective", "Business wisdom", "Work/life balance"]
    assert board.active_count == 9 and board.too_big


def test_alumni_latest_closed_first_and_nobody_else():
    members = [Member("Active"), Member("Bea", stage="alumni", closed_on=TODAY),
               Member("Old", stage="alumni", closed_on=TODAY - timedelta(days=400)),
               Member("Ann", stage="alumni", closed_on=TODAY), Member("Paused", stage="paused")]
    assert [a.name for a in due_list.alumni(members)] == ["Ann", "Bea", "Old"]


def test_board_of_eight_is_not_too_big():
    assert not due_list.board([Member(f"M{n}") for n in range(8)], TODAY, 7).too_big


def test_rhythm_compares_gaps_with_cadence():
    summary = due_list.rhythm([14, 28, 14, 20], Cadence(2, "weeks"))
    assert (summary.typical, summary.longest, summary.late, summary.count) == (20, 28, 2, 4)
    assert due_list.rhythm([], Cadence(2, "weeks")) is None
