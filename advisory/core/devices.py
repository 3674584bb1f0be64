"""Names for the devices a person uses, read from their User-Agent (no Flask)."""

# (what the User-Agent contains, name), first match wins: Edge, Samsung Internet and
# Opera also say Chrome, and every browser here but Firefox says Safari.
BROWSERS = (("EdgA", "Edge"), ("Edg", "Edge"), ("SamsungBrowser", "Samsung Internet"),
            ("Firefox", "Firefox"), ("OPR", "Opera"), ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"))


def label(user_agent: str | None) -> str:
    """A short name for a device, such as "Chrome on Android", for lists of signed-in
    devices and of devices that get notifications."""
    agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in agent), "A browser")
    system = next((name for mark, name in SYSTEMS if mark in agent), None)
    return f"{browser} on {system}" if system else browser
