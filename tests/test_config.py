"""Settings: sign-in keeps working, and keeps being throttled, while Redis is down."""
import socket

from conftest import login_token, make_user, sign_in


def closed_port() -> int:
    """A loopback port nothing listens on (taken from the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sign_in_works_and_is_throttled_in_memory_while_redis_is_down(make_app):
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}",
                   LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()

    session = sign_in(app.test_client(), user)
    assert session.get("/").status_code == 200  # signed in, not a 500

    client = app.test_client()
    token = login_token(client)
    codes = [client.post("/login", data={"csrf_token": token, "email": user.email,
                                         "password": "wrong-one"}).status_code
             for _ in range(3)]
    assert codes == [422, 422, 429]  # counted in memory: the sign-in above was the first
