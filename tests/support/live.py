"""The real app serving real HTTP on loopback, and a device that talks to it.

`LiveServer` (from browser/support.py) runs an app built by the `make_app` fixture in a
thread of the test process (werkzeug, threaded), on a fresh database: SQLite, or
PostgreSQL with TEST_DATABASE_URL. `ProcessServer` runs a second, separate instance in
its own process on the same database, as a second app server would. `Device` is one
signed-in browser or phone: its own cookies and CSRF token, plain HTTP requests, no
redirects followed.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import requests
from flask import Flask

from browser.support import LiveServer  # noqa: F401 (one live server for every test)

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# A second app server: a fresh interpreter serving the app on a free port, which it prints.
SERVE = """
import sys
from werkzeug.serving import make_server
from advisory import create_app
server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


class ProcessServer:
    """Another instance of `app`, in its own process, on the same database and secret."""

    def __init__(self, app: Flask):
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
               "SECRET_KEY": app.config["SECRET_KEY"],
               "LOGIN_RATE_LIMIT": app.config["LOGIN_RATE_LIMIT"]}
        self.process = subprocess.Popen([sys.executable, "-c", SERVE], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, text=True)
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise RuntimeError("the second app server did not start")
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.process.stdout.close()


class Device:
    """One signed-in device: its own session cookie and CSRF token."""

    def __init__(self, url: str, email: str, password: str):
        self.url = url
        self.http = requests.Session()
        page = self.http.get(f"{url}/login", timeout=30).text
        response = self.http.post(f"{url}/login", data={
            "email": email, "password": password, "csrf_token": TOKEN.search(page).group(1)},
            allow_redirects=False, timeout=30)
        assert response.status_code == 303, response.status_code
        self.token = TOKEN.search(self.http.get(f"{url}/settings", timeout=30).text).group(1)

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.url + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict | None = None) -> requests.Response:
        return self.http.post(self.url + path, data={"csrf_token": self.token, **(data or {})},
                              allow_redirects=False, timeout=30)

    def sync(self, payload: dict) -> requests.Response:
        """What the service worker sends for a contact logged offline."""
        return self.http.post(f"{self.url}/sync/contacts", json=payload,
                              headers={"X-CSRFToken": self.token}, timeout=30)

    def flash(self, response: requests.Response) -> str:
        """The page a redirect leads to, whose flash message says what happened."""
        return self.get(response.headers["Location"]).text

    def close(self) -> None:
        self.http.close()
