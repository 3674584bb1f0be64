"""Goals and an honourable close on a 360 px phone: add a goal, note progress, mark it
achieved (htmx swapping only the goals panel), then bring the member to a close with a
yearly check-in and find them under Alumni on the board."""
import re

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor
from advisory.models.goals import Goal, GoalNote

from .support import small_tap_targets


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.browser_context_args(viewport={"width": 360, "height": 740})
def test_a_goal_from_start_to_achieved_then_an_honourable_close(signed_in, live_server, account,
                                                                 screenshot):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom", overdue_days=2)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    goals = page.locator("#goals")
    goals.get_by_label("New goal").fill("Negotiate the director offer")
    goals.get_by_role("button", name="Add goal").click()
    expect(goals.get_by_role("status")).to_have_text("Goal added: Negotiate the director offer.")
    assert page.url.endswith(f"/advisors/{dana.id}")  # htmx: the panel swapped, no reload

    goals.get_by_text("Add progress").click()
    goals.get_by_label("Progress", exact=True).fill("She said to ask for 15% more")
    goals.get_by_role("button", name="Save progress").click()
    expect(goals.locator(".goal-latest")).to_contain_text("She said to ask for 15% more")
    assert GoalNote.select().count() == 1
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "goals-open")

    goals.get_by_role("button", name="Achieved: Negotiate the director offer").click()
    expect(goals.get_by_text("1 goal achieved")).to_be_visible()
    expect(goals.get_by_text("No open goal.")).to_be_visible()
    assert Goal.get().state == "achieved"

    page.get_by_role("link", name="Bring to a close").click()
    page.get_by_label("The goal was reached").check()
    page.get_by_label("What I learned from them").fill("Ask for the number first.")
    page.get_by_label("I thanked them").check()
    page.get_by_label("Stay in touch yearly").check()
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "close-form")
    page.get_by_role("button", name="Bring to a close").click()

    page.wait_for_url(re.compile(r"/board#alumni$"))
    alumni = page.locator("#alumni")
    expect(alumni.get_by_role("heading", name="Alumni")).to_be_visible()
    expect(alumni).to_contain_text("Dana Reyes")
    expect(alumni).to_contain_text("The goal was reached")
    expect(alumni).to_contain_text("Ask for the number first.")
    expect(alumni).to_contain_text("Yearly check-in")
    expect(alumni.get_by_role("button", name="Bring back Dana Reyes")).to_be_visible()
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    closed = Advisor.get_by_id(dana.id)
    assert (closed.stage, closed.yearly_check_in) == ("alumni", True)
    screenshot(page, "board-alumni")


@pytest.mark.browser_context_args(viewport={"width": 360, "height": 740}, color_scheme="dark")
def test_goals_and_alumni_read_well_in_dark_mode(signed_in, live_server, account, screenshot):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom")
    open_goal = Goal.make(dana, text="Find a sponsor for the platform move",
                          created_on=account.today())
    open_goal.note(note="Asked Omar to introduce us", noted_on=account.today())
    done = Goal.make(dana, text="Negotiate the director offer", created_on=account.today())
    done.settle("achieved", account.today())
    omar = live_server.advisor(account, "Omar Haddad", role="balance")
    Advisor.get_by_id(omar.id).close(reason="needs_changed", lesson="Protect the evenings.",
                                     yearly_check_in=False)
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    expect(page.locator("#goals")).to_contain_text("1 goal achieved")
    screenshot(page, "goals-dark")
    page.goto(f"{live_server.url}/board")
    expect(page.locator("#alumni")).to_contain_text("Protect the evenings.")
    expect(page.get_by_label("Open goals with Dana Reyes")).to_contain_text("Find a sponsor")
    screenshot(page, "board-dark")
    page.goto(f"{live_server.url}/advisors/{dana.id}/prep")
    expect(page.get_by_text("Asked Omar to introduce us")).to_be_visible()
    screenshot(page, "prep-goals-dark")
