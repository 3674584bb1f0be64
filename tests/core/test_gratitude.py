"""Gratitude counted from the log, without a server."""
from datetime import date

from advisory.core.gratitude import Gratitude, Touch, Year, gratitude, owed_thanks, year

TODAY = date(2026, 12, 5)


def touch(day: str, kind: str = "call", thanked: bool = False) -> Touch:
    return Touch(date.fromisoformat(day), kind, thanked)


def test_conversations_since_the_last_thanks():
    found = gratitude([touch("2026-11-20"), touch("2026-03-02", thanked=True),
                       touch("2026-06-01"), touch("2026-09-01", "video")])
    assert found == Gratitude(date(2026, 3, 2), 3)
    assert found.words() == "3 conversations since you last thanked them"
    assert found.nudge()


def test_messages_are_not_conversations_but_a_thank_you_note_counts():
    found = gratitude([touch("2026-01-01"), touch("2026-02-01", "message"),
                       touch("2026-03-10", "message", thanked=True), touch("2026-04-01", "message")])
    assert found == Gratitude(date(2026, 3, 10), 0)
    assert found.words() == "last thanked in March 2026"
    assert not found.nudge()


def test_never_thanked():
    found = gratitude([touch(f"2026-0{month}-01", "in_person") for month in range(1, 5)])
    assert found.words() == "never thanked, in 4 conversations"
    assert gratitude([]).words() == ""
    assert gratitude([touch("2026-01-01")]).words() == "never thanked, in 1 conversation"
    assert not gratitude([touch("2026-01-01"), touch("2026-02-01")]).nudge()


def test_the_year_in_one_line():
    touches = [touch(f"2026-{month:02}-01", thanked=month in (2, 9)) for month in range(1, 13)]
    touches += [touch("2025-11-01", thanked=True), touch("2026-05-05", "message")]
    summary = year(touches, [date(2026, 7, 1), date(2025, 1, 1)], TODAY)
    assert summary == Year(12, 2, 1)
    assert summary.words() == "12 conversations, thanked twice, gave back once"
    assert Year(1, 0, 0).words() == "1 conversation, not thanked, nothing given back"
    assert Year(6, 3, 2).words() == "6 conversations, thanked 3 times, gave back twice"


def test_the_yearly_thank_you_round():
    assert owed_thanks(None, True, TODAY)
    assert owed_thanks(date(2025, 12, 4), True, TODAY)
    assert not owed_thanks(date(2025, 12, 5), True, TODAY)
    assert not owed_thanks(None, False, TODAY)  # never talked with: nothing to thank yet
