"""Do for one, on a phone: add a mentee, find them under "People you mentor" when due, log
them in one tap, and record an introduction made for an advisor, which the board counts
as giving back. Screenshots at 360 and 320 px, in dark mode and on a laptop."""
import re

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Introduction

from .support import sign_in

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_a_mentee_on_the_due_list_and_an_introduction_that_gives_back(signed_in, live_server,
                                                                       account, screenshot):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=-20)  # not due yet
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentees").click()
    expect(page.get_by_role("heading", name="People you mentor")).to_be_visible()
    page.get_by_role("link", name="Add a mentee").click()
    page.get_by_label("Name").fill("Sam Okafor")
    page.get_by_label("Longer ago").check()  # a year ago: overdue on a monthly cadence
    page.get_by_label("Their goals").fill("Lead a team\nSpeak at a conference")
    page.get_by_label("Their ideal next step").fill("A team lead role")
    page.get_by_label("Contacts you could introduce them to").fill("Dana, for the org view")
    assert page.evaluate(OVERFLOW) == 0
    screenshot(page, "mentee-form")
    page.get_by_role("button", name="Add mentee").click()
    sam = Advisor.get(Advisor.name == "Sam Okafor")
    page.wait_for_url(re.compile(rf"/advisors/{sam.id}$"))
    expect(page.locator(".page-head .role")).to_have_text("Mentee")
    expect(page.get_by_text("A team lead role")).to_be_visible()

    page.goto(f"{live_server.url}/")
    section = page.locator(".group-mentees")
    expect(section.get_by_role("heading", name=re.compile("People you mentor"))).to_be_visible()
    card = section.locator(f"#advisor-{sam.id}")
    expect(card).to_have_class(re.compile("status-overdue"))
    expect(page.locator(".group-overdue")).to_have_count(0)  # not among the board's
    screenshot(page, "due-list-mentee")
    card.get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("Logged: call with Sam Okafor, today.")).to_be_visible()
    expect(section.locator(f"#advisor-{sam.id}")).to_have_class(re.compile("status-later"))

    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.get_by_role("link", name="Record an introduction").click()
    page.get_by_label("Introduction").select_option("made")
    page.get_by_label("Or one of your people").select_option(label="Sam Okafor")
    page.get_by_label("What came of it").fill("They meet monthly")
    screenshot(page, "introduction-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/advisors/{dana.id}#introductions$"))
    expect(page.locator("#introductions")).to_contain_text(
        "You introduced Dana Reyes to Sam Okafor")
    assert Introduction.get().to_person_id == sam.id
    screenshot(page, "advisor-introductions")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    expect(page.get_by_text(re.compile("gave back once"))).to_be_visible()
    expect(page.get_by_text("Sam Okafor")).to_have_count(0)  # no seat on the board


def five_mentees(live_server, account):
    for number, name in enumerate(["Sam Okafor", "Ana Lima", "Omar Haddad", "Lena Park",
                                   "Ëlëänörë Ünterbüchlër-Müllër Jøkulsdóttir"]):
        live_server.advisor(account, name, role="", relation="mentee", overdue_days=number * 9,
                            ideal_next_step="A first lead role, then a product of their own")


@pytest.mark.parametrize("width", [360, 320])
def test_the_mentees_pages_fit_a_small_phone(browser, live_server, account, pixel_7, width,
                                             screenshot):
    five_mentees(live_server, account)
    context = browser.new_context(**{**pixel_7, "viewport": {"width": width, "height": 740}})
    page = context.new_page()
    sign_in(page, live_server)
    sam = Advisor.get(Advisor.name == "Sam Okafor")
    for path in ["/mentees", "/mentees/new", "/", f"/advisors/{sam.id}", f"/mentees/{sam.id}/edit",
                 f"/advisors/{sam.id}/introductions/new"]:
        page.goto(live_server.url + path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(OVERFLOW) == 0, path
    page.goto(live_server.url + "/mentees")
    expect(page.get_by_text(re.compile("never more than"))).to_be_visible()
    # Six tabs: each a tap wide, its label inside it, the last one on the screen.
    tabs = page.evaluate("""() => Array.from(document.querySelectorAll("nav a")).map(a => {
        const box = a.getBoundingClientRect();
        return [a.textContent, box.width, box.right, a.scrollWidth - a.clientWidth]; })""")
    assert len(tabs) == 6 and all(tab_width >= 44 for _, tab_width, _, _ in tabs), tabs
    assert max(right for _, _, right, _ in tabs) <= width and not any(c for *_, c in tabs), tabs
    screenshot(page, f"mentees-{width}")
    context.close()


@pytest.mark.parametrize("scheme, viewport",
                         [("dark", None), ("light", {"width": 1280, "height": 900})],
                         ids=["phone-dark", "laptop"])
def test_the_mentees_pages_in_dark_mode_and_on_a_laptop(browser, live_server, account, pixel_7,
                                                       scheme, viewport, screenshot):
    five_mentees(live_server, account)
    options = {**pixel_7, "color_scheme": scheme}
    if viewport:
        options = {"viewport": viewport, "color_scheme": scheme}
    context = browser.new_context(**options)
    page = context.new_page()
    sign_in(page, live_server)
    sam = f"/advisors/{Advisor.get(Advisor.name == 'Sam Okafor').id}"
    for path, name in [("/mentees", "mentees"), ("/", "due-list"), (sam, "mentee"),
                       (f"{sam}/prep", "mentee-prep")]:
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_be_visible()
        screenshot(page, f"{name}-{'dark' if scheme == 'dark' else 'laptop'}")
    context.close()

