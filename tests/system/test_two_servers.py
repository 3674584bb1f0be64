"""Two app servers (separate processes, each its own create_app) on one database and one
Redis, as a host with several app servers runs them: one person's session, CSRF tokens,
sign-in throttling and replayed contact logs work across both.

The database is this run's (PostgreSQL with TEST_DATABASE_URL, else a shared SQLite
file); Redis is a private redis-server on a free port. Without redis-server the tests
skip, and fail under CI.
"""
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

from advisory.models import Contact
from browser.support import require
from support import PASSWORD, add_advisor, make_user

ROOT = Path(__file__).resolve().parents[2]

# One app server: its own process and create_app(), configured from the environment.
SERVE = """
from werkzeug.serving import make_server
from advisory import create_app
server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free loopback port, stopped after the test."""
    require(shutil.which("redis-server") is not None,
            "redis-server is missing: apt-get install -y redis-server")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        for _ in range(100):  # up to ~10 s for it to accept connections
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert server.poll() is None, "redis-server exited"
                time.sleep(0.1)
        else:
            pytest.fail("redis-server did not answer")
        yield f"redis://127.0.0.1:{port}"
    finally:
        client.close()
        server.terminate()
        server.wait(10)


@pytest.fixture
def servers(make_app, redis_url, tmp_path):
    """Base URLs of two app servers sharing the test's database, SECRET_KEY and Redis.
    The test itself reads and writes that database through `make_app`'s models."""
    app = make_app()
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "SECRET_KEY": "shared-by-every-server", "RATELIMIT_STORAGE_URI": redis_url,
           "LOGIN_RATE_LIMIT": "4 per minute"}
    running, urls = [], []
    try:
        for n in (1, 2):
            log = tmp_path / f"server{n}.log"
            with log.open("w") as errors:
                running.append(subprocess.Popen(
                    [sys.executable, "-c", SERVE], cwd=ROOT, env=env, text=True,
                    stdout=subprocess.PIPE, stderr=errors))
            port = running[-1].stdout.readline().strip()
            assert port.isdigit(), log.read_text()
            urls.append(f"http://127.0.0.1:{port}")
        yield urls
    finally:
        for process in running:
            process.terminate()
            process.wait(10)
            process.stdout.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads each 303 itself


class Visitor:
    """One person's browser: cookies kept across both servers (same host, as behind a
    load balancer), redirects not followed."""

    def __init__(self):
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies, NoRedirects)

    def get(self, url: str) -> tuple[int, str]:
        return self._open(url, None)

    def post(self, url: str, data: dict) -> tuple[int, str]:
        return self._open(url, urllib.parse.urlencode(data).encode())

    def _open(self, url, body) -> tuple[int, str]:
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            with answer:
                return answer.code, answer.read().decode()

    def csrf_token(self, url: str) -> str:
        status, html = self.get(url)
        assert status == 200, status
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def sign_in(self, server: str, email: str, password: str = PASSWORD) -> int:
        token = self.csrf_token(f"{server}/login")
        return self.post(f"{server}/login", {"csrf_token": token, "email": email,
                                             "password": password})[0]


def test_a_session_and_csrf_token_from_one_server_work_on_the_other(servers):
    one, two = servers
    user = make_user()
    visitor = Visitor()
    token = visitor.csrf_token(f"{one}/login")  # the session cookie comes from server one
    status, _ = visitor.post(f"{two}/login", {"csrf_token": token, "email": user.email,
                                              "password": PASSWORD})
    assert status == 303  # server two accepted server one's token and signed us in

    assert visitor.get(f"{one}/")[0] == 200  # and server one knows who we are
    advisor = add_advisor(user)
    token = visitor.csrf_token(f"{two}/settings")
    status, _ = visitor.post(f"{one}/advisors/{advisor.id}/spoke-today", {"csrf_token": token})
    assert status == 303
    assert Contact.select().where(Contact.advisor == advisor.id).count() == 1


def test_sign_in_throttling_counts_attempts_on_both_servers(servers):
    one, two = servers
    user = make_user()
    visitor = Visitor()
    codes = [visitor.sign_in(server, user.email, "not-the-password")
             for server in (one, two, one, two, one)]
    # four per minute in all: alone, neither server has seen more than three
    assert codes == [422, 422, 422, 422, 429]
    assert visitor.sign_in(two, user.email) == 429  # even with the right password, for now


def test_contacts_replayed_through_both_servers_are_stored_once(servers):
    one, two = servers
    user = make_user()
    advisor = add_advisor(user)
    visitor = Visitor()
    assert visitor.sign_in(one, user.email) == 303
    token = visitor.csrf_token(f"{one}/settings")
    spoke = {"csrf_token": token, "key": "phone-7f3a-0001"}
    logged = {"csrf_token": token, "key": "phone-7f3a-0002", "kind": "video",
              "happened_on": user.today().isoformat(), "notes": "Talked about the move"}
    sends = [(f"{server}/advisors/{advisor.id}/spoke-today", spoke) for server in servers * 3]
    sends += [(f"{server}/advisors/{advisor.id}/log", logged) for server in servers * 3]
    start, statuses = threading.Barrier(len(sends)), []

    def send(url, data):
        start.wait(30)
        statuses.append(visitor.post(url, data)[0])

    threads = [threading.Thread(target=send, args=item) for item in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses == [303] * len(sends)  # every replay answered like the first
    stored = Contact.select().where(Contact.advisor == advisor.id)
    assert sorted((c.idempotency_key, c.kind) for c in stored) == [
        ("phone-7f3a-0001", "call"), ("phone-7f3a-0002", "video")]
