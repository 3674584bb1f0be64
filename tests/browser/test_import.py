"""Importing a whole address book on a phone (issue 17): 400 people in a compact list,
nobody ticked; typing narrows it, "Select all / none" act on the people shown, a polite
live count; a role and a last talk for the batch and for one person; only the ticked
people are added, due when their last talk says. Without JavaScript the list is whole."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from advisory.core.cadence import Cadence
from advisory.models import Advisor

from .support import sign_in, small_tap_targets
from .test_accessibility import audit, axe_script  # noqa: F401 (fixtures)

FIRST = ["Ana", "Ben", "Chloé", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jun"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Silva", "Khan", "Berg"]
ORGS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
PEOPLE = 400
PHONE = {"viewport": {"width": 360, "height": 760}}


def address_book() -> bytes:
    """400 cards as Google Contacts writes them; one Zoë, and Globex every fifth person."""
    cards = []
    for i in range(PEOPLE):
        name = "Zoë Müller" if i == 123 else f"{FIRST[i % 10]} {LAST[i % 8]} {i}"
        cards += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}",
                  f"EMAIL;TYPE=INTERNET:person{i}@example.com", f"ORG:{ORGS[i % 5]}",
                  f"TEL;TYPE=CELL:+44 7700 9{i:05d}", "END:VCARD"]
    return ("\r\n".join(cards) + "\r\n").encode()


def preview(page, server) -> None:
    page.goto(f"{server.url}/import/vcard")
    page.get_by_label("File").set_input_files(
        files=[{"name": "contacts.vcf", "mimeType": "text/vcard", "buffer": address_book()}])
    page.get_by_role("button", name="Show who is in it").click()
    expect(page.get_by_role("heading", name=f"{PEOPLE} people found")).to_be_visible()
    page.wait_for_load_state()  # the whole list, not only its first rows


def shown(page) -> int:
    return page.locator("#people-list > li:visible").count()


@pytest.mark.browser_context_args(**PHONE)
def test_finding_ticking_and_adding_a_few_people_from_an_address_book(
        signed_in, live_server, account):
    page = signed_in
    preview(page, live_server)
    count = page.locator("[data-people-count]")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text(f"0 of {PEOPLE} selected")
    assert page.locator('input[name="pick"]:checked').count() == 0
    # One short row per person: the whole page is a fraction of what 400 cards took.
    assert page.evaluate("document.documentElement.scrollHeight") < PEOPLE * 50 + 2000
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert small_tap_targets(page) == []

    find = page.get_by_label("Find someone")
    find.fill("globex")
    assert shown(page) == PEOPLE // 5
    expect(count).to_have_text(f"0 of {PEOPLE} selected · {PEOPLE // 5} shown")
    page.get_by_role("button", name="Select all").click()
    expect(count).to_have_text(f"{PEOPLE // 5} of {PEOPLE} selected · {PEOPLE // 5} shown")
    # Select none acts on the people shown only: narrowed to three of them, it unticks three.
    find.fill("globex okafor")
    assert shown(page) == 10  # Globex is every fifth person, Okafor every eighth
    page.get_by_role("button", name="Select none").click()
    expect(count).to_have_text(f"{PEOPLE // 5 - 10} of {PEOPLE} selected · 10 shown")
    # Accents and case aside; one person ticked by hand; Enter only finishes typing.
    find.fill("ZOE MULLER")
    find.press("Enter")
    assert shown(page) == 1 and page.url.endswith("/import/vcard")
    page.get_by_role("checkbox", name="Zoë Müller").check()
    find.fill("")
    assert shown(page) == PEOPLE
    chosen = PEOPLE // 5 - 10 + 1
    expect(count).to_have_text(f"{chosen} of {PEOPLE} selected")

    batch = page.get_by_role("group", name="For everyone you add")
    batch.get_by_label("Role").select_option("wisdom")
    batch.get_by_label("This month").check()
    page.locator("summary", has_text="for Zoë Müller").click()
    zoe = page.get_by_role("group", name="Zoë Müller")
    zoe.get_by_label("Role").select_option("balance")
    zoe.get_by_label("Last talked").select_option("never")
    expect(zoe.get_by_label("Date")).to_be_hidden()  # only once "On this date:" is picked
    page.get_by_role("button", name="Add the ticked people").click()
    expect(page).to_have_url(re.compile(r"/board$"))
    expect(page.get_by_text(f"Added {chosen} people to your board.")).to_be_visible()

    today = account.today()
    added = {a.name: a for a in Advisor.select().where(Advisor.user == account.id)}
    assert len(added) == chosen
    assert all(a.organisation == "Globex" for name, a in added.items() if name != "Zoë Müller")
    assert not any("Okafor" in name for name in added)
    zoe = added.pop("Zoë Müller")
    assert (zoe.role, zoe.due_on(today)) == ("balance", today)  # "never": due today, as asked
    wisdom = Cadence.parse(account.default_cadence("wisdom"))
    for advisor in added.values():
        assert advisor.role == "wisdom"
        assert advisor.due_on(today) == wisdom.after(today - timedelta(days=15)) > today


@pytest.mark.browser_context_args(**PHONE)
def test_a_mistake_is_named_at_the_top_and_nothing_chosen_is_lost(signed_in, live_server, account):
    page = signed_in
    preview(page, live_server)
    page.get_by_label("Find someone").fill("hooli")
    page.get_by_role("button", name="Select all").click()
    page.get_by_role("group", name="For everyone you add").get_by_label("Role").select_option("insight")
    page.get_by_role("button", name="Add the ticked people").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Say when you last talked with the people you add")
    assert summary.bounding_box()["y"] < 400  # at the top, in sight
    expect(page.locator("[data-people-count]")).to_have_text(f"{PEOPLE // 5} of {PEOPLE} selected")
    expect(page.get_by_role("group", name="For everyone you add").get_by_label("Role")).to_have_value("insight")
    assert Advisor.select().where(Advisor.user == account.id).count() == 0


@pytest.mark.browser_context_args(java_script_enabled=False, **PHONE)
def test_without_javascript_the_whole_list_shows_and_adding_works(signed_in, live_server, account):
    page = signed_in
    preview(page, live_server)
    expect(page.get_by_label("Find someone")).to_be_hidden()
    expect(page.get_by_role("button", name="Select all")).to_be_hidden()
    assert shown(page) == PEOPLE
    page.get_by_role("checkbox", name="Zoë Müller").check()
    page.get_by_role("checkbox").nth(0).check()
    batch = page.get_by_role("group", name="For everyone you add")
    batch.get_by_label("Role").select_option("expertise")
    batch.get_by_label("A few months ago").check()
    page.get_by_role("button", name="Add the ticked people").click()
    expect(page).to_have_url(re.compile(r"/board$"))
    names = {a.name for a in Advisor.select().where(Advisor.user == account.id)}
    assert names == {"Zoë Müller", "Ana Okafor 0"}


@pytest.mark.browser_context_args(bypass_csp=True, **PHONE)  # axe is injected as a script tag
def test_the_address_book_preview_passes_axe(signed_in, live_server, audit):  # noqa: F811
    page = signed_in
    preview(page, live_server)
    page.get_by_label("Find someone").fill("umbrella")
    page.locator("#people-list > li:visible summary").first.click()
    audit("address book, filtered, one person open")
    page.get_by_role("button", name="Add the ticked people").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit("address book with a mistake")
    audit.check()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_at_360_px(browser, live_server, account, scheme, screenshot):
    """A narrowed list with one person open (the whole page), and the top of the preview."""
    context = browser.new_context(viewport={"width": 360, "height": 760}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, color_scheme=scheme)
    page = context.new_page()
    sign_in(page, live_server)
    preview(page, live_server)
    find = page.get_by_label("Find someone")
    find.fill("chloé")
    page.get_by_role("button", name="Select all").click()
    page.locator("#people-list > li:visible summary").first.click()
    path = screenshot(page, f"import-narrowed-{scheme}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    find.fill("")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path.with_name(f"import-400-top-{scheme}.png"))
    page.evaluate("window.scrollTo(0, 1200)")
    page.screenshot(path=path.with_name(f"import-400-list-{scheme}.png"))
    context.close()
