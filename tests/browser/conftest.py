"""Browser tests: Debian's Chromium driven by pytest-playwright, emulating a Pixel 7, against
the real app served on 127.0.0.1 (service workers need a secure context; localhost is one).

Without /usr/bin/chromium these tests skip; with the CI variable set they fail instead.
The package (__init__.py) keeps this conftest from shadowing tests/conftest.py.
"""
from pathlib import Path

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, LiveServer, require, sign_in


@pytest.fixture(scope="session", autouse=True)
def chromium_present():
    """Runs before the session's browser is launched (autouse fixtures go first)."""
    require(Path(CHROMIUM).exists(),
            f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def pixel_7(playwright) -> dict:
    """Playwright's Pixel 7 descriptor, minus the key that is not a context option."""
    device = dict(playwright.devices["Pixel 7"])
    device.pop("default_browser_type")
    return device


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, pixel_7):
    return {**browser_context_args, **pixel_7, "color_scheme": "light", "locale": "en-GB",
            "timezone_id": "Europe/London"}


@pytest.fixture
def live_server(make_app, browser):
    server = LiveServer(make_app())
    yield server
    # The test's pages are closed first (the page fixture would otherwise outlive the
    # server), so that no request of theirs is still arriving while the server stops.
    for context in browser.contexts:
        context.close()
    server.stop()


@pytest.fixture
def account(live_server):
    return live_server.user()


@pytest.fixture
def signed_in(page, live_server, account):
    """A phone-sized page signed in to an account with an empty board."""
    sign_in(page, live_server)
    return page


@pytest.fixture
def screenshot(pytestconfig):
    """Save a full-page phone screenshot as a test artifact: <--output>/screenshots/NAME.png
    (test-results/ by default, which pytest-playwright empties at the start of a run)."""
    folder = Path(pytestconfig.getoption("--output")).absolute() / "screenshots"

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
