"""The real app serving real HTTP on loopback, and a device that talks to it.

`LiveServer` runs the app in a thread of the test process (werkzeug, threaded);
`ProcessServer` runs a second, separate instance in its own process on the same database
file, as a second app server would. `Device` is one signed-in browser or phone: its own
cookies and CSRF token, plain HTTP requests, no redirects followed.
"""
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import requests
from werkzeug.serving import make_server

from advisory import create_app, migrations
from advisory.database import db

ROOT = Path(__file__).resolve().parents[1]
SECRET = "live-test-secret"
SETTINGS = {"LOGIN_RATE_LIMIT": "1000 per minute"}
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


class LiveServer:
    """The real app on a free port, in a thread, on a fresh migrated SQLite file."""

    def __init__(self, tmp_path: Path, name: str = "live.db"):
        self.database_url = f"sqlite:///{tmp_path / name}"
        self.app = create_app({"DATABASE_URL": self.database_url, "SECRET_KEY": SECRET,
                               **SETTINGS})
        migrations.upgrade(self.app.config["DATABASE"])
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        db.database.close()


class ProcessServer:
    """Another instance of the app, in its own process, on the same database."""

    def __init__(self, database_url: str):
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
               **SETTINGS}
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
