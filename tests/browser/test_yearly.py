"""Birthdays and yearly dates on a 360 px phone: the due list's "Coming up" a few days
ahead, leading to the person's page; a date added there through the plain form, with the
message for a day that does not exist; both pages in the light and dark schemes; axe finds
nothing on the page, the form and the form with its errors."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from advisory.models import YearlyDate

from .support import sign_in, small_tap_targets
from .test_accessibility import audit, axe_script  # noqa: F401 (fixtures)

PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def dated(live_server, account):
    """Dana, due in two days and born then (in 1986); Omar, whose company was founded
    today; Eli, whose birthday is past the window."""
    today = account.today()
    soon = today + timedelta(days=2)
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom", overdue_days=3)
    YearlyDate.make(dana, kind="birthday", label="", month=soon.month, day=soon.day,
                    year=1986)
    omar = live_server.advisor(account, "Omar Haddad", role="balance")
    YearlyDate.make(omar, kind="date", label="company founded", month=today.month,
                    day=today.day, year=2011)
    later = today + timedelta(days=account.due_soon_days + 3)
    eli = live_server.advisor(account, "Eli Cohen", role="expertise")
    YearlyDate.make(eli, kind="birthday", label="", month=later.month, day=later.day,
                    year=None)
    return dana, soon


@pytest.mark.browser_context_args(viewport=PHONE)
def test_a_birthday_coming_up_and_a_date_added_on_the_persons_page(
        signed_in, live_server, account, screenshot):
    page = signed_in
    dana, soon = dated(live_server, account)
    page.goto(live_server.url)
    coming = page.locator(".coming-up")
    expect(coming.get_by_role("heading", name="Coming up")).to_be_visible()
    expect(coming.get_by_role("link")).to_have_text([
        f"Today: Omar Haddad: company founded ({account.today().year - 2011} years)",
        f"Dana Reyes's birthday ({soon.year - 1986}), {soon:%a}"])
    expect(page.get_by_text("Eli Cohen's birthday")).to_have_count(0)
    # Dana stays one card among the others: the birthday changes nobody's due date
    expect(page.locator(".card", has_text="Dana Reyes")).to_have_count(1)
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "yearly-due-list")

    coming.get_by_role("link", name=f"Dana Reyes's birthday ({soon.year - 1986})").click()
    page.wait_for_url(f"**/advisors/{dana.id}#dates")
    dates = page.locator("#dates")
    expect(dates).to_contain_text(f"Birthday: {soon.day} {soon:%B} 1986")
    expect(dates).to_contain_text(f"turns {soon.year - 1986}")

    dates.get_by_role("link", name="Add a date").click()
    page.get_by_label("Another yearly date").check()
    page.get_by_label("What it is").fill("work anniversary")
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month").select_option(label="April")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_contain_text("31 April does not exist.")
    expect(page.get_by_label("What it is")).to_have_value("work anniversary")  # kept
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "yearly-form-error")
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Year", exact=True).fill("2015")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/advisors/{dana.id}#dates")
    expect(page.get_by_role("status")).to_contain_text("Date added.")
    expect(dates).to_contain_text("work anniversary: 30 April 2015")
    assert YearlyDate.select().where(YearlyDate.person == dana.id).count() == 2
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    page.locator("#dates").scroll_into_view_if_needed()
    screenshot(page, "yearly-person-page")


@pytest.mark.browser_context_args(viewport=PHONE, color_scheme="dark")
def test_coming_up_and_the_dates_read_well_in_dark_mode(signed_in, live_server, account,
                                                        screenshot):
    page = signed_in
    dana, _ = dated(live_server, account)
    page.goto(live_server.url)
    expect(page.locator(".coming-up")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "yearly-due-list-dark")
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    expect(page.locator("#dates")).to_contain_text("Birthday:")
    assert no_sideways_scroll(page)
    screenshot(page, "yearly-person-page-dark")


@pytest.mark.browser_context_args(viewport=PHONE, bypass_csp=True)
def test_axe_finds_nothing_on_the_dates(page, live_server, account, audit):
    dana, _ = dated(live_server, account)
    sign_in(page, live_server)
    page.goto(live_server.url)
    audit("due list with dates coming up")
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    audit("person page with dates")
    page.goto(f"{live_server.url}/advisors/{dana.id}/dates/new")
    audit("yearly date form")
    page.get_by_label("Another yearly date").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator(".error").count() > 0
    audit("yearly date form with errors")
    audit.check()
