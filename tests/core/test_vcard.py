"""People from a phone's contacts: each exporter's dialect, the preview, adding the ticked
ones (advisory/vcards.py, data/people.py, the vCard views in advisory/data/views.py)."""
import base64
import html
import io
import json
import re

import pytest

from advisory.core import vcards
from advisory.core.import_document import BadFile
from advisory.models import Advisor, User
from support import add_advisor

PHOTO = base64.b64encode(bytes(range(256)) * 3).decode()  # stands in for a JPEG


def fold(line: str, width: int = 75) -> list[str]:
    """A long line folded the 3.0/4.0 way: continuation lines start with a space."""
    return [line[:width]] + [" " + line[i:i + width - 1] for i in range(width, len(line), width - 1)]


def card(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


# Google Contacts (vCard 3.0): item groups, TYPE= parameters, folded lines.
GOOGLE = card(
    "BEGIN:VCARD", "VERSION:3.0", "FN:Dana Reyes", "N:Reyes;Dana;;;",
    "EMAIL;TYPE=INTERNET;TYPE=HOME:dana.home@example.com",
    "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:dana@acme.example",
    "TEL;TYPE=CELL:+1 555 0100",
    "item1.ORG:Acme Corporation", "item1.X-ABLabel:",
    *fold("NOTE:" + "A very long note that Google folds over several lines " * 4),
    "PHOTO:https://lh3.googleusercontent.com/contacts/photo", "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "FN:Omar Haddad", "item1.EMAIL;TYPE=INTERNET:omar@example.org",
    "item1.X-ABLabel:Other", "END:VCARD",
)

# Apple Contacts (vCard 3.0): grouped properties, a base64 photo folded over many lines.
APPLE = card(
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.0//EN",
    "N:García Márquez;José;;;", "FN:José García Márquez", "ORG:Banco Sur;Riesgos;",
    "item1.EMAIL;type=INTERNET;type=pref:jose@bancosur.example", "item1.X-ABLabel:_$!<Other>!$_",
    "TEL;type=CELL;type=VOICE;type=pref:+34 600 111 222",
    *fold("PHOTO;ENCODING=b;TYPE=JPEG:" + PHOTO), "END:VCARD",
)

# Android (vCard 2.1): quoted-printable UTF-8 with soft line breaks, a base64 photo.
ANDROID = card(
    "BEGIN:VCARD", "VERSION:2.1",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Zo=C3=AB;;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB M=C3=BCller-Stra=C3=9F=",
    "e",
    "TEL;CELL;PREF:+49 170 1234567", "TEL;HOME:+49 30 1234567",
    "EMAIL;HOME:zoe@example.de",
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:B=C3=BCro f=C3=BCr Gestaltung",
    "PHOTO;ENCODING=BASE64;JPEG:" + PHOTO[:76], " " + PHOTO[76:152], "", "END:VCARD",
)

# vCard 4.0: tel: URIs, PREF=1, a quoted TYPE list.
VCARD4 = card(
    "BEGIN:VCARD", "VERSION:4.0", "FN:Priya Nair", "N:Nair;Priya;;;",
    'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+44-20-7946-0001',
    "EMAIL;TYPE=work:priya@example.co.uk", "EMAIL;PREF=1:priya.nair@example.com",
    "END:VCARD",
)


def test_google_contacts():
    dana, omar = vcards.parse(GOOGLE.encode())
    assert dana == vcards.Person("Dana Reyes", "dana@acme.example", "+1 555 0100",
                                 "Acme Corporation")
    assert omar == vcards.Person("Omar Haddad", "omar@example.org")


def test_apple_contacts_keep_accents_and_ignore_the_photo():
    [jose] = vcards.parse(APPLE.encode())
    assert jose == vcards.Person("José García Márquez", "jose@bancosur.example",
                                 "+34 600 111 222", "Banco Sur")


def test_android_quoted_printable_utf8_with_soft_line_breaks():
    [zoe] = vcards.parse(ANDROID.encode())
    assert zoe == vcards.Person("Zoë Müller-Straße", "zoe@example.de", "+49 170 1234567",
                                "Büro für Gestaltung")


def test_vcard_4():
    [priya] = vcards.parse(VCARD4.encode())
    assert priya == vcards.Person("Priya Nair", "priya.nair@example.com", "+44-20-7946-0001")


def test_many_cards_in_one_file_in_order():
    people = vcards.parse((GOOGLE + APPLE + ANDROID + VCARD4).encode())
    assert [p.name for p in people] == ["Dana Reyes", "Omar Haddad", "José García Márquez",
                                        "Zoë Müller-Straße", "Priya Nair"]


def test_a_card_without_fn_is_named_from_n_or_org():
    people = vcards.parse(card("BEGIN:VCARD", "VERSION:3.0", "N:Park;Lena;;;", "END:VCARD",
                               "BEGIN:VCARD", "VERSION:3.0", "ORG:Only A Company", "END:VCARD",
                               "BEGIN:VCARD", "VERSION:3.0", "TEL:123", "END:VCARD").encode())
    assert [p.name for p in people] == ["Lena Park", "Only A Company"]


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    (b"name,email\nDana,dana@example.com\n", "no BEGIN:VCARD"),
    (b'{\n  "format": "advisory",\n  "version": 1}', "This is an Advisory export, not a vCard"),
    (card("BEGIN:VCARD", "VERSION:3.0", "TEL:123", "END:VCARD").encode(), "no one with a name"),
])
def test_files_that_are_not_vcards_are_refused_with_the_reason(data, message):
    with pytest.raises(BadFile) as problem:
        vcards.parse(data)
    assert message in str(problem.value)


def test_too_many_people_are_refused(monkeypatch):
    monkeypatch.setattr(vcards, "MAX_PEOPLE", 3)
    with pytest.raises(BadFile, match="more than 3 people"):
        vcards.parse((GOOGLE + APPLE + ANDROID).encode())


def test_too_many_cards_are_refused_even_without_names(monkeypatch):
    """The limit counts cards: nameless ones cost vobject the same work."""
    monkeypatch.setattr(vcards, "MAX_PEOPLE", 2)
    nameless = card("BEGIN:VCARD", "VERSION:3.0", "TEL:123", "END:VCARD")
    with pytest.raises(BadFile, match="more than 2 people"):
        vcards.parse((GOOGLE + nameless).encode())


def test_a_file_of_too_many_lines_is_refused(monkeypatch):
    monkeypatch.setattr(vcards, "MAX_LINES", 20)
    with pytest.raises(BadFile, match="more than 20 lines"):
        vcards.parse(card("BEGIN:VCARD", "FN:Dana Reyes", *["NOTE:x"] * 20, "END:VCARD").encode())


# Odd files from phones (issue 15): each of these answered 500 --------------------------

NESTED_CARDS = "BEGIN:VCARD\r\n" * 20_000 + "FN:Dana Reyes\r\n" + "END:VCARD\r\n" * 20_000
ODD_FILES = [
    pytest.param(card("BEGIN:VCARD", "VERSION:2.1", "N:Reyes;Dana;;;",
                      "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=x-bogus:=C3=A9", "END:VCARD"),
                 "Card 1 (line 4): its FN line is in the character set “x-bogus”, which is "
                 "unknown. Change it to CHARSET=UTF-8", id="unknown-charset"),
    pytest.param(NESTED_CARDS, "Line 5: BEGIN:VCARD opens a block 5 deep inside card 1 "
                 "(line 1); a contacts app nests at most 2", id="vcard-nested-20000-deep"),
    pytest.param(card("BEGIN:VCARD", "VERSION:3.0", "FN:Dana Reyes", *["BEGIN:X"] * 5000,
                      *["END:X"] * 5000, "END:VCARD"),
                 "Line 7: BEGIN:X opens a block 5 deep inside card 1 (line 1)",
                 id="x-nested-5000-deep"),
    # vobject decodes with the list of the other encodings (TypeError) ...
    pytest.param(card("BEGIN:VCARD", "VERSION:2.1", "FN;ENCODING=QUOTED-PRINTABLE;"
                      "ENCODING=8BIT:Dana", "END:VCARD"),
                 "Card 1 (line 3): its FN line is quoted-printable and also has ENCODING=8BIT",
                 id="two-encodings"),
    # ... and with a codec that is not a character set (LookupError).
    pytest.param(GOOGLE + card("BEGIN:VCARD", "VERSION:2.1",
                               "ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=rot13:Npzr", "END:VCARD"),
                 "Card 3 (line 23): its ORG line is in the character set “rot13”",
                 id="codec-that-is-no-charset"),
]


@pytest.mark.parametrize("text, message", ODD_FILES)
def test_odd_files_from_phones_are_refused_with_the_card_and_line_to_fix(text, message):
    with pytest.raises(BadFile) as problem:
        vcards.parse(text.encode())
    assert message in str(problem.value)


@pytest.mark.parametrize("text, message", [
    pytest.param(card("END:VCARD", *GOOGLE.splitlines()), "Line 1: END:VCARD ends nothing",
                 id="end-without-begin"),
    pytest.param(GOOGLE + card("BEGIN:VCARD", "FN:Dana", "END:X"),
                 "Line 23: END:X does not match BEGIN:VCARD of line 21", id="end-of-another"),
    pytest.param(GOOGLE + card("BEGIN:VCARD", "FN:Dana"), "Line 21: BEGIN:VCARD has no "
                 "END:VCARD; the file ends inside it, so it may have been cut short",
                 id="cut-short"),
    pytest.param(card("BEGIN:VCARD", "VERSION:2.1", "FN;ENCODING=QUOTED-PRINTABLE;"
                      "CHARSET=UTF-8:Zo=EB", "END:VCARD"),
                 "Card 1 (line 3): its FN line could not be read ('utf-8' codec",
                 id="not-in-its-charset"),
])
def test_broken_structure_or_values_name_the_line(text, message):
    with pytest.raises(BadFile) as problem:
        vcards.parse(text.encode())
    assert message in str(problem.value)


def test_what_is_not_read_does_not_matter():
    """A bogus charset on a note, a nested AGENT card (vCard 2.1), a photo in base64 and
    lines outside any card: none is read, so none refuses the file."""
    people = vcards.parse(card(
        "VERSION:3.0", "X-STRAY:before any card",
        "BEGIN:VCARD", "VERSION:2.1", "FN:Dana Reyes",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=x-bogus:=C3=A9",
        "PHOTO;ENCODING=BASE64;CHARSET=x-bogus;JPEG:" + PHOTO[:76], " " + PHOTO[76:152],
        "AGENT:", "BEGIN:VCARD", "VERSION:2.1", "FN:Her Assistant", "END:VCARD",
        "END:VCARD").encode())
    assert people == [vcards.Person("Dana Reyes")]


def test_a_known_charset_and_base64_are_decoded():
    people = vcards.parse(card(
        "BEGIN:VCARD", "VERSION:2.1", "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Zo=EB",
        "END:VCARD", "BEGIN:VCARD", "VERSION:3.0",
        "FN;ENCODING=b:" + base64.b64encode("Łucja".encode()).decode(), "END:VCARD").encode())
    assert [p.name for p in people] == ["Zoë", "Łucja"]


@pytest.mark.parametrize("line", [
    "TEL;TYPE=" + "a," * 40,  # no colon: vobject's pattern took hours to say so
    "TEL" + ";X" * 40 + ";:+1 555 0100",
    "EMAIL;TYPE=" + "=," * 30,
])
def test_a_line_vobject_would_backtrack_over_is_left_out(line):
    [dana] = vcards.parse(card("BEGIN:VCARD", "VERSION:3.0", "FN:Dana Reyes", line,
                               "EMAIL:dana@example.com", "END:VCARD").encode())
    assert dana == vcards.Person("Dana Reyes", "dana@example.com")


def test_only_the_lines_of_a_person_reach_vobject(monkeypatch):
    """A photo, notes and properties past what is read cost the scan, never vobject."""
    read = []
    real = vcards.vobject.readOne
    monkeypatch.setattr(vcards.vobject, "readOne", lambda text, **kw: read.append(text) or
                        real(text, **kw))
    emails = [f"EMAIL:dana{n}@example.com" for n in range(50)]
    [dana] = vcards.parse(card("BEGIN:VCARD", "VERSION:3.0", "FN:Dana Reyes", "FN:Second",
                               *emails, *fold("PHOTO;ENCODING=b;TYPE=JPEG:" + PHOTO),
                               "NOTE:" + "x" * 100_000, "END:VCARD").encode())
    assert dana == vcards.Person("Dana Reyes", "dana0@example.com")
    [text] = read
    assert "PHOTO" not in text and "NOTE" not in text and "Second" not in text
    assert text.count("EMAIL") == vcards.READ["EMAIL"]


# The pages -----------------------------------------------------------------------------

def upload(session, data: bytes, name="contacts.vcf"):
    return session.post("/import/vcard", {"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def people_field(html: str) -> str:
    value = re.search(r'name="people" type="hidden" value="([^"]+)"', html).group(1)
    return value.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")


def test_preview_lists_everyone_ticked_and_adding_puts_them_on_the_board(session, user):
    User.update(role_cadences='{"wisdom": "6m"}').where(User.id == user.id).execute()
    add_advisor(user, name="Dana R.", email="DANA@acme.example")  # already on the board
    preview = upload(session, (GOOGLE + APPLE + ANDROID).encode())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    for name in ("Omar Haddad", "José García Márquez", "Zoë Müller-Straße", "Büro für Gestaltung"):
        assert name in html
    assert "is already on your board" in html  # Dana, by her email in any case
    assert html.count('name="pick"') == 3 and html.count("checked") == 3
    assert "Business wisdom (twice a year)" in html  # the account's default for the role
    assert Advisor.select().count() == 1  # nothing written by the preview
    response = session.post("/import/vcard/add", {
        "people": people_field(html), "pick": ["2", "3"], "role-2": "wisdom", "role-3": "balance", "last_talked": "never"})
    assert response.status_code == 303
    added = {a.name: a for a in Advisor.for_user(user)}
    assert set(added) == {"Dana R.", "José García Márquez", "Zoë Müller-Straße"}
    jose = added["José García Márquez"]
    assert (jose.role, jose.cadence_count, jose.cadence_unit) == ("wisdom", 6, "months")
    assert (jose.email, jose.phone, jose.organisation) == ("jose@bancosur.example", "+34 600 111 222", "Banco Sur")
    assert (added["Zoë Müller-Straße"].cadence_count, added["Zoë Müller-Straße"].cadence_unit) == (3, "months")
    # The same people again: skipped, not doubled.
    again = session.post("/import/vcard/add", {"people": people_field(html), "pick": ["2"],
                                                "role-2": "wisdom", "last_talked": "never"})
    assert again.status_code == 303 and Advisor.select().count() == 3
    assert "Added 0 people to your board. 1 person already on your board." in \
        session.get("/board").get_data(as_text=True)


def test_adding_with_a_bad_role_or_nobody_ticked_saves_nothing(session, user):
    html = upload(session, GOOGLE.encode()).get_data(as_text=True)
    no_role = session.post("/import/vcard/add", {"people": people_field(html), "pick": ["0"],
                                                  "role-0": "boss"})
    assert no_role.status_code == 422 and "Pick a role for Dana Reyes" in no_role.get_data(as_text=True)
    nobody = session.post("/import/vcard/add", {"people": people_field(html)})
    assert nobody.status_code == 422 and "Tick at least one" in nobody.get_data(as_text=True)
    assert Advisor.select().count() == 0


def test_a_file_that_is_not_a_vcard_is_refused(session, user):
    response = upload(session, b"\x89PNG\r\n\x1a\n\x00", name="photo.vcf")
    assert response.status_code == 422 and "binary" in response.get_data(as_text=True)


def test_vcard_import_needs_a_login_and_the_csrf_token(app, session, user):
    anonymous = app.test_client().post("/import/vcard", data={"file": (io.BytesIO(b"x"), "a.vcf")},
                                       content_type="multipart/form-data")
    assert anonymous.status_code == 302
    forged = session.client.post("/import/vcard/add", data={"people": '[["Eve","","",""]]',
                                                             "pick": "0", "role-0": "insight"})
    assert forged.status_code == 400 and Advisor.select().count() == 0


def test_values_sent_back_by_the_page_are_checked_again(session, user):
    long_one = ["N" * 500, "not-an-email", "1" * 100, "Org"]
    nameless = ["", "", "", ""]
    response = session.post("/import/vcard/add", {"people": json.dumps([long_one, nameless]),
                                                  "pick": "0", "role-0": "insight"})
    assert response.status_code == 422 and "Choose the file again" in response.get_data(as_text=True)
    response = session.post("/import/vcard/add", {"people": json.dumps([long_one]),
                                                  "pick": "0", "role-0": "insight", "last_talked": "never"})
    assert response.status_code == 303
    advisor = Advisor.get()
    assert (len(advisor.name), advisor.email, len(advisor.phone)) == (120, "", 40)


def test_control_characters_in_a_card_are_left_out(session, user):
    people = vcards.parse(card("BEGIN:VCARD", "VERSION:3.0", "FN:Dana\x01 Reyes\x7f",
                               "ORG:Acme\x1b", "END:VCARD").encode())
    assert people == [vcards.Person(name="Dana Reyes", organisation="Acme")]
    # Sent back by the page with a NUL (no form could: only a crafted request), as well.
    response = session.post("/import/vcard/add", {"people": json.dumps([["Omar\x00 Haddad\ud800",
                                                                         "", "", "\x00"]]),
                                                  "pick": "0", "role-0": "insight", "last_talked": "never"})
    assert response.status_code == 303
    assert [(a.name, a.organisation) for a in Advisor.select()] == [("Omar Haddad", "")]


@pytest.mark.parametrize("text, message", ODD_FILES)
def test_odd_files_are_refused_by_the_page_and_change_nothing(session, user, text, message):
    response = upload(session, text.encode())
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert Advisor.select().count() == 0
