"""Subscribing to the calendar feed: which steps suit the visitor's device, and whether
calendar servers on the internet can reach the feed's address at all. No Flask."""
import ipaddress
from urllib.parse import quote, urlsplit


def platform(user_agent: str) -> str:
    """"android", "ios" (iPhone, iPad, iPod) or "desktop", from a User-Agent header.

    iPadOS in desktop mode says "Macintosh": it gets the desktop steps, which also work
    there (the webcal button)."""
    agent = user_agent or ""
    if "Android" in agent:
        return "android"
    if any(device in agent for device in ("iPhone", "iPad", "iPod")):
        return "ios"
    return "desktop"


def unreachable_reason(feed_url: str) -> str | None:
    """Why a calendar server on the internet (Google's, Apple's, Microsoft's) cannot fetch
    `feed_url`, or None when its host looks public."""
    host = urlsplit(feed_url).hostname or ""
    if host == "localhost" or host.endswith((".localhost", ".local", ".lan", ".home.arpa",
                                             ".internal")) or "." not in host and ":" not in host:
        return f"“{host}” is a name only your own network knows"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback:
        return f"{host} is the server's own loopback address"
    if not address.is_global:
        return f"{host} is a private address on your own network"
    return None


def only_this_computer(feed_url: str) -> bool:
    """True when only the server's own machine can fetch `feed_url` (a loopback host), so
    not even a phone on the same network can subscribe."""
    host = urlsplit(feed_url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webcal(feed_url: str) -> str:
    """The feed URL with the webcal:// scheme that opens a calendar app to subscribe."""
    return "webcal://" + feed_url.split("://", 1)[1]


def google_add_url(feed_url: str) -> str:
    """Google Calendar's "add by URL" page with the feed filled in (it opens in the browser
    on a phone too, where the Google Calendar app itself cannot add a link)."""
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal(feed_url), safe="")
