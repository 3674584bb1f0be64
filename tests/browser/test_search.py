"""Search in Chromium: on a 360 px phone, from the box on the Due tab to the results, then
typing on the results page answers while typing (htmx) with the words marked, and a result
leads to its place on the person's page; dark mode; on a laptop the box is in the header;
axe finds nothing on the results, the empty state and the first visit."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Promise

from .support import small_tap_targets
from .test_accessibility import audit, axe_script  # noqa: F401 (fixtures)

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def people(account) -> tuple[Advisor, Advisor]:
    """Two people with things said, as the forms would have added them."""
    dana = Advisor.add(account, {"name": "Dana Reyes", "role": "insight",
                                 "organisation": "Northwind",
                                 "why": "Has been through three reorganisations"})
    emilie = Advisor.add(account, {"name": "Émilie Laurent", "role": "expertise",
                                   "agenda": "Ask how she would run the negotiation"})
    dana.log_contact(happened_on=date(2026, 3, 2), kind="video",
                     notes="Dana on the reorg: negotiate the new scope before the move, "
                           "and write down what was promised <b>in writing</b>.")
    Promise.make(emilie, text="Send Émilie the negotiation deck", owed_by="me")
    return dana, emilie


@pytest.mark.browser_context_args(viewport=PHONE)
def test_searching_on_a_phone_marks_what_was_found_while_typing(signed_in, live_server, account,
                                                                 screenshot):
    page = signed_in
    dana, emilie = people(account)
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_have_count(1)  # the header's is hidden on a phone
    screenshot(page, "search-due-list-phone")
    box.fill("dana reorg")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=dana\+reorg$"))
    results = page.locator("#search-results")
    # Her (why: "reorganisations"), then what she said about it
    expect(results.get_by_role("link", name="Dana Reyes")).to_have_count(2)
    expect(results.locator(f'a[href="/advisors/{dana.id}#contact-history"]')).to_have_text(
        "Dana Reyes")
    expect(results.locator("mark", has_text="reorg").first).to_be_visible()
    expect(results).to_contain_text("what was promised <b>in writing</b>.")  # as typed
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "search-phone-said")

    box = page.get_by_role("searchbox", name="Search")
    box.fill("EMILIE NEGOT")  # no Enter: the results follow the typing
    expect(results.locator("mark", has_text="Émilie").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search\?q=EMILIE\+NEGOT$"))
    expect(results).to_contain_text("2 results for")
    expect(results.get_by_role("heading", name="People")).to_be_visible()
    expect(results.locator("mark", has_text="negotiation")).to_have_count(2)
    screenshot(page, "search-phone-typing")

    box.fill("zebra")
    expect(results.get_by_role("heading", name="Nothing found for “zebra”")).to_be_visible()
    box.fill("northw")
    expect(results).to_contain_text("1 result for")
    results.get_by_role("link", name="Dana Reyes").click()
    expect(page.get_by_role("heading", name="Dana Reyes")).to_be_visible()
    assert page.url.endswith(f"/advisors/{dana.id}")


@pytest.mark.parametrize("scheme,viewport", [("dark", PHONE), ("light", LAPTOP)],
                         ids=["phone-dark", "laptop"])
def test_the_results_in_dark_mode_and_the_box_in_a_laptops_header(
        signed_in, live_server, account, screenshot, scheme, viewport):
    page = signed_in
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    people(account)
    page.goto(f"{live_server.url}/board")
    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_have_count(1)
    in_header = page.locator("header.topbar").get_by_role("searchbox")
    expect(in_header).to_have_count(1 if viewport == LAPTOP else 0)
    screenshot(page, f"search-board-{scheme}-{viewport['width']}")
    box.fill("negot")
    box.press("Enter")
    expect(page.locator("#search-results mark").first).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, f"search-results-{scheme}-{viewport['width']}")


@pytest.mark.browser_context_args(viewport=PHONE, bypass_csp=True)
def test_the_search_page_is_accessible(signed_in, live_server, account, audit):
    page = signed_in
    people(account)
    page.goto(f"{live_server.url}/search")
    audit("search, nothing asked")
    page.goto(f"{live_server.url}/search?q=negot")
    audit("search results")
    page.goto(f"{live_server.url}/search?q=zebra")
    audit("search, nothing found")
    page.goto(f"{live_server.url}/board")
    audit("board with the search box")
    audit.check()
