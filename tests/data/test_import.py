"""Putting an export back: round trips, idempotency, another account, bad files, the pages
(advisory/core/import_document.py, advisory/data/importer.py, the views in advisory/data/views.py)."""
import io
import itertools
import json
import random
import re
import string
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.models import Advisor, Contact, User
from support import PASSWORD, add_advisor, make_user
from support.live import Device, LiveServer

emails = (f"person{n}@example.com" for n in itertools.count())


def without_ids(document: dict) -> dict:
    """The document minus what names the account or the installation's rows."""
    document = json.loads(json.dumps(document))
    document["account"].pop("email")
    for advisor in document["advisors"]:
        advisor.pop("uid")
    return document


def round_trip(source: User) -> tuple[dict, dict, User]:
    data = "".join(export.json_chunks(source)).encode()
    target = make_user(next(emails))
    importer.restore(target, parse(data), settings=True)
    return export.document(source), export.document(target), target


# Random boards -------------------------------------------------------------------------
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
# What a form can store: no control characters, and line breaks or tabs only in notes.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
notes = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                              include_characters="\n\r\t"), max_size=40)
contact = st.fixed_dictionaries({
    "happened_on": days, "kind": st.sampled_from(["in_person", "call", "video", "message"]),
    "notes": notes, "thanked": st.booleans(),
    "idempotency_key": st.none() | st.from_regex(r"[A-Za-z0-9-]{8,20}", fullmatch=True),
    "cleared_snooze": st.none() | days,
    "created_at": st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))
        .map(lambda d: d.replace(microsecond=0)),
})
advisor = st.fixed_dictionaries({
    "name": text.filter(str.strip).map(lambda s: s[:120]),
    "role": st.sampled_from(["insight", "expertise", "perspective", "wisdom", "balance"]),
    "stage": st.sampled_from(["prospect", "active", "paused", "alumni"]),
    "cadence_count": st.integers(1, 24), "cadence_unit": st.sampled_from(["weeks", "months"]),
    "email": text, "notes": notes, "agenda": notes, "why": notes,
    "last_spoke_on": st.none() | days, "snoozed_until": st.none() | days,
    "paused_until": st.none() | days, "added_on": days, "sequence": st.integers(0, 1000),
    "contacts": st.lists(contact, max_size=4),
})

reminder_settings = st.fixed_dictionaries({
    "digest": st.sampled_from(["off", "daily", "weekly"]), "digest_weekday": st.integers(0, 6),
    "reminder_time": st.times().map(lambda t: f"{t:%H:%M}"),
    "calendar_style": st.sampled_from(["person", "summary"]),
})


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(board=st.lists(advisor, max_size=4), zone=st.sampled_from(["UTC", "Asia/Tokyo"]),
       messages_count=st.booleans(), reminders=reminder_settings)
def test_round_trip_loses_nothing(app, board, zone, messages_count, reminders):
    """Export -> import into an empty account -> export gives the same document."""
    with app.app_context():
        source = make_user(next(emails), tz=zone, messages_count=messages_count,
                           role_cadences='{"wisdom": "3m"}', **reminders)
        for fields in board:
            fields = dict(fields)
            contacts = fields.pop("contacts")
            created = add_advisor(source, **fields)
            unique = {}
            for c in contacts:
                if c["idempotency_key"]:
                    unique.setdefault(c["idempotency_key"], c)  # keys are unique per advisor
            for c in contacts:
                if not c["idempotency_key"] or unique[c["idempotency_key"]] is c:
                    Contact.create(advisor=created, **c)
        before, after, target = round_trip(source)
        assert without_ids(after) == without_ids(before)
        # Importing the same file again changes nothing.
        again = importer.restore(target, parse(json.dumps(before).encode()))
        assert again.changes_nothing
        assert export.document(target) == after


def test_a_move_to_another_installation_keeps_every_byte(app, user, tmp_path):
    """Into a fresh database the UIDs (the calendar's event ids) stay as they were."""
    zoe = add_advisor(user, name="Zoë", notes="n")
    zoe.log_contact(happened_on=date(2025, 1, 1), kind="call", key="abcdefgh-1")
    before = "".join(export.json_chunks(user))
    with app.app_context():
        for model in (Contact, Advisor):
            model.delete().execute()
        importer.restore(user, parse(before.encode()), settings=True)
    assert "".join(export.json_chunks(user)) == before


def test_importing_twice_changes_nothing(user, other):
    zoe = add_advisor(other, name="Zoë")
    zoe.log_contact(happened_on=date(2025, 1, 1), kind="call", notes="same day")
    Contact.create(advisor=zoe, happened_on=date(2025, 1, 1), kind="call", notes="same day")
    data = "".join(export.json_chunks(other)).encode()
    first = importer.restore(user, parse(data))
    assert (len(first.new_advisors), first.new_contacts) == (1, 2)
    second = importer.restore(user, parse(data))
    assert second.changes_nothing and second.known_contacts == 2
    assert Contact.select().join(Advisor).where(Advisor.user == user).count() == 2


def test_another_accounts_export_goes_into_a_second_account(user, other):
    """UIDs are unique on the installation: the copy gets its own, the same each time."""
    theirs = add_advisor(other, name="Shared Mentor")
    data = "".join(export.json_chunks(other)).encode()
    importer.restore(user, parse(data))
    mine = Advisor.get(Advisor.user == user)
    assert mine.uid == importer.scoped_uid(theirs.uid, user) != theirs.uid
    assert Advisor.get_by_id(theirs.id).user_id == other.id  # theirs is untouched
    assert importer.plan(user, parse(data)).changes_nothing


def test_contacts_match_by_key_or_content_and_new_ones_are_added(user):
    zoe = add_advisor(user, name="Zoë")
    zoe.log_contact(happened_on=date(2025, 1, 1), kind="call", key="key-aaaa-1")
    zoe.log_contact(happened_on=date(2025, 1, 2), kind="video", notes="plain")
    document = export.document(user)
    contacts = document["advisors"][0]["contacts"]
    contacts[0]["notes"] = "edited elsewhere"  # same key: the same contact
    contacts.append({"happened_on": "2025-01-03", "kind": "call"})
    plan = importer.restore(user, parse(json.dumps(document).encode()))
    assert (plan.new_contacts, plan.known_contacts, len(plan.known_advisors)) == (1, 2, 1)
    assert [c.happened_on.day for c in Contact.history(zoe)] == [3, 2, 1]


def test_a_keyless_contact_like_a_keyed_one_survives_and_a_repeated_key_counts_once(user):
    """Two calls on one day, one logged offline (with a key), one by hand: both are kept.
    The same key twice in one file is one contact (the first)."""
    call = {"happened_on": "2025-01-03", "kind": "call"}
    document = valid()
    document["advisors"][0]["contacts"] = [{**call, "idempotency_key": "key-aaaa-1"}, call,
                                           {**call, "idempotency_key": "key-aaaa-1",
                                            "notes": "a second copy"}]
    plan = importer.restore(user, parse(json.dumps(document).encode()))
    assert (plan.new_contacts, plan.known_contacts) == (2, 1)
    stored = Contact.select().join(Advisor).where(Advisor.user == user)
    assert sorted((c.idempotency_key or "", c.notes) for c in stored) == [
        ("", ""), ("key-aaaa-1", "")]
    assert importer.plan(user, parse(json.dumps(document).encode())).changes_nothing


def test_new_contacts_for_a_known_advisor_move_its_feed_stamp(user):
    zoe = add_advisor(user, name="Zoë")
    document = export.document(user)
    document["advisors"][0]["contacts"] = [{"happened_on": "2025-01-03", "kind": "call"}]
    importer.restore(user, parse(json.dumps(document).encode()))
    assert Advisor.get_by_id(zoe.id).sequence > zoe.sequence


def test_settings_are_taken_only_when_asked(user, other):
    User.update(timezone="Asia/Tokyo", due_soon_days=3).where(User.id == other.id).execute()
    data = "".join(export.json_chunks(User.get_by_id(other.id))).encode()
    importer.restore(user, parse(data))
    assert User.get_by_id(user.id).timezone == "UTC"
    importer.restore(user, parse(data), settings=True)
    assert (User.get_by_id(user.id).timezone, User.get_by_id(user.id).due_soon_days) == ("Asia/Tokyo", 3)
    assert User.get_by_id(user.id).email == "ada@example.com"


def test_a_file_from_before_the_reminder_settings_imports_with_their_defaults(user):
    """Version 1 files written before reminders existed lack those settings."""
    User.update(digest="weekly", digest_weekday=4, reminder_time="18:30",
                calendar_style="summary").where(User.id == user.id).execute()
    old_file = json.dumps({"format": "advisory", "version": 1,
                           "account": {"timezone": "Europe/Paris"}, "advisors": []}).encode()
    importer.restore(user, parse(old_file), settings=True)
    stored = User.get_by_id(user.id)
    assert (stored.timezone, stored.digest, stored.digest_weekday, stored.reminder_time,
            stored.calendar_style) == ("Europe/Paris", "off", 0, "08:00", "person")


def valid() -> dict:
    return {"format": "advisory", "version": 1, "account": {"timezone": "UTC"},
            "advisors": [{"uid": "a@x", "name": "Dana", "role": "insight", "added_on": "2025-01-01",
                          "contacts": [{"happened_on": "2025-01-02", "kind": "call"}]}]}


def broken(change) -> bytes:
    document = valid()
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00garbage", "not text"),
    (b"{not json", "not valid JSON (line 1, column 2)"),
    (b"[1, 2]", 'lacks "format": "advisory"'),
    (broken(lambda d: d.update(version=2)), "version 2"),
    (broken(lambda d: d["advisors"][0].update(role="boss")),
     "Advisor 1 (Dana): the field “role” must be one of insight"),
    (broken(lambda d: d["advisors"][0].pop("added_on")), "Advisor 1 (Dana): the field “added_on” is missing"),
    (broken(lambda d: d["advisors"][0]["contacts"][0].update(happened_on="2025-02-30")),
     "Advisor 1 (Dana), contact 1: the field “happened_on” must be a date written YYYY-MM-DD"),
    (broken(lambda d: d["advisors"][0].update(snoozed_until="9999-12-31")), "must lie between"),
    (broken(lambda d: d["advisors"][0].update(cadence_count=5, cadence_unit="months")) , None),
    (broken(lambda d: d["advisors"][0].update(cadence_count=40, cadence_unit="months")),
     "at most two years"),
    (broken(lambda d: d["advisors"].append(dict(d["advisors"][0]))), "same uid as advisor 1"),
    (broken(lambda d: d["account"].update(timezone="Mars/Base")), "time zone"),
    (b"[" * 100000, "nests too deeply"),
    (b'{"a": ' * 100000, "nests too deeply"),
    (b'{"format": "advisory", "version": 1, "advisors": [{"name": ' + b"[" * 100000
     + b"]" * 100000 + b"}]}", "nests too deeply"),
    (broken(lambda d: d["advisors"][0].update(name="Dana\x00Reyes")),
     "Advisor 1 (DanaReyes): the field “name” holds the control character U+0000, which cannot "
     "be saved"),
    (broken(lambda d: d["advisors"][0].update(name="Dana\nReyes")),
     "the field “name” holds the line break"),
    (broken(lambda d: d["advisors"][0]["contacts"][0].update(notes="a\ud800")),
     "contact 1: the field “notes” holds the invalid character U+D800"),
    (broken(lambda d: d["advisors"][0].update(role=["insight"])),
     "Advisor 1 (Dana): the field “role” must be one of insight"),
    (broken(lambda d: d["account"].update(calendar_style={"person": 1})),
     "the field “calendar_style” must be one of person, summary"),
    (broken(lambda d: d["account"].update(digest="hourly")),
     "The account settings: the field “digest” must be one of off, daily, weekly"),
    (broken(lambda d: d["account"].update(digest_weekday=7)), "“digest_weekday” must be a whole"),
    (broken(lambda d: d["account"].update(reminder_time="25:00")),
     "“reminder_time” must be a time written HH:MM"),
    (broken(lambda d: d["account"].update(calendar_style="agenda")),
     "“calendar_style” must be one of person, summary"),
])
def test_bad_files_say_what_is_wrong(data, message):
    if message is None:
        assert parse(data).advisors[0].fields["cadence_count"] == 5
        return
    with pytest.raises(BadFile) as problem:
        parse(data)
    assert message in str(problem.value)


@pytest.mark.parametrize("change, message", [
    pytest.param(lambda d: d.update(version="9" * 1_000_000), "This export has version '9999",
                 id="huge-version"),
    pytest.param(lambda d: d.update(version=json.loads("[" * 900 + "]" * 900)),
                 "This export has version a list [...]; this Advisory reads version 1",
                 id="deep-version"),
    pytest.param(lambda d: d["account"].update(role_cadences={"x" * 1_000_000: "1m"}),
                 "has 'xxxx", id="huge-role"),
    pytest.param(lambda d: d["account"].update(role_cadences={"insight": {"a": [1] * 100_000}}),
                 "the field “role_cadences” has 'insight': an object {...}; roles are insight",
                 id="huge-cadence"),
])
def test_a_huge_or_deep_value_is_quoted_briefly(change, message):
    """A message quotes the start of a value, not all of it, whatever its size or depth."""
    with pytest.raises(BadFile) as problem:
        parse(broken(change))
    assert message in str(problem.value) and len(str(problem.value)) < 400


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6)


@settings(max_examples=200, deadline=None)
@given(where=st.sampled_from(["document", "account", "advisor", "contact"]),
       name=st.sampled_from([*export.ACCOUNT_FIELDS, *export.ADVISOR_FIELDS,
                             *export.CONTACT_FIELDS, "format", "version", "advisors",
                             "contacts"]),
       value=JSON_VALUES)
def test_any_value_in_any_field_is_read_or_refused_with_a_reason(where, name, value):
    """A file is read or refused with BadFile: never another error (a 500 on the page)."""
    document = valid()
    part = {"document": document, "account": document["account"],
            "advisor": document["advisors"][0],
            "contact": document["advisors"][0]["contacts"][0]}[where]
    part[name] = value
    try:
        parse(json.dumps(document).encode())
    except BadFile:
        pass


# The pages -----------------------------------------------------------------------------

def upload(session, url, data: bytes, name="export.json", **fields):
    return session.post(url, {"file": (io.BytesIO(data), name), **fields},
                        content_type="multipart/form-data")


def test_preview_then_import(session, user, other):
    add_advisor(other, name="Zoë Müller").log_contact(happened_on=date(2025, 1, 1), kind="call")
    data = "".join(export.json_chunks(other)).encode()
    preview = upload(session, "/import", data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Zoë Müller" in html
    assert re.search(r"<strong>1</strong> new advisor,", html)
    assert Advisor.select().where(Advisor.user == user).count() == 0  # nothing written yet
    packed = re.search(r'name="document" type="hidden" value="([^"]+)"', html).group(1)
    done = session.post("/import/confirm", {"document": packed})
    assert done.status_code == 303
    assert [a.name for a in Advisor.for_user(user)] == ["Zoë Müller"]
    assert "Imported: 1 new advisor and 1 contact; 0 advisors already here." in \
        session.get("/board").get_data(as_text=True)
    again = upload(session, "/import", data).get_data(as_text=True)
    assert "already here: importing it changes nothing" in again


def test_a_bad_upload_is_refused_with_the_reason_and_changes_nothing(session, user):
    response = upload(session, "/import", b"\x00\x01{]", name="export.json")
    assert response.status_code == 422
    assert "not valid JSON" in response.get_data(as_text=True)
    vcard = upload(session, "/import", b"BEGIN:VCARD\r\nFN:Dana\r\nEND:VCARD", name="a.json")
    assert vcard.status_code == 422 and "This is a contacts file (vCard)" in vcard.get_data(as_text=True)
    missing = session.post("/import", {}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose a file" in missing.get_data(as_text=True)
    for packed in ("not-base64!", "Zoë"):
        tampered = session.post("/import/confirm", {"document": packed})
        assert tampered.status_code == 422 and "Choose the file again" in tampered.get_data(as_text=True)
    assert Advisor.select().count() == 0


# Under 500 kB: the test client leaves a larger body's temporary file open.
@pytest.mark.parametrize("data", [b"[" * 100_000 + b"]" * 100_000, b'{"a": ' * 50_000,
                                  b'{"format": "advisory", "version": ' + b"[" * 50_000])
def test_a_deeply_nested_upload_is_refused_and_changes_nothing(session, user, data):
    add_advisor(user)
    response = upload(session, "/import", data)
    assert response.status_code == 422
    assert "This JSON nests too deeply to be an Advisory export." in response.get_data(as_text=True)
    assert [a.name for a in Advisor.select()] == ["Dana Reyes"]


def test_an_upload_above_the_limit_is_refused_clearly(app, session, user):
    app.config["IMPORT_MAX_BYTES"] = 2**16
    # Well above the limit: refused by its Content-Length, before it is read.
    response = upload(session, "/import", b" " * 2**18)
    assert response.status_code == 413
    assert "larger than 64 KB" in response.get_data(as_text=True)
    # Just above: the form around it fits, the file itself does not.
    response = upload(session, "/import", b" " * (2**16 + 10))
    assert response.status_code == 422
    assert "larger than 64 KB" in response.get_data(as_text=True)


def test_a_file_that_does_not_compress_is_imported_up_to_the_limit(make_app):
    """The preview carries the file back packed in the page: random notes barely compress,
    and the confirmation must still fit what the server accepts (over real HTTP)."""
    limit = 450_000
    server = LiveServer(make_app(IMPORT_MAX_BYTES=limit))
    user, other = make_user(), make_user("other@example.com")
    dana = add_advisor(other)
    noise = random.Random(7)
    for day in range(1, 45):
        notes = "".join(noise.choice(string.printable[:94]) for _ in range(9_800))
        dana.log_contact(happened_on=date(2025, 1, 1) + timedelta(days=day), kind="call",
                         notes=notes)
    data = "".join(export.json_chunks(other)).encode()
    assert 0.95 * limit < len(data) <= limit
    try:
        device = Device(server.url, user.email, PASSWORD)
        preview = device.http.post(f"{server.url}/import", data={"csrf_token": device.token},
                                   files={"file": ("export.json", data)}, timeout=30)
        packed = re.search(r'name="document" type="hidden" value="([^"]+)"', preview.text)
        done = device.post("/import/confirm", {"document": packed.group(1)})
        device.close()
    finally:
        server.stop()
    assert done.status_code == 303
    assert Contact.select().join(Advisor).where(Advisor.user == user).count() == 44


def test_import_needs_a_login_and_the_csrf_token(client, session, user):
    data = json.dumps(valid()).encode()
    anonymous = client.application.test_client().post(
        "/import", data={"file": (io.BytesIO(data), "x.json")}, content_type="multipart/form-data")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    forged = session.client.post("/import", data={"file": (io.BytesIO(data), "x.json")},
                                 content_type="multipart/form-data")
    assert forged.status_code == 400
    assert session.client.post("/import/confirm", data={"document": "x"}).status_code == 400
    assert Advisor.select().count() == 0


def test_the_import_reads_every_field_the_export_writes():
    from advisory.core import import_document
    assert set(import_document.ADVISOR) == set(export.ADVISOR_FIELDS)
    assert set(import_document.CONTACT) == set(export.CONTACT_FIELDS)
    assert set(import_document.ACCOUNT) == set(export.ACCOUNT_FIELDS) - {"email"}


def test_cli_import(runner, user, other, tmp_path):
    add_advisor(other, name="Zoë").log_contact(happened_on=date(2025, 1, 1), kind="call")
    path = tmp_path / "grace.json"
    path.write_text("".join(export.json_chunks(other)), encoding="utf-8")
    dry = runner.invoke(args=["import", "ada@example.com", str(path), "--dry-run"])
    assert "Would add 1 advisors and 1 contacts" in dry.output
    assert Advisor.select().where(Advisor.user == user).count() == 0
    done = runner.invoke(args=["import", "ada@example.com", str(path)])
    assert done.exit_code == 0 and "Added 1 advisors and 1 contacts" in done.output
    again = runner.invoke(args=["import", "ada@example.com", str(path)])
    assert "Added 0 advisors and 0 contacts; 1 advisors and 1 contacts were already there" in again.output
    path.write_text('{"format": "advisory", "version": 7}')
    bad = runner.invoke(args=["import", "ada@example.com", str(path)])
    assert bad.exit_code != 0 and "Nothing was imported" in bad.output and "version 7" in bad.output


def test_the_upload_pages_open(session, user):
    for url, button in (("/import", "Preview the import"), ("/import/vcard", "Show who is in it")):
        response = session.get(url)
        assert response.status_code == 200 and button in response.get_data(as_text=True)


def test_gives_come_back_once(user, other):
    from advisory.models import Give
    zoe = add_advisor(other, name="Zoë")
    Give.record(zoe, kind="introduction", note="Met Ana", given_on=date(2025, 3, 1))
    Give.record(zoe, kind="reverse_mentoring", note="", given_on=date(2025, 4, 1))
    before = export.document(other)
    assert [g["kind"] for g in before["advisors"][0]["gives"]] == [
        "introduction", "reverse_mentoring"]
    data = "".join(export.json_chunks(other)).encode()
    importer.restore(user, parse(data))
    importer.restore(user, parse(data))  # twice: still once each
    mine = Give.select().where(Give.user == user).order_by(Give.given_on)
    assert [(g.kind, g.note, g.given_on) for g in mine] == [
        ("introduction", "Met Ana", date(2025, 3, 1)),
        ("reverse_mentoring", "", date(2025, 4, 1))]
    assert export.document(user)["advisors"][0]["gives"] == before["advisors"][0]["gives"]


def test_a_give_of_an_unknown_kind_is_refused_with_a_reason(other):
    document = export.document(add_advisor(other, name="Zoë").user)
    document["advisors"][0]["gives"] = [{"kind": "bribe", "given_on": "2025-01-01"}]
    with pytest.raises(BadFile, match="give 1"):
        parse(json.dumps(document).encode())
