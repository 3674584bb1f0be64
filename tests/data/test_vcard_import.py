"""Importing a phone's whole address book (issue 17): nobody ticked in a big file, a role
and a last talk for the batch with per-person overrides, so nobody imported is due today
unless the person says so; bad input says what to fix, keeps what was chosen, saves nothing."""
import html
import io
import json
import re
from datetime import date, timedelta

import pytest

from advisory.core import vcards
from advisory.core.cadence import Cadence
from advisory.data.forms import ALL_TICKED_UP_TO, MOST_PROBLEMS_SHOWN
from advisory.models import Advisor
from support import add_advisor


def address_book(count: int) -> bytes:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:03d}\r\nEMAIL:person{i}@example.com\r\n"
        f"ORG:Company {i % 7}\r\nEND:VCARD\r\n" for i in range(count)).encode()


def preview(session, data: bytes) -> str:
    response = session.post("/import/vcard", {"file": (io.BytesIO(data), "contacts.vcf")},
                            content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def packed(page: str) -> str:
    return html.unescape(re.search(r'name="people" type="hidden" value="([^"]+)"', page).group(1))


def add(session, page: str, **fields):
    return session.post("/import/vcard/add", {"people": packed(page), **fields})


def ticked(page: str) -> list[str]:
    return re.findall(r'name="pick" value="(\d+)" checked', page)


def board(user) -> dict[str, Advisor]:
    return {advisor.name: advisor for advisor in Advisor.for_user(user)}


def message(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("count, all_ticked", [(ALL_TICKED_UP_TO, True),
                                               (ALL_TICKED_UP_TO + 1, False), (400, False)])
def test_a_few_people_are_all_ticked_and_an_address_book_nobody(session, user, count, all_ticked):
    page = preview(session, address_book(count))
    assert page.count('name="pick"') == count
    assert len(ticked(page)) == (count if all_ticked else 0)
    # The filter is offered for an address book only; it narrows the list, nothing is sent.
    assert ('id="people-filter"' in page) is not all_ticked
    assert 'name="people-filter"' not in page


def test_the_batch_choices_apply_to_everyone_but_a_person_can_differ(session, user):
    today = user.today()
    page = preview(session, address_book(30))
    response = add(session, page, pick=["0", "1", "2", "3"], role="wisdom", last_talked="week",
                   **{"role-1": "balance", "last_talked-1": "never",
                      "last_talked-2": "date", "last_spoke_on-2": "2025-01-31",
                      "last_spoke_on-3": str(today - timedelta(days=10))})
    assert response.status_code == 303
    added = board(user)
    assert set(added) == {"Person 000", "Person 001", "Person 002", "Person 003"}
    batch, own, dated, typed = (added[f"Person 00{i}"] for i in range(4))
    wisdom = Cadence.parse(user.default_cadence("wisdom"))
    assert (batch.role, batch.cadence) == ("wisdom", wisdom)
    assert batch.last_spoke_on == today - timedelta(days=3)  # "this week", as the add form
    assert batch.due_on(today) == wisdom.after(today - timedelta(days=3)) > today
    assert own.role == "balance" and own.last_spoke_on is None
    assert own.due_on(today) == today  # "never, or not yet": due the day they are added
    assert dated.last_spoke_on == date(2025, 1, 31)
    assert typed.last_spoke_on == today - timedelta(days=10)  # a date alone is an answer
    assert "Added 4 people to your board." in session.get("/board").get_data(as_text=True)


def test_nobody_is_due_today_unless_the_person_says_so(session, user):
    page = preview(session, address_book(25))
    unanswered = add(session, page, pick=["0", "1"], role="insight")
    assert unanswered.status_code == 422
    assert "Say when you last talked with the people you add" in message(unanswered)
    assert board(user) == {}
    assert add(session, page, pick=["0", "1"], role="insight", last_talked="months").status_code == 303
    today = user.today()
    assert all(a.due_on(today) != today for a in Advisor.for_user(user))


def test_everyone_ticked_can_have_their_own_answers_without_the_batch(session, user):
    page = preview(session, address_book(3))
    response = add(session, page, pick=["0"], **{"role-0": "expertise", "last_talked-0": "month"})
    assert response.status_code == 303
    assert board(user)["Person 000"].last_spoke_on == user.today() - timedelta(days=15)


def future(user) -> str:
    return str(user.today() + timedelta(days=2))


@pytest.mark.parametrize("fields, problem", [
    ({}, "Tick at least one person to add."),
    ({"pick": ["0"], "last_talked": "week"}, "Pick the role of the people you add."),
    ({"pick": ["0"], "role": "boss", "last_talked": "week"}, "Pick the role of the people you add."),
    ({"pick": ["0"], "role": "insight", "last_talked": "week", "role-0": "boss"},
     "Pick a role for Person 000."),
    ({"pick": ["0"], "role": "insight", "last_talked": "soon"},
     "When you last talked with everyone you add: Pick one of the choices."),
    ({"pick": ["0"], "role": "insight", "last_talked": "date"},
     "When you last talked with everyone you add: Enter the date you last talked"),
    ({"pick": ["0"], "role": "insight", "last_talked": "date", "last_spoke_on": "2025-02-30"},
     "Enter a real date as YYYY-MM-DD (2025-02-30 does not exist)."),
    ({"pick": ["0"], "role": "insight", "last_talked": "week", "last_talked-0": "date",
      "last_spoke_on-0": "next week"}, "When you last talked with Person 000: Enter a date"),
    ({"pick": ["0"], "role": "insight", "last_talked": "week", "last_spoke_on-0": future},
     "When you last talked with Person 000: That date is in the future"),
    ({"pick": ["0", "99"], "role": "insight", "last_talked": "week"},
     "Someone ticked is not in this file's list"),
    ({"pick": ["0", "-1", "x", "1" * 5000], "role": "insight", "last_talked": "week"},
     "Someone ticked is not in this file's list"),
])
def test_bad_choices_say_what_to_fix_keep_what_was_chosen_and_save_nothing(
        session, user, fields, problem):
    page = preview(session, address_book(30))
    fields = {name: value(user) if callable(value) else value for name, value in fields.items()}
    response = add(session, page, **fields)
    assert response.status_code == 422
    again = message(response)
    summary = again[again.index('class="error-summary"'):again.index('class="stack import-people"')]
    assert problem in summary
    assert board(user) == {}
    # What was chosen is still chosen: the ticks that name someone, the batch answers,
    # and a person's own answers, shown open.
    assert ticked(again) == [tick for tick in fields.get("pick", []) if tick in ("0", "1")]
    if fields.get("role") == "insight":
        assert re.search(r'<select id="role" name="role"[^>]*>.*?<option value="insight" selected>',
                         again, re.DOTALL)
    if fields.get("last_talked") == "week":
        assert re.search(r'<input[^>]*checked[^>]*value="week"|<input[^>]*value="week"[^>]*checked',
                         again)
    if "role-0" in fields or "last_spoke_on-0" in fields:
        row = again[again.index('value="0"'):again.index('value="1"')]
        assert "<details class=\"own\" open>" in row
        if "role-0" not in fields:
            assert f'value="{fields["last_spoke_on-0"]}"' in row


def test_a_crafted_post_with_thousands_of_problems_lists_a_few(session, user):
    page = preview(session, address_book(40))
    picks = [str(i) for i in range(40)]
    response = add(session, page, pick=picks, role="insight", last_talked="week",
                   **{f"role-{i}": "boss" for i in range(40)})
    assert response.status_code == 422
    text = message(response)
    assert text.count("Pick a role for Person") == MOST_PROBLEMS_SHOWN
    assert f"And {40 - MOST_PROBLEMS_SHOWN} more like these." in text
    assert board(user) == {}


def test_someone_already_on_the_board_cannot_be_ticked_and_is_skipped(session, user):
    add_advisor(user, name="Person 001 (work)", email="PERSON1@example.com")
    page = preview(session, address_book(25))
    assert 'value="1"' not in page and "is already on your board" in page
    # Ticked anyway (added on another device since the preview): skipped, not doubled.
    response = add(session, page, pick=["1", "2"], role="insight", last_talked="week")
    assert response.status_code == 303
    assert set(board(user)) == {"Person 001 (work)", "Person 002"}


def test_the_pages_own_post_of_a_full_file_is_accepted(session, user, monkeypatch):
    """Every person sends four fields (tick, role, last talk, date): the most a file may
    hold is accepted in the multipart encoding, whose number of parts is bounded."""
    monkeypatch.setattr(vcards, "MAX_PEOPLE", 30)
    page = preview(session, address_book(30))
    fields = {"people": packed(page), "role": "insight", "last_talked": "week",
              "pick": [str(i) for i in range(30)]}
    for i in range(30):
        fields.update({f"role-{i}": "", f"last_talked-{i}": "", f"last_spoke_on-{i}": ""})
    response = session.post("/import/vcard/add", fields, content_type="multipart/form-data")
    assert response.status_code == 303 and len(board(user)) == 30


def test_a_json_body_is_read_like_the_form(session, user):
    page = preview(session, address_book(2))
    response = session.client.post("/import/vcard/add", headers={"X-CSRFToken": session.token},
                                   json={"people": packed(page), "pick": "1", "role": "balance",
                                         "last_talked": "longer"})
    assert response.status_code == 303
    assert board(user)["Person 001"].last_spoke_on == user.today() - timedelta(days=365)


def test_the_preview_is_one_short_row_per_person(session, user):
    """400 people: a row each with the name and a line of details, their own choices
    folded; the page stays well under a megabyte."""
    page = preview(session, address_book(400))
    rows = re.findall(r'<li class="person" data-person>(.*?)</li>', page, re.DOTALL)
    assert len(rows) == 400
    assert all('<details class="own">' in row for row in rows)  # folded
    assert "Company 3 · person3@example.com" in rows[3]
    assert len(page.encode()) < 400 * 1700  # about 65 bytes a person once compressed
    assert json.loads(packed(page))[399] == ["Person 399", "person399@example.com", "", "Company 0"]
