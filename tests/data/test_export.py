"""Taking everything out: the JSON document and the two CSV files (advisory/export.py)."""
import csv
import io
import json
from datetime import date

from advisory.data import export
from advisory.models import Advice, Advisor, Contact, Give, Promise, User
from support import add_advisor


def board(user):
    """Two advisors with a history: accents, a formula-looking name, a snooze, notes."""
    zoe = add_advisor(user, name="Zoë Müller", role="wisdom", email="zoe@example.de",
                      cadence_count=6, cadence_unit="weeks", why="Changed industry twice",
                      notes="Line one\nline two, with a comma", snoozed_until=date(2026, 3, 1),
                      added_on=date(2025, 1, 10), last_spoke_on=date(2024, 12, 1))
    zoe.log_contact(happened_on=date(2025, 2, 1), kind="call", notes="Talked about \"scope\"",
                    thanked=True, key="key-0001-abcd")
    zoe.log_contact(happened_on=date(2025, 1, 15), kind="message")
    add_advisor(user, name='=HYPERLINK("http://evil.example","click")', role="balance",
                phone="+44 20 7946 0000", organisation="-2+3", added_on=date(2025, 2, 2))
    return zoe


def test_json_export_holds_the_whole_account_and_no_secrets(session, user):
    board(user)
    response = session.get("/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="advisory-')
    assert "no-store" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    document = json.loads(body)
    assert (document["format"], document["version"]) == ("advisory", 1)
    assert document["account"]["email"] == "ada@example.com"
    assert document["account"]["timezone"] == "UTC"
    zoe, formula = document["advisors"]
    assert zoe["name"] == "Zoë Müller" and "Zoë Müller" in body  # real characters, not \u escapes
    assert (zoe["cadence_count"], zoe["cadence_unit"], zoe["role"]) == (6, "weeks", "wisdom")
    assert (zoe["added_on"], zoe["last_spoke_on"]) == ("2025-01-10", "2024-12-01")
    assert zoe["notes"] == "Line one\nline two, with a comma"
    # Logging cleared the snooze; the contact that cleared it remembers it for undo.
    assert zoe["snoozed_until"] is None
    assert [c["happened_on"] for c in zoe["contacts"]] == ["2025-01-15", "2025-02-01"]
    call = zoe["contacts"][1]
    assert (call["kind"], call["thanked"], call["idempotency_key"]) == ("call", True, "key-0001-abcd")
    assert call["cleared_snooze"] == "2026-03-01"
    assert formula["phone"] == "+44 20 7946 0000" and formula["contacts"] == []
    assert user.password_hash not in body and "scrypt" not in body
    assert all(token.token not in body for token in user.feed_tokens)


def test_json_export_is_deterministic(session, user):
    board(user)
    first = session.get("/export.json").get_data()
    assert session.get("/export.json").get_data() == first
    assert first == "".join(export.json_chunks(user)).encode()


def test_export_of_an_empty_board_is_a_valid_document(session, user):
    document = json.loads(session.get("/export.json").get_data())
    assert document["advisors"] == []


def test_another_accounts_data_never_appears_in_an_export(session, user, other):
    mine = add_advisor(user, name="My Mentor")
    mine.log_contact(happened_on=date(2025, 1, 1), kind="call", notes="my talk")
    theirs = add_advisor(other, name="Private Person", notes="their secret")
    theirs.log_contact(happened_on=date(2025, 1, 2), kind="call", notes="their talk")
    for url in ("/export.json", "/export/advisors.csv", "/export/contacts.csv"):
        body = session.get(url).get_data(as_text=True)
        assert "My Mentor" in body
        assert "Private Person" not in body and "their" not in body and "grace@" not in body


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data().decode("utf-8-sig")  # a BOM, so spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(text, newline="")))


def test_advisors_csv_cell_by_cell(session, user):
    board(user)
    rows = read_csv(session.get("/export/advisors.csv"))
    assert rows[0] == list(export.ADVISOR_COLUMNS)
    zoe = dict(zip(rows[0], rows[1]))
    assert zoe == {
        "uid": Advisor.get(Advisor.name == "Zoë Müller").uid, "name": "Zoë Müller",
        "role": "wisdom", "stage": "active", "closed_on": "", "close_reason": "", "lesson": "",
        "yearly_check_in": "no", "cadence_count": "6", "cadence_unit": "weeks",
        "email": "zoe@example.de", "phone": "", "organisation": "",
        "why": "Changed industry twice", "offer": "", "meeting_style": "",
        "meeting_kind": "call", "horizon": "", "agenda": "",
        "notes": "Line one\nline two, with a comma", "last_spoke_on": "2024-12-01",
        "snoozed_until": "", "paused_until": "", "added_on": "2025-01-10",
        "relation": "advisor", "ideal_next_step": "", "strengths": "", "introductions_to_make": "",
    }
    formula = dict(zip(rows[0], rows[2]))
    # Text that a spreadsheet would run as a formula starts with a quote instead.
    assert formula["name"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert formula["organisation"] == "'-2+3"
    assert formula["phone"] == "'+44 20 7946 0000"
    assert len(rows) == 3


def test_contacts_csv_cell_by_cell(session, user):
    zoe = board(user)
    rows = read_csv(session.get("/export/contacts.csv"))
    assert rows == [
        list(export.CONTACT_COLUMNS),
        [zoe.uid, "Zoë Müller", "2025-01-15", "message", "", "no"],
        [zoe.uid, "Zoë Müller", "2025-02-01", "call", 'Talked about "scope"', "yes"],
    ]


def test_every_stored_field_is_exported():
    """A column added later fails this until the export (and import) carry it."""
    assert set(export.ADVISOR_FIELDS) == set(Advisor._meta.fields) - export.ADVISOR_COLUMNS_LEFT_OUT
    assert set(export.CONTACT_FIELDS) == set(Contact._meta.fields) - export.CONTACT_COLUMNS_LEFT_OUT
    assert set(export.PROMISE_FIELDS) == set(Promise._meta.fields) - export.PROMISE_COLUMNS_LEFT_OUT
    assert set(export.ADVICE_FIELDS) == set(Advice._meta.fields) - export.ADVICE_COLUMNS_LEFT_OUT
    assert set(export.GIVE_FIELDS) == set(Give._meta.fields) - export.GIVE_COLUMNS_LEFT_OUT
    secrets_and_bookkeeping = {"id", "password_hash", "created_at", "feed_changed_at",
                               "reminder_due_at"}
    assert set(export.ACCOUNT_FIELDS) == set(User._meta.fields) - secrets_and_bookkeeping


def test_every_cell_that_could_start_a_formula_is_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert export.safe_cell(start + "1+1") == "'" + start + "1+1"
    assert export.safe_cell("Dana") == "Dana"
    assert export.safe_cell(-3) == -3  # a real number stays a number


def test_exports_need_a_login(client, user):
    for url in ("/export.json", "/export/advisors.csv", "/export/contacts.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_export_is_streamed(session, user):
    board(user)
    response = session.get("/export.json", buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) >= 3  # the head, one line per advisor, the tail
    response.close()


def test_cli_export_to_a_file_and_to_standard_output(runner, user, tmp_path):
    board(user)
    target = tmp_path / "ada.json"
    result = runner.invoke(args=["export", "ADA@example.com", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == "".join(export.json_chunks(user))
    printed = runner.invoke(args=["export", "ada@example.com"])
    assert json.loads(printed.stdout) == export.document(user)
    missing = runner.invoke(args=["export", "nobody@example.com"])
    assert missing.exit_code != 0 and "No account for nobody@example.com" in missing.output


def test_a_compressed_export_is_still_streamed_and_whole(session, user):
    import zlib
    board(user)
    plain_bytes = session.get("/export.json").get_data()
    # Flask-Compress compresses a stream chunk by chunk with deflate, br or zstd (not gzip).
    response = session.get("/export.json", headers={"Accept-Encoding": "deflate"}, buffered=False)
    assert response.is_streamed and response.headers["Content-Encoding"] == "deflate"
    assert zlib.decompress(b"".join(response.response)) == plain_bytes
    response.close()
