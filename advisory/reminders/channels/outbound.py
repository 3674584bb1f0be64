"""Apprise URLs: which the server may call, what they are shown as, and sending to one.

An Apprise URL is an address the server will call, chosen by a person. Unchecked, one
naming 127.0.0.1, 10.0.0.5 or 169.254.169.254 would have the server post to itself, its
own network or its cloud's metadata service. So:

- only the schemes the owner allows (NOTIFY_SCHEMES) are taken;
- every host name a send looks up is vetted as it is resolved: each of its addresses must
  be public (ipaddress's is_global) unless the owner set NOTIFY_ALLOW_PRIVATE. The
  connection is then made to exactly the addresses vetted, so a DNS answer that changes
  between the check and the connection cannot slip through; a redirect, or a service's
  own API host (api.telegram.org for tgram://), is vetted the same way;
- a URL being saved is checked by letting Apprise start sending to it with the network
  cut at its first look-up: that look-up names the server it calls (ntfy.sh for
  ntfy://topic), found by Apprise's own parsing rather than a table kept here. Nothing
  leaves the machine but the DNS query.

The vetting wraps socket.getaddrinfo, once, and does nothing unless a send or a check is
under way in the same context (a context variable: Apprise sends from a worker thread
with a copy of the caller's context). Meanwhile Apprise's log lines, which can quote a
URL's secret parts (an ntfy topic, a webhook's path), have them replaced by "…" before
any handler sees them; the last error a channel keeps is such a line.
"""
import contextvars
import ipaddress
import logging
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote

import apprise
from apprise.utils.parse import parse_url

SEND_TIMEOUT = 30  # seconds for a whole send: a slow server does not hold the dispatcher
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 15.0  # at most, whatever the URL's cto= and rto= say
# Apprise's own assets: no persistent store on disk, one service at a time in order.
ASSET = apprise.AppriseAsset(async_mode=False, storage_mode="memory")
SECRET_MIN = 4  # shorter parts of a URL are not secrets, and blanking them mangles messages

class Unusable(ValueError):
    """A URL that cannot be saved; its message says why, to the person who entered it."""


class Refused(socket.gaierror):
    """A look-up the vetting refused: to urllib3, and so to every Apprise plugin, a name
    that did not resolve, which ends the send like any unreachable server."""


def resolve(host, port, *args, **kwargs):
    """The system's answer for `host` (tests stand in for DNS here)."""
    return _system_getaddrinfo(host, port, *args, **kwargs)


@dataclass
class Vetting:
    """The look-ups of one send (or, with `probe`, of one check, which stops at the first)."""
    allow_private: bool
    probe: bool = False
    secrets: list[str] = field(default_factory=list)  # the URL's, kept out of log lines
    server: str = ""  # the first host looked up: the server the URL reaches
    refusal: str = ""  # why a look-up was refused, in words for the person

    def clean(self, text: str) -> str:
        """`text` with each of the URL's secret parts replaced by "…"."""
        for secret in self.secrets:
            text = text.replace(secret, "…")
        return text

    def lookup(self, host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.server = self.server or name
        try:
            answers = resolve(host, port, *args, **kwargs)
        except socket.gaierror:
            if self.probe:  # at a send, DNS down for a while is retried like any failure
                self.refusal = f"{name} cannot be found: check the address."
            raise
        private = [address for address in addresses(answers) if not address.is_global]
        if private and not self.allow_private:
            which = "" if name.strip("[]") == str(private[0]) else f" ({private[0]})"
            self.refusal = self.refusal or (
                f"{name} is a private or local address{which}: this server sends only to "
                "public addresses.")
            raise Refused(socket.EAI_FAIL, "a private or local address")
        if self.probe:
            raise Refused(socket.EAI_AGAIN, "checked, not sent")
        return answers


def addresses(answers) -> set:
    """The IP addresses in getaddrinfo's answers (an IPv6 zone like %eth0 dropped)."""
    return {ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            for _, _, _, _, sockaddr in answers}


_vetting: contextvars.ContextVar[Vetting | None] = contextvars.ContextVar(
    "outbound_vetting", default=None)
_system_getaddrinfo = getattr(socket.getaddrinfo, "unvetted", socket.getaddrinfo)


def _getaddrinfo(host, port, *args, **kwargs):
    """socket.getaddrinfo, vetted while a send or a check is under way."""
    vetting = _vetting.get()
    if vetting is None:
        return _system_getaddrinfo(host, port, *args, **kwargs)
    return vetting.lookup(host, port, *args, **kwargs)


_getaddrinfo.unvetted = _system_getaddrinfo
socket.getaddrinfo = _getaddrinfo


class CleanedLines(logging.Filter):
    """Apprise's log records, cleaned of the secrets of the URL in use (on its logger, so
    before any handler, Apprise's own result capture included); none from a check, whose
    connection failing is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        vetting = _vetting.get()
        if vetting is None:
            return True
        record.msg, record.args = vetting.clean(record.getMessage()), ()
        record.exc_info = record.exc_text = None  # an exception's text may quote it
        return not vetting.probe


logging.getLogger(apprise.LOGGER_NAME).addFilter(CleanedLines())


@contextmanager
def vetted(url: str, shown: str, allow_private: bool, probe: bool = False):
    """Vet every look-up, and clean every Apprise log line, while a send to `url` (shown
    as `shown`; "" while it is being checked) or its check is under way."""
    vetting = Vetting(allow_private, probe, secrets_in(url, shown))
    token = _vetting.set(vetting)
    try:
        yield vetting
    finally:
        _vetting.reset(token)


def scheme(url: str) -> str:
    """The URL's scheme, lower-case ("ntfys"), or "" when it has none."""
    parts = parse_url(url, verify_host=False, default_schema=None)
    return ((parts or {}).get("schema") or "").lower()


def service(url: str):
    """Apprise's plugin for `url`, or None when Apprise cannot read it. Its own retries are
    off (the dispatcher retries, with backoff) and its timeouts capped."""
    plugin = apprise.Apprise.instantiate(url, asset=ASSET)
    if plugin is not None:
        plugin.retry = 0
        plugin.socket_connect_timeout = min(plugin.socket_connect_timeout, CONNECT_TIMEOUT)
        plugin.socket_read_timeout = min(plugin.socket_read_timeout, READ_TIMEOUT)
    return plugin


def check(url: str, schemes, allow_private: bool) -> str:
    """The server `url` reaches, or Unusable saying why it cannot be saved."""
    kind = scheme(url)
    if not kind:
        raise Unusable("Enter an Apprise URL, starting with its service, such as "
                       "ntfys://ntfy.sh/your-topic.")
    if kind not in schemes:
        raise Unusable(f"This server does not send to {kind}:// addresses. It sends to "
                       f"{', '.join(f'{name}://' for name in schemes)}.")
    with vetted(url, "", allow_private, probe=True) as vetting:
        plugin = service(url)
        if plugin is None:
            raise Unusable(f"Apprise cannot read this {kind}:// URL: check it against that "
                           "service's page in Apprise's documentation.")
        notify(plugin, "Advisory", "Checking where this address leads.")
    if vetting.refusal:
        raise Unusable(vetting.refusal)
    if not vetting.server:
        raise Unusable(f"Apprise would send nothing with this {kind}:// URL: check it against "
                       "that service's page in Apprise's documentation.")
    return vetting.server


def shown(url: str, server: str) -> str:
    """The URL as pages show it once saved: its scheme and the server it reaches, nothing
    else (no token, topic, password or webhook path)."""
    parts = parse_url(url, verify_host=False, default_schema=None) or {}
    host = parts.get("host") or ""
    if host.strip("[]").lower() == server.strip("[]").lower():
        port = f":{parts['port']}" if parts.get("port") else ""
        return f"{scheme(url)}://{host.lower()}{port}/…"
    return f"{scheme(url)}://… ({server})"


def secrets_in(url: str, shown: str, options=()) -> list[str]:
    """The parts of `url` that may be secret, longest first: all but what its `shown` form
    shows (scheme, server) and the values of Apprise's own `options` (method=POST...)."""
    parts = parse_url(url, verify_host=False, default_schema=None) or {}
    pieces = [parts.get("user"), parts.get("password"), parts.get("host"),
              *(parts.get("fullpath") or "").split("/"),
              *(f"{key} {value}" for key, value in (parts.get("qsd") or {}).items()
                if key not in options)]
    words = {word for piece in pieces if piece
             for text in (piece, unquote(piece)) for word in text.split()}
    return sorted((word for word in words if len(word) >= SECRET_MIN and word not in shown),
                  key=len, reverse=True)


def public_options(plugin) -> set[str]:
    """The URL options a plugin documents as not secret."""
    return {name for name, option in plugin.template_args.items() if not option.get("private")}


def notify(plugin, title: str, body: str):
    """Send one plain-text message through `plugin`; Apprise's result."""
    notifier = apprise.Apprise(asset=ASSET)
    notifier.add(plugin)
    return notifier.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT,
                           timeout=SEND_TIMEOUT)


@dataclass(frozen=True)
class Sent:
    """What one send came to: accepted, or why not (`refusal`: an address the vetting
    refused, so nothing was sent; else `said`: Apprise's words, secrets removed)."""
    accepted: bool
    refusal: str = ""
    said: str = ""


def send(url: str, shown: str, title: str, body: str, allow_private: bool) -> Sent:
    """Send `title` and `body` to `url`, every address it looks up vetted (again: DNS may
    have changed since the URL was saved)."""
    with vetted(url, shown, allow_private) as vetting:
        plugin = service(url)
        if plugin is None:
            return Sent(False, said="Apprise can no longer read this URL: add it again.")
        vetting.secrets = secrets_in(url, shown, public_options(plugin))
        with notify(plugin, title, body) as result:
            accepted = bool(result)
            said = [entry.message for entry in result.logs()  # cleaned as they were logged
                    if entry.level in ("WARNING", "ERROR")]
    if accepted:
        return Sent(True)
    return Sent(False, refusal=vetting.refusal, said=said[-1] if said else "")
