"""The phone, polished: nothing covers a control, nothing scrolls sideways at 360 px,
snoozing never brings a reminder earlier, history can be corrected, and the calendar
page starts with the steps for the visitor's phone."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Contact

from .support import CHROMIUM, CHROMIUM_ARGS, sign_in, until

IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")

# Every control whose centre, once scrolled into view, is not the control itself (or inside it).
COVERED = """() => Array.from(document.querySelectorAll(
        "button, summary, select, textarea, a.button, nav a, input:not([type=hidden])"))
    .filter(el => el.offsetParent !== null && !el.closest("details:not([open]) > :not(summary)"))
    .map(el => {
        el.scrollIntoView({block: "center", inline: "center"});
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        const label = el.id && hit && hit.closest(`label[for="${el.id}"]`);
        return el === hit || el.contains(hit) || label ? null
            : `${el.outerHTML.slice(0, 70)} is under ${hit ? hit.outerHTML.slice(0, 70) : "nothing"}`;
    })
    .filter(Boolean)"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def board(server, user):
    """A board with a long name, someone due later with history, and a prospect."""
    today = user.today()
    long_name = server.advisor(user, "Maria-Fernanda de la Cruz Villanueva-Echeverría",
                               overdue_days=5, agenda="Ask about the reorg and the budget")
    dana = server.advisor(user, "Dana Reyes", role="expertise", overdue_days=400)
    for days in range(1, 26):
        dana.log_contact(happened_on=today - timedelta(days=days * 3), kind="video",
                         notes=f"Talked about chapter {days}")
    server.advisor(user, "Omar Haddad", role="wisdom", stage="prospect")
    return long_name, Advisor.get_by_id(dana.id)


def main_pages(server, dana):
    contact = Contact.history(dana).first()
    return ["/", "/board", "/advisors/new", f"/advisors/{dana.id}", f"/advisors/{dana.id}/edit",
            f"/advisors/{dana.id}/log", f"/advisors/{dana.id}/contacts/{contact.id}/edit",
            "/calendar", "/settings", "/mentees", "/mentees/new"]


def test_the_install_offer_covers_no_control_and_not_now_is_remembered(
        playwright, live_server, account, pixel_7, tmp_path):
    _, dana = board(live_server, account)
    profile = tmp_path / "profile"  # persistent, so Chromium really offers to install

    def launch():
        return playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, **pixel_7)

    context = launch()
    try:
        page = context.pages[0] if context.pages else context.new_page()
        sign_in(page, live_server)
        until(page, "() => navigator.serviceWorker.controller !== null")
        page.reload()
        offer = page.locator(".install-offer")
        expect(offer).to_be_visible(timeout=20_000)
        # In the flow after the list: it covers nothing and moves nothing above it.
        assert page.evaluate("""() => getComputedStyle(document.querySelector(".install-offer"))
            .position""") == "static"
        assert page.evaluate("""() => document.querySelector(".install-offer").getBoundingClientRect().top
            > document.querySelector("#due-list").getBoundingClientRect().bottom""")
        assert page.evaluate(COVERED) == []
        for path in main_pages(live_server, dana):
            page.goto(live_server.url + path)
            assert page.evaluate(COVERED) == [], path
        page.goto(live_server.url)
        offer.get_by_role("button", name="Not now").click()
        expect(offer).to_have_count(0)
    finally:
        context.close()

    context = launch()  # the browser restarted: "Not now" still holds on this device
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.add_init_script("addEventListener('beforeinstallprompt', () => { window.offered = true; })")
        page.goto(live_server.url)
        until(page, "() => window.offered === true", timeout=20)
        page.wait_for_timeout(200)  # the offer's own listener ran in the same task
        expect(page.locator(".install-offer")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.browser_context_args(viewport={"width": 360, "height": 740})
def test_no_page_scrolls_sideways_at_360_px(page, live_server, account):
    page.goto(live_server.setup_url())
    assert page.evaluate(OVERFLOW) == 0, "setup"
    _, dana = board(live_server, account)
    page.goto(f"{live_server.url}/login")
    assert page.evaluate(OVERFLOW) == 0, "login"
    sign_in(page, live_server)
    for path in main_pages(live_server, dana):
        page.goto(live_server.url + path)
        assert page.evaluate(OVERFLOW) == 0, path
        assert page.evaluate(COVERED) == [], path
    # Every tab fits: none is clipped by the edge of the screen.
    page.goto(live_server.url)
    right = page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll("nav a"))
        .map(a => a.getBoundingClientRect().right))""")
    assert right <= 360


OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => d.open = true)"


@pytest.mark.browser_context_args(viewport={"width": 320, "height": 640})
def test_no_page_scrolls_sideways_at_320_px_with_everything_open(page, live_server, account):
    long_name, dana = board(live_server, account)
    sign_in(page, live_server)
    wide = []
    for path in [*main_pages(live_server, dana), f"/advisors/{long_name.id}",
                 f"/advisors/{long_name.id}/edit", "/account/delete", "/import", "/import/vcard",
                 "/settings/reminders"]:
        page.goto(live_server.url + path)
        page.evaluate(OPEN_ALL)
        if page.evaluate(OVERFLOW) > 0:
            wide.append(f"{path} ({page.evaluate(OVERFLOW)} px)")
    assert wide == []


def test_the_tabs_stay_in_reach_far_down_a_page(signed_in, live_server, account):
    _, dana = board(live_server, account)
    page = signed_in
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    settings = page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings")
    box = settings.bounding_box()
    assert box is not None and 0 <= box["y"] < 60
    settings.click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def test_a_week_of_snooze_counts_from_the_due_date_and_can_be_undone(signed_in, live_server, account):
    page = signed_in
    today = account.today()
    omar = live_server.advisor(account, "Omar Haddad", overdue_days=40)
    omar.log_contact(happened_on=today - timedelta(days=10), kind="call")  # monthly: due in ~3 weeks
    due = Advisor.get_by_id(omar.id).due_on(today)
    assert due > today
    page.goto(f"{live_server.url}/advisors/{omar.id}")
    page.locator("summary", has_text="Snooze").click()
    page.get_by_role("button", name=re.compile(r"^1 week")).click()
    expect(page.get_by_text(re.compile("Omar Haddad is snoozed until"))).to_be_visible()
    assert Advisor.get_by_id(omar.id).snoozed_until == due + timedelta(days=7)  # never earlier
    expect(page.get_by_role("button", name="Unsnooze")).to_be_visible()

    page.locator(".flash").get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Snooze undone for Omar Haddad.")).to_be_visible()
    assert Advisor.get_by_id(omar.id).snoozed_until is None
    expect(page.get_by_role("button", name="Unsnooze")).to_have_count(0)


def test_unsnooze_ends_a_snooze(signed_in, live_server, account):
    page = signed_in
    later = account.today() + timedelta(days=20)
    omar = live_server.advisor(account, "Omar Haddad", snoozed_until=later)
    page.goto(f"{live_server.url}/advisors/{omar.id}")
    expect(page.get_by_text(re.compile("Snoozed until"))).to_be_visible()
    page.get_by_role("button", name="Unsnooze").click()
    expect(page.get_by_text("Omar Haddad is no longer snoozed.")).to_be_visible()
    assert Advisor.get_by_id(omar.id).snoozed_until is None


def test_a_logged_contact_can_be_corrected_and_deleted(signed_in, live_server, account, browser,
                                                       browser_context_args):
    page = signed_in
    today = account.today()
    _, dana = board(live_server, account)
    latest = Contact.history(dana).first()
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.get_by_role("link", name=re.compile(f"Edit the contact of .*{latest.happened_on.day} ")).first.click()
    expect(page.get_by_role("heading", name="Edit a contact with Dana Reyes")).to_be_visible()
    moved = today - timedelta(days=2)
    page.get_by_label("When").fill(moved.isoformat())
    page.get_by_label("In person").check()
    page.get_by_label("Notes").fill("Coffee, not video")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Coffee, not video")).to_be_visible()
    assert page.url.endswith("#contact-history")
    saved = Contact.get_by_id(latest.id)
    assert (saved.happened_on, saved.kind) == (moved, "in_person")

    page.goto(f"{live_server.url}/advisors/{dana.id}/contacts/{latest.id}/edit")
    page.get_by_text("Delete this contact", exact=True).click()
    page.get_by_role("button", name="Yes, delete this contact").click()
    expect(page.get_by_text(re.compile("Deleted the contact of"))).to_be_visible()
    expect(page.get_by_text("Coffee, not video")).to_have_count(0)
    assert Contact.owned(dana, latest.id) is None  # in the trash: Undo brings it back

    # Another account asking for one of Dana's contacts gets a plain 404.
    contact = Contact.history(dana).first()
    live_server.user("grace@example.com")
    other = browser.new_context(**browser_context_args)
    try:
        other_page = other.new_page()
        sign_in(other_page, live_server, email="grace@example.com")
        response = other_page.goto(f"{live_server.url}/advisors/{dana.id}/contacts/{contact.id}/edit")
        assert response.status == 404
    finally:
        other.close()


def test_older_brings_the_reader_to_the_top_of_the_next_page(signed_in, live_server, account):
    page = signed_in
    _, dana = board(live_server, account)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    older = page.get_by_role("link", name="Older")
    older.scroll_into_view_if_needed()
    older.click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    top = page.locator("#contact-history").bounding_box()["y"]
    assert 0 <= top < 120  # the history's heading, just under the tabs


PUBLIC_BASE = "https://advisory.example.com"  # served as the README deploys it


def test_calendar_page_starts_with_google_on_android(signed_in, live_server):
    page = signed_in  # the Pixel 7's own user agent
    live_server.app.config["BASE_URL"] = PUBLIC_BASE
    page.goto(f"{live_server.url}/calendar")
    first = page.locator("a.button.primary").first
    expect(first).to_have_text("Add to Google Calendar")
    assert first.bounding_box()["y"] < page.viewport_size["height"]  # on the first screen
    expect(page.get_by_role("link", name="Open in another calendar app")).to_have_attribute(
        "href", re.compile("^webcal://"))
    expect(page.locator("img[src$='qr.svg']")).to_have_count(0)


@pytest.mark.browser_context_args(user_agent=IPHONE_UA)
def test_calendar_page_starts_with_the_webcal_button_on_an_iphone(signed_in, live_server):
    page = signed_in
    live_server.app.config["BASE_URL"] = PUBLIC_BASE
    page.goto(f"{live_server.url}/calendar")
    first = page.locator("a.button.primary").first
    expect(first).to_have_text("Subscribe on this iPhone")
    expect(first).to_have_attribute("href", re.compile("^webcal://"))
    assert first.bounding_box()["y"] < page.viewport_size["height"]
    expect(page.locator("img[src$='qr.svg']")).to_have_count(0)


def test_calendar_page_on_a_local_address_offers_what_can_reach_it(signed_in, live_server,
                                                                   screenshot):
    page = signed_in  # the test server's own 127.0.0.1: only this computer can fetch it
    page.goto(f"{live_server.url}/calendar")
    expect(page.get_by_text("cannot fetch this link")).to_be_visible()
    expect(page.get_by_role("link", name="Add to Google Calendar")).to_have_count(0)
    download = page.get_by_role("link", name="Download the calendar once (.ics)")
    expect(download).to_be_visible()
    with page.expect_download() as event:
        download.click()
    assert event.value.suggested_filename == "advisory.ics"
    screenshot(page, "calendar-local")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_copy_link_is_not_offered(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/calendar")
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()


def test_sign_in_starts_in_the_email_field(page, live_server, account):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/login"
    assert page.evaluate("() => document.activeElement.name") == "email"


# The due list ------------------------------------------------------------------------

def crowded_board(server, user, overdue=14):
    """`overdue` members overdue by 1..n days (monthly), and members due later, added so
    that their urgency order differs from their date order."""
    today = user.today()
    for number in range(overdue):
        server.advisor(user, f"Overdue {number:02d}", overdue_days=number + 1)
    # (name, cadence in days, due in days): by urgency yearly, monthly, weekly; by date reversed
    for name, cadence, due_in in [("Later yearly", 365, 60), ("Later monthly", 30, 20),
                                  ("Later weekly", 14, 12)]:
        advisor = server.advisor(user, name, cadence_count=cadence, cadence_unit="days",
                                 overdue_days=800)
        advisor.log_contact(happened_on=today + timedelta(days=due_in - cadence), kind="call")


def test_spoke_today_deep_in_the_list_confirms_under_the_thumb_with_focus(signed_in, live_server, account):
    page = signed_in
    crowded_board(live_server, account)
    page.goto(live_server.url)
    target = page.locator(".card", has_text="Overdue 02")  # low on the list: least urgent overdue
    target.scroll_into_view_if_needed()
    page.evaluate("() => { window.sameDocument = true; }")
    target.get_by_role("button", name="Spoke today").click()
    flash = page.locator(".flash", has_text="Logged: call with Overdue 02, today.")
    expect(flash).to_be_visible()
    assert page.evaluate("() => window.sameDocument") is True
    box = flash.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]  # in view
    assert page.evaluate("() => document.activeElement.closest('.flash') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Undo"


def test_a_fast_double_tap_logs_one_contact(signed_in, live_server, account):
    page = signed_in
    crowded_board(live_server, account)
    page.goto(live_server.url)
    button = page.locator(".card", has_text="Overdue 05").get_by_role("button", name="Spoke today")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = Contact.select().count()
    page.mouse.click(x, y)
    page.wait_for_timeout(250)  # the list has been swapped; another card sits under the finger
    page.mouse.click(x, y)
    expect(page.locator(".flash", has_text="Overdue 05")).to_be_visible()
    page.wait_for_timeout(800)
    logged = Contact.select().order_by(Contact.id).offset(before)
    assert [contact.advisor.name for contact in logged] == ["Overdue 05"]


def test_escape_closes_snooze(signed_in, live_server, account):
    page = signed_in
    live_server.advisor(account, "Omar Haddad", overdue_days=3)
    page.goto(live_server.url)
    summary = page.locator(".card", has_text="Omar Haddad").locator("summary", has_text="Snooze")
    before = page.locator(".card", has_text="Omar Haddad").get_by_role("button", name="Spoke today").bounding_box()
    summary.click()
    expect(page.get_by_role("button", name=re.compile("^1 week"))).to_be_visible()
    after = page.locator(".card", has_text="Omar Haddad").get_by_role("button", name="Spoke today").bounding_box()
    assert after == before  # opening Snooze moves nothing already on the card
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=re.compile("^1 week"))).to_be_hidden()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Snooze"


def test_later_is_in_date_order_and_compact(signed_in, live_server, account):
    page = signed_in
    crowded_board(live_server, account, overdue=0)
    page.goto(live_server.url)
    later = page.locator("section.group-later .card")
    dates = later.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates) and len(dates) == 3
    for number in range(later.count()):
        card = later.nth(number)
        assert card.get_by_role("button").count() == 1  # one action
        assert card.bounding_box()["height"] < 100  # a full card is about 190
    # Empty counters are not shown.
    expect(page.locator("#due-summary")).not_to_contain_text("0 ")


# Tap targets ---------------------------------------------------------------------------

# Checkbox and radio rows, and links standing in text (names on cards, the error summary's,
# links under a form): each at least 44 px tall, from padding rather than bigger text.
SHORT_TARGETS = """() => Array.from(document.querySelectorAll(
        "label:has(input[type=checkbox], input[type=radio]), main .card a, main form a, .error-summary a, .resting a, .page-links a"))
    .filter(el => el.offsetParent !== null)
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.height < 44)
    .map(([el, box]) => `${el.outerHTML.slice(0, 80)} (${Math.round(box.height)} px tall)`)"""


@pytest.fixture
def email_configured(monkeypatch):
    """Email set up (nothing is sent here), so that sign-in offers "Forgot your password?"."""
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")


@pytest.mark.browser_context_args(viewport={"width": 360, "height": 740})
def test_checkbox_rows_and_links_in_text_are_44_px_tall(email_configured, page, live_server, account):
    _, dana = board(live_server, account)
    live_server.advisor(account, "Rita Levi", stage="paused")  # named in the list's last line
    page.goto(f"{live_server.url}/login")
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    expect(page.get_by_label("Keep me signed in on this device")).to_be_visible()
    assert page.evaluate(SHORT_TARGETS) == [], "sign-in"
    sign_in(page, live_server)
    expect(page.locator(".card-name a").first).to_be_visible()
    expect(page.locator(".resting a")).to_have_text("Rita Levi")
    assert page.evaluate(SHORT_TARGETS) == [], "due list"
    page.goto(f"{live_server.url}/advisors/{dana.id}/log")
    expect(page.get_by_label("I thanked them")).to_be_visible()
    assert page.evaluate(SHORT_TARGETS) == [], "log form"
    page.goto(f"{live_server.url}/advisors/new")
    page.get_by_role("button", name="Add to my board").click()
    expect(page.locator(".error-summary a").first).to_be_visible()
    assert page.evaluate(SHORT_TARGETS) == [], "add form with errors"
