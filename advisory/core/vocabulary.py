"""The five roles on a personal board of advisors (plain data, no Flask)."""
from typing import NamedTuple


class Role(NamedTuple):
    key: str
    name: str
    description: str
    default_cadence: str  # a cadence code, see cadence.Cadence.parse


ROLES = {
    role.key: role
    for role in (
        Role("insight", "Organizational insight",
             "Has been in your organization longer than you and navigated it well; "
             "helps you find your way in it.", "1m"),
        Role("expertise", "Specific expertise",
             "Knows your functional role in depth, its nuances; often a senior team "
             "member or your own manager.", "2w"),
        Role("perspective", "Unique perspective",
             "Outside your organization but close to it (a board director, partner, "
             "vendor, customer); widens your point of view.", "3m"),
        Role("wisdom", "Business wisdom",
             "More experienced, inside or outside; advises on the business challenges "
             "you face. People who changed industry or retired count.", "6w"),
        Role("balance", "Work/life balance",
             "Visibly balances a demanding career with family life and can tell you how.",
             "3m"),
    )
}

# A board works best small: past this many active members the board page says so.
SMALL_BOARD = 8
