"""The app as the README deploys it: gunicorn (two workers) behind nginx terminating TLS
with a self-signed certificate, or gunicorn serving TLS itself, at https://advisory.test.

nginx's server block is the one in the README (its port, certificate and upstream
filled in), so the README's configuration is the one tested. Chromium reaches the
name through `--host-resolver-rules` and accepts the certificate with
`--ignore-certificate-errors`: advisory.test is not localhost, so the service worker,
install and push work there only because the connection is HTTPS.
"""
import datetime
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .support import CHROMIUM_ARGS, ROOT, require

HOST = "advisory.test"
BROWSER_ARGS = [*CHROMIUM_ARGS, "--ignore-certificate-errors",
                f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for advisory.test and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder()
                   .subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=7))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), False)
                   .sign(key, hashes.SHA256()))
    cert, key_file = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert, key_file


def readme_server_block() -> str:
    """The nginx server block the README tells owners to use."""
    readme = (ROOT / "README.md").read_text()
    return re.search(r"```nginx\n(server \{.*?\n\})\n```", readme, re.S).group(1)


def nginx_config(folder: Path, port: int, upstream: int, cert: Path, key: Path) -> str:
    server = readme_server_block()
    server = server.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    server = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert};", server)
    server = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", server)
    server = server.replace("127.0.0.1:5000", f"127.0.0.1:{upstream}")
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;" if os.geteuid() == 0 else ""  # its workers read our temporary files
    return (f"{user}\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'};\nevents {{}}\n"
            f"http {{\n  access_log off;\n{temp}\n{server}\n}}\n")


class Deployed:
    """gunicorn with two workers on `database_url`, behind nginx (or serving TLS itself
    with `proxy=False`); `url` is https://advisory.test:<port>."""

    def __init__(self, database_url: str, folder: Path, proxy: bool = True, **environment):
        if proxy:
            require(Path(NGINX).exists(), "nginx is missing: apt-get install -y nginx")
        self.processes = []
        cert, key = self_signed(folder)
        port = free_port()
        self.url = f"https://{HOST}:{port}"
        env = {**os.environ, "DATABASE_URL": database_url, "BASE_URL": self.url,
               "SECURE_COOKIES": "1", "WEB_CONCURRENCY": "2", **environment}
        gunicorn = [sys.executable, "-m", "gunicorn", "app:create_app()"]
        if proxy:
            upstream = free_port()
            env["TRUSTED_PROXIES"] = "1"
            self.start(gunicorn + ["--bind", f"127.0.0.1:{upstream}"], env)
            config = folder / "nginx.conf"
            config.write_text(nginx_config(folder, port, upstream, cert, key))
            self.start([NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"], env)
        else:
            self.start(gunicorn + ["--bind", f"127.0.0.1:{port}", "--certfile", str(cert),
                                   "--keyfile", str(key)], env)
        self.wait_until_serving(port)

    def start(self, command: list[str], env: dict) -> None:
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=env,
                                               stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))

    def wait_until_serving(self, port: int) -> None:
        unverified = ssl._create_unverified_context()
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(f"https://127.0.0.1:{port}/login",
                                                 headers={"Host": f"{HOST}:{port}"})
                with urllib.request.urlopen(request, context=unverified, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                self.stop()
                raise RuntimeError("the deployed app did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            process.wait(15)
