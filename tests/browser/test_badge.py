"""The installed app's icon shows how many people are overdue or due today: the due list sets
it (static/js/badge.js, from the count the server put on the page) and so does a pushed
reminder (static/js/sw-push.js, from the payload's count). Chromium on Linux has no Badging
API, so navigator.setAppBadge and clearAppBadge are stubbed here and record their calls.
A long press on the icon offers the manifest's shortcuts; its screenshots make the install
sheet."""
import json
from datetime import timedelta

from playwright.sync_api import expect

from advisory.core import reminders
from advisory.reminders.agenda import agenda

from .support import until, wait_for_worker

# Calls as ["set", n] or ["clear"], kept in self.badgeCalls (a page or the worker).
STUB_BADGE = """(() => {
    const calls = [];
    Object.defineProperty(self, "badgeCalls", {value: calls});
    self.navigator.setAppBadge = count => { calls.push(["set", count]); return Promise.resolve(); };
    self.navigator.clearAppBadge = () => { calls.push(["clear"]); return Promise.resolve(); };
})()"""
CALLS = "() => self.badgeCalls"


def test_the_due_list_puts_the_number_due_on_the_app_icon(context, signed_in, live_server,
                                                          account):
    page = signed_in
    context.add_init_script(STUB_BADGE)
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    live_server.advisor(account, "Omar Haddad", role="expertise", overdue_days=3)
    live_server.advisor(account, "Lena Park", role="wisdom", stage="prospect")  # due today
    later = live_server.advisor(account, "Zed Ola", role="balance")
    later.log_contact(happened_on=account.today(), kind="call")  # due in a month
    page.reload()
    expect(page.locator(".pill-overdue")).to_have_text("2 overdue")
    until(page, "() => self.badgeCalls.length > 0")
    assert page.evaluate(CALLS) == [["set", 3]]

    # Each change to the list swaps it (htmx) and the badge follows: a one-tap log, its undo.
    page.locator(f"#advisor-{dana.id}").get_by_role("button", name="Spoke today").click()
    confirmation = page.get_by_text("Logged: call with Dana Reyes, today.")
    expect(confirmation).to_be_visible()
    until(page, "() => self.badgeCalls.length > 1")
    assert page.evaluate(CALLS) == [["set", 3], ["set", 2]]
    page.locator(".flash").get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Removed the last contact logged with Dana Reyes.")).to_be_visible()
    until(page, "() => self.badgeCalls.length > 2")
    assert page.evaluate(CALLS) == [["set", 3], ["set", 2], ["set", 3]]


def test_nobody_due_clears_the_app_icon(context, signed_in, live_server, account):
    page = signed_in
    context.add_init_script(STUB_BADGE)
    omar = live_server.advisor(account, "Omar Haddad", overdue_days=3,
                               snoozed_until=account.today() + timedelta(days=7))
    page.reload()
    expect(page.get_by_role("link", name=omar.name)).to_be_visible()
    until(page, "() => self.badgeCalls.length > 0")
    assert page.evaluate(CALLS) == [["clear"]]


def test_a_pushed_reminder_puts_its_count_on_the_app_icon(signed_in, live_server, account):
    """The server's own payload, pushed into the worker through the DevTools protocol
    (the loopback path tests/browser/test_reminders.py uses); the worker's stub is
    installed by evaluating in the worker itself."""
    page = signed_in
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    for days, name in enumerate(["Dana Reyes", "Omar Haddad", "Lena Park", "Ines Moreau",
                                 "Kofi Mensah", "Mei Lin"]):
        live_server.advisor(account, name, overdue_days=days)
    wait_for_worker(page)
    [worker] = page.context.service_workers
    worker.evaluate(STUB_BADGE)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    until(page, "() => true")  # let the registration event arrive
    page.wait_for_timeout(200)
    [registration] = [r for r in registrations if not r["isDeleted"]]

    def push(payload: dict) -> None:
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": live_server.url, "registrationId": registration["registrationId"],
            "data": json.dumps(payload)})

    today = account.today()
    payload = reminders.notification(agenda(account, today).cards, today, account.id, "k-1")
    assert (payload["count"], len(payload["advisors"])) == (6, 4)  # names 4, counts all
    push(payload)
    until(page, "async () => (await (await navigator.serviceWorker.ready)"
                ".getNotifications()).length > 0")
    assert worker.evaluate(CALLS) == [["set", 6]]
    push({**payload, "count": 0})
    push({key: value for key, value in payload.items() if key != "count"})  # an older server's
    push({**payload, "count": 2, "key": "k-2"})
    expected = [["set", 6], ["clear"], ["set", 2]]  # the payload without a count left it be
    for _ in range(100):
        if worker.evaluate(CALLS) == expected:
            break
        page.wait_for_timeout(50)
    assert worker.evaluate(CALLS) == expected


def test_chromium_reads_the_shortcuts_and_screenshots(signed_in, live_server, account):
    """Chromium's own reading of the manifest, and "Log a conversation" opening the due
    list at its first cards, under the sticky tabs, with "Spoke today" in reach."""
    page = signed_in
    for days, name in enumerate(["Dana Reyes", "Omar Haddad", "Lena Park", "Ines Moreau"]):
        live_server.advisor(account, name, overdue_days=days * 5, agenda="Ask about the board")
    page.goto(live_server.url + "/board")
    cdp = page.context.new_cdp_session(page)
    read = cdp.send("Page.getAppManifest")
    assert read["errors"] == []
    manifest = read["manifest"]
    assert [(s["name"], s["url"].removeprefix(live_server.url)) for s in manifest["shortcuts"]] \
        == [("Due list", "/"), ("Log a conversation", "/#due-cards"),
            ("Add advisor", "/advisors/new")]
    assert sorted(s["formFactor"] for s in manifest["screenshots"]) == ["kNarrow", "kWide"]

    page.goto(manifest["shortcuts"][1]["url"])  # from the sign-in's "/": a fresh load
    first = page.locator("#due-cards")
    expect(first.get_by_role("heading", name="Overdue")).to_be_in_viewport()
    assert page.evaluate("() => scrollY") > 0  # past the page's heading and summary
    tabs_bottom = page.evaluate("() => document.querySelector('header').getBoundingClientRect().bottom")
    assert first.bounding_box()["y"] >= tabs_bottom - 1  # not under the sticky tabs
    expect(first.get_by_role("button", name="Spoke today").first).to_be_in_viewport()
