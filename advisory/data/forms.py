"""The forms of "Your data": uploads, import confirmations, deleting the account."""
import base64
import json
import zlib
from dataclasses import replace

from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, PasswordField, SelectField
from wtforms.validators import InputRequired

from advisory.advisors.forms import ROLE_CHOICES, AdvisorForm
from advisory.base_form import Form, TodayAware
from advisory.core import yearly
from advisory.core.import_document import BadFile
from advisory.core.vcard_person import Person, tidy
from advisory.core.vcards import MAX_PHOTO
from advisory.core.vocabulary import ROLES
from advisory.data.people import Pick


class UploadForm(Form):
    """A file to preview: an Advisory export or a .vcf."""
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])

    def read(self, limit: int) -> bytes:
        """The uploaded bytes; BadFile when there are more than `limit`."""
        data = self.file.data.read(limit + 1)
        if len(data) > limit:
            raise BadFile(too_large(limit))
        if not data.strip():
            raise BadFile("This file is empty.")
        return data


def too_large(limit: int) -> str:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
    return (f"This file is larger than {size}, the most Advisory imports at "
            "once. Export fewer contacts (without photos), or ask your server's owner to "
            "use the command line.")


class ConfirmImportForm(Form):
    """The previewed export, carried back packed in the page, and whether to take its
    settings. Stateless, so any app server can finish what another previewed."""
    document = HiddenField()
    settings = BooleanField("Also take the file's settings (time zone, due-soon window, "
                            "default cadences, calendar options)")

    @staticmethod
    def pack(data: bytes) -> str:
        # URL-safe: a form post sends "-" and "_" as they are, where "+" and "/" take 3 bytes.
        return base64.urlsafe_b64encode(zlib.compress(data, 6)).decode()

    @staticmethod
    def packed_limit(limit: int) -> int:
        """The most pack() makes of `limit` bytes: what zlib adds to data it cannot
        compress (5 bytes per 16 kB block, and a header), grown by a third by base64."""
        return 4 * (limit + limit // 3000 + 64) // 3 + 4

    def unpacked(self, limit: int) -> bytes:
        try:
            packed = base64.b64decode(self.document.data or "", altchars=b"-_", validate=True)
            inflater = zlib.decompressobj()
            data = inflater.decompress(packed, limit + 1)
        except (ValueError, zlib.error):  # binascii.Error, and text that is not ASCII
            data = b""
        if not data or len(data) > limit or inflater.unconsumed_tail:
            raise BadFile("The preview could not be read back. Choose the file again.")
        return data


def with_photo(person: Person | None, sent: list) -> Person | None:
    """`person` with the photo the page sent back, if any: base64 of at most MAX_PHOTO
    bytes (what it is, core/photos.py decides when they are added). ValueError if not."""
    if person is None or not sent:
        return person
    photo = base64.b64decode(str(sent[0]), validate=True)
    if not 0 < len(photo) <= MAX_PHOTO:
        raise ValueError("not a photo from the file")
    return replace(person, photo=photo)


ALL_TICKED_UP_TO = 20  # people in a file; more is a whole address book, and nobody is ticked
MOST_PROBLEMS_SHOWN = 8  # a crafted post could name thousands; the rest are counted


class Refused(Exception):
    """What to fix before anyone is added, one sentence per problem; nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        shown = problems[:MOST_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"And {len(problems) - len(shown)} more like these.")
        self.problems = shown


class LastTalked(TodayAware):
    """"When did you last talk?" as the add form asks it: its choices, its checks and its
    talked_on(), so that nobody imported is due today unless the answer says so."""

    class Meta:
        csrf = False  # the blueprint checks every POST's token itself (data.views.bounded)

    last_talked = AdvisorForm.last_talked
    last_spoke_on = AdvisorForm.last_spoke_on
    validate_last_talked = AdvisorForm.validate_last_talked
    validate_last_spoke_on = AdvisorForm.validate_last_spoke_on
    talked_on = AdvisorForm.talked_on

    def answered(self) -> bool:
        """Whether a choice was made or a date typed (a bad one too: it is then refused)."""
        return bool(self.last_talked.data or (self.last_spoke_on.raw_data or [""])[0].strip())

    def problems(self, whom: str) -> list[str]:
        """What is wrong with the answer, each message saying about whom."""
        self.validate()
        return [f"When you last talked with {whom}: {message}"
                for name in ("last_talked", "last_spoke_on") for message in self.errors.get(name, [])]


class PeopleForm(LastTalked):
    """The vCard preview: everyone found (carried in the page), who is ticked, and a role
    and a last talk for everyone added, which any one person may override (fields
    pick=<index>, role-<index>, last_talked-<index>, last_spoke_on-<index>: chosen())."""

    people = HiddenField()
    role = SelectField("Role", choices={"": "Pick a role…", **ROLE_CHOICES}, validate_choice=False)

    @staticmethod
    def pack(people: list[Person]) -> str:
        # A person's dates, when the card has any, come fifth; their photo (base64) sixth.
        return json.dumps([[p.name, p.email, p.phone, p.organisation,
                            *([[value.packed() for value in p.dates]] if p.dates or p.photo
                              else []),
                            *([base64.b64encode(p.photo).decode("ascii")] if p.photo else [])]
                           for p in people], ensure_ascii=False)

    def unpacked(self) -> list[Person]:
        try:
            rows = json.loads(self.people.data or "")
            # Sent back by the browser, so checked again like the file was.
            people = [with_photo(tidy(*(str(v) for v in row[:4]),
                                      dates=yearly.unpacked(row[4:5] and row[4])), row[5:])
                      for row in rows if len(row) in (4, 5, 6)]
        except (ValueError, TypeError):
            people = []
        if None in people:
            people = []
        if not people:
            raise BadFile("The list of people could not be read back. Choose the file again.")
        return people

    @staticmethod
    def first_ticks(people: list[Person]) -> set[int]:
        """Who is ticked in the preview: everyone in a small file, nobody in an address book."""
        return set(range(len(people))) if len(people) <= ALL_TICKED_UP_TO else set()

    @staticmethod
    def ticks(people: list[Person], sent) -> tuple[set[int], bool]:
        """The ticked people's places in the list, and whether a tick named nobody in it."""
        places = {str(index): index for index in range(len(people))}
        sent_ticks = sent.getlist("pick")
        return {places[tick] for tick in sent_ticks if tick in places}, any(
            tick not in places for tick in sent_ticks)

    def chosen(self, people: list[Person], sent) -> list[Pick]:
        """Each ticked person with their role and the day you last talked (None: never);
        Refused says all there is to fix, naming the people concerned."""
        ticked, strangers = self.ticks(people, sent)
        if not ticked and not strangers:
            raise Refused(["Tick at least one person to add."])
        picks, own_problems, by_batch_role, by_batch_talk = [], [], False, False
        for index in sorted(ticked):
            person, role = people[index], sent.get(f"role-{index}", "")
            if role and role not in ROLES:
                own_problems.append(f"Pick a role for {person.name}.")
            talk = LastTalked(MultiDict({"last_talked": sent.get(f"last_talked-{index}", ""),
                                         "last_spoke_on": sent.get(f"last_spoke_on-{index}", "")}),
                              today=self.today)
            if talk.answered():
                own_problems += talk.problems(person.name)
            else:
                talk, by_batch_talk = self, True
            by_batch_role |= not role
            picks.append(Pick(person, role or self.role.data, talk.talked_on()))
        problems = []
        if by_batch_role and self.role.data not in ROLES:
            problems.append("Pick the role of the people you add.")
        if by_batch_talk and not self.answered():
            problems.append("Say when you last talked with the people you add (pick "
                            "“Never, or not yet” to have them due today).")
        problems += self.problems("everyone you add")
        if strangers:
            problems.append("Someone ticked is not in this file's list: check who is ticked, "
                            "then add them again.")
        if problems or own_problems:
            raise Refused(problems + own_problems)
        return picks


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[
        InputRequired("Enter your password to delete your account.")])
