"""People from a phone's contacts: a .vcf file (vCard 2.1, 3.0 or 4.0) read with vobject.

Plain Python, no Flask, no database. Handles what Google Contacts, Apple Contacts and
Android write: folded lines, `item1.` groups, TYPE= parameters, quoted-printable values
with a charset, embedded photos (decoded by the scan: photo_of; an address is never
fetched).

The file is scanned first, in linear time, and vobject reads only the few lines of each
card that make a person (name, emails, phones, organisation, birthday, anniversaries): a
photo or a long note costs a scan, never a parse. What vobject cannot take is refused by
the scan with the card and line to fix (nesting deeper than its recursion goes, a
character set Python does not know), or left out (parameters over which vobject's line
pattern backtracks for ever).
"""
import base64
import binascii
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import vobject

from advisory.core.characters import without_refused
from advisory.core.import_document import BadFile
from advisory.core.vcard_person import Person, person_of

MAX_PEOPLE = 2000  # cards in one file (the README's limit)
MAX_LINES = 100 * MAX_PEOPLE  # lines in one file: a contact takes a few dozen at most
MAX_DEPTH = 4  # blocks open at once: a card holds at most a vCard 2.1 AGENT's card
MAX_LINE = 5000  # characters: a longer name, email, phone or organisation line is left out
MAX_PHOTO = 2**20  # bytes of a card's photo: a contact's photo is tens of kB; larger is left out
# A PHOTO line's value inline in base64: 2.1's ENCODING=BASE64 (or a bare BASE64), 3.0's
# ENCODING=b; 4.0 writes a data: URI instead. Anything else is a URL, never fetched.
INLINE = re.compile(r";(?:ENCODING=)?(?:B|BASE64)(?=[;:])", re.IGNORECASE)
READ = {"VERSION": 1, "FN": 1, "N": 1, "ORG": 1, "EMAIL": 5, "TEL": 5,  # kept per card
        "BDAY": 1, "ANNIVERSARY": 1, "X-ANNIVERSARY": 1, "X-ABDATE": 5, "X-ABLABEL": 20}
LINE_END = re.compile(r"\n(?![ \t])")  # a line folded the 3.0/4.0 way goes on after a space
FOLD = re.compile(r"\n[ \t]")
PROPERTY = re.compile(r"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]{1,40})[;:]")  # [group.]name
# Name and parameters as vobject's line pattern reads them, but possessive: it answers in
# linear time where vobject's backtracks exponentially (`TEL;TYPE=a,a,a,...` with no ":").
NAME_PART = r"[A-Za-z0-9_-]++"
VALUE_PART = r'(?:"[^"]*+"|[^";:,]*+)'
CONTENT_LINE = re.compile(rf"(?:{NAME_PART}\.)?+{NAME_PART}"
                          rf"(?:;{NAME_PART}(?:={VALUE_PART}(?:,{VALUE_PART})*+)?+)*+:")
AGAIN = "or export your contacts again (as vCard 3.0 if your app offers a choice)."
NOT_A_VCARD = ("This file is not a vCard (.vcf): it has no BEGIN:VCARD line. Export your "
               "contacts as vCard from your phone or contacts app.")


@dataclass
class Card:
    """A card found by the scan: where it is, and the lines of it that vobject will read."""
    number: int
    line: int  # its BEGIN:VCARD
    lines: list = field(default_factory=list)  # (line number, property, unfolded text)
    photo: bytes = b""  # its first inline PHOTO, decoded (photo_of)
    kept: Counter = field(default_factory=Counter)

    def where(self, line: int | None = None) -> str:
        return f"Card {self.number} (line {self.line if line is None else line})"


def decode(data: bytes) -> str:
    """The file's text: UTF-8 as every current exporter writes, else Windows-1252; line
    breaks made \\n, as vobject reads \\r\\n, \\r and \\n alike."""
    if b"\x00" in data:
        raise BadFile("This file is not a vCard (.vcf): it is binary data.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(data: bytes) -> list[Person]:
    """Everyone in the file, in its order; BadFile says why a file cannot be read."""
    text = decode(data)
    if text.lstrip().startswith("{") and '"format": "advisory"' in text[:200]:
        raise BadFile("This is an Advisory export, not a vCard: put it back with “Restore "
                      "from an Advisory export”.")
    if "BEGIN:VCARD" not in text.upper():  # a quick look: a CSV is not scanned at length
        raise BadFile(NOT_A_VCARD)
    found = list(cards(text))  # the whole file is scanned before vobject reads any of it
    if not found:
        raise BadFile(NOT_A_VCARD)
    people = [person for person in map(read, found) if person is not None]
    if not people:
        raise BadFile("This vCard file has no one with a name in it.")
    return people


def logical_lines(text: str):
    """(number of its first line, start, end) of each logical line of `text`: a folded
    line, or a quoted-printable one ending in a soft break ("="), goes on in the next.
    BadFile past MAX_LINES lines (a folded line counts once, lines joined by soft breaks
    each)."""
    number, start, first = 1, 0, None
    ends = LINE_END.finditer(text)
    for seen in itertools.count(1):
        if seen > MAX_LINES:
            raise BadFile(f"This file has more than {MAX_LINES:,} lines, far more than "
                          f"{MAX_PEOPLE:,} contacts need. Export a smaller group (a label or "
                          "a list) and import that.")
        match = next(ends, None)
        end = match.start() if match else len(text)
        if first is None:
            first = (number, start)
        number += text.count("\n", start, end) + 1
        if match is None or text[end - 1:end] != "=" or not quoted_printable(text, first[1], end):
            yield first[0], first[1], end
            first = None
        if match is None:
            return
        start = match.end()


def quoted_printable(text: str, start: int, end: int) -> bool:
    colon = text.find(":", start, min(end, start + 1000))
    return colon > 0 and "QUOTED-PRINTABLE" in text[start:colon].upper()


def cards(text: str):
    """The top-level cards of `text`, each with the lines person_of() reads; BadFile names
    the line of a structure vobject could not take. Other blocks are passed over."""
    blocks = []  # (name, line) of each BEGIN: not ended yet
    card, count = None, 0
    for number, start, end in logical_lines(text):
        match = PROPERTY.match(text, start, end)
        if match is None:
            continue
        name = match.group(1).upper()
        if name == "BEGIN":
            block = block_name(text, match.end() - 1, end)
            if len(blocks) == MAX_DEPTH:
                inside = f" inside card {card.number} (line {card.line})" if card else ""
                raise BadFile(f"Line {number}: BEGIN:{block} opens a block {MAX_DEPTH + 1} "
                              f"deep{inside}; a contacts app nests at most 2. The file is "
                              f"damaged: delete the extra BEGIN: lines, {AGAIN}")
            blocks.append((block, number))
            if len(blocks) == 1 and block == "VCARD":
                count += 1
                if count > MAX_PEOPLE:
                    raise BadFile(f"This file holds more than {MAX_PEOPLE:,} people. Export a "
                                  "smaller group (a label or a list) and import that.")
                card = Card(count, number)
        elif name == "END":
            block = block_name(text, match.end() - 1, end)
            if not blocks:
                raise BadFile(f"Line {number}: END:{block} ends nothing (no BEGIN:{block} "
                              f"is open there). Delete that line, {AGAIN}")
            opened, at = blocks.pop()
            if block != opened:
                raise BadFile(f"Line {number}: END:{block} does not match BEGIN:{opened} of "
                              f"line {at}. Correct one of them, {AGAIN}")
            if not blocks and card is not None:
                yield card
                card = None
        elif card is not None and len(blocks) == 1 and name == "PHOTO" and not card.photo:
            card.photo = photo_of(text[start:end]) if end - start <= 2 * MAX_PHOTO else b""
        elif card is not None and len(blocks) == 1 and card.kept[name] < READ.get(name, 0):
            keep(card, name, number, text[start:end] if end - start <= 2 * MAX_LINE else "")
    if blocks:
        opened, at = blocks[-1]
        raise BadFile(f"Line {at}: BEGIN:{opened} has no END:{opened}; the file ends inside "
                      f"it, so it may have been cut short. Add the END:{opened} line, {AGAIN}")


def block_name(text: str, colon: int, end: int) -> str:
    """The VCARD of BEGIN:VCARD (and of END:VCARD), as vobject compares them."""
    colon = text.find(":", colon, end)
    name = text[colon + 1:min(end, colon + 41)] if colon >= 0 else ""
    return " ".join(without_refused(name).split()).upper() or "(nothing)"


def keep(card: Card, name: str, number: int, line: str) -> None:
    """Keep a line of the card for vobject, unfolded, if vobject can read it in reasonable
    time (else it is left out, as vobject leaves out a line it cannot read); BadFile for
    an encoding that would fail in vobject."""
    if quoted_printable(line, 0, len(line)):
        line = line.replace("=\n", "")  # soft line breaks
    line = FOLD.sub("", line)
    head = CONTENT_LINE.match(line) if len(line) <= MAX_LINE else None
    if head is None:
        return
    if "QUOTED-PRINTABLE" in head.group().upper():
        check_encoding(card, name, number, line)
    card.kept[name] += 1
    card.lines.append((number, name, line))


def photo_of(line: str) -> bytes:
    """The image of a PHOTO line given inline (2.1, 3.0 and 4.0 forms), decoded here
    rather than by vobject, which would parse a photo's whole line; b"" for a URL (never
    fetched), a photo over MAX_PHOTO or anything that is not base64."""
    head, _, value = FOLD.sub("", line).partition(":")
    if value[:5].lower() == "data:":
        media, comma, value = value.partition(",")
        if not comma or not media.lower().endswith(";base64"):
            return b""
    elif not INLINE.search(head + ":"):
        return b""
    value = "".join(value.split())  # 2.1 continues a photo on lines indented by spaces
    if len(value) > 4 * MAX_PHOTO // 3 + 4:
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""


def check_encoding(card: Card, name: str, number: int, line: str) -> None:
    """Refuse what vobject would decode with an unknown charset (LookupError) or with a
    list of encodings (TypeError), reading the parameters as vobject does."""
    params, singletons = {}, []
    for param in vobject.base.parseLine(line)[1]:
        if len(param) == 1:
            singletons += param
        else:
            params.setdefault(param[0].upper(), []).extend(param[1:])
    encodings = params.get("ENCODING", [])
    if "QUOTED-PRINTABLE" in encodings:
        encodings.remove("QUOTED-PRINTABLE")
    elif "QUOTED-PRINTABLE" not in singletons:
        return
    if encodings:
        raise BadFile(f"{card.where(number)}: its {name} line is quoted-printable and also "
                      f"has ENCODING={shown(encodings[0])}; a value has one encoding. Remove "
                      f"“ENCODING={shown(encodings[0])}” from that line, {AGAIN}")
    charset = params.get("CHARSET", ["utf-8"])[0]
    if not known_charset(charset):
        raise BadFile(f"{card.where(number)}: its {name} line is in the character set "
                      f"“{shown(charset)}”, which is unknown. Change it to CHARSET=UTF-8 if "
                      f"that is what the text is, {AGAIN}")


def known_charset(charset: str) -> bool:
    """Whether Python decodes text from `charset` (not a bytes-to-bytes codec like hex)."""
    try:
        b"\0\0\0\0".decode(charset)  # (not b"": Python decodes that without a lookup)
    except LookupError:
        return False
    except ValueError:  # a codec that refuses these bytes: vobject says it for the value
        pass
    return True


def shown(value: str) -> str:
    return " ".join(without_refused(value).split())[:40]


def read(card: Card) -> Person | None:
    """The card's person, read by vobject from the lines the scan kept; BadFile names the
    line vobject could not read."""
    try:
        person = person_of(vobject.readOne(text_of(card.lines), ignoreUnreadable=True))
    except (vobject.base.VObjectError, ValueError, LookupError) as problem:
        number, name = culprit(card) or (card.line, "")
        what = f"its {name} line" if name else "it"
        raise BadFile(f"{card.where(number)}: {what} could not be read "
                      f"({first_line(problem)}). Correct or delete that contact, {AGAIN}") from None
    return replace(person, photo=card.photo) if person and card.photo else person


def text_of(lines: list) -> str:
    return "\r\n".join(["BEGIN:VCARD", *(line for _, _, line in lines), "END:VCARD", ""])


def culprit(card: Card) -> tuple[int, str] | None:
    """(line number, property) of the first line vobject cannot read on its own."""
    version = [line for line in card.lines if line[1] == "VERSION"][:1]
    for number, name, line in card.lines:
        try:
            vobject.readOne(text_of([*version, (number, name, line)]), ignoreUnreadable=True)
        except (vobject.base.VObjectError, ValueError, LookupError):
            return number, name
    return None


def first_line(problem: Exception) -> str:
    return (str(problem).strip().splitlines() or ["it is malformed"])[0][:200]
