"""What each record of an Advisory export may hold: field name -> (check, default), for
the account, a person, each thing a person holds, and the board reviews. Apart from the
parser (core/import_document.py) because these tables are the export's vocabulary, one
grows with each field the export learns, while the parser's walk through the file rarely
changes; tests compare them with data/export.py's fields.
"""
import re

from advisory.core import yearly
from advisory.core.cadence import MAX_DAYS
from advisory.core.calendar_feed import STYLES
from advisory.core.checks import (
    alarm, boolean, clock, day, moment, note, one_of, optional, role_cadences, shaped, text,
    whole, zone,
)
from advisory.core.reminders import DEFAULT_TIME, DIGEST_CHOICES
from advisory.core.vocabulary import (
    ADVICE_STATES, CLOSE_REASONS, GIVE_KINDS, GOAL_STATES, INTRODUCTION_DIRECTIONS, KINDS,
    LIMITS, PROMISE_OWERS, RELATIONS, REVIEW_DECISIONS, REVIEW_PERIODS, ROLES, STAGES,
    YEARLY_KINDS,
)

UID_SHAPE = re.compile(r"[\x21-\x7e]{1,64}")
KEY_SHAPE = re.compile(r"[A-Za-z0-9-]{8,64}")

# name -> (checker, default when missing; REQUIRED when it must be there)
REQUIRED = object()
ACCOUNT = {
    "timezone": (zone, REQUIRED),
    "due_soon_days": (whole(0, 60), 7),
    "messages_count": (boolean, False),
    "role_cadences": (role_cadences, "{}"),
    "feed_details": (boolean, False),
    "feed_alarm": (alarm, "09:00"),
    # Added after version 1 first shipped: older files lack them and get the defaults.
    "calendar_style": (one_of(STYLES), "person"),
    "reminder_time": (clock, DEFAULT_TIME),
    "digest": (one_of(DIGEST_CHOICES), "off"),
    "digest_weekday": (whole(0, 6), 0),
    "review_every": (one_of(REVIEW_PERIODS), "quarterly"),
}
ADVISOR = {
    "uid": (shaped(UID_SHAPE, "1 to 64 visible ASCII characters"), REQUIRED),
    "name": (text(LIMITS["name"], required=True), REQUIRED),
    "role": (one_of(ROLES), REQUIRED),
    "stage": (one_of(STAGES), "active"),
    "paused_until": (optional(day), None),
    "cadence_count": (whole(1, MAX_DAYS), 1),
    "cadence_unit": (one_of(("days", "weeks", "months")), "months"),
    "email": (text(LIMITS["email"]), ""),
    "phone": (text(LIMITS["phone"]), ""),
    "organisation": (text(LIMITS["organisation"]), ""),
    "why": (note(LIMITS["why"]), ""),
    "offer": (note(LIMITS["offer"]), ""),
    "meeting_style": (text(LIMITS["meeting_style"]), ""),
    "meeting_kind": (one_of(KINDS), "call"),
    "horizon": (text(LIMITS["horizon"]), ""),
    "agenda": (note(LIMITS["agenda"]), ""),
    "notes": (note(LIMITS["notes"]), ""),
    "last_spoke_on": (optional(day), None),
    "snoozed_until": (optional(day), None),
    "added_on": (day, REQUIRED),
    "sequence": (whole(0, 2**31 - 1), 0),
    "changed_at": (optional(moment), None),
    # Added after version 1 first shipped (an honourable close): older files lack them.
    "closed_on": (optional(day), None),
    "close_reason": (one_of(("", *CLOSE_REASONS)), ""),
    "lesson": (note(LIMITS["lesson"]), ""),
    "yearly_check_in": (boolean, False),
    # Added after version 1 first shipped: older files hold advisors only.
    "relation": (one_of(RELATIONS), "advisor"),
    "ideal_next_step": (note(LIMITS["ideal_next_step"]), ""),
    "strengths": (note(LIMITS["strengths"]), ""),
    "introductions_to_make": (note(LIMITS["introductions_to_make"]), ""),
}
# A mentee fills no role on the board: theirs is empty.
MENTEE = {**ADVISOR, "role": (one_of(("",)), "")}
CONTACT = {
    "happened_on": (day, REQUIRED),
    "kind": (one_of(KINDS), REQUIRED),
    "notes": (note(LIMITS["notes"]), ""),
    "thanked": (boolean, False),
    "idempotency_key": (optional(shaped(KEY_SHAPE, "8 to 64 letters, digits or dashes")), None),
    "cleared_snooze": (optional(day), None),
    "created_at": (optional(moment), None),
}

# Added after version 1 first shipped: older files have none.
PROMISE = {
    "text": (text(LIMITS["promise"], required=True), REQUIRED),
    "owed_by": (one_of(PROMISE_OWERS), REQUIRED),
    "due_on": (optional(day), None),
    "kept_on": (optional(day), None),
    "sequence": (whole(0, 2**31 - 1), 1),
    "created_at": (optional(moment), None),
    "changed_at": (optional(moment), None),
}
ADVICE = {
    "text": (text(LIMITS["advice"], required=True, multi_line=True), REQUIRED),
    "state": (one_of(ADVICE_STATES), "to_try"),
    "outcome": (note(LIMITS["advice"]), ""),
    "outcome_on": (optional(day), None),
    "told_on": (optional(day), None),
    "created_at": (optional(moment), None),
}

GIVE = {
    "kind": (one_of(GIVE_KINDS), REQUIRED),
    "note": (text(LIMITS["give"]), ""),
    "given_on": (day, REQUIRED),
    "created_at": (optional(moment), None),
}
GOAL = {
    "text": (text(LIMITS["goal"], required=True), REQUIRED),
    "state": (one_of(GOAL_STATES), "open"),
    "created_on": (day, REQUIRED),
    "closed_on": (optional(day), None),
    "created_at": (optional(moment), None),
}
GOAL_NOTE = {
    "note": (text(LIMITS["goal_note"], required=True, multi_line=True), REQUIRED),
    "noted_on": (day, REQUIRED),
    "created_at": (optional(moment), None),
}
INTRODUCTION = {
    "direction": (one_of(INTRODUCTION_DIRECTIONS), REQUIRED),
    "to_whom": (text(LIMITS["to_whom"], required=True), REQUIRED),
    "to_uid": (optional(shaped(UID_SHAPE, "1 to 64 visible ASCII characters")), None),
    "happened_on": (day, REQUIRED),
    "outcome": (text(LIMITS["introduction_outcome"]), ""),
    "created_at": (optional(moment), None),
}


YEARLY = {
    "kind": (one_of(YEARLY_KINDS), REQUIRED),
    "label": (text(LIMITS["yearly_label"]), ""),
    "month": (whole(1, 12), REQUIRED),
    "day": (whole(1, 31), REQUIRED),
    "year": (optional(whole(yearly.EARLIEST_YEAR, 9999)), None),
    "sequence": (whole(0, 2**31 - 1), 1),
    "created_at": (optional(moment), None),
    "changed_at": (optional(moment), None),
}


# Added after version 1 first shipped: older files have no reviews.
REVIEW = {
    "reviewed_on": (day, REQUIRED),
    "reflection": (note(LIMITS["reflection"]), ""),
    "created_at": (optional(moment), None),
}
DECISION = {
    "advisor_uid": (optional(shaped(UID_SHAPE, "1 to 64 visible ASCII characters")), None),
    "name": (text(LIMITS["name"]), ""),
    "role": (one_of(ROLES), REQUIRED),
    "decision": (one_of(REVIEW_DECISIONS), REQUIRED),
    "cadence_count": (optional(whole(1, MAX_DAYS)), None),
    "cadence_unit": (optional(one_of(("days", "weeks", "months"))), None),
    "note": (note(LIMITS["review_note"]), ""),
}
