"""The installable app: manifest and installability, the service worker's saved pages, and
contacts logged offline that reach the server exactly once."""
import json
import re
import threading
import time
from datetime import timedelta

from flask import request
from playwright.sync_api import expect

from advisory.core import wording
from advisory.models import Advice, Advisor, Contact, Promise

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_SAVED,
    PASSWORD,
    LiveServer,
    sign_in,
    until,
    wait_for_worker,
)


def test_every_pages_scripts_run_with_what_the_page_tells_them(signed_in, live_server, account):
    """The scripts take their URLs and labels from the page: none fails on any page."""
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    for path in ("/", f"/advisors/{dana.id}", f"/advisors/{dana.id}/log", "/advisors/new",
                 "/board", "/calendar", "/settings", "/settings/reminders", "/offline"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        until(page, "() => typeof ROUTES === 'object' && Boolean(self.AdvisorySync)")
    assert errors == []


def test_chromium_reports_the_app_installable(playwright, pixel_7, live_server, tmp_path):
    # A normal context is incognito, which Chromium never offers to install from.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, **pixel_7)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"{live_server.url}/login")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert json.loads(manifest["data"])["display"] == "standalone"
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        context.close()


def test_install_button_appears_only_when_the_browser_offers_it(signed_in, screenshot):
    page = signed_in
    expect(page.get_by_role("button", name="Install")).to_have_count(0)
    page.evaluate("""() => {
        const offer = new Event("beforeinstallprompt", {cancelable: true});
        offer.prompt = () => { window.prompted = true; };
        offer.userChoice = Promise.resolve({outcome: "accepted"});
        window.dispatchEvent(offer);
    }""")
    install = page.get_by_role("button", name="Install")
    expect(install).to_be_visible()
    box = install.bounding_box()
    assert box["height"] >= 44
    screenshot(page, "install-prompt")
    install.click()
    assert page.evaluate("window.prompted") is True
    expect(page.get_by_role("button", name="Install")).to_have_count(0)


def test_the_first_visit_is_kept_for_offline_use(browser, browser_context_args, page,
                                                 live_server, account):
    live_server.advisor(account, "Dana Reyes", overdue_days=3)
    sign_in(page, live_server)
    # Already signed in ("keep me signed in"), the app is opened for the first time.
    phone = browser.new_context(**browser_context_args,
                                storage_state=page.context.storage_state())
    try:
        first = phone.new_page()
        first.goto(f"{live_server.url}/")
        wait_for_worker(first)
        phone.set_offline(True)
        first.reload()
        expect(first.get_by_text("Offline — showing the due list from just now")).to_be_visible()
        expect(first.get_by_role("link", name="Dana Reyes")).to_be_visible()
    finally:
        phone.close()


def test_a_page_made_while_the_worker_activates_is_claimed_and_kept(make_app, browser, page):
    """The worker activates while the due list is on its way: the page's document is made
    after the worker claimed the open pages, so it must ask to be claimed itself."""
    app = make_app()
    first_due_list = threading.Event()

    @app.before_request
    def slow():
        if request.path == "/offline":
            time.sleep(1)  # the worker is still installing when the person signs in
        elif request.path == "/" and not first_due_list.is_set():
            first_due_list.set()
            time.sleep(2)  # ...and activates while their due list is on its way

    server = LiveServer(app)
    try:
        account = server.user()
        server.advisor(account, "Dana Reyes", overdue_days=3)
        sign_in(page, server)
        until(page, PAGE_SAVED)  # no reload: the worker claims it and saves it
        page.context.set_offline(True)
        page.reload()
        expect(page.get_by_role("link", name="Dana Reyes")).to_be_visible()
    finally:
        for context in browser.contexts:
            context.close()
        server.stop()


def waiting(page) -> list[dict]:
    return page.evaluate("""async () => (await AdvisoryOutbox.all())
        .filter(record => record.state === "waiting")""")


def test_due_list_works_offline_and_contacts_sync_once(context, page, live_server, account,
                                                        screenshot):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    omar = live_server.advisor(account, "Omar Haddad", role="expertise", overdue_days=3)
    lena = live_server.advisor(account, "Lena Park", role="wisdom", overdue_days=10)
    sign_in(page, live_server)
    wait_for_worker(page)

    # The full log form, opened while online and sent offline, is kept on the device; the
    # due list it returns to comes from the saved copy, which says it is offline and how old.
    page.goto(f"{live_server.url}/advisors/{omar.id}/log?from=due")
    context.set_offline(True)
    page.get_by_label("Video").check()
    page.get_by_label("Notes").fill("Talked about the reorg.")
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Offline — showing the due list from just now")).to_be_visible()
    expect(page.get_by_text("1 contact waiting to sync")).to_be_visible()
    # Worded in the page as the server words a date ("Thu 4 Dec").
    today = wording.short_date(account.today())
    expect(page.get_by_text(f"Video with Omar Haddad, {today}")).to_be_visible()
    screenshot(page, "offline-due-list")

    # One tap, offline: kept and shown as waiting on the card.
    card = page.locator(f"#advisor-{dana.id}")
    card.get_by_role("button", name="Spoke today").click()
    expect(card.get_by_text("waiting to sync")).to_be_visible()
    expect(card.get_by_role("button", name="Spoke today")).to_be_disabled()
    page.locator(f"#advisor-{lena.id}").get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("3 contacts waiting to sync")).to_be_visible()
    omar_card = page.locator(f"#advisor-{omar.id}")
    omar_card.locator("summary", has_text="Snooze").click()
    omar_card.get_by_role("button", name="1 week").click()  # needs the server: says so
    expect(page.get_by_text("You are offline and that needs a connection")).to_be_visible()
    page.reload()  # kept on the device, not in the page
    expect(page.get_by_text("3 contacts waiting to sync")).to_be_visible()
    screenshot(page, "offline-waiting")

    # A page never visited has no saved copy: the offline page says so.
    page.goto(f"{live_server.url}/board")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    screenshot(page, "offline-page")
    page.goto(f"{live_server.url}/")
    kept = waiting(page)
    assert len(kept) == 3

    # Lena is deleted on another device; then the network comes back.
    lena.delete_with_history()
    context.set_offline(False)
    expect(page.get_by_text("Sent 2 contacts logged offline")).to_be_visible()
    expect(page.get_by_text(re.compile("Not saved: Lena Park is no longer on your board"))
           ).to_be_visible()
    expect(page.get_by_text("Offline — showing")).to_have_count(0)
    # Logged today: she is no longer due, and her card moved to "Later" (compact there).
    expect(page.locator(f"section.group-later #advisor-{dana.id}")).to_be_visible()
    screenshot(page, "offline-synced")

    # Sync twice more, replaying what was already sent: from the page, and as a Background
    # Sync in the worker. The server keeps one contact per key.
    page.evaluate("""async records => {
        for (const record of records) await AdvisoryOutbox.put(record);
        await Promise.all([AdvisorySync(), AdvisorySync()]);
        for (const record of records) await AdvisoryOutbox.put(record);
        const registration = await navigator.serviceWorker.ready;
        await registration.sync.register("outbox");
    }""", [r for r in kept if r["name"] != "Lena Park"])
    until(page, """async () => (await AdvisoryOutbox.all())
        .every(record => record.state !== "waiting")""")
    assert [c.kind for c in live_server.contacts(dana)] == ["call"]
    [omar_contact] = live_server.contacts(omar)
    assert (omar_contact.kind, omar_contact.notes) == ("video", "Talked about the reorg.")
    assert Contact.select().count() == 2


# --- The full log form, offline ------------------------------------------------------

def log_forms_kept(page, *paths) -> None:
    """Until the worker keeps a copy of each of these log forms (path and query)."""
    until(page, """async paths => {
        const cache = await caches.open("advisory-pages");
        return (await Promise.all(paths.map(path => cache.match(path)))).every(Boolean);
    }""", list(paths))


def test_the_log_form_works_offline_for_anyone_on_the_due_list(
        playwright, pixel_7, live_server, account, tmp_path, screenshot):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3)
    omar = live_server.advisor(account, "Omar Haddad", role="expertise", overdue_days=10,
                               meeting_kind="video", agenda="Ask how the reorg landed")
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, **pixel_7,
        locale="en-GB", timezone_id="Europe/London")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        sign_in(page, live_server)
        wait_for_worker(page)  # only the due list was visited: never a log form
        omar_form = f"/advisors/{omar.id}/log?from=due"
        log_forms_kept(page, omar_form, f"/advisors/{dana.id}/log?from=due")
        # As if kept two days ago: it opens on today all the same, not on the day it was kept.
        two_days_ago = account.today() - timedelta(days=2)
        page.evaluate("""async ([path, day]) => {
            const cache = await caches.open("advisory-pages");
            const copy = await cache.match(path);
            const headers = new Headers(copy.headers);
            headers.set("X-Saved-At", String(Date.now() - 2 * 86400000));
            const html = (await copy.text()).replace(/(name="happened_on"[^>]*value=")[^"]*/, `$1${day}`);
            await cache.put(path, new Response(html, {headers}));
        }""", [omar_form, two_days_ago.isoformat()])

        context.set_offline(True)
        page.locator(f"#advisor-{omar.id}").get_by_role("link", name="Log…").click()
        expect(page.get_by_role("heading", name="Log a contact with Omar Haddad")).to_be_visible()
        expect(page.get_by_text("Offline — showing the page for Log a contact with Omar Haddad from 2 days ago")
               ).to_be_visible()
        expect(page.get_by_text("Ask how the reorg landed")).to_be_visible()
        expect(page.get_by_label("Video")).to_be_checked()  # his usual way of meeting
        expect(page.get_by_label("When")).to_have_value(account.today().isoformat())
        page.get_by_label("In person").check()
        page.get_by_label("Notes").fill("Lunch: the reorg went well, he wants an intro to Lena.")
        page.get_by_label("I thanked them").check()
        page.locator("#promised").get_by_label("What").first.fill("Introduce him to Lena")
        page.locator("#advice").get_by_label("Advice").first.fill("Write the memo first")
        page.get_by_label("Next time").fill("How the intro went")
        screenshot(page, "offline-log-form")
        page.get_by_role("button", name="Log contact").click()
        expect(page).to_have_url(f"{live_server.url}/")  # polled: the worker may answer it
        expect(page.get_by_text("1 contact waiting to sync")).to_be_visible()
        today = wording.short_date(account.today())
        expect(page.get_by_text(f"In person with Omar Haddad, {today}")).to_be_visible()
        screenshot(page, "offline-log-form-waiting")
        assert live_server.contacts(omar) == []

        # Kept for days: the form's token (and the page's) belong to a session ended since.
        [kept] = waiting(page)
        page.evaluate("""async record => {
            await AdvisoryOutbox.put({...record, csrf: "stale"});
            document.querySelectorAll('input[name="csrf_token"]').forEach(input => { input.value = "stale"; });
        }""", kept)
        context.set_offline(False)
        expect(page.get_by_text("Sent a contact logged offline")).to_be_visible()
        until(page, "async () => (await AdvisoryOutbox.all()).length === 0")
        # Sent again (a replay from another tab or the worker): still stored once.
        page.evaluate("async record => { await AdvisoryOutbox.put(record); await AdvisorySync(); }", kept)
        until(page, "async () => (await AdvisoryOutbox.all()).length === 0")
        [contact] = live_server.contacts(omar)
        assert (contact.kind, contact.notes, contact.thanked, contact.happened_on) == (
            "in_person", "Lunch: the reorg went well, he wants an intro to Lena.", True,
            account.today())
        assert Contact.select().count() == 1
        # The promise, the advice and the new agenda came with it, once.
        assert [(p.text, p.owed_by) for p in Promise.select()] == [("Introduce him to Lena", "me")]
        assert [a.text for a in Advice.select()] == ["Write the memo first"]
        assert Advisor.get_by_id(omar.id).agenda == "How the intro went"
    finally:
        context.close()


def test_a_log_form_kept_for_one_account_is_never_shown_to_another(
        browser, browser_context_args, live_server, account):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3,
                               agenda="Ask about the board seat")
    grace = live_server.user("grace@example.com")
    live_server.advisor(grace, "Omar Haddad", overdue_days=3)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, live_server)
    wait_for_worker(page)
    dana_form = f"/advisors/{dana.id}/log?from=due"
    log_forms_kept(page, dana_form)
    copy = page.evaluate("""async path =>
        (await (await caches.open("advisory-pages")).match(path)).text()""", dana_form)
    page.goto(f"{live_server.url}/settings")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/login"))
    assert saved_pages(page) == []

    # Grace signs in on the same phone; Ada's form, fetched as she signed out, arrives late.
    sign_in(page, live_server, email="grace@example.com")
    until(page, PAGE_SAVED)
    page.evaluate("""async ([path, html]) => (await caches.open("advisory-pages"))
        .put(path, new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8",
                                                  "X-Saved-At": String(Date.now())}}))""",
                  [dana_form, copy])
    context.set_offline(True)
    page.goto(f"{live_server.url}{dana_form}")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Dana Reyes")).to_have_count(0)
    expect(page.get_by_text("Ask about the board seat")).to_have_count(0)


# --- Signed out: the device forgets the board ------------------------------------------

SIGNED_OUT = "You were signed out on this device; sign in again to see your board."


def saved_pages(page) -> list[str]:
    """The paths (and queries) the worker keeps for offline use (without creating its
    cache to look)."""
    return page.evaluate("""async () => await caches.has("advisory-pages")
        ? (await (await caches.open("advisory-pages")).keys())
            .map(r => new URL(r.url)).map(url => url.pathname + url.search)
        : []""")


def kept_paths(advisor) -> list[str]:
    """What the worker keeps of a board with `advisor` due: the due list, their page, the
    log form each of those links to, and their prep page."""
    return ["/", f"/advisors/{advisor.id}", f"/advisors/{advisor.id}/log",
            f"/advisors/{advisor.id}/log?from=due", f"/advisors/{advisor.id}/prep"]


def open_board(page, server, advisor) -> None:
    """Sign in and open the due list and the advisor's page, so that both are kept, with
    the log forms they link to."""
    sign_in(page, server)
    wait_for_worker(page)
    page.goto(f"{server.url}/advisors/{advisor.id}")
    until(page, PAGE_SAVED)
    log_forms_kept(page, *kept_paths(advisor)[2:])
    assert sorted(saved_pages(page)) == kept_paths(advisor)


def assert_board_forgotten(page, server, advisor) -> None:
    """Offline, neither the due list, the advisor's page nor their log form shows anything
    of theirs."""
    assert saved_pages(page) == []
    page.context.set_offline(True)
    for path in kept_paths(advisor):
        page.goto(f"{server.url}{path}")
        expect(page.get_by_text(SIGNED_OUT)).to_be_visible()
        expect(page.get_by_text("Contacts you log are kept")).to_have_count(0)  # nothing to log
        expect(page.get_by_text(advisor.name)).to_have_count(0)
        expect(page.get_by_text(advisor.agenda)).to_have_count(0)


def test_a_device_signed_out_from_another_forgets_the_board(browser, browser_context_args, page,
                                                            live_server, account, screenshot):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3,
                               agenda="Ask about the board seat")
    open_board(page, live_server, dana)

    # On a laptop: "Sign out of all other devices" (the lost phone).
    laptop = browser.new_context(**browser_context_args).new_page()
    sign_in(laptop, live_server)
    laptop.goto(f"{live_server.url}/settings")
    laptop.get_by_role("button", name="Sign out of all other devices").click()
    expect(laptop.get_by_text("Signed out of 1 other device.")).to_be_visible()
    laptop.context.close()

    # The phone, once online: the server sends it to sign in, and it forgets the board.
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/login"))
    assert_board_forgotten(page, live_server, dana)
    screenshot(page, "offline-signed-out")


def test_deleting_the_account_forgets_the_board(page, live_server, account):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3,
                               agenda="Ask about the board seat")
    open_board(page, live_server, dana)
    page.goto(f"{live_server.url}/account/delete")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything in it").click()
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_text("Your account and everything in it were deleted.")).to_be_visible()
    assert_board_forgotten(page, live_server, dana)


def test_a_signed_out_answer_to_a_sync_deletes_the_waiting_contacts(context, page, live_server,
                                                                    account):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3,
                               agenda="Ask about the board seat")
    sign_in(page, live_server)
    wait_for_worker(page)
    page.goto(f"{live_server.url}/advisors/{dana.id}/log?from=due")
    context.set_offline(True)
    page.get_by_label("Call").check()
    page.get_by_label("Notes").fill("She is thinking of leaving.")
    page.get_by_role("button", name="Log contact").click()
    # Polled, not awaited as one navigation: the worker's answer may replace it.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("1 contact waiting to sync")).to_be_visible()

    # Signed out from another device while this one is offline; then the network is back,
    # and the sync is answered "signed out".
    account.end_sessions()
    context.set_offline(False)
    expect(page).to_have_url(re.compile(r"/login"))
    until(page, "async () => (await AdvisoryOutbox.all()).length === 0")
    assert Contact.select().count() == 0

    # The sync's own answer is enough: a contact waiting when it comes is deleted with it.
    outcome = page.evaluate("""async advisor => {
        const fields = new FormData();
        fields.set("notes", "She is thinking of leaving.");
        const path = `/advisors/${advisor}/log`;
        await AdvisoryOutbox.put(AdvisoryOutbox.fromFields(path, fields, "Dana Reyes"));
        const token = document.querySelector('input[name="csrf_token"]').value;
        const [outcome] = await AdvisoryOutbox.flush(token);
        return [outcome.state, JSON.stringify(await AdvisoryOutbox.all())];
    }""", dana.id)
    assert outcome == ["signed-out", "[]"]
    assert_board_forgotten(page, live_server, dana)
