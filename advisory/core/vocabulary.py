"""The words of the domain, said once as data: roles, contact kinds, stages, statuses and
field limits. Models, forms, parsers, templates and scripts read them from here."""
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

# Who a person is to you: a member of your board, or someone you mentor ("do for one").
# A mentee is kept on the same cadence engine but fills none of the five roles.
RELATIONS = {"advisor": "Advisor", "mentee": "Mentee"}
MENTEE = Role("mentee", "Mentee", "Someone you mentor: in depth, for the long term.", "1m")
# Do deeply for a few, "never more than 3-4": past this many active mentees /mentees says so.
FEW_MENTEES = 4


class Kind(NamedTuple):
    """A way of being in touch. A conversation keeps the cadence by itself; any other kind
    (a message) counts only for an account that says messages count."""
    key: str
    label: str
    conversation: bool

    def __str__(self) -> str:
        return self.label


KINDS = {kind.key: kind for kind in (
    Kind("in_person", "In person", conversation=True),
    Kind("call", "Call", conversation=True),
    Kind("video", "Video", conversation=True),
    Kind("message", "Message", conversation=False),
)}


def conversation_kinds(conversation: bool = True) -> tuple[str, ...]:
    """The kinds that are conversations (or, with False, those that are not)."""
    return tuple(key for key, kind in KINDS.items() if kind.conversation == conversation)


STAGES = {"prospect": "Prospect", "active": "Active", "paused": "Paused", "alumni": "Alumni"}
STATUSES = {"overdue": "Overdue", "due": "Due today", "soon": "Due this week", "later": "Later"}

# The longest text each field keeps, in characters: the tables, the forms, the restore
# parser and the vCard reader all read these.
LIMITS = {
    "name": 120, "email": 254, "phone": 40, "organisation": 120, "why": 2000, "offer": 2000,
    "meeting_style": 200, "horizon": 120, "agenda": 4000, "notes": 10000, "give": 500,
    "promise": 500, "advice": 1000, "goal": 300, "goal_note": 1000, "lesson": 2000,
    "ideal_next_step": 1000, "strengths": 2000, "introductions_to_make": 2000, "to_whom": 200,
    "introduction_outcome": 1000, "yearly_label": 100,
    "reflection": 4000, "review_note": 1000,
}

# Who owes a promise (models/promises.py): key -> label.
PROMISE_OWERS = {"me": "I promised", "them": "They offered"}

# A person's yearly dates (models/yearly_dates.py): key -> label. One birthday each;
# any number of other dates, each with its own label ("work anniversary").
YEARLY_KINDS = {"birthday": "Birthday", "date": "Another yearly date"}

# What became of a piece of advice (models/promises.py): key -> label, in the order tried.
ADVICE_STATES = {"to_try": "To try", "trying": "Trying", "adopted": "Adopted",
                 "set_aside": "Set aside"}

# What you gave back to an advisor (models/gives.py): key -> label.
GIVE_KINDS = {
    "introduction": "Introduction", "article": "Article or resource",
    "project": "Help with their project", "reverse_mentoring": "Reverse mentoring",
    "other": "Other",
}

# An introduction recorded on a person (models/introductions.py): key -> label. One
# received counts toward thanking them; one made for an advisor counts as giving back.
INTRODUCTION_DIRECTIONS = {"asked": "Asked for", "received": "Received", "made": "Made"}

# Where a goal stands (models/goals.py): key -> label.
GOAL_STATES = {"open": "Open", "achieved": "Achieved", "dropped": "Dropped"}

# Why a member was brought to a close (Advisor.close): key -> label.
CLOSE_REASONS = {
    "goal_reached": "The goal was reached", "needs_changed": "My needs changed",
    "moved_on": "They moved on", "lost_touch": "We lost touch", "other": "Other",
}

# What search finds (models/search.py): kind -> (label, the section of the person's page
# it is shown in, an id there; "" for the person themselves).
SEARCH_KINDS = {
    "person": ("Person", ""), "contact": ("Conversation", "contact-history"),
    "promise": ("Promise", "promises"), "advice": ("Advice", "advice"),
    "goal": ("Goal", "goals"), "goal_note": ("Goal progress", "goals"),
    "give": ("Given back", "gives"), "introduction": ("Introduction", "introductions"),
}
SEARCH_LENGTH = 200  # characters the search box takes


class ReviewPeriod(NamedTuple):
    """How often the board review comes due (Settings); `months` 0 means never."""
    label: str
    months: int

    def __str__(self) -> str:
        return self.label


# How often a board review comes due (core/reviews.py): key -> period, the default first.
REVIEW_PERIODS = {
    "quarterly": ReviewPeriod("Every quarter", 3),
    "twice_yearly": ReviewPeriod("Twice a year", 6),
    "yearly": ReviewPeriod("Once a year", 12),
    "off": ReviewPeriod("Off: no reminder", 0),
}

# What a board review decides for a member, or for an empty role (models/reviews.py).
REVIEW_DECISIONS = {
    "keep": "Keep as is", "cadence": "Change the cadence", "pause": "Pause",
    "close": "Bring to a close", "recruit": "Recruit for this role",
}


def choices(vocabulary: dict) -> dict[str, str]:
    """key -> label, for a form's choices."""
    return {key: str(value) for key, value in vocabulary.items()}


def spoken(vocabulary: dict, last: str = "or") -> str:
    """The labels as a person would list them: "in person, call, video or message"."""
    words = [str(value).lower() for value in vocabulary.values()]
    return ", ".join(words[:-1]) + f" {last} {words[-1]}" if len(words) > 1 else words[0]

