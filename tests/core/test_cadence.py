"""Tests for advisory/core/cadence.py: the due-date rules, as a user would see them."""

from datetime import date, datetime, timedelta, timezone

import pytest

from advisory.core.cadence import (
    MAX_DAYS,
    PRESETS,
    UNITS,
    Cadence,
    counting_kinds,
    due_on,
    effective_stage,
    gaps,
    is_timezone,
    last_contact,
    reminder_cadence,
    status,
    today_in,
    urgency,
)
from advisory.core.vocabulary import KINDS, STAGES, STATUSES
from advisory.core.wording import ago, relative_due

D = date
TODAY = D(2026, 6, 15)
WEEKLY = Cadence(1, "weeks")
MONTHLY = Cadence(1, "months")
YEARLY = Cadence(12, "months")


# --- Cadence.after: month ends, leap days, weeks and days -------------------------

@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 1, 31), 2, D(2026, 3, 31)),
        (D(2026, 1, 31), 6, D(2026, 7, 31)),
        (D(2026, 4, 30), 1, D(2026, 5, 30)),
        (D(2026, 4, 30), 2, D(2026, 6, 30)),
        (D(2026, 4, 30), 6, D(2026, 10, 30)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 8, 31), 2, D(2026, 10, 31)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 10, 15), 3, D(2027, 1, 15)),
        (D(2026, 3, 15), 24, D(2028, 3, 15)),
    ],
)
def test_months_follow_the_calendar_and_clamp_to_the_month_end(start, months, expected):
    assert Cadence(months, "months").after(start) == expected


@pytest.mark.parametrize(
    ("start", "cadence", "expected"),
    [
        (D(2028, 2, 29), Cadence(12, "months"), D(2029, 2, 28)),
        (D(2028, 1, 31), Cadence(1, "months"), D(2028, 2, 29)),
        (D(2028, 2, 29), Cadence(1, "months"), D(2028, 3, 29)),
        (D(2027, 2, 28), Cadence(12, "months"), D(2028, 2, 28)),
        (D(2027, 8, 31), Cadence(6, "months"), D(2028, 2, 29)),
        (D(2028, 2, 28), Cadence(1, "days"), D(2028, 2, 29)),
        (D(2026, 2, 28), Cadence(1, "days"), D(2026, 3, 1)),
        (D(2028, 2, 22), Cadence(1, "weeks"), D(2028, 2, 29)),
    ],
)
def test_leap_days(start, cadence, expected):
    assert cadence.after(start) == expected


@pytest.mark.parametrize(
    ("start", "cadence", "expected"),
    [
        (D(2026, 6, 15), Cadence(1, "days"), D(2026, 6, 16)),
        (D(2026, 12, 31), Cadence(10, "days"), D(2027, 1, 10)),
        (D(2026, 6, 15), Cadence(731, "days"), D(2028, 6, 15)),
        (D(2026, 6, 15), Cadence(1, "weeks"), D(2026, 6, 22)),
        (D(2026, 12, 24), Cadence(2, "weeks"), D(2027, 1, 7)),
        (D(2026, 1, 31), Cadence(6, "weeks"), D(2026, 3, 14)),
    ],
)
def test_days_and_weeks_are_exact_day_counts(start, cadence, expected):
    assert cadence.after(start) == expected


@pytest.mark.parametrize(
    ("cadence", "days"),
    [
        (Cadence(10, "days"), 10),
        (Cadence(2, "weeks"), 14),
        (Cadence(1, "months"), 30.436875),
        (Cadence(3, "months"), 91.310625),
        (Cadence(12, "months"), 365.2425),
    ],
)
def test_approximate_length_in_days(cadence, days):
    assert cadence.days == pytest.approx(days)


# --- label, code, parse, validate ----------------------------------------------------

@pytest.mark.parametrize(
    ("cadence", "label"),
    [
        (Cadence(1, "days"), "Every day"),
        (Cadence(7, "days"), "Every 7 days"),
        (Cadence(10, "days"), "Every 10 days"),
        (Cadence(1, "weeks"), "Weekly"),
        (Cadence(2, "weeks"), "Every 2 weeks"),
        (Cadence(6, "weeks"), "Every 6 weeks"),
        (Cadence(1, "months"), "Monthly"),
        (Cadence(3, "months"), "Quarterly"),
        (Cadence(6, "months"), "Twice a year"),
        (Cadence(12, "months"), "Yearly"),
        (Cadence(5, "months"), "Every 5 months"),
        (Cadence(24, "months"), "Every 24 months"),
    ],
)
def test_label(cadence, label):
    assert cadence.label() == label


@pytest.mark.parametrize(
    ("cadence", "code"),
    [(Cadence(10, "days"), "10d"), (Cadence(2, "weeks"), "2w"), (Cadence(3, "months"), "3m")],
)
def test_code(cadence, code):
    assert cadence.code() == code


def test_presets_in_order():
    assert [p.code() for p in PRESETS] == ["2w", "1m", "6w", "3m", "6m", "12m"]
    assert [p.label() for p in PRESETS] == [
        "Every 2 weeks", "Monthly", "Every 6 weeks", "Quarterly", "Twice a year", "Yearly",
    ]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.code())
def test_every_preset_round_trips_through_its_code(preset):
    assert Cadence.parse(preset.code()) == preset
    assert Cadence.parse(preset.code()).label() == preset.label()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2w", Cadence(2, "weeks")),
        ("10d", Cadence(10, "days")),
        ("3m", Cadence(3, "months")),
        (" 2 W ", Cadence(2, "weeks")),
        ("3M", Cadence(3, "months")),
        ("\t6w\n", Cadence(6, "weeks")),
        ("02w", Cadence(2, "weeks")),
        ("1d", Cadence(1, "days")),
        ("731d", Cadence(731, "days")),
        ("104w", Cadence(104, "weeks")),
        ("24m", Cadence(24, "months")),
    ],
)
def test_parse_accepts_codes_ignoring_spaces_and_case(code, expected):
    assert Cadence.parse(code) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter a cadence"),
        ("   ", "Enter a cadence"),
        (None, "Enter a cadence"),
        ("abc", "a number and a unit"),
        ("w", "a number and a unit"),
        ("2", "a number and a unit"),
        ("2.5w", "a number and a unit"),
        ("+2w", "a number and a unit"),
        ("2w2", "a number and a unit"),
        ("two weeks", "a number and a unit"),
        ("0w", "at least 1"),
        ("-1m", "at least 1"),
        ("3y", "unit must be"),
        ("2weeks", "unit must be"),
        ("732d", "at most two years"),
        ("105w", "at most two years"),
        ("25m", "at most two years"),
        ("99999999999999999999d", "at most two years"),
    ],
)
def test_parse_refuses_bad_input_with_a_message_that_says_what_to_fix(code, message):
    with pytest.raises(ValueError, match=message):
        Cadence.parse(code)


@pytest.mark.parametrize(
    ("count", "unit", "message"),
    [
        (1, "days", None),
        (MAX_DAYS, "days", None),
        (104, "weeks", None),
        (24, "months", None),
        ("3", "weeks", None),
        (MAX_DAYS + 1, "days", "A cadence can be at most two years."),
        (105, "weeks", "A cadence can be at most two years."),
        (25, "months", "A cadence can be at most two years."),
        (0, "weeks", "The count must be a whole number of at least 1."),
        (-1, "months", "The count must be a whole number of at least 1."),
        (1.5, "weeks", "The count must be a whole number of at least 1."),
        (None, "weeks", "The count must be a whole number of at least 1."),
        (True, "days", "The count must be a whole number of at least 1."),
        ("abc", "weeks", "The count must be a whole number of at least 1."),
        ("", "weeks", "The count must be a whole number of at least 1."),
        (2, "years", "The unit must be days, weeks or months."),
        (2, "Weeks", "The unit must be days, weeks or months."),
        (2, "", "The unit must be days, weeks or months."),
        (2, None, "The unit must be days, weeks or months."),
    ],
)
def test_validate(count, unit, message):
    assert Cadence.validate(count, unit) == message


@pytest.mark.parametrize(
    ("count", "unit"), [(0, "weeks"), (-3, "days"), (2, "years"), (800, "days"), ("2", "weeks")]
)
def test_an_absurd_cadence_cannot_be_built(count, unit):
    with pytest.raises(ValueError):
        Cadence(count, unit)


def test_units():
    assert UNITS == ("days", "weeks", "months")


# --- kinds, stages, last contact ------------------------------------------------------

def test_kinds_and_stages_in_display_order():
    assert [kind.label for kind in KINDS.values()] == ["In person", "Call", "Video", "Message"]
    assert list(STAGES.values()) == ["Prospect", "Active", "Paused", "Alumni"]
    assert list(STATUSES.values()) == ["Overdue", "Due today", "Due this week", "Later"]


@pytest.mark.parametrize(
    ("messages_count", "kinds"),
    [
        (False, ("in_person", "call", "video")),
        (True, ("in_person", "call", "video", "message")),
    ],
)
def test_messages_reset_the_cadence_only_when_the_account_says_so(messages_count, kinds):
    assert counting_kinds(messages_count) == kinds


@pytest.mark.parametrize(
    ("stage", "paused_until", "expected"),
    [
        ("prospect", None, "prospect"),
        ("active", None, "active"),
        ("alumni", None, "alumni"),
        ("paused", None, "paused"),
        ("paused", TODAY + timedelta(days=1), "paused"),
        ("paused", TODAY, "active"),
        ("paused", TODAY - timedelta(days=30), "active"),
        ("alumni", TODAY - timedelta(days=30), "alumni"),
    ],
)
def test_effective_stage(stage, paused_until, expected):
    assert effective_stage(stage, paused_until, TODAY) == expected


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError):
        effective_stage("friend", None, TODAY)


CONTACTS = [
    (D(2026, 5, 1), "call"),
    (D(2026, 4, 2), "in_person"),
    (D(2026, 6, 10), "message"),
    (D(2026, 3, 5), "video"),
]


@pytest.mark.parametrize(
    ("contacts", "messages_count", "expected"),
    [
        (CONTACTS, False, D(2026, 5, 1)),
        (CONTACTS, True, D(2026, 6, 10)),
        ([], False, None),
        ([(D(2026, 6, 10), "message")], False, None),
        ([(D(2026, 6, 10), "message")], True, D(2026, 6, 10)),
        # Logged in this order: the later entry is a backdated, older conversation.
        ([(D(2026, 6, 1), "call"), (D(2026, 2, 1), "in_person")], False, D(2026, 6, 1)),
    ],
)
def test_last_contact(contacts, messages_count, expected):
    assert last_contact(contacts, messages_count) == expected


def test_last_contact_accepts_any_iterable():
    assert last_contact(iter(CONTACTS), messages_count=False) == D(2026, 5, 1)


# --- due_on ---------------------------------------------------------------------------

def due(**overrides):
    args = {"cadence": MONTHLY, "stage": "active", "today": TODAY, "added_on": D(2026, 1, 10)}
    return due_on(**(args | overrides))


def test_a_member_never_contacted_is_due_the_day_they_were_added():
    assert due() == D(2026, 1, 10)
    assert status(due(), TODAY) == "overdue"


@pytest.mark.parametrize(
    ("last", "last_spoke_on", "expected"),
    [
        (None, D(2026, 5, 20), D(2026, 6, 20)),
        (D(2026, 6, 1), None, D(2026, 7, 1)),
        (D(2026, 6, 1), D(2026, 5, 20), D(2026, 7, 1)),
        (D(2026, 5, 1), D(2026, 5, 20), D(2026, 6, 20)),
        (D(2026, 1, 31), None, D(2026, 2, 28)),
    ],
)
def test_cadence_runs_from_the_later_of_last_contact_and_last_spoke(last, last_spoke_on, expected):
    assert due(last=last, last_spoke_on=last_spoke_on) == expected


def test_weekly_cadence():
    assert due(cadence=WEEKLY, last=D(2026, 6, 10)) == D(2026, 6, 17)


def test_a_backdated_log_never_moves_the_due_date_backwards():
    contacts = [(D(2026, 6, 1), "call")]
    before = due(last=last_contact(contacts, False))
    contacts.append((D(2026, 3, 1), "in_person"))  # remembered and logged late
    assert due(last=last_contact(contacts, False)) == before == D(2026, 7, 1)


def test_a_backdated_log_newer_than_the_last_one_moves_the_due_date_forward():
    contacts = [(D(2026, 5, 1), "call"), (D(2026, 6, 1), "video")]
    assert due(last=last_contact(contacts, False)) == D(2026, 7, 1)


@pytest.mark.parametrize(
    ("messages_count", "expected"), [(True, D(2026, 7, 10)), (False, D(2026, 6, 1))]
)
def test_a_message_moves_the_due_date_only_when_messages_count(messages_count, expected):
    contacts = [(D(2026, 5, 1), "call"), (D(2026, 6, 10), "message")]
    assert due(last=last_contact(contacts, messages_count)) == expected


@pytest.mark.parametrize(
    ("snoozed_until", "expected"),
    [
        (TODAY + timedelta(days=5), TODAY + timedelta(days=5)),
        (TODAY, D(2026, 6, 1)),
        (TODAY - timedelta(days=3), D(2026, 6, 1)),
        (None, D(2026, 6, 1)),
    ],
)
def test_a_snooze_holds_only_while_it_lies_in_the_future(snoozed_until, expected):
    assert due(last=D(2026, 5, 1), snoozed_until=snoozed_until) == expected


def test_a_snooze_leaves_the_cadence_untouched():
    snoozed_until = D(2026, 6, 20)
    assert due(last=D(2026, 5, 1), snoozed_until=snoozed_until) == snoozed_until
    # Once the snooze has passed, the member is due by the cadence again (overdue).
    later = D(2026, 6, 21)
    assert due(last=D(2026, 5, 1), snoozed_until=snoozed_until, today=later) == D(2026, 6, 1)


def test_a_snooze_applies_to_a_member_never_contacted():
    assert due(snoozed_until=D(2026, 6, 30)) == D(2026, 6, 30)


@pytest.mark.parametrize(
    ("stage", "paused_until", "expected"),
    [
        ("prospect", None, D(2026, 6, 1)),
        ("active", None, D(2026, 6, 1)),
        ("paused", None, None),
        ("paused", TODAY + timedelta(days=1), None),
        ("paused", TODAY, D(2026, 6, 1)),
        ("paused", TODAY - timedelta(days=10), D(2026, 6, 1)),
        ("alumni", None, None),
    ],
)
def test_stages(stage, paused_until, expected):
    assert due(stage=stage, paused_until=paused_until, last=D(2026, 5, 1)) == expected


def test_alumni_and_paused_members_stay_without_a_due_date_even_when_snoozed():
    assert due(stage="alumni", snoozed_until=TODAY + timedelta(days=3)) is None
    assert due(stage="paused", snoozed_until=TODAY + timedelta(days=3)) is None


# --- alumni who stay in touch yearly ---------------------------------------------------

@pytest.mark.parametrize(
    ("last", "closed_on", "expected"),
    [
        (D(2026, 5, 1), D(2026, 5, 1), D(2027, 5, 1)),  # thanked them on the day it closed
        (D(2025, 1, 10), D(2026, 5, 1), D(2027, 5, 1)),  # lost touch: a year after the close
        (D(2026, 6, 1), D(2026, 5, 1), D(2027, 6, 1)),  # a check-in moves the next one
        (D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 28)),  # a leap day lands on 28 Feb
        (None, None, D(2026, 1, 10)),  # neither known: due the day they were added
    ],
)
def test_alumni_with_a_yearly_check_in_are_due_a_year_after_contact_or_close(
        last, closed_on, expected):
    assert due(stage="alumni", yearly_check_in=True, last=last, closed_on=closed_on,
               cadence=WEEKLY) == expected


def test_alumni_without_a_yearly_check_in_are_never_due():
    assert due(stage="alumni", yearly_check_in=False, last=D(2020, 1, 1),
               closed_on=D(2020, 1, 1)) is None


def test_a_yearly_check_in_means_nothing_to_members_still_on_the_board():
    assert due(yearly_check_in=True, last=D(2026, 5, 1), closed_on=D(2026, 6, 1)) == D(2026, 6, 1)


def test_an_alumni_check_in_can_be_snoozed():
    assert due(stage="alumni", yearly_check_in=True, last=D(2025, 6, 1),
               snoozed_until=TODAY + timedelta(days=3)) == TODAY + timedelta(days=3)


def test_reminder_cadence_is_yearly_only_for_alumni_checking_in():
    assert reminder_cadence(WEEKLY, "alumni", True) == YEARLY
    assert reminder_cadence(WEEKLY, "alumni", False) == WEEKLY
    assert reminder_cadence(WEEKLY, "active", True) == WEEKLY


# --- status and urgency ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("offset", "window", "expected"),
    [
        (-1, 0, "overdue"), (0, 0, "due"), (1, 0, "later"),
        (-30, 7, "overdue"), (-1, 7, "overdue"), (0, 7, "due"), (1, 7, "soon"),
        (7, 7, "soon"), (8, 7, "later"),
        (-1, 14, "overdue"), (0, 14, "due"), (8, 14, "soon"), (14, 14, "soon"),
        (15, 14, "later"),
    ],
)
def test_status_boundaries(offset, window, expected):
    assert status(TODAY + timedelta(days=offset), TODAY, window) == expected


def test_status_window_defaults_to_a_week():
    assert status(TODAY + timedelta(days=7), TODAY) == "soon"
    assert status(TODAY + timedelta(days=8), TODAY) == "later"


def test_urgency_weighs_lateness_against_the_cadence():
    week_ago = TODAY - timedelta(days=7)
    assert urgency(week_ago, TODAY, WEEKLY) == 1.0
    assert urgency(week_ago, TODAY, YEARLY) == pytest.approx(7 / 365.2425)
    assert urgency(TODAY, TODAY, MONTHLY) == 0
    assert urgency(TODAY + timedelta(days=3), TODAY, WEEKLY) < 0


def test_sorting_by_urgency_puts_the_most_neglected_first():
    members = {
        "yearly, a week late": (TODAY - timedelta(days=7), YEARLY),
        "weekly, due in 3 days": (TODAY + timedelta(days=3), WEEKLY),
        "weekly, a week late": (TODAY - timedelta(days=7), WEEKLY),
        "monthly, due today": (TODAY, MONTHLY),
        "monthly, 3 weeks late": (TODAY - timedelta(days=21), MONTHLY),
    }
    def most_urgent_first(name):
        due_date, cadence = members[name]
        return -urgency(due_date, TODAY, cadence)

    order = sorted(members, key=most_urgent_first)
    assert order == [
        "weekly, a week late",
        "monthly, 3 weeks late",
        "yearly, a week late",
        "monthly, due today",
        "weekly, due in 3 days",
    ]


# --- time zones -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        ("Pacific/Auckland", "2026-11-23T11:30:00+00:00", D(2026, 11, 24)),
        ("America/Los_Angeles", "2026-11-23T11:30:00+00:00", D(2026, 11, 23)),
        ("UTC", "2026-11-23T11:30:00+00:00", D(2026, 11, 23)),
        ("Pacific/Auckland", "2026-11-23T07:30:00+00:00", D(2026, 11, 23)),
        ("America/Los_Angeles", "2026-11-23T07:30:00+00:00", D(2026, 11, 22)),
        ("UTC", "2026-11-23T07:30:00+00:00", D(2026, 11, 23)),
        ("America/Los_Angeles", "2026-11-23T00:30:00+00:00", D(2026, 11, 22)),
        ("Europe/London", "2026-11-23T23:59:00+00:00", D(2026, 11, 23)),
        ("Europe/London", "2026-06-23T23:30:00+00:00", D(2026, 6, 24)),  # summer time
        ("UTC", "2026-11-23T05:00:00+05:30", D(2026, 11, 22)),  # any aware time works
    ],
)
def test_today_depends_on_the_account_time_zone(zone, now, expected):
    assert today_in(zone, datetime.fromisoformat(now)) == expected


def test_the_same_due_date_reads_differently_across_time_zones():
    now = datetime(2026, 11, 23, 11, 30, tzinfo=timezone.utc)
    due_date = D(2026, 11, 23)
    assert status(due_date, today_in("Pacific/Auckland", now)) == "overdue"
    assert status(due_date, today_in("America/Los_Angeles", now)) == "due"


def test_today_defaults_to_now():
    before = datetime.now(timezone.utc).date()
    assert today_in("UTC") in {before, before + timedelta(days=1)}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "Pacific", "localtime", "../etc/passwd"])
def test_unknown_time_zones_are_refused(zone):
    assert not is_timezone(zone)
    with pytest.raises(ValueError):
        today_in(zone, datetime(2026, 1, 1, tzinfo=timezone.utc))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Pacific/Auckland", "America/Los_Angeles"])
def test_known_time_zones(zone):
    assert is_timezone(zone)


def test_a_naive_now_is_refused_rather_than_read_as_server_time():
    with pytest.raises(ValueError):
        today_in("UTC", datetime(2026, 11, 23, 11, 30))


# --- gaps -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], []),
        ([D(2026, 1, 1)], []),
        ([D(2026, 1, 1), D(2026, 1, 1)], []),
        ([D(2026, 1, 1), D(2026, 1, 15)], [14]),
        ([D(2026, 3, 10), D(2026, 1, 1), D(2026, 2, 1)], [31, 37]),
        ([D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 15)], [14]),
        ([D(2028, 2, 28), D(2028, 3, 1)], [2]),
    ],
)
def test_gaps(days, expected):
    assert gaps(days) == expected
    assert gaps(iter(days)) == expected


# --- wording --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        (None, TODAY, "never"),
        (TODAY, TODAY, "today"),
        (D(2026, 6, 14), TODAY, "yesterday"),
        (D(2026, 6, 13), TODAY, "2 days ago"),
        (D(2026, 6, 12), TODAY, "3 days ago"),
        (D(2026, 6, 2), TODAY, "13 days ago"),
        (D(2026, 6, 1), TODAY, "2 weeks ago"),
        (D(2026, 5, 11), TODAY, "5 weeks ago"),
        (D(2026, 4, 16), TODAY, "8 weeks ago"),  # 60 days, not yet two calendar months
        (D(2026, 4, 15), TODAY, "2 months ago"),
        (D(2026, 1, 15), TODAY, "5 months ago"),
        (D(2025, 6, 16), TODAY, "11 months ago"),
        (D(2025, 6, 15), TODAY, "1 year ago"),
        (D(2024, 6, 16), TODAY, "1 year ago"),
        (D(2024, 6, 15), TODAY, "2 years ago"),
        (D(2026, 1, 31), D(2026, 3, 31), "2 months ago"),
        (D(2026, 12, 31), D(2027, 2, 28), "2 months ago"),  # month-end clamp
        (D(2028, 2, 29), D(2029, 2, 28), "1 year ago"),  # leap day
        (D(2026, 6, 16), TODAY, "tomorrow"),
        (D(2026, 6, 20), TODAY, "in 5 days"),
    ],
)
def test_ago(day, today, expected):
    assert ago(day, today) == expected


@pytest.mark.parametrize(
    ("due_date", "expected"),
    [
        (TODAY, "due today"),
        (D(2026, 6, 16), "due tomorrow"),
        (D(2026, 6, 17), "due in 2 days"),
        (D(2026, 6, 20), "due in 5 days"),
        (D(2026, 6, 28), "due in 13 days"),
        (D(2026, 6, 29), "due in 2 weeks"),
        (D(2026, 7, 6), "due in 3 weeks"),
        (D(2026, 8, 15), "due in 2 months"),
        (D(2027, 6, 15), "due in 1 year"),
        (D(2026, 6, 14), "1 day overdue"),
        (D(2026, 6, 13), "2 days overdue"),
        (D(2026, 6, 3), "12 days overdue"),
        (D(2026, 6, 1), "2 weeks overdue"),
        (D(2026, 5, 25), "3 weeks overdue"),
        (D(2026, 4, 15), "2 months overdue"),
        (D(2025, 6, 15), "1 year overdue"),
        (D(2024, 6, 15), "2 years overdue"),
    ],
)
def test_relative_due(due_date, expected):
    assert relative_due(due_date, TODAY) == expected
