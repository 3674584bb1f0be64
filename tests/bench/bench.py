"""`make bench`: how each page's time compares with a bare signed-in page, at 1 account
and at many, in one process and under load; the reminder dispatcher at scale; the first
visit on a throttled phone. Prints figures, never verdicts.

Sections, each on SQLite (a fresh temporary file) and on PostgreSQL when BENCH_DATABASE_URL
is set; BENCH_ONLY=pages, dispatcher or first-visit (comma-separated) runs only those:
- pages (this module), below;
- dispatcher (dispatcher.py): a wave of 100,000 digests with one and with four
  dispatchers, and a pass with nothing due against an empty installation's;
- first-visit (first_visit.py): the due list's first and repeat visit in Chromium with its
  CPU slowed 4x, through a proxy adding 150 ms round trips at 1.6 Mbps.

The pages section, for each database:
1. one account (the measured one: ADVISORS members x CONTACTS contacts each), then the
   same after ACCOUNTS - 1 more such accounts are bulk-loaded: each page's median over
   interleaved requests of a signed-in test client, and its ratio to the bare route;
2. gunicorn with 2 workers on loopback, driven by wrk: the due list's requests/s as a
   share of the bare route's, with the count of errors.

Settings (environment): BENCH_ACCOUNTS=1000, BENCH_ADVISORS=12, BENCH_CONTACTS=500,
BENCH_ROUNDS=30 (interleaved rounds per size; fewer when a round is slow: at most
BENCH_STAGE_SECONDS=90 per size), BENCH_WRK_SECONDS=10, BENCH_QUICK=1 (a quick run:
50 accounts and 100 contacts each, 15 rounds, 5 s of wrk). BENCH_DATABASE_URL must name
a scratch PostgreSQL database whose name contains "bench": its tables are dropped.
wrk comes from Debian: `sudo apt-get install wrk`.
"""
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ.setdefault("SECRET_KEY", "bench-secret-key")  # shared with the gunicorn workers

from flask import Blueprint, render_template  # noqa: E402
from flask_login import login_required  # noqa: E402

from advisory import create_app, migrations  # noqa: E402
from advisory.calendar.views import built_feed  # noqa: E402
from advisory.models import FeedToken  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", 50 if QUICK else 1000))
ADVISORS = int(os.environ.get("BENCH_ADVISORS", 12))
CONTACTS = int(os.environ.get("BENCH_CONTACTS", 100 if QUICK else 500))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 15 if QUICK else 30))
STAGE_SECONDS = float(os.environ.get("BENCH_STAGE_SECONDS", 90))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", 5 if QUICK else 10))
WARMUP = 5
CONFIG = {"LOGIN_RATE_LIMIT": "10000 per minute", "BASE_URL": "http://bench.test"}


def add_bare_route(app):
    """The yardstick: a signed-in page rendering base.html and nothing else."""
    bare = Blueprint("bench", __name__)

    @bare.get("/_bench/bare")
    @login_required
    def page():
        return render_template("base.html")

    app.register_blueprint(bare)
    return app


def wsgi_app():
    """What gunicorn serves under wrk: the app from the environment, plus the bare route."""
    return add_bare_route(create_app(CONFIG))


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def signed_in_client(app, load):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "bench@example.com",
                                           "password": load.PASSWORD, "csrf_token": token})
    assert response.status_code in (302, 303), response.status_code
    return client


def pages(app, user, advisor_id) -> dict:
    """Each measured page: (path, headers, expected status, signed in?, built anew?).

    A feed fetched whole again is served from the process's built feeds (unchanged ETag);
    "feed, rebuilt" is the first fetch after a change, with that cache emptied before it.
    """
    feed = f"/feed/{FeedToken.current(user).token}.ics"
    etag = app.test_client().get(feed).headers["ETag"]
    return {
        "bare route": ("/_bench/bare", {}, 200, True, False),
        "due list /": ("/", {}, 200, True, False),
        "board /board": ("/board", {}, 200, True, False),
        "advisor page": (f"/advisors/{advisor_id}", {}, 200, True, False),
        "feed, full": (feed, {}, 200, False, False),
        "feed, rebuilt": (feed, {}, 200, False, True),
        "feed, 304": (feed, {"If-None-Match": etag}, 304, False, False),
    }


def medians(app, signed_in, measured: dict) -> tuple[dict, int, int]:
    """Median milliseconds per page over interleaved rounds; rounds run; wrong statuses."""
    anonymous = app.test_client()  # calendar servers fetch the feed without cookies
    times = {name: [] for name in measured}
    order, rng = list(measured), random.Random(3)
    errors, started, rounds = 0, time.perf_counter(), 0
    for round_ in range(WARMUP + ROUNDS):
        rng.shuffle(order)
        for name in order:
            path, headers, expected, needs_login, rebuilt = measured[name]
            client = signed_in if needs_login else anonymous
            if rebuilt:
                built_feed.cache_clear()
            begin = time.perf_counter()
            response = client.get(path, headers=headers)
            elapsed = time.perf_counter() - begin
            errors += response.status_code != expected
            if round_ >= WARMUP:
                times[name].append(elapsed * 1000)
        rounds += round_ >= WARMUP
        if rounds >= 3 and time.perf_counter() - started > STAGE_SECONDS:
            break
    return {name: statistics.median(values) for name, values in times.items()}, rounds, errors


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_cookie(base: str, load) -> str:
    """Sign in over HTTP; the Cookie header a signed-in browser would send."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = csrf_token(opener.open(base + "/login").read().decode())
    form = urllib.parse.urlencode({"email": "bench@example.com", "password": load.PASSWORD,
                                   "csrf_token": token}).encode()
    opener.open(base + "/login", form).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(url: str, cookie: str) -> tuple[float, int]:
    """Requests/s and errors (socket errors plus non-2xx/3xx answers) of one wrk run."""
    out = subprocess.run(["wrk", "-t2", "-c4", f"-d{WRK_SECONDS}s", "--timeout", "30s",
                          "-H", f"Cookie: {cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, errors + (int(non_2xx.group(1)) if non_2xx else 0)


@contextmanager
def gunicorn(database_url: str, *options: str):
    """wsgi_app() served by gunicorn with 2 workers (and `options`) on a free loopback
    port, until the block ends; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", *options,
         "--bind", f"127.0.0.1:{port}", "--pythonpath", str(HERE), "bench:wsgi_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def under_load(database_url: str, load) -> str:
    """The due list's requests/s as a share of the bare route's, under gunicorn and wrk."""
    if not shutil.which("wrk"):
        return "wrk not found: install it with `sudo apt-get install wrk` (Debian/Ubuntu)."
    with gunicorn(database_url) as base:
        cookie = http_cookie(base, load)
        wrk(base + "/_bench/bare", cookie)  # warm up both workers
        bare, bare_errors = wrk(base + "/_bench/bare", cookie)
        due, due_errors = wrk(base + "/", cookie)
    return (f"gunicorn 2 workers, wrk -t2 -c4 {WRK_SECONDS}s each: bare route {bare:.1f} req/s "
            f"({bare_errors} errors); due list {due:.1f} req/s ({due_errors} errors); "
            f"due list = {due / bare:.0%} of the bare route's requests/s")


def scratch_postgres(url: str, database) -> None:
    """Empty the scratch PostgreSQL database the benchmark was given."""
    name = urllib.parse.urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL names the database {name!r}: the benchmark drops its "
                 "tables, so it only runs on a database whose name contains 'bench'.")
    database.execute_sql("DROP SCHEMA public CASCADE")
    database.execute_sql("CREATE SCHEMA public")


def run(label: str, database_url: str) -> None:
    import load
    app = add_bare_route(create_app({**CONFIG, "DATABASE_URL": database_url}))
    database = app.config["DATABASE"]
    if not database_url.startswith("sqlite"):
        scratch_postgres(database_url, database)
    migrations.upgrade(database)
    load.fast_loading(database)
    user, advisor_ids = load.measured_account(database, ADVISORS, CONTACTS)
    load.analyse(database)
    client = signed_in_client(app, load)
    measured = pages(app, user, advisor_ids[0])
    results = {1: medians(app, client, measured)}
    seconds = load.other_accounts(database, ACCOUNTS - 1, ADVISORS, CONTACTS,
                                  user.password_hash)
    load.analyse(database)
    results[ACCOUNTS] = medians(app, client, measured)
    database.close()

    print(f"\n{label}: {ACCOUNTS:,} accounts x {ADVISORS} advisors x {CONTACTS} contacts "
          f"({ACCOUNTS * ADVISORS * CONTACTS:,} contacts, loaded in {seconds:.0f} s)")
    print("median ms of interleaved requests (x = ratio to the bare route); "
          f"rounds: {results[1][1]} at 1 account, {results[ACCOUNTS][1]} at {ACCOUNTS:,}")
    print(f"{'page':<16}{'1 account':>22}{f'{ACCOUNTS:,} accounts':>22}"
          f"{'growth':>9}")
    ratios = {size: {name: times[name] / times["bare route"] for name in measured}
              for size, (times, _, _) in results.items()}
    for name in measured:
        cells = [f"{results[size][0][name]:9.2f} ({ratios[size][name]:7.2f}x)"
                 for size in (1, ACCOUNTS)]
        growth = results[ACCOUNTS][0][name] / results[1][0][name]  # of the median itself
        print(f"{name:<16}{cells[0]:>22}{cells[1]:>22}{growth:8.2f}x")
    wrong = results[1][2] + results[ACCOUNTS][2]
    print(f"unexpected statuses in one process: {wrong}")
    print(under_load(database_url, load))


SECTIONS = ("pages", "dispatcher", "first-visit")


def sections() -> list:
    """The run(label, database_url) of each section BENCH_ONLY names (all by default)."""
    import dispatcher  # they import this module's helpers
    import first_visit
    runs = {"pages": run, "dispatcher": dispatcher.run, "first-visit": first_visit.run}
    names = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",")
             if name.strip()] or list(SECTIONS)
    if unknown := [name for name in names if name not in runs]:
        sys.exit(f"BENCH_ONLY names no section {', '.join(unknown)}: "
                 f"choose among {', '.join(SECTIONS)}.")
    return [runs[name] for name in names]


def main() -> None:
    for section in sections():
        with tempfile.TemporaryDirectory(prefix="advisory-bench-") as scratch:
            section("SQLite", f"sqlite:///{scratch}/bench.db")
        if os.environ.get("BENCH_DATABASE_URL"):
            section("PostgreSQL", os.environ["BENCH_DATABASE_URL"])
    if not os.environ.get("BENCH_DATABASE_URL"):
        print("\nPostgreSQL: skipped (set BENCH_DATABASE_URL to a scratch database to run it)")


if __name__ == "__main__":
    main()
