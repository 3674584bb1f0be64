"""The checks of an export's fields (core/import_document.py): each takes a JSON value and
returns it as stored, or raises ValueError saying what to fix. Plain Python."""
import json
import re
from datetime import date, datetime, time

from advisory.core.cadence import PRESETS, is_timezone
from advisory.core.characters import first_refused
from advisory.core.vocabulary import ROLES

# Far enough either way for any real relationship, near enough that date arithmetic
# (the next due date, an event's end) can never overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
PRESET_CODES = {c.code() for c in PRESETS}


def text(limit: int, required: bool = False, multi_line: bool = False):
    """Text as the forms take it: within `limit`, without control characters (line breaks
    and tabs only in `multi_line` notes), which no form could have stored."""
    def check(value):
        if not isinstance(value, str):
            raise ValueError("must be text")
        if required and not value.strip():
            raise ValueError("must not be empty")
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters")
        refused = first_refused(value, multi_line)
        if refused:
            raise ValueError(f"holds {refused}, which cannot be saved")
        return value
    return check


def note(limit: int):
    return text(limit, multi_line=True)


def one_of(choices):
    def check(value):
        if not isinstance(value, str) or value not in choices:  # a list is no key of a dict
            raise ValueError("must be one of " + ", ".join(choices))
        return value
    return check


def whole(low: int, high: int):
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value
    return check


def boolean(value):
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def day(value):
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError("must be a date written YYYY-MM-DD")
    if not EARLIEST <= parsed <= LATEST:
        raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year}")
    return parsed


def moment(value):
    try:
        parsed = datetime.fromisoformat(value.removesuffix("Z")) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        raise ValueError("must be a UTC time written YYYY-MM-DDTHH:MM:SSZ")
    day(parsed.date().isoformat())
    return parsed


def shaped(pattern: re.Pattern, what: str):
    def check(value):
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value
    return check


def optional(check):
    return lambda value: None if value is None else check(value)


def clock(value):
    """A time of day as stored: "HH:MM"."""
    try:
        return f"{time.fromisoformat(value):%H:%M}"
    except (TypeError, ValueError):
        raise ValueError("must be a time written HH:MM") from None


def alarm(value):
    try:
        return None if value is None else clock(value)
    except ValueError:
        raise ValueError("must be a time written HH:MM, or null") from None


def zone(value):
    if not is_timezone(value):
        raise ValueError("must be a time zone such as Europe/Paris")
    return value


def role_cadences(value):
    if not isinstance(value, dict):
        raise ValueError("must be an object of role: cadence")
    for role, code in value.items():
        if role not in ROLES or not isinstance(code, str) or code not in PRESET_CODES:
            raise ValueError(f"has {shown(role)}: {shown(code)}; roles are "
                             f"{', '.join(ROLES)} and cadences {', '.join(sorted(PRESET_CODES))}")
    return json.dumps(value, sort_keys=True)


def shown(value) -> str:
    """A value of the file as a message quotes it: short, whatever its size or depth (a
    10 MB string or a list nested 990 deep was quoted whole on the page)."""
    if isinstance(value, (list, dict)):
        return "a list [...]" if isinstance(value, list) else "an object {...}"
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:40]) + "…"
    text = repr(value)  # a number, true, false or null
    return text if len(text) <= 40 else text[:40] + "…"
