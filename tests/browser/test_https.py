"""The app as deployed: at https://advisory.test, through the README's nginx block in front
of gunicorn with two workers, and through gunicorn's own TLS. Everything a person does on
localhost works there too: set-up, signing in, adding, one-tap logging over htmx, logging
offline and syncing, subscribing to push, signing out; and throttling counts each client."""
import http.client
import json
import re
import ssl

import pytest
from playwright.sync_api import expect

from advisory.models import Advisor, Contact, PushSubscription, SetupToken, User
from support.peers import Subscriber

from .deployed import BROWSER_ARGS, HOST, Deployed
from .support import CHROMIUM, PASSWORD, wait_for_worker


@pytest.fixture
def deployed(make_app, tmp_path):
    """Start a deployment: `deployed(proxy=True, **environment)`; the test's models read
    and write its database."""
    app = make_app()  # binds the models to the deployment's database
    servers = []

    def start(proxy: bool = True, **environment) -> Deployed:
        servers.append(Deployed(app.config["DATABASE_URL"], tmp_path, proxy,
                                SECRET_KEY=app.config["SECRET_KEY"],
                                VAPID_PRIVATE_KEY=app.config["VAPID_PRIVATE_KEY"],
                                **environment))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def https_browser(playwright, pixel_7):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    context = browser.new_context(**pixel_7, locale="en-GB", timezone_id="Europe/London")
    yield context
    context.close()
    browser.close()


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Who's due")).to_be_visible()


def sign_out(page, url: str) -> None:
    page.goto(f"{url}/settings")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_a_person_uses_the_app_behind_nginx_over_https(deployed, https_browser):
    server = deployed()
    page = https_browser.new_page()

    page.goto(f"{server.url}/setup?token={SetupToken.issue()}")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to Advisory")).to_be_visible()
    cookies = {c["name"]: c for c in https_browser.cookies()}
    assert cookies["__Host-session"]["secure"] and cookies["__Host-session"]["httpOnly"]

    for name in ("Dana Reyes", "Omar Haddad"):
        page.goto(f"{server.url}/advisors/new")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Organizational insight").check()
        page.get_by_role("button", name="Add to my board").click()
        expect(page.get_by_text(f"{name} is on your board.")).to_be_visible()
    dana, omar = Advisor.select().order_by(Advisor.id)

    # One tap over htmx: the list is swapped in place.
    page.goto(f"{server.url}/")
    page.evaluate("() => { window.sameDocument = true; }")
    page.locator(f"#advisor-{dana.id}").get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("Logged: ")).to_be_visible()
    assert page.evaluate("() => window.sameDocument") is True
    assert Contact.select().where(Contact.advisor == dana.id).count() == 1

    # advisory.test is not localhost: the worker runs because the connection is HTTPS.
    wait_for_worker(page)
    https_browser.set_offline(True)
    page.locator(f"#advisor-{omar.id}").get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("1 contact waiting to sync")).to_be_visible()
    https_browser.set_offline(False)
    expect(page.get_by_text("Sent a contact logged offline")).to_be_visible()
    assert Contact.select().where(Contact.advisor == omar.id).count() == 1

    # Push: the push service cannot be reached from here, so only subscribe() is stubbed.
    subscription = Subscriber("https://fcm.googleapis.com/fcm/send/https-test").as_json()
    https_browser.add_init_script(script=f"""PushManager.prototype.subscribe = async () => {{
        const json = {json.dumps(subscription)};
        return {{endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => true}};
    }};""")
    https_browser.grant_permissions(["notifications"], origin=server.url)
    page.goto(f"{server.url}/settings/reminders")
    page.get_by_role("button", name="Notify me on this device").click()
    expect(page.get_by_text("Chrome on Android")).to_be_visible()
    assert [s.endpoint for s in PushSubscription.select()] == [subscription["endpoint"]]

    sign_out(page, server.url)
    sign_in(page, server.url)


def test_gunicorns_own_tls_serves_the_same(deployed, https_browser):
    server = deployed(proxy=False)
    User.create_account("ada@example.com", PASSWORD, "Europe/London")
    page = https_browser.new_page()
    sign_in(page, server.url)
    page.goto(f"{server.url}/advisors/new")
    page.get_by_label("Name").fill("Dana Reyes")
    page.get_by_label("Specific expertise").check()
    page.get_by_role("button", name="Add to my board").click()
    expect(page.get_by_text("Dana Reyes is on your board.")).to_be_visible()
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="Spoke today").click()
    expect(page.get_by_text("Logged: ")).to_be_visible()
    assert Contact.select().count() == 1
    sign_out(page, server.url)


class Client:
    """A device at its own loopback address, talking HTTPS to the proxy."""
    TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, url: str, address: str):
        self.port = int(url.rsplit(":", 1)[1])
        self.address = address
        self.cookies = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, source_address=(self.address, 0),
            context=ssl._create_unverified_context(), timeout=30)
        body = "&".join(f"{k}={v}" for k, v in (form or {}).items())
        headers = {"Host": f"{HOST}:{self.port}",
                   "Referer": f"https://{HOST}:{self.port}/login",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";")[0].split("=", 1)
            self.cookies[name] = value
        text = response.read().decode()
        connection.close()
        return response.status, text

    def sign_in(self, email: str, password: str) -> int:
        _, page = self.request("GET", "/login")
        token = self.TOKEN.search(page).group(1)
        return self.request("POST", "/login", {"csrf_token": token, "email": email,
                                               "password": password})[0]


def test_one_attacker_behind_the_proxy_locks_out_only_themselves(deployed):
    """Two workers, the default in-memory counter: the documented 10 failures a minute
    hold for the whole server, and a person at another address still signs in."""
    server = deployed(LOGIN_RATE_LIMIT="10 per minute")
    User.create_account("ada@example.com", PASSWORD, "Europe/London")
    attacker = Client(server.url, "127.0.0.2")
    codes = [attacker.sign_in(f"guess{n}@example.com", "not the password") for n in range(30)]
    print(f"attacker: {codes.count(422)} refused as wrong, {codes.count(429)} throttled")
    assert codes.count(422) <= 10 and codes.count(429) >= 20 and set(codes) == {422, 429}
    assert Client(server.url, "127.0.0.3").sign_in("ada@example.com", PASSWORD) == 303
