"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on any page, with its forms
empty and showing errors, at phone size in the light scheme."""
import pytest

from advisory.models import Advisor
from advisory.models.goals import Goal
from advisory.models.introductions import Introduction
from advisory.models.promises import Advice, Promise

from .support import node_tool, sign_in, wait_for_worker

# axe is injected as a script tag, which the app's Content-Security-Policy would refuse.
pytestmark = pytest.mark.browser_context_args(bypass_csp=True)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def audit(page, axe_script):
    """audit(name) runs axe on the page as it is now; check() fails listing every finding."""
    found = {}

    def run(name: str) -> None:
        page.add_script_tag(path=axe_script)
        violations = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                .then(result => result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))""",
            TAGS)
        if violations:
            found[name] = violations

    def check() -> None:
        assert found == {}, "\n".join(
            f"{page_name}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
            for page_name, violations in found.items() for v in violations)

    run.check = check
    return run


@pytest.fixture(scope="session")
def axe_script():
    return node_tool("axe-core", "axe.min.js")


def submit_invalid(page, label: str, within=None) -> None:
    """Post a form that cannot be saved and wait for it to come back showing its errors."""
    with page.expect_navigation():
        (within or page).get_by_role("button", name=label).click()
    assert page.locator(".error").count() > 0


def test_signed_out_pages(page, live_server, audit):
    page.goto(live_server.setup_url())
    audit("setup")
    submit_invalid(page, "Create account")
    audit("setup with errors")

    live_server.user()
    page.goto(f"{live_server.url}/login")
    audit("login")
    submit_invalid(page, "Sign in")
    audit("login with errors")
    page.goto(f"{live_server.url}/offline")
    audit("offline page")
    audit.check()


def test_signed_in_pages(page, live_server, account, audit):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40, agenda="Ask about the reorg")
    live_server.advisor(account, "Omar Haddad", role="expertise")
    live_server.advisor(account, "Priya Nair", role="perspective", stage="prospect")
    live_server.advisor(account, "Lena Park", role="wisdom", stage="paused")
    dana.log_contact(happened_on=account.today(), kind="video", notes="Talked shop", thanked=True)
    Promise.make(dana, text="Send the deck", owed_by="me", due_on=account.today())
    Promise.make(dana, text="An intro", owed_by="them")
    Advice.record(dana, text="Anchor first").change(text="Anchor first", state="adopted",
                                                     outcome="It worked", outcome_on=None)
    sign_in(page, live_server)
    url = live_server.url

    audit("due list")
    page.get_by_role("button", name="Spoke today").first.click()
    page.get_by_text("Undo").wait_for()
    audit("due list after a one-tap log")
    page.goto(f"{url}/board")
    audit("board")
    page.goto(f"{url}/advisors/{dana.id}")
    audit("advisor page")
    page.goto(f"{url}/advisors/{dana.id}/prep")
    audit("prep page")
    page.goto(f"{url}/advisors/{dana.id}/promises/new")
    submit_invalid(page, "Save")
    audit("promise form with errors")
    page.goto(f"{url}/advisors/{Advice.get().advisor_id}/advice/{Advice.get().id}/edit")
    audit("advice form")
    page.goto(f"{url}/advisors/{dana.id}/gives/new")
    audit("gives form")
    page.get_by_label("When").fill("")
    submit_invalid(page, "Save")
    audit("gives form with errors")

    page.goto(f"{url}/advisors/new")
    audit("add form")
    submit_invalid(page, "Add to my board")
    audit("add form with errors")
    page.goto(f"{url}/advisors/{dana.id}/edit")
    audit("edit form")
    page.get_by_label("Name").fill("")
    submit_invalid(page, "Save")
    audit("edit form with errors")

    page.goto(f"{url}/advisors/{dana.id}/log")
    audit("log form")
    page.get_by_label("When").fill("")
    submit_invalid(page, "Log contact")
    audit("log form with errors")

    page.goto(f"{url}/settings")
    audit("settings")
    page.get_by_label("looks ahead").fill("99")
    submit_invalid(page, "Save settings")
    audit("settings with errors")
    submit_invalid(page, "Change password")
    audit("password form with errors")

    # What outbox-panel.js adds: contacts waiting, and one that could not be saved.
    page.goto(f"{url}/")
    wait_for_worker(page)
    page.evaluate("""async advisor => {
        const record = (key, state, name, advisor) => ({key, name, state, csrf: "", from: "due",
            queuedAt: Date.now(), payload: {advisor, key, at: Date.now()}});
        await AdvisoryOutbox.put(record("a11y-waiting-1", "waiting", "Dana Reyes", advisor));
        await AdvisoryOutbox.put(record("a11y-gone-1", "gone", "Sam Okafor", 999));
    }""", dana.id)
    page.context.set_offline(True)
    page.reload()
    page.get_by_text("1 contact waiting to sync").wait_for()
    audit("due list offline, with contacts waiting")
    page.context.set_offline(False)
    audit.check()


def test_calendar_page(page, live_server, account, audit):
    if "calendar.index" not in live_server.app.view_functions:
        pytest.skip("the calendar page (/calendar) does not exist yet")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/calendar")
    audit("calendar")
    page.get_by_label("Add an alarm on the day").check()
    page.get_by_label("Alarm time").fill("")
    submit_invalid(page, "Save", within=page.locator("form", has=page.get_by_label("Alarm time")))
    audit("calendar with errors")
    audit.check()


def test_mentee_and_introduction_pages(page, live_server, account, audit):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3)
    sam = live_server.advisor(account, "Sam Okafor", role="", relation="mentee", overdue_days=5,
                              ideal_next_step="A team lead role")
    Introduction.record(dana, direction="received", to_whom="Ana Lima",
                        happened_on=account.today())
    sign_in(page, live_server)
    url = live_server.url
    page.goto(f"{url}/mentees")
    audit("mentees")
    page.goto(f"{url}/mentees/new")
    audit("mentee add form")
    submit_invalid(page, "Add mentee")
    audit("mentee add form with errors")
    page.goto(f"{url}/mentees/{sam.id}/edit")
    audit("mentee edit form")
    page.goto(f"{url}/advisors/{sam.id}")
    audit("mentee page")
    page.goto(f"{url}/advisors/{sam.id}/prep")
    audit("mentee prep page")
    page.goto(f"{url}/")
    audit("due list with people you mentor")
    page.goto(f"{url}/advisors/{dana.id}")
    audit("advisor page with an introduction to thank for")
    page.goto(f"{url}/advisors/{dana.id}/introductions/new")
    audit("introduction form")
    submit_invalid(page, "Save")
    audit("introduction form with errors")
    audit.check()


def test_board_review_pages(page, live_server, account, audit):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=120)
    live_server.advisor(account, "Omar Haddad", role="expertise", stage="paused")
    Goal.make(dana, text="Negotiate the director offer", created_on=account.today())
    sign_in(page, live_server)
    url = live_server.url
    page.goto(f"{url}/")
    audit("due list with the board review due")
    page.goto(f"{url}/board/review")
    audit("board review")
    page.evaluate("""() => document.querySelector("[name^=note-]").value = "x".repeat(1001)""")
    submit_invalid(page, "Save the review")
    audit("board review with errors")
    page.get_by_label("Decision for Dana Reyes").select_option(label="Bring to a close")
    page.get_by_label("Note on Dana Reyes").fill("Her goal is reached")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the review").click()
    audit("a saved review")
    page.goto(f"{url}/board/reviews")
    audit("past reviews")
    audit.check()


def test_goal_and_close_pages(page, live_server, account, audit):
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3)
    dana.log_contact(happened_on=account.today(), kind="call")
    goal = Goal.make(dana, text="Negotiate the director offer", created_on=account.today())
    goal.note(note="Asked for 15% more", noted_on=account.today())
    Goal.make(dana, text="Find a sponsor", created_on=account.today()).settle(
        "achieved", account.today())
    omar = live_server.advisor(account, "Omar Haddad", role="balance")
    Advisor.get_by_id(omar.id).close(reason="moved_on", lesson="Protect the evenings.",
                                     yearly_check_in=True)
    sign_in(page, live_server)
    url = live_server.url
    page.goto(f"{url}/advisors/{dana.id}")
    page.locator("#goals summary").first.click()  # the progress form, open
    audit("advisor page with goals")
    page.locator("#goals").get_by_role("button", name="Save progress").click()
    page.locator("#goals .error").first.wait_for()  # htmx swapped the panel with errors
    audit("goals panel with errors")
    page.goto(f"{url}/advisors/{dana.id}/goals/{goal.id}")
    audit("goal page")
    page.get_by_label("Goal", exact=True).fill("")
    submit_invalid(page, "Save", within=page.locator("[aria-labelledby=wording-title]"))
    audit("goal page with errors")
    page.goto(f"{url}/advisors/{dana.id}/close")
    audit("close form")
    submit_invalid(page, "Bring to a close", within=page.locator("main"))
    audit("close form with errors")
    page.goto(f"{url}/advisors/{omar.id}")
    audit("alumni page")
    page.goto(f"{url}/board")
    audit("board with goals and alumni")
    audit.check()
