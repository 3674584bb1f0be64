"""The forms of "Your data": uploads, import confirmations, deleting the account."""
import base64
import json
import zlib

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from advisory.base_form import Form
from advisory.core.import_document import BadFile
from advisory.core.vcards import Person, tidy
from advisory.core.vocabulary import ROLES


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


class PeopleForm(Form):
    """The vCard preview: everyone found (carried in the page), the ticked ones, and each
    one's role (fields pick=<index> and role-<index>, read in chosen())."""
    people = HiddenField()

    @staticmethod
    def pack(people: list[Person]) -> str:
        return json.dumps([[p.name, p.email, p.phone, p.organisation] for p in people],
                          ensure_ascii=False)

    def unpacked(self) -> list[Person]:
        try:
            rows = json.loads(self.people.data or "")
            # Sent back by the browser, so checked again like the file was.
            people = [tidy(*(str(v) for v in row)) for row in rows if len(row) == 4]
        except (ValueError, TypeError):
            people = []
        if None in people:
            people = []
        if not people:
            raise BadFile("The list of people could not be read back. Choose the file again.")
        return people

    def chosen(self, form_data) -> list[tuple[Person, str]]:
        """The ticked people with their roles; BadFile names a missing role."""
        people = self.unpacked()
        picked = {int(i) for i in form_data.getlist("pick") if i.isdecimal()}
        chosen = []
        for index in sorted(picked):
            if index >= len(people):
                continue
            role = form_data.get(f"role-{index}")
            if role not in ROLES:
                raise BadFile(f"Pick a role for {people[index].name}.")
            chosen.append((people[index], role))
        if not chosen:
            raise BadFile("Tick at least one person to add.")
        return chosen


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[
        InputRequired("Enter your password to delete your account.")])
