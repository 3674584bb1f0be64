"""Real peers on loopback for reminder tests: an SMTP server (aiosmtpd) and a Web Push
receiver that decrypts (RFC 8291, http_ece) with a subscriber's own keys and checks the
VAPID signature (RFC 8292); and an HTTP receiver for Apprise's webhooks and ntfy."""
import base64
import email
import email.policy
import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Inbox:
    """aiosmtpd handler keeping every message it accepts, parsed.

    `watch(command, accepted)`, if set, is called as each MAIL and QUIT command arrives
    (before it is answered), with how many messages were accepted so far: a test sees
    what the sender had recorded by then.
    """

    def __init__(self):
        self.messages = []
        self.watch = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.watch:
            self.watch("MAIL", len(self.messages))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        if self.watch:
            self.watch("QUIT", len(self.messages))
        return "221 Bye"


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        with socket.socket() as probe:  # aiosmtpd checks its own port, so it cannot be 0
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


class Subscriber:
    """A browser's side of a subscription: its P-256 key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def as_json(self) -> dict:
        """What PushSubscription.toJSON() gives a page."""
        public = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(public),
                                                    "auth": b64url(self.auth)}}

    def plaintext(self, body: bytes) -> bytes:
        """A message's decrypted bytes, as the browser gets them."""
        return http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth,
                                version="aes128gcm")

    def decrypt(self, body: bytes) -> dict:
        return json.loads(self.plaintext(body))


def verify_vapid(header: str, audience: str) -> dict:
    """Check `Authorization: vapid t=JWT, k=KEY`: an ES256 JWT signed by KEY for `audience`.
    Returns the claims; raises AssertionError or InvalidSignature."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", header
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = fields["t"], fields["k"]
    head, claims, signature = token.split(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(unb64url(head))["alg"] == "ES256"
    claims = json.loads(unb64url(claims))
    assert claims["aud"] == audience
    return claims


# What push services accept (RFC 8030 section 7.2: at least 4096 bytes of encrypted body,
# and FCM, Mozilla and Apple take no more); larger bodies get 413, as from them.
MAX_BODY = 4096


class PushReceiver:
    """A push service on loopback: answers each POST to /push/<name> with the status set
    for that name (201 by default; 413 for a body over MAX_BODY) and keeps what it
    received."""

    def __init__(self):
        self.received = []  # (name, headers, body)
        self.status = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                name = self.path.rsplit("/", 1)[-1]
                receiver.received.append((name, {k.lower(): v for k, v in self.headers.items()}, body))
                too_large = len(body) > MAX_BODY
                self.send_response(413 if too_large else receiver.status.get(name, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def subscriber(self, name: str) -> Subscriber:
        return Subscriber(f"{self.origin}/push/{name}")

    def payloads(self, subscriber: Subscriber) -> list[dict]:
        """What `subscriber` received, decrypted, each after its VAPID signature checked."""
        name = subscriber.endpoint.rsplit("/", 1)[-1]
        result = []
        for got, headers, body in self.received:
            if got == name:
                verify_vapid(headers["authorization"], self.origin)
                assert headers["content-encoding"] == "aes128gcm"
                result.append(subscriber.decrypt(body))
        return result

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class WebhookReceiver:
    """An HTTP server on loopback for Apprise channels (json://, ntfy://...): answers every
    POST with `status` (200 by default) and keeps (path, headers, body as JSON)."""

    def __init__(self):
        self.received = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append((self.path, headers, json.loads(body or b"null")))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self) -> list:
        return [body for _, _, body in self.received]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
