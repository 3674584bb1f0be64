"""The prep page on a phone: kept by the service worker for everyone due this week, so it
opens offline on the way to the coffee."""
from datetime import timedelta

from playwright.sync_api import expect

from advisory.models.gives import Give

from .support import CHROMIUM, CHROMIUM_ARGS, sign_in, until, wait_for_worker


def test_the_prep_page_of_someone_due_this_week_opens_offline(
        playwright, pixel_7, live_server, account, tmp_path, screenshot):
    today = account.today()
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3, why="Navigating the reorg",
                               agenda="Ask how the budget landed", offer="Intros to designers")
    for days, thanked in ((120, True), (90, False), (60, False), (40, False)):
        dana.log_contact(happened_on=today - timedelta(days=days), kind="video",
                         notes=f"Talked {days} days ago", thanked=thanked)
    Give.record(dana, kind="article", note="The anchoring essay", given_on=today)
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, **pixel_7)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.set_viewport_size({"width": 360, "height": 780})
        sign_in(page, live_server)
        wait_for_worker(page)  # only the due list was visited, never the prep page
        prep = f"/advisors/{dana.id}/prep"
        until(page, """async path => Boolean(await (await caches.open("advisory-pages"))
            .match(path))""", prep)

        context.set_offline(True)
        page.locator(f"#advisor-{dana.id}").get_by_role("link", name="Prepare").click()
        expect(page.get_by_role("heading", name="Prepare: Dana Reyes")).to_be_visible()
        expect(page.get_by_text("Offline — showing the page for")).to_be_visible()
        for text in ("Navigating the reorg", "Ask how the budget landed", "Talked 40 days ago",
                     "Intros to designers", "The anchoring essay",
                     "3 conversations since you last thanked them."):
            expect(page.get_by_text(text)).to_be_visible()
        assert page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        screenshot(page, "prep-offline")
    finally:
        context.close()
