"""What a new user does on a phone, from the set-up link to signing back in; and the same
jobs with JavaScript off, as plain form posts and redirects."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Contact, User

from .support import PASSWORD, node_tool, sign_in, small_tap_targets

# name, role, days since you last spoke (None: never) -> where they land on the due list
BOARD = [
    ("Dana Reyes", "Organizational insight", 40),  # monthly: overdue
    ("Omar Haddad", "Specific expertise", 14),  # every 2 weeks: due today
    ("Priya Nair", "Unique perspective", 85),  # quarterly: due this week
    ("Lena Park", "Business wisdom", None),  # new: due the day she is added
    ("Sam Okafor", "Work/life balance", 10),  # quarterly: later
]


def add_advisor(page, name: str, role: str, days_ago: int | None, today) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Add").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label(role).check()
    if days_ago is not None:  # under "More about them": name and role are all it takes
        page.get_by_text("More about them").click()
        page.get_by_label("Last spoke on").fill((today - timedelta(days=days_ago)).isoformat())
    page.get_by_role("button", name="Add to my board").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.get_by_text(f"{name} is on your board.")).to_be_visible()


def card(page, name: str):
    return page.locator(".card", has=page.get_by_role("link", name=name, exact=True))


def group_of(page, name: str) -> str:
    """The heading of the due-list group a member's card is in."""
    return card(page, name).locator("xpath=ancestor::section[1]/h2").inner_text()


def test_a_new_user_sets_up_a_board_on_a_phone(page, live_server, screenshot):
    page.goto(live_server.setup_url())
    screenshot(page, "setup")
    assert small_tap_targets(page) == []
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")  # from the device
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/advisors/new$"))
    expect(page.get_by_text("Welcome to Advisory")).to_be_visible()
    screenshot(page, "add-advisor")
    assert small_tap_targets(page) == []
    today = User.get().today()

    add_advisor(page, *BOARD[0], today)
    screenshot(page, "advisor")
    assert small_tap_targets(page) == []
    page.get_by_role("link", name="Board").click()
    expect(page.get_by_text("4 of 5 roles are empty")).to_be_visible()
    screenshot(page, "board-empty-roles")
    for entry in BOARD[1:]:
        add_advisor(page, *entry, today)
    assert Advisor.select().count() == 5

    page.get_by_role("link", name="Board").click()
    expect(page.get_by_text("roles are empty")).to_have_count(0)
    for name, role, _ in BOARD:
        expect(page.get_by_role("region", name=role)).to_contain_text(name)
    screenshot(page, "board")
    assert small_tap_targets(page) == []

    page.get_by_role("link", name="Due", exact=True).click()
    expect(page.get_by_role("heading", name="Who's due")).to_be_visible()
    summary = page.locator("#due-summary")
    expect(summary).to_contain_text("1 overdue")
    expect(summary).to_contain_text("2 due today")
    expect(summary).to_contain_text("1 due this week")
    assert group_of(page, "Dana Reyes").startswith("Overdue")
    assert group_of(page, "Sam Okafor").startswith("Later")
    screenshot(page, "due-list")
    assert small_tap_targets(page) == []

    # One tap: htmx swaps the list in place (no page load), the card moves to "Later".
    page.evaluate("() => { window.sameDocument = true; }")
    card(page, "Dana Reyes").get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("Logged: call with Dana Reyes, today.")).to_be_visible()
    expect(summary).not_to_contain_text("overdue")  # an empty counter is not shown
    assert group_of(page, "Dana Reyes").startswith("Later")
    assert page.evaluate("() => window.sameDocument") is True
    screenshot(page, "due-list-logged")

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Removed the last contact logged with Dana Reyes.")).to_be_visible()
    expect(summary).to_contain_text("1 overdue")
    assert group_of(page, "Dana Reyes").startswith("Overdue")

    omar = card(page, "Omar Haddad")
    omar.locator("summary", has_text="Snooze").click()
    screenshot(page, "due-list-snooze")
    assert small_tap_targets(page) == []
    omar.get_by_role("button", name="1 week").click()
    expect(page.get_by_text(re.compile(r"Omar Haddad is snoozed until"))).to_be_visible()
    expect(card(page, "Omar Haddad")).to_contain_text(re.compile(r"Snoozed until \w{3} \d{1,2} \w{3}\s+·\s+Unsnooze"))
    expect(summary).to_contain_text("1 due today")
    assert page.evaluate("() => window.sameDocument") is True
    assert Contact.select().count() == 0

    # "Later" cards are compact (one action); the rest is on the advisor's page.
    card(page, "Sam Okafor").get_by_role("link", name="Sam Okafor").click()
    page.get_by_role("link", name="Log…").click()
    expect(page.get_by_role("heading", name="Log a contact with Sam Okafor")).to_be_visible()
    screenshot(page, "log-contact")
    assert small_tap_targets(page) == []
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    screenshot(page, "settings")
    assert small_tap_targets(page) == []
    if "calendar.index" in live_server.app.view_functions:
        page.goto(f"{live_server.url}/calendar")
        screenshot(page, "calendar")
        assert small_tap_targets(page) == []

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    screenshot(page, "login")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Who's due")).to_be_visible()
    expect(card(page, "Dana Reyes")).to_be_visible()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_adding_and_logging_work_without_javascript(page, live_server, account):
    sign_in(page, live_server)
    add_advisor(page, "Dana Reyes", "Organizational insight", 40, account.today())

    page.get_by_role("link", name="Due", exact=True).click()
    card(page, "Dana Reyes").get_by_role("button", name="Spoke today").click()
    expect(page).to_have_url(f"{live_server.url}/")  # a post, then a redirect
    expect(page.get_by_text("Logged: call with Dana Reyes, today.")).to_be_visible()
    assert group_of(page, "Dana Reyes").startswith("Later")

    # A "Later" card is compact: the full log form is one step away, on her page.
    card(page, "Dana Reyes").get_by_role("link", name="Dana Reyes").click()
    page.get_by_role("link", name="Log…").click()
    page.get_by_label("When").fill((account.today() - timedelta(days=3)).isoformat())
    page.get_by_label("In person").check()
    page.get_by_label("Notes").fill("Coffee; she offered an intro.")
    page.get_by_label("I thanked them").check()
    page.get_by_role("button", name="Log contact").click()
    expect(page).to_have_url(re.compile(r"/advisors/\d+$"))
    expect(page.get_by_text("Logged: in person with Dana Reyes, 3 days ago.")).to_be_visible()

    contacts = list(Contact.select().order_by(Contact.happened_on))
    assert [(c.kind, c.thanked) for c in contacts] == [("in_person", True), ("call", False)]


def test_a_person_deleted_on_one_device_is_answered_in_place_on_the_other(
        browser, browser_context_args, page, live_server, account):
    """Both devices show the due list; the laptop deletes Dana; the phone taps "Spoke
    today" on her stale card and gets its list back without her, with the reason."""
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    live_server.advisor(account, "Omar Haddad", overdue_days=3)
    sign_in(page, live_server)
    laptop = browser.new_context(**browser_context_args).new_page()
    sign_in(laptop, live_server)
    laptop.goto(f"{live_server.url}/advisors/{dana.id}")
    laptop.get_by_text("Delete Dana Reyes", exact=True).click()
    laptop.get_by_role("button", name="Yes, delete Dana Reyes").click()
    expect(laptop.get_by_text("were deleted")).to_be_visible()

    card(page, "Dana Reyes").get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("That person is no longer on your board")).to_be_visible()
    expect(card(page, "Dana Reyes")).to_have_count(0)
    expect(card(page, "Omar Haddad")).to_be_visible()
    expect(page.locator("nav[aria-label=Main]")).to_have_count(1)  # one page, not two
    assert Contact.select().count() == 0


def test_a_delete_on_a_phone_is_undone_with_one_tap(page, live_server, account, screenshot):
    """Delete someone from their page, tap Undo on the due list: they are back, with their
    history; delete a contact from its edit page, tap Undo: it is back in the history."""
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    live_server.advisor(account, "Omar Haddad", overdue_days=3)
    for days, notes in ((50, "Coffee near the office"), (20, "Call about Lisbon")):
        dana.log_contact(happened_on=account.today() - timedelta(days=days), kind="call",
                         notes=notes)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.get_by_text("Delete Dana Reyes", exact=True).click()
    page.get_by_role("button", name="Yes, delete Dana Reyes").click()
    expect(page.get_by_text("Dana Reyes and their history were deleted.")).to_be_visible()
    expect(card(page, "Dana Reyes")).to_have_count(0)
    screenshot(page, "deleted-with-undo")
    assert small_tap_targets(page) == []

    page.evaluate("() => { window.sameDocument = true; }")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Dana Reyes is back on your board, with their history.")).to_be_visible()
    expect(card(page, "Dana Reyes")).to_be_visible()
    assert group_of(page, "Dana Reyes").startswith("Later")  # due again from the call 20 days ago
    assert page.evaluate("() => window.sameDocument") is True  # htmx swapped the list
    card(page, "Dana Reyes").get_by_role("link", name="Dana Reyes").click()
    history = page.locator("#contact-history")
    expect(history).to_contain_text("Coffee near the office")
    expect(history).to_contain_text("Call about Lisbon")

    history.get_by_role("link", name=re.compile("Edit the contact")).first.click()
    page.get_by_text("Delete this contact", exact=True).click()
    page.get_by_role("button", name="Yes, delete this contact").click()
    expect(page.get_by_text(re.compile(r"Deleted the contact of"))).to_be_visible()
    expect(history).not_to_contain_text("Call about Lisbon")
    screenshot(page, "contact-deleted-with-undo")
    assert small_tap_targets(page) == []
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text(re.compile(r"is back in the history"))).to_be_visible()
    expect(history).to_contain_text("Call about Lisbon")
    saved = Advisor.get_by_id(dana.id)
    assert (saved.contact_count, saved.deleted_at) == (2, None)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_undo_and_recently_deleted_work_without_javascript(page, live_server, account,
                                                           screenshot):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    omar = live_server.advisor(account, "Omar Haddad", overdue_days=3)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.get_by_text("Delete Dana Reyes", exact=True).click()
    page.get_by_role("button", name="Yes, delete Dana Reyes").click()
    page.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(f"{live_server.url}/")  # a post, then a redirect
    expect(page.get_by_text("Dana Reyes is back on your board")).to_be_visible()
    expect(card(page, "Dana Reyes")).to_be_visible()

    omar.delete_with_history()  # on another device: no Undo here, but Recently deleted
    page.get_by_role("link", name="Board").click()
    page.get_by_role("link", name="Recently deleted").click()
    expect(page.get_by_text("Deleted today, with 0 contacts")).to_be_visible()
    screenshot(page, "recently-deleted")
    assert small_tap_targets(page) == []
    page.get_by_role("button", name="Bring back Omar Haddad").click()
    expect(page.get_by_role("heading", level=1, name="Omar Haddad")).to_be_visible()
    expect(page.get_by_text("Omar Haddad is back on your board")).to_be_visible()


@pytest.mark.browser_context_args(bypass_csp=True)  # axe goes in as a script tag
def test_recently_deleted_passes_axe(page, live_server, account):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    contact = dana.log_contact(happened_on=account.today(), kind="video")
    dana.delete_contact(contact.id)
    live_server.advisor(account, "Omar Haddad").delete_with_history()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/advisors/deleted")
    page.add_script_tag(path=node_tool("axe-core", "axe.min.js"))
    violations = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag", values:
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
        .then(result => result.violations.map(v => v.id + ": " + v.help))""")
    assert violations == []
