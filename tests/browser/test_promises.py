"""Promises and advice on a phone: the Log form after a conversation (with "Add another"),
then one-tap Kept with Undo and "Tell them it worked, and thank them" on the advisor page."""
import re

from playwright.sync_api import expect

from advisory.models.promises import Advice, Promise


def test_log_a_conversation_with_promises_and_advice_then_keep_one(signed_in, live_server,
                                                                    account, screenshot):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3,
                               agenda="Ask how the budget landed")
    page.goto(f"{live_server.url}/advisors/{dana.id}/log")
    expect(page.get_by_text("Ask how the budget landed")).to_be_visible()
    promised = page.locator("#promised")
    promised.get_by_label("What").first.fill("Send Dana the pricing deck")
    promised.get_by_label("By").first.fill(str(account.today()))
    promised.get_by_role("button", name="Add another").click()
    expect(promised.get_by_label("What")).to_have_count(3)
    expect(promised.get_by_label("What").nth(2)).to_be_focused()
    promised.get_by_label("What").nth(2).fill("Read her essay")
    page.locator("#offered").get_by_label("What").first.fill("An intro to Sam")
    page.locator("#advice").get_by_label("Advice").first.fill("Anchor the price first")
    page.get_by_label("Next time").fill("How the intro went")
    assert page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    screenshot(page, "log-form-promises")
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_url(re.compile(rf"/advisors/{dana.id}$"))
    assert sorted(p.text for p in Promise.select()) == [
        "An intro to Sam", "Read her essay", "Send Dana the pricing deck"]
    assert [a.text for a in Advice.select()] == ["Anchor the price first"]

    page.get_by_role("button", name="Kept: An intro to Sam").click()
    expect(page.get_by_text("Kept: An intro to Sam.")).to_be_visible()
    expect(page.get_by_role("link", name="Tell them it worked, and thank them")).to_be_visible()
    screenshot(page, "advisor-promises")
    page.get_by_role("link", name="Tell them it worked, and thank them").click()
    expect(page.get_by_label("I thanked them")).to_be_checked()

    page.goto(f"{live_server.url}/")  # mine, due today, has a row of its own
    row = page.locator(".promise-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Send Dana the pricing deck")
    expect(page.locator(f"#advisor-{dana.id}")).to_contain_text("2 open promises")
    screenshot(page, "due-list-promises")
    row.get_by_role("button", name="Kept: Send Dana the pricing deck").click()
    expect(page.locator(".promise-row")).to_have_count(0)
