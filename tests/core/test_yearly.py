"""The pure rules of birthdays and yearly dates (advisory/core/yearly.py)."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from advisory.core import vcards
from advisory.core.cadence import today_in
from advisory.core.yearly import (
    coming_up, day_problem, falls_on, next_on_or_after, sentence, title, turns, unpacked,
    year_problem,
)

TODAY = date(2026, 12, 7)  # a Monday


def row(name="Dana", month=12, day=10, year=None, label="", birthday=True, person_id=1):
    return SimpleNamespace(person_id=person_id, name=name, label=label, birthday=birthday,
                           month=month, day=day, year=year)


def test_29_february_falls_on_the_28th_without_a_leap_year():
    assert falls_on(2, 29, 2028) == date(2028, 2, 29)
    assert falls_on(2, 29, 2027) == date(2027, 2, 28)
    assert falls_on(2, 29, 2100) == date(2100, 2, 28)  # a century is not leap
    assert falls_on(2, 29, 2000) == date(2000, 2, 29)
    assert next_on_or_after(2, 29, date(2027, 1, 1)) == date(2027, 2, 28)
    assert next_on_or_after(2, 29, date(2027, 3, 1)) == date(2028, 2, 29)


def test_the_next_time_is_today_or_later():
    assert next_on_or_after(12, 7, TODAY) == TODAY
    assert next_on_or_after(12, 6, TODAY) == date(2027, 12, 6)
    assert next_on_or_after(1, 1, TODAY) == date(2027, 1, 1)


@pytest.mark.parametrize("month, day, message", [
    (4, 31, "31 April does not exist."),
    (2, 30, "30 February does not exist."),
    (13, 1, "Pick a month from the list."),
    (1, 0, "Enter a day from 1 to 31."),
])
def test_impossible_days_say_what_is_wrong(month, day, message):
    assert day_problem(month, day) == message


@pytest.mark.parametrize("month, day, year, message", [
    (2, 29, 2023, "2023 had no 29 February."),
    (12, 8, 2026, "That date is in the future: enter the year it happened, or leave it empty."),
    (1, 1, 2027, "That year is in the future: enter the year it happened, or leave it empty."),
    (5, 1, 1850, "Enter a year from 1900, or leave it empty."),
])
def test_impossible_years_say_what_is_wrong(month, day, year, message):
    assert year_problem(month, day, year, TODAY) == message


def test_real_dates_pass():
    assert day_problem(2, 29) is None  # a leap-day birthday without its year
    assert year_problem(2, 29, None, TODAY) is None
    assert year_problem(2, 29, 1988, TODAY) is None
    assert year_problem(12, 7, 2026, TODAY) is None  # born today
    assert day_problem(12, 31) is None


def test_an_age_only_when_the_year_is_known():
    assert turns(1986, date(2026, 12, 10)) == 40
    assert turns(None, date(2026, 12, 10)) is None
    assert turns(2026, date(2026, 12, 10)) is None  # no "turns 0"


def test_names_of_dates():
    assert title("Dana", "", True) == "Dana's birthday"
    assert title("Dana", "work anniversary", False) == "Dana: work anniversary"


def test_coming_up_within_the_window_soonest_first():
    found = coming_up([row("Eli", 12, 14), row("Dana", 12, 10, 1986), row("Ann", 12, 15),
                       row("Bo", 12, 6)], TODAY, 7)
    assert [u.name for u in found] == ["Dana", "Eli"]  # the 15th is past the window
    assert found[0].words(TODAY) == "Dana's birthday (40), Thu"
    assert found[1].words(TODAY) == "Eli's birthday, Mon 14 Dec"


def test_today_and_tomorrow_in_words():
    found = coming_up([row("Dana", 12, 7), row("Ivo", 12, 8, label="company founded",
                                                   birthday=False)], TODAY, 0)
    assert [u.words(TODAY) for u in found] == ["Today: Dana's birthday"]
    found = coming_up([row("Ivo", 12, 8, label="company founded", birthday=False)], TODAY, 1)
    assert found[0].words(TODAY) == "Ivo: company founded, tomorrow"
    founded = coming_up([row("Ivo", 12, 8, 2016, label="company founded", birthday=False)],
                        TODAY, 1)
    assert founded[0].words(TODAY) == "Ivo: company founded (10 years), tomorrow"


def test_a_reminder_names_the_first_few_dates_of_the_day():
    found = coming_up([row(f"P{n}", 12, 7) for n in range(6)], TODAY, 0)
    assert sentence(found[:2]) == "Today: P0's birthday, P1's birthday"
    assert sentence(found) == ("Today: P0's birthday, P1's birthday, P2's birthday, "
                               "P3's birthday and 2 more")


def test_the_window_wraps_into_the_new_year():
    found = coming_up([row("Dana", 1, 2), row("Eli", 2, 29)], date(2026, 12, 30), 7)
    assert [(u.name, u.on) for u in found] == [("Dana", date(2027, 1, 2))]
    found = coming_up([row("Eli", 2, 29)], date(2027, 2, 25), 7)
    assert [u.on for u in found] == [date(2027, 2, 28)]  # on the 28th, as in the feed


def test_today_is_the_account_s_local_day():
    """At 23:30 UTC on 6 December it is already the 7th in Auckland: Dana's birthday is
    today there, tomorrow in London."""
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)
    dana = [row("Dana", 12, 7)]
    auckland = today_in("Pacific/Auckland", moment)
    london = today_in("Europe/London", moment)
    assert coming_up(dana, auckland, 0)[0].words(auckland) == "Today: Dana's birthday"
    assert coming_up(dana, london, 0) == []
    assert coming_up(dana, london, 1)[0].words(london) == "Dana's birthday, tomorrow"


# Birthdays and anniversaries from a phone's contacts (core/vcards.py) ------------------

def card(*lines: str) -> bytes:
    return "\r\n".join(["BEGIN:VCARD", *lines, "END:VCARD", ""]).encode()


def dates_in(*lines: str) -> list[tuple]:
    [person] = vcards.parse(card("FN:Dana Reyes", *lines))
    return [(d.kind, d.label, d.month, d.day, d.year) for d in person.dates]


@pytest.mark.parametrize("lines, expected", [
    # Google Contacts (3.0): a birthday with or without its year, events as X-ABDATE
    (("VERSION:3.0", "BDAY:1985-04-15", "item2.X-ABDATE:2010-06-12",
      "item2.X-ABLabel:_$!<Anniversary>!$_", "item3.X-ABDATE:--09-01",
      "item3.X-ABLabel:Company founded"),
     [("birthday", "", 4, 15, 1985), ("date", "anniversary", 6, 12, 2010),
      ("date", "Company founded", 9, 1, None)]),
    (("VERSION:3.0", "BDAY:--04-15"), [("birthday", "", 4, 15, None)]),
    # Apple Contacts (3.0): 1604 stands for "no year"; VALUE=date; grouped dates
    (("VERSION:3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15",
      "item1.X-ABDATE;type=pref:2010-06-12", "item1.X-ABLabel:_$!<Other>!$_"),
     [("birthday", "", 4, 15, None), ("date", "other date", 6, 12, 2010)]),
    (("VERSION:3.0", "BDAY;VALUE=date:1985-04-15"), [("birthday", "", 4, 15, 1985)]),
    # Android (2.1): basic dates, X-ANNIVERSARY
    (("VERSION:2.1", "BDAY:19850415", "X-ANNIVERSARY:2010-06-12"),
     [("birthday", "", 4, 15, 1985), ("date", "anniversary", 6, 12, 2010)]),
    # vCard 4.0: --MMDD without a year, a date-time, ANNIVERSARY
    (("VERSION:4.0", "BDAY:--0229", "ANNIVERSARY:19960415T000000Z"),
     [("birthday", "", 2, 29, None), ("date", "anniversary", 4, 15, 1996)]),
    # what is not a whole day of the year is left out, the person kept
    (("VERSION:4.0", "BDAY;VALUE=text:circa 1800", "ANNIVERSARY:--04"), []),
    (("VERSION:3.0", "BDAY:1985-04-31", "X-ANNIVERSARY:1800-06-12"),
     [("date", "anniversary", 6, 12, None)]),
    (("VERSION:3.0", "BDAY:2023-02-29"), [("birthday", "", 2, 29, None)]),  # a year it lacks
])
def test_vcard_birthdays_and_anniversaries(lines, expected):
    assert dates_in(*lines) == expected


def test_dates_sent_back_by_a_page_are_checked_again():
    sent = [["birthday", "ignored", 4, 15, 1985], ["date", "x\x00 " * 60, 6, 12, None],
            ["date", "", 6, 12, None], ["birthday", "", 4, 31, None], ["odd"], "text",
            ["date", "fête", True, 1, None], ["date", "fête", 1, 1, "1999"]]
    assert [v.packed() for v in unpacked(sent)] == [
        ["birthday", "", 4, 15, 1985], ["date", ("x " * 50).strip(), 6, 12, None]]
    assert unpacked("not a list") == ()
