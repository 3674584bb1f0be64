"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on the reminder pages
(Settings > Reminders with and without errors, with other apps' channels, forgot password,
unsubscribe)."""
import pytest

from advisory.models import NotifyChannel
from advisory.reminders import mail

from .support import node_tool, sign_in

pytestmark = pytest.mark.browser_context_args(bypass_csp=True)  # axe comes as a script tag
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list:
    page.add_script_tag(path=node_tool("axe-core", "axe.min.js"))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
            .then(result => result.violations.map(v => v.id + ": " + v.help + " " +
                  v.nodes.map(n => n.target.join(" ")).join(", ")))""", TAGS)


def test_reminder_pages_are_accessible(page, live_server, account):
    found = {}
    page.goto(f"{live_server.url}/forgot")
    found["forgot"] = violations(page)
    with live_server.app.test_request_context():
        token = mail.unsubscribe_token(account)
    page.goto(f"{live_server.url}/unsubscribe/{token}")
    found["unsubscribe"] = violations(page)
    NotifyChannel.add(account, "Phone (ntfy)", "ntfys://ntfy.sh/topic", "ntfys://ntfy.sh/…")
    webhook = NotifyChannel.add(account, "n8n", "jsons://n8n.example.com/x",
                                "jsons://n8n.example.com/…")
    NotifyChannel.record(webhook.id, error="Not sent: n8n.example.com is a private address.")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/settings/reminders")
    found["reminders"] = violations(page)
    page.get_by_label("Apprise URL").fill("mailto://me@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Add app").click()
    assert "does not send to mailto://" in page.locator(".error-summary").inner_text()
    found["reminders with a channel refused"] = violations(page)
    page.get_by_label("Reminder time").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder settings").click()
    assert page.locator(".error").count() > 0
    found["reminders with errors"] = violations(page)
    assert {name: v for name, v in found.items() if v} == {}
