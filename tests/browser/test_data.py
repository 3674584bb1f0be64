"""Bringing people in from a phone's contacts, on a phone: Settings -> Your data -> a .vcf
-> the preview -> the board. And the data pages pass axe."""
import re

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor

from .support import small_tap_targets
from .test_accessibility import audit, axe_script  # noqa: F401 (fixtures)

CONTACTS = "\r\n".join([
    "BEGIN:VCARD", "VERSION:3.0", "FN:José García", "EMAIL;TYPE=INTERNET:jose@example.com",
    "TEL;TYPE=CELL:+34 600 111 222", "ORG:Banco Sur", "END:VCARD",
    "BEGIN:VCARD", "VERSION:2.1",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB M=C3=BCller", "EMAIL:zoe@example.de",
    "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "FN:Someone Else", "TEL:+1 555 0100", "END:VCARD",
]) + "\r\n"


def choose_vcard(page, live_server) -> None:
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Import from your phone's contacts").click()
    page.get_by_label("File").set_input_files(
        files=[{"name": "contacts.vcf", "mimeType": "text/vcard", "buffer": CONTACTS.encode()}])
    page.get_by_role("button", name="Show who is in it").click()
    expect(page.get_by_role("heading", name="3 people found")).to_be_visible()


def test_importing_phone_contacts_on_a_phone(signed_in, live_server, account, screenshot):
    page = signed_in
    choose_vcard(page, live_server)
    for name in ("José García", "Zoë Müller", "Someone Else"):
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    expect(page.get_by_text("Banco Sur · jose@example.com · +34 600 111 222")).to_be_visible()
    screenshot(page, "vcard-preview")
    assert small_tap_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 412  # no sideways scroll

    page.get_by_role("checkbox", name="Someone Else").uncheck()
    batch = page.get_by_role("group", name="For everyone you add")
    batch.get_by_label("Role").select_option("perspective")
    batch.get_by_label("This week").check()
    page.locator("summary", has_text="for Zoë Müller").click()
    page.get_by_role("group", name="Zoë Müller").get_by_label("Role").select_option("wisdom")
    page.get_by_role("button", name="Add the ticked people").click()
    expect(page).to_have_url(re.compile(r"/board$"))
    expect(page.get_by_text("Added 2 people to your board.")).to_be_visible()
    expect(page.get_by_role("region", name="Business wisdom")).to_contain_text("Zoë Müller")
    added = {a.name: a.role for a in Advisor.select().where(Advisor.user == account.id)}
    assert added == {"José García": "perspective", "Zoë Müller": "wisdom"}


@pytest.mark.browser_context_args(bypass_csp=True)  # axe is injected as a script tag
def test_data_pages_pass_axe(signed_in, live_server, audit):  # noqa: F811
    page = signed_in
    for path in ("/import", "/import/vcard", "/account/delete"):
        page.goto(live_server.url + path)
        audit(path)
    choose_vcard(page, live_server)
    audit("vCard preview")
    audit.check()
