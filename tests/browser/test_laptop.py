"""A laptop gets the width, a phone keeps its one column: the due list and the board in
columns of cards, the advisor page's details beside their history, no page scrolling
sideways at any width from 320 to 1600 px, and forms with room around their errors and
their delete panels."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Contact


LAPTOP = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False,
          "device_scale_factor": 1}
PHONE = {"viewport": {"width": 360, "height": 740}}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def six_due(server, user) -> Advisor:
    """Six advisors overdue, one per role and one more, and Dana with a history."""
    for days, (name, role) in enumerate([("Ada Lovelace", "insight"), ("Grace Hopper", "expertise"),
                                         ("Maria-Fernanda de la Cruz", "perspective"),
                                         ("Linus Pauling", "wisdom"), ("Omar Haddad", "balance"),
                                         ("Tess Ng", "insight")], start=1):
        server.advisor(user, name, role=role, overdue_days=days * 2)
    dana = server.advisor(user, "Dana Reyes", role="expertise", overdue_days=400,
                          why="Knows the field", email="dana@example.com")
    for days in range(1, 9):
        dana.log_contact(happened_on=user.today() - timedelta(days=days * 3), kind="video",
                         notes=f"Talked about chapter {days}")
    return Advisor.get_by_id(dana.id)


def boxes(locator) -> list[dict]:
    return [locator.nth(n).bounding_box() for n in range(locator.count())]


def columns(locator) -> set[int]:
    """The distinct left edges of the elements: one per column they are laid out in."""
    return {round(box["x"]) for box in boxes(locator)}


def width_spanned(locator) -> float:
    spread = boxes(locator)
    return max(box["x"] + box["width"] for box in spread) - min(box["x"] for box in spread)


@pytest.mark.browser_context_args(**LAPTOP)
def test_a_laptop_shows_the_due_list_in_columns_with_the_same_actions(signed_in, live_server, account):
    page = signed_in
    six_due(live_server, account)
    page.goto(live_server.url)
    cards = page.locator("section.group-overdue .card")
    expect(cards).to_have_count(6)
    assert len(columns(cards)) > 1
    assert width_spanned(cards) > 900
    for number in range(6):  # each card keeps its three actions, on one row
        actions = cards.nth(number).locator(".card-actions").locator("button.primary, a.button, summary")
        expect(actions).to_have_count(3)
        assert len({round(box["y"]) for box in boxes(actions)}) == 1
    # Opening Snooze on one card moves nothing on the cards beside it.
    beside = cards.nth(1).get_by_role("button", name="Spoke today").bounding_box()
    cards.nth(0).locator("summary", has_text="Snooze").click()
    expect(cards.nth(0).get_by_role("button", name="Set date")).to_be_visible()
    assert cards.nth(1).get_by_role("button", name="Spoke today").bounding_box() == beside
    page.keyboard.press("Escape")
    cards.filter(has_text="Tess Ng").get_by_role("button", name="Spoke today").click()
    expect(page.locator(".flash", has_text="Tess Ng")).to_be_visible()
    expect(page.locator("section.group-overdue .card")).to_have_count(5)
    assert page.evaluate(OVERFLOW) == 0


@pytest.mark.browser_context_args(**LAPTOP)
def test_a_laptop_shows_the_board_in_columns_and_an_advisor_beside_their_history(
        signed_in, live_server, account):
    page = signed_in
    dana = six_due(live_server, account)
    page.goto(f"{live_server.url}/board")
    assert len(columns(page.locator(".seat"))) > 1
    assert width_spanned(page.locator(".seat")) > 900

    page.goto(f"{live_server.url}/advisors/{dana.id}")
    status = page.get_by_role("region", name="Status").bounding_box()
    about = page.locator("section", has=page.get_by_role("heading", name="About")).bounding_box()
    history = page.locator("#contact-history").bounding_box()
    assert history["x"] > about["x"] + about["width"]  # beside, not below
    assert abs(history["y"] - status["y"]) < 2  # from the top of the page's content
    assert about["y"] > status["y"] + status["height"]  # the details under the status
    expect(page.get_by_role("link", name="Add to calendar")).to_have_count(1)
    calendar = page.get_by_role("link", name="Add to calendar").bounding_box()
    spoke = page.get_by_role("button", name="Spoke today").bounding_box()
    assert round(calendar["y"]) == round(spoke["y"])  # one row of actions
    assert page.evaluate(OVERFLOW) == 0


@pytest.mark.browser_context_args(**PHONE)
def test_a_phone_keeps_one_column(signed_in, live_server, account):
    page = signed_in
    dana = six_due(live_server, account)
    page.goto(live_server.url)
    assert len(columns(page.locator("#due-list .card"))) == 1
    for box in boxes(page.locator("#due-list .card")):
        assert box["width"] == 360 - 32  # the width of the screen, less the page's margins
    page.goto(f"{live_server.url}/board")
    assert len(columns(page.locator(".seat"))) == 1
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    about = page.locator("section", has=page.get_by_role("heading", name="About")).bounding_box()
    history = page.locator("#contact-history").bounding_box()
    assert history["y"] > about["y"] + about["height"]
    assert round(history["x"]) == round(about["x"])


@pytest.mark.browser_context_args(**LAPTOP)
def test_no_page_scrolls_sideways_from_320_to_1600_px(signed_in, live_server, account):
    page = signed_in
    dana = six_due(live_server, account)
    contact = Contact.history(dana).first()
    paths = ["/", "/board", f"/advisors/{dana.id}", f"/advisors/{dana.id}/log", "/advisors/new",
             f"/advisors/{dana.id}/contacts/{contact.id}/edit"]
    wide = []
    for width in [320, 360, 412, 600, 768, 900, 1024, 1280, 1440, 1600]:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(live_server.url + path)
            if page.evaluate(OVERFLOW) > 0:
                wide.append(f"{path} at {width} px")
    assert wide == []


def test_the_error_summary_stands_clear_of_the_first_field(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/advisors/new")
    page.get_by_role("button", name="Add to my board").click()
    summary = page.get_by_role("alert").bounding_box()
    label = page.locator("label[for=name]").bounding_box()
    assert label["y"] - (summary["y"] + summary["height"]) >= 12


def test_deleting_a_contact_stands_apart_from_save(signed_in, live_server, account):
    page = signed_in
    dana = six_due(live_server, account)
    contact = Contact.history(dana).first()
    page.goto(f"{live_server.url}/advisors/{dana.id}/contacts/{contact.id}/edit")
    save = page.get_by_role("button", name="Save").bounding_box()
    delete = page.locator("details", has_text="Delete this contact").bounding_box()
    assert delete["y"] - (save["y"] + save["height"]) >= 24
    # A rule between them, not just space.
    assert page.evaluate("""() => getComputedStyle(document.querySelector("form.stack"))
        .borderBottomStyle""") == "solid"
