"""Which subscribe steps suit a device, and which feed addresses the internet can reach."""
import pytest

from advisory.calendar import subscribe

PIXEL = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Mobile Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
LAPTOP = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")


@pytest.mark.parametrize("agent, expected", [(PIXEL, "android"), (IPHONE, "ios"),
                                             (LAPTOP, "desktop"), ("", "desktop")])
def test_platform(agent, expected):
    assert subscribe.platform(agent) == expected


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:5000/feed/x.ics", "own loopback address"),
    ("http://[::1]:5000/feed/x.ics", "own loopback address"),
    ("http://192.168.1.20:8000/feed/x.ics", "private address"),
    ("http://10.0.0.5/feed/x.ics", "private address"),
    ("http://localhost:5000/feed/x.ics", "only your own network knows"),
    ("http://nas.local/feed/x.ics", "only your own network knows"),
    ("http://homeserver:8000/feed/x.ics", "only your own network knows"),
    ("https://advisory.example.org/feed/x.ics", None),
    ("https://8.8.8.8/feed/x.ics", None),
])
def test_unreachable_reason(url, reason):
    found = subscribe.unreachable_reason(url)
    assert (found is None) if reason is None else (reason in found)


def test_links_that_open_a_calendar_app_or_google():
    url = "https://advisory.example.org/feed/abc.ics"
    assert subscribe.webcal(url) == "webcal://advisory.example.org/feed/abc.ics"
    assert subscribe.google_add_url(url) == (
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fadvisory.example.org%2Ffeed%2Fabc.ics")
