"""Feedback where the person is looking, on a phone: a slow "Spoke today" shows it is
saving and still logs once; an error or a confirmation deep in a long page is brought into
view with focus; the time-zone picker can be searched."""
import re

from playwright.sync_api import expect

from advisory.models import Contact, User

from .support import PASSWORD, sign_in


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.innerText")


def test_a_slow_spoke_today_shows_it_is_saving_and_logs_once(browser, browser_context_args,
                                                             live_server, account):
    # No service worker: requests it forwards would pass by page.route
    page = browser.new_context(**browser_context_args, service_workers="block").new_page()
    sign_in(page, live_server)
    live_server.advisor(account, "Dana Reyes", overdue_days=10)
    page.goto(live_server.url)
    held = []  # the request waits here, like one on a bad connection, until let through
    page.route(re.compile(r"/spoke-today$"), lambda route: held.append(route))
    button = page.locator(".card", has_text="Dana Reyes").get_by_role("button", name="Spoke today")
    button.click()
    busy = page.locator('button[aria-busy="true"]')
    expect(busy).to_have_text("Saving…")
    expect(busy).to_be_disabled()
    box = busy.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # impatient
    assert len(held) == 1  # the second tap sent nothing
    held[0].continue_()
    expect(page.locator(".flash", has_text="Logged: call with Dana Reyes, today.")).to_be_visible()
    expect(page.locator('button[aria-busy="true"]')).to_have_count(0)
    assert Contact.select().count() == 1


def test_a_wrong_current_password_is_in_view_and_focused(signed_in, live_server, screenshot):
    page = signed_in
    page.goto(live_server.url + "/settings")
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password", exact=True).fill(PASSWORD + " new")
    page.get_by_label("Repeat the password").fill(PASSWORD + " new")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("That is not your current password.")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    screenshot(page, "settings-password-error")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(PASSWORD + " new")
    page.get_by_label("Repeat the password").fill(PASSWORD + " new")
    page.get_by_role("button", name="Change password").click()
    confirmation = page.locator(".flash", has_text="Password changed.")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_be_in_viewport()


def test_an_undo_on_an_advisor_page_leaves_focus_on_what_happened(signed_in, live_server,
                                                                   account):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=10)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    page.get_by_role("button", name="Spoke today").click()
    expect(page.locator(".flash", has_text="Logged")).to_be_focused()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".flash").first).to_be_focused()
    expect(page.locator(".flash").first).to_be_in_viewport()
    assert Contact.select().count() == 0


def test_the_time_zone_picker_finds_a_city_as_you_type(signed_in, live_server, account,
                                                        screenshot):
    page = signed_in
    page.goto(live_server.url + "/settings")
    zone = page.get_by_label("Time zone", exact=True)
    expect(zone.locator("optgroup").first).to_have_attribute("label", "Common")
    page.get_by_label("Search by city or country").fill("tokyo")
    expect(page.get_by_role("status").filter(has_text="zone matches")).to_have_text("1 zone matches")
    expect(zone).to_have_value("Asia/Tokyo")
    screenshot(page, "settings-zone-search")
    page.get_by_label("Search by city or country").fill("sao paulo")  # without its accent
    expect(zone).to_have_value("America/Sao_Paulo")
    page.get_by_label("Search by city or country").fill("atlantis")
    expect(page.get_by_text("No zone matches that")).to_be_visible()
    expect(zone).to_have_value("America/Sao_Paulo")  # nothing lost to a typo
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash", has_text="Settings saved.")).to_be_focused()
    assert User.get_by_id(account.id).timezone == "America/Sao_Paulo"
