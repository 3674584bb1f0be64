"""Device names from User-Agents, as the lists of signed-in and notified devices show them."""
from advisory.core import devices


def test_device_names():
    assert devices.label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Safari/604.1") \
        == "Safari on iPhone"
    assert devices.label("Mozilla/5.0 (Windows NT 10.0) Chrome/130 Safari/537 Edg/130") \
        == "Edge on Windows"
    assert devices.label("") == "A browser"
