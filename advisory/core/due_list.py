"""Who needs contact, in what order: the due list and board built from plain values."""
from dataclasses import dataclass, field
from datetime import date

from advisory.core import cadence
from advisory.core.vocabulary import FEW_MENTEES, ROLES, SMALL_BOARD, STATUSES


@dataclass(frozen=True)
class Card:
    """One member on the due list: when they are due, how urgent, and since when."""
    advisor: object
    due: date
    status: str
    urgency: float


def cards(advisors, today: date, window_days: int) -> list[Card]:
    """A card for each advisor with a due date, most urgent first.

    `advisors` need `.due_on(today)`, `.reminder_cadence` and `.name` (models.Advisor does).
    """
    result = []
    for advisor in advisors:
        due = advisor.due_on(today)
        if due is not None:
            result.append(Card(advisor, due, cadence.status(due, today, window_days),
                               cadence.urgency(due, today, advisor.reminder_cadence)))
    return sorted(result, key=lambda card: (-card.urgency, card.advisor.name.lower()))


def grouped(all_cards: list[Card]) -> dict[str, list[Card]]:
    """Cards by status, in the order of STATUSES (every status present)."""
    groups = {key: [] for key in STATUSES}
    for card in all_cards:
        groups[card.status].append(card)
    # Nobody sees the urgency ratio; members not yet due read best in date order.
    groups["later"].sort(key=lambda card: (card.due, card.advisor.name.lower()))
    return groups


@dataclass
class DueList:
    groups: dict[str, list[Card]]
    prospects: list[Card]
    resting: list  # paused and alumni advisors and mentees: no reminders
    mentees: list[Card] = field(default_factory=list)  # "People you mentor", most urgent first

    @property
    def counts(self) -> dict[str, int]:
        """How many are overdue, due today... among board members and mentees alike (the
        summary at the top), by status in the order of STATUSES."""
        counts = {key: len(cards) for key, cards in self.groups.items()}
        for card in self.mentees:
            counts[card.status] += 1
        return counts


def is_mentee(person) -> bool:
    return getattr(person, "relation", "advisor") == "mentee"


def build(advisors, today: date, window_days: int) -> DueList:
    """The home page's content: board members by status, prospects apart, and the people
    you mentor in a section of their own."""
    advisors = list(advisors)
    mentees = [a for a in advisors if is_mentee(a)]
    board = [a for a in advisors if not is_mentee(a) and a.stage != "prospect"]
    prospects = [a for a in advisors if not is_mentee(a) and a.stage == "prospect"]
    members = cards(board, today, window_days)
    mentee_cards = cards(mentees, today, window_days)
    listed = {id(card.advisor) for card in members + mentee_cards}
    return DueList(groups=grouped(members),
                   prospects=cards(prospects, today, window_days),
                   resting=[a for a in board + mentees if id(a) not in listed],
                   mentees=mentee_cards)


def too_many_mentees(mentees, today: date) -> bool:
    """More active mentees than a person can do deeply for (FEW_MENTEES): the mentees
    page says so, gently. Paused and alumni mentees do not count."""
    return sum(cadence.effective_stage(m.stage, m.paused_until, today) == "active"
               for m in mentees) > FEW_MENTEES


@dataclass
class RoleSeat:
    key: str
    name: str
    description: str
    members: list


@dataclass
class Board:
    seats: list[RoleSeat]
    active_count: int

    @property
    def empty_roles(self) -> list[RoleSeat]:
        return [seat for seat in self.seats if not seat.members]

    @property
    def too_big(self) -> bool:
        return self.active_count > SMALL_BOARD


def board(advisors, today: date, window_days: int) -> Board:
    """The five roles with the members filling each (alumni and mentees left out), and the
    board's size."""
    seats = {key: RoleSeat(key, role.name, role.description, []) for key, role in ROLES.items()}
    active = 0
    for advisor in advisors:
        stage = cadence.effective_stage(advisor.stage, advisor.paused_until, today)
        if stage == "alumni" or is_mentee(advisor):  # mentees fill no role
            continue
        due = advisor.due_on(today)
        status = cadence.status(due, today, window_days) if due else stage
        seats[advisor.role].members.append((advisor, status, due))
        active += stage == "active"
    return Board(list(seats.values()), active)


def alumni(advisors) -> list:
    """Members brought to a close (the board page's Alumni), the latest closed first."""
    return sorted((a for a in advisors if a.stage == "alumni" and not is_mentee(a)),
                  key=lambda a: (-(a.closed_on or date.min).toordinal(), a.name.lower()))


RHYTHM_WINDOW = 24  # gaps: about two years on a monthly cadence


@dataclass(frozen=True)
class Rhythm:
    """How the real gaps between recent conversations compare with the cadence."""
    typical: int  # median gap, in days
    longest: int
    late: int  # gaps longer than the cadence
    count: int
    recent: bool = False  # only the latest RHYTHM_WINDOW gaps: the history has more


def rhythm(gaps: list[int], cadence_: cadence.Cadence, recent: bool = False) -> Rhythm | None:
    """A summary of the gaps between counting contacts, or None with fewer than one gap.

    `recent` says the gaps are the latest window of a longer history, which the page says.
    """
    if not gaps:
        return None
    ordered = sorted(gaps)
    return Rhythm(typical=ordered[len(ordered) // 2], longest=ordered[-1],
                  late=sum(gap > cadence_.days for gap in gaps), count=len(gaps), recent=recent)
