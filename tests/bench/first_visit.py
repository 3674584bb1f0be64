"""`make bench`'s first-visit section: the due list opened on a slow phone.

A signed-in account with a board of 8 advisors (some overdue, some due soon), served by
gunicorn (2 workers of 4 threads, so connections are kept alive as a reverse proxy in
front would) on loopback, reached through PhoneLink: a proxy on loopback that holds each
byte 75 ms each way (a 150 ms round trip, and one round trip more for each new
connection's handshake) and lets 1.6 Mbps through each way, shared by every connection.
Chromium's own network throttling would not slow the service worker's fetches; this does.
Not modelled: TLS, TCP slow start, packet loss.

Each of BENCH_VISITS=5 runs (3 with BENCH_QUICK=1) opens Debian's Chromium at phone size
(Pixel 7) in a fresh profile, with the sign-in cookie set and its CPU slowed 4x
(Emulation.setCPUThrottlingRate), and measures:
- the first visit to the due list: until `load`, until usable (DOMContentLoaded's end,
  after the deferred scripts ran), the requests and KB transferred (Resource Timing:
  the page and every resource, as of `load`) and the KB the proxy carried to the phone;
- once the service worker controls the page and has saved it, a second navigation to
  the due list, measured the same way.
Prints the median of each. Settings: BENCH_VISITS, BENCH_PHONE_RTT_MS=150,
BENCH_PHONE_KBPS=1600, BENCH_PHONE_CPU=4.
"""
import asyncio
import os
import statistics
import tempfile
import threading
from datetime import timedelta

from bench import CONFIG, QUICK, gunicorn, http_cookie, scratch_postgres  # sys.path first
import load
from playwright.sync_api import sync_playwright

from advisory import create_app, migrations
from advisory.core.vocabulary import ROLES
from advisory.models import Advisor, User
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, wait_for_worker

VISITS = int(os.environ.get("BENCH_VISITS", 3 if QUICK else 5))
RTT = float(os.environ.get("BENCH_PHONE_RTT_MS", 150)) / 1000
KBPS = float(os.environ.get("BENCH_PHONE_KBPS", 1600))
CPU = float(os.environ.get("BENCH_PHONE_CPU", 4))
SEGMENT = 1460  # bytes: what one TCP segment carries on Ethernet
# Who is on the board: (name, days since the last conversation), on monthly cadences:
# three overdue, one due today, two due this week, two later.
BOARD = [("Dana Reyes", 75), ("Sam Okafor", 50), ("Lee Park", 34), ("Ana Costa", 30),
         ("Tom Weiss", 27), ("Mia Novak", 25), ("Raj Patel", 12), ("Eva Lind", 3)]


class Link:
    """One direction of the phone's link: bytes leave one after another at KBPS and
    arrive half a round trip after they left."""

    def __init__(self):
        self.free_at = 0.0  # when the link has sent everything queued so far
        self.carried = 0  # bytes

    def arrival(self, size: int, ready: float) -> float:
        start = max(ready, self.free_at)
        self.free_at = start + size * 8 / (KBPS * 1000)
        self.carried += size
        return self.free_at + RTT / 2


class PhoneLink:
    """The proxy between the browser and the server, in an asyncio loop of its own thread."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.up, self.down = Link(), Link()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self.connected, "127.0.0.1", 0), self.loop).result()
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def connected(self, phone_reader, phone_writer) -> None:
        handshake_done = self.loop.time() + RTT  # SYN, SYN-ACK: then the request leaves
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1",
                                                                         self.target_port)
        except OSError:
            phone_writer.close()
            return
        await asyncio.gather(self.pipe(phone_reader, server_writer, self.up, handshake_done),
                             self.pipe(server_reader, phone_writer, self.down, 0.0))

    async def pipe(self, reader, writer, link: Link, not_before: float) -> None:
        """Carry what `reader` says to `writer` over `link`; close `writer` after the end."""
        queue = asyncio.Queue()

        async def deliver():
            try:
                while (item := await queue.get()) is not None:
                    at, data = item
                    await asyncio.sleep(at - self.loop.time())
                    writer.write(data)
                    await writer.drain()
            except ConnectionError:
                pass
            finally:
                writer.close()

        delivering = asyncio.create_task(deliver())
        try:
            while data := await reader.read(65536):
                ready = max(self.loop.time(), not_before)
                for start in range(0, len(data), SEGMENT):
                    segment = data[start:start + SEGMENT]
                    queue.put_nowait((link.arrival(len(segment), ready), segment))
        except ConnectionError:
            pass
        queue.put_nowait(None)
        await delivering

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def board(database) -> None:
    """The signed-in account (bench.http_cookie's) and its board."""
    user = User.create_account("bench@example.com", load.PASSWORD, "Europe/London")
    today, roles = user.today(), list(ROLES)
    with database.atomic():
        for n, (name, days) in enumerate(BOARD):
            Advisor.create(user=user, name=name, role=roles[n % len(roles)],
                           added_on=today - timedelta(days=400),
                           last_spoke_on=today - timedelta(days=days))


TIMING = """() => {
    const [page] = performance.getEntriesByType("navigation");
    const entries = [page, ...performance.getEntriesByType("resource")];
    return page.loadEventEnd > 0 && {
        load: page.loadEventEnd, usable: page.domContentLoadedEventEnd,
        requests: entries.length,
        kb: entries.reduce((sum, entry) => sum + entry.transferSize, 0) / 1024};
}"""


def visit(page, cdp, link: PhoneLink, url: str) -> dict:
    """Navigate to `url` at the phone's CPU speed; its figures (ms, counts, KB)."""
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU})
    carried = link.down.carried
    page.goto(url, wait_until="load")
    wire = (link.down.carried - carried) / 1024
    while not (figures := page.evaluate(TIMING)):
        page.wait_for_timeout(10)
    return {**figures, "wire": wire}


def visits(playwright, link: PhoneLink, cookie: str) -> dict:
    """VISITS pairs of a first and a repeat visit, each pair in a fresh profile."""
    phone = {key: value for key, value in playwright.devices["Pixel 7"].items()
             if key != "default_browser_type"}
    cookies = [{"name": name, "value": value, "url": link.url}
               for name, value in (part.split("=", 1) for part in cookie.split("; "))]
    found = {"first visit": [], "repeat visit": []}
    for _ in range(VISITS):
        with tempfile.TemporaryDirectory(prefix="advisory-phone-",
                                         ignore_cleanup_errors=True) as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, **phone,
                locale="en-GB", timezone_id="Europe/London")
            try:
                context.add_cookies(cookies)
                page = context.pages[0] if context.pages else context.new_page()
                cdp = context.new_cdp_session(page)
                found["first visit"].append(visit(page, cdp, link, link.url + "/"))
                wait_for_worker(page)
                found["repeat visit"].append(visit(page, cdp, link, link.url + "/"))
            finally:
                context.close()
    return found


def run(label: str, database_url: str) -> None:
    app = create_app({**CONFIG, "DATABASE_URL": database_url})
    database = app.config["DATABASE"]
    if not database_url.startswith("sqlite"):
        scratch_postgres(database_url, database)
    migrations.upgrade(database)
    board(database)
    database.close()
    with gunicorn(database_url, "--threads", "4") as base:
        link = PhoneLink(int(base.rsplit(":", 1)[1]))
        try:
            with sync_playwright() as playwright:
                found = visits(playwright, link, http_cookie(base, load))
        finally:
            link.stop()
    report(label, found)


def report(label: str, found: dict) -> None:
    print(f"\n{label}: the due list on a phone (Pixel 7 size, CPU {CPU:g}x slower, "
          f"{RTT * 1000:.0f} ms round trips, {KBPS / 1000:g} Mbps; {len(BOARD)} advisors), "
          f"median of {VISITS} fresh profiles; load average {os.getloadavg()[0]:.1f}")
    print(f"{'visit':<14}{'usable ms':>11}{'load ms':>9}{'requests':>10}"
          f"{'KB (timing)':>13}{'KB (wire)':>11}")
    for name, runs in found.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"{name:<14}{median['usable']:11.0f}{median['load']:9.0f}"
              f"{median['requests']:10.0f}{median['kb']:13.1f}{median['wire']:11.1f}")
