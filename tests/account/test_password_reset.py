"""Password reset by email: the same answer for any address, a one-time link valid one
hour, sent by the dispatcher (never by the web request), throttled."""
import re
import time
from datetime import datetime, timezone

from itsdangerous import TimestampSigner

from advisory.models import Delivery, User
from advisory.reminders import mail
from support import PASSWORD, count_queries, make_user, sign_in
from support.reminders import dispatch, mail_app, receiver, smtp  # noqa: F401 (fixtures)


def token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def ask(client, email):
    response = client.post("/forgot", data={"email": email, "csrf_token": token(client, "/forgot")})
    response.close()  # as a server does once the answer is sent
    return response


def test_the_answer_does_the_same_work_for_any_address(mail_app):
    """Nothing about the account is looked up or written until the answer has gone out,
    so a known address is not told apart from an unknown one by how long it takes."""
    user = make_user()
    client = mail_app.test_client()
    csrf = token(client, "/forgot")
    with count_queries() as queries:
        response = client.post("/forgot", data={"email": user.email, "csrf_token": csrf})
    assert response.status_code == 200 and queries == []
    assert Delivery.select().count() == 0
    response.close()
    assert [d.target for d in Delivery.select()] == ["reset"]


def now():
    return datetime.now(timezone.utc)


def test_reset_link_arrives_sets_a_new_password_and_works_once(mail_app, smtp):
    user = make_user()
    phone = sign_in(mail_app.test_client(), user)  # signed in elsewhere all along
    assert phone.get("/settings").status_code == 200
    client = mail_app.test_client()
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)
    known = ask(client, "ADA@example.com")
    unknown = ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    assert strip(known, "ADA@example.com") == strip(unknown, "nobody@example.com")
    assert smtp.inbox.messages == []  # the web request only queued it
    assert dispatch(mail_app, now())[0].startswith("sent: password reset to ada@example.com")
    [message] = smtp.inbox.messages
    assert message["To"] == "ada@example.com"
    text = message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    link = re.search(r"http://advisory\.test(/reset/\S+)", text).group(1)

    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in page.get_data(as_text=True)
    short = client.post(link, data={"password": "short", "confirm": "short",
                                    "csrf_token": token(client, link)})
    assert short.status_code == 422
    assert User.get_by_id(user.id).check_password(PASSWORD)
    done = client.post(link, data={"password": "a new long password",
                                   "confirm": "a new long password",
                                   "csrf_token": token(client, link)})
    assert done.status_code == 303
    assert User.get_by_id(user.id).check_password("a new long password")
    assert phone.get("/settings").status_code == 302  # every other device is signed out
    assert client.get(link).status_code == 410  # used: the password it was made for changed


def test_a_reset_link_expires_after_an_hour(mail_app, monkeypatch):
    user = make_user()
    with mail_app.test_request_context():
        fresh = mail.reset_token(user)
        # The same link, made 61 minutes ago.
        monkeypatch.setattr(TimestampSigner, "get_timestamp",
                            lambda self: int(time.time()) - 61 * 60)
        stale = mail.reset_token(user)
    monkeypatch.undo()
    client = mail_app.test_client()
    assert client.get(f"/reset/{fresh}").status_code == 200
    assert client.get(f"/reset/{stale}").status_code == 410
    assert "expired" in client.get(f"/reset/{stale}").get_data(as_text=True)
    assert client.get("/reset/not-a-token").status_code == 410


def test_requests_are_throttled_per_account_and_per_address(mail_app, smtp):
    make_user()
    client = mail_app.test_client()
    for _ in range(3):
        ask(client, "ada@example.com")
    assert Delivery.select().where(Delivery.target == "reset").count() == 1
    statuses = [ask(client, "other@example.com").status_code for _ in range(3)]
    assert statuses[-1] == 429  # RESET_RATE_LIMIT: 5 per hour from one address


def test_without_mail_the_page_says_how_to_reset(client, user):
    assert "Forgot your password?" not in client.get("/login").get_data(as_text=True)
    page = client.get("/forgot").get_data(as_text=True)
    assert "cannot send email" in page and "user set-password" in page
    response = client.post("/forgot", data={"email": user.email,
                                            "csrf_token": token(client, "/login")})
    assert "cannot send email" in response.get_data(as_text=True)
    assert Delivery.select().count() == 0
