"""A whole quarterly board review on a 360 px phone: opened from its row on the due list,
a decision for each member (one new cadence, one pause), a reflection, saved, found among
the past reviews, and the new cadence on the advisor's page; the page in dark mode and on
a laptop too."""
import re

from playwright.sync_api import expect

from advisory.core.cadence import Cadence, add_months
from advisory.models import Advisor, BoardReview

from .support import sign_in

PHONE = {"width": 360, "height": 780}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def quarter_old_board(server, user):
    """Three members added four months ago (the first review is a month late): Dana met
    last week, Omar and Lena not at all; nobody fills perspective or balance."""
    days = (user.today() - add_months(user.today(), -4)).days
    dana = server.advisor(user, "Dana Reyes", overdue_days=days)
    omar = server.advisor(user, "Omar Haddad", role="expertise", overdue_days=days,
                          cadence_count=2, cadence_unit="weeks")
    lena = server.advisor(user, "Lena Park", role="wisdom", overdue_days=days)
    dana.log_contact(happened_on=user.today().replace(day=1), kind="call", thanked=True)
    return dana, omar, lena


def test_a_whole_quarterly_review_on_a_phone(browser, live_server, account, pixel_7,
                                             screenshot):
    dana, omar, lena = quarter_old_board(live_server, account)
    context = browser.new_context(**{**pixel_7, "viewport": PHONE})
    page = context.new_page()
    sign_in(page, live_server)

    row = page.locator(".review-row")
    expect(row).to_contain_text("Board review due")
    expect(row).to_contain_text("overdue")
    screenshot(page, "review-due-list")
    row.get_by_role("link", name="Review").click()
    page.wait_for_url(re.compile(r"/board/review$"))
    expect(page.get_by_role("heading", name="Board review", level=1)).to_be_visible()
    dana_card = page.locator(".review-member", has_text="Dana Reyes")
    expect(dana_card).to_contain_text("cadence expects")
    expect(page.locator(".review-member", has_text="Omar Haddad")).to_contain_text(
        "Not met, cadence expects")

    page.get_by_label("Decision for Dana Reyes").select_option(label="Change to every 6 weeks")
    page.get_by_label("Note on Dana Reyes").fill("Less often, but longer")
    page.get_by_label("Decision for Omar Haddad").select_option(label="Pause")
    page.get_by_label("Note on Omar Haddad").fill("On parental leave until spring")
    page.get_by_label("Decision for Lena Park").select_option(label="Keep as is (monthly)")
    page.get_by_label("Note on Unique perspective").fill("Ask a customer")
    page.get_by_label("Looking back").fill("A quarter of change: deeper talks, fewer of them.")
    assert page.evaluate(OVERFLOW) == 0
    screenshot(page, "review-phone")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "review-phone-dark")
    page.emulate_media(color_scheme="light")

    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url(re.compile(r"/board/reviews/\d+$"))
    expect(page.get_by_text("Review saved.")).to_be_visible()
    expect(page.get_by_text("New cadence: Every 6 weeks")).to_be_visible()
    expect(page.get_by_text("On parental leave until spring")).to_be_visible()
    assert page.evaluate(OVERFLOW) == 0
    screenshot(page, "review-saved")

    page.get_by_role("link", name="Past reviews").click()
    saved = BoardReview.get()
    expect(page.get_by_role("link", name=re.compile(saved.reviewed_on.strftime("%-d %b %Y")))) \
        .to_be_visible()
    expect(page.get_by_text("A quarter of change")).to_be_visible()
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    expect(page.get_by_text("Every 6 weeks").first).to_be_visible()
    assert Advisor.get_by_id(dana.id).cadence == Cadence(6, "weeks")
    assert Advisor.get_by_id(omar.id).stage == "paused"
    page.goto(live_server.url)
    expect(page.locator(".review-row")).to_have_count(0)  # done for this quarter
    context.close()


def test_the_review_on_a_laptop(browser, live_server, account, screenshot):
    quarter_old_board(live_server, account)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/board/review")
    expect(page.get_by_label("Decision for Dana Reyes")).to_be_visible()
    assert page.evaluate(OVERFLOW) == 0
    screenshot(page, "review-laptop")
    context.close()
