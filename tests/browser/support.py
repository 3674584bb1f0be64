"""Helpers for the browser tests: the live server, signing in, screenshots, node tools."""
import os
import re
import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from advisory.models import Advisor, Contact, SetupToken, User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
PASSWORD = "correct horse battery"


def require(condition: bool, reason: str) -> None:
    """Skip when a browser tool is missing; under CI, fail: there it must be installed."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required because CI is set)", pytrace=False)
    pytest.skip(reason)


class RequestHandler(WSGIRequestHandler):
    # A browser keeps its connections open between requests; an idle one is closed after
    # this long, which bounds how long stopping the server can wait for its thread.
    timeout = 5


class LiveServer:
    """The real app on a free port, in a thread (the `make_app` fixture builds it on a
    fresh migrated database, SQLite or PostgreSQL, and closes its connections)."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True,
                                  request_handler=RequestHandler)
        self.server.daemon_threads = False  # so that server_close() joins every request thread
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop accepting, then wait for every request thread: none may still be using the
        database when the test's connections are closed after this."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    # Direct database helpers (the test thread has its own connection).

    def setup_url(self) -> str:
        return f"{self.url}/setup?token={SetupToken.issue()}"

    def user(self, email="ada@example.com", tz="Europe/London") -> User:
        return User.create_account(email, PASSWORD, tz)

    def advisor(self, user: User, name: str, role="insight", overdue_days=0, **fields) -> Advisor:
        """An advisor due `overdue_days` ago (monthly cadence unless given)."""
        today = user.today()
        added = today - timedelta(days=overdue_days)
        return Advisor.create(user=user, name=name, role=role, added_on=added, **fields)

    def contacts(self, advisor: Advisor) -> list[Contact]:
        return list(Contact.select().where(Contact.advisor == advisor.id))


def sign_in(page, server: LiveServer, email="ada@example.com", password=PASSWORD) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def node_tool(*parts: str) -> Path:
    path = NODE_MODULES.joinpath(*parts)
    require(path.exists() and shutil.which("node") is not None,
            f"{path.relative_to(ROOT)} (and node) are needed: run `npm ci`")
    return path


def until(page, script: str, arg=None, timeout: float = 10) -> None:
    """Evaluate `script` (which may be async) until it is truthy. Playwright's
    wait_for_function does not wait for a promise, and would eval() a string (refused by
    the app's Content-Security-Policy)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {script}")
        page.wait_for_timeout(50)


PAGE_SAVED = """async () => navigator.serviceWorker.controller !== null
    && Boolean(await (await caches.open("advisory-pages")).match(location.pathname))"""


def wait_for_worker(page) -> None:
    """Until the service worker controls the page and has saved this page for offline use.

    A page that loaded while the worker was still installing never passed through it, so
    it is not saved however long one waits: such a page is loaded once more."""
    until(page, "() => navigator.serviceWorker.controller !== null")
    if not page.evaluate(PAGE_SAVED):
        page.reload()
    until(page, PAGE_SAVED)


def small_tap_targets(page) -> list[str]:
    """Controls on the page smaller than 44 x 44 CSS pixels (inline links in text aside)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
            "button, summary, select, .button, nav a, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label.check, label.choice"))
        .filter(el => el.offsetParent !== null)
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.height < 44 || box.width < 44)
        .map(([el, box]) => `${el.outerHTML.slice(0, 80)} (${Math.round(box.width)}x${Math.round(box.height)})`)""")

