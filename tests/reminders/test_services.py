"""Apprise channels: a webhook on loopback gets the day's reminder once, at the reminder
time, and a test when asked; the server calls only allowed schemes and public addresses,
checked when a URL is saved and again at each send; a saved URL never shows again (pages,
exports, logs, errors), and one account never touches another's channels."""
import json
import logging
import socket
from datetime import date, datetime, timedelta, timezone

import pytest

from advisory.models import Advisor, Delivery, NotifyChannel, Promise
from advisory.reminders.channels import outbound
from support import make_user, sign_in
from support.peers import WebhookReceiver
from support.reminders import dispatch, utc

NOW = utc(2026, 11, 24, 7, 5)  # 08:05 in Paris
TODAY = date(2026, 11, 24)
PUBLIC = "93.184.215.14"  # what the stand-in DNS below answers for public names


@pytest.fixture
def webhook():
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def home_app(make_app):
    """A home install: channels may reach its own network, loopback included."""
    return make_app(TESTING=True, BASE_URL="http://advisory.test", NOTIFY_ALLOW_PRIVATE=True)


@pytest.fixture
def public_dns(monkeypatch):
    """DNS for names this machine cannot resolve: ntfy.sh and the like get a public address
    (nothing is sent to them in these tests); loopback names resolve as usual."""
    def resolve(host, port, *args, **kwargs):
        if host in ("localhost", "127.0.0.1"):
            return socket.getaddrinfo.unvetted(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port or 443))]
    monkeypatch.setattr(outbound, "resolve", resolve)


def board(user):
    """Dana 40 days overdue, Omar due today, Lena in 3 days."""
    Advisor.create(user=user, name="Dana Reyes", role="insight",
                   added_on=TODAY - timedelta(days=40))
    Advisor.create(user=user, name="Omar Haddad", role="expertise", added_on=TODAY)
    Advisor.create(user=user, name="Lena Park", role="wisdom", added_on=TODAY + timedelta(days=3))


def add(session, url, label="Phone"):
    return session.post("/settings/reminders/channels", data={"label": label, "url": url})


def page(session) -> str:
    return session.get("/settings/reminders").get_data(as_text=True)


def test_a_webhook_gets_the_due_people_once_at_the_reminder_time(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(home_app.test_client(), user)
    response = add(session, f"json://127.0.0.1:{webhook.port}/hook")
    assert response.status_code == 303
    assert "Phone added" in session.get(response.location).get_data(as_text=True)

    assert dispatch(home_app, NOW - timedelta(minutes=10)) == []  # 07:55 in Paris
    assert webhook.received == []
    [line] = dispatch(home_app, NOW)
    assert line.startswith("sent: Apprise message (apprise:")
    assert dispatch(home_app, NOW + timedelta(hours=3)) == []  # once a day
    [(path, _, body)] = webhook.received
    assert path == "/hook"
    assert body["title"] == "2 people to reach out to"
    assert "Dana Reyes" in body["message"] and "Omar Haddad" in body["message"]
    assert "Lena Park" not in body["message"]  # not due yet
    assert "Your due list: http://advisory.test/" in body["message"]
    assert "Last delivered" in page(session) and "Nothing delivered yet" not in page(session)

    [line] = dispatch(home_app, NOW + timedelta(days=1))  # the next day, again
    assert line.startswith("sent: Apprise message")
    assert len(webhook.received) == 2


def test_nobody_due_sends_nothing(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    Advisor.create(user=user, name="Lena Park", role="wisdom", added_on=TODAY + timedelta(days=3))
    add(sign_in(home_app.test_client(), user), f"json://127.0.0.1:{webhook.port}/hook")
    assert dispatch(home_app, NOW)[0].startswith("empty: Apprise message")
    assert webhook.received == []


def test_a_promise_due_goes_with_the_message_as_on_a_phone(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    lena = Advisor.create(user=user, name="Lena Park", role="wisdom",
                          added_on=TODAY + timedelta(days=20))  # nobody due
    Promise.make(lena, text="Send Lena the article", owed_by="me", due_on=TODAY)
    add(sign_in(home_app.test_client(), user), f"json://127.0.0.1:{webhook.port}/hook")
    assert dispatch(home_app, NOW)[0].startswith("sent: Apprise message")
    [body] = webhook.bodies()
    assert body["title"] == "Your promise"
    assert "Send Lena the article, due today." in body["message"]


def test_send_a_test_arrives_within_seconds_and_once_a_minute(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    session = sign_in(home_app.test_client(), user)
    add(session, f"json://127.0.0.1:{webhook.port}/hook", label="Home Assistant")
    [channel] = NotifyChannel.for_user(user)
    response = session.post(f"/settings/reminders/channels/{channel.id}/test")
    assert response.status_code == 303
    assert webhook.received == []  # a web request never sends
    assert "A test is on its way to Home Assistant" in session.get(
        response.location).get_data(as_text=True)
    again = session.post(f"/settings/reminders/channels/{channel.id}/test", follow_redirects=True)
    assert "less than a minute ago" in again.get_data(as_text=True)

    now = datetime.now(timezone.utc)
    [line] = dispatch(home_app, now, with_plan=False)  # what `reminders run` does in seconds
    assert line.startswith("sent: Apprise message")
    [body] = webhook.bodies()
    assert body["title"] == "Advisory test"
    assert "Your reminders will come here at 08:00" in body["message"]
    assert "Nothing delivered yet" not in page(session)
    assert "Last delivered" in page(session)
    assert dispatch(home_app, now + timedelta(seconds=5), with_plan=False) == []


def test_private_and_local_addresses_are_refused_by_default(app, session, webhook):
    local = "is a private or local address"
    for url, where in ((f"json://127.0.0.1:{webhook.port}/hook", f"127.0.0.1 {local}:"),
                       (f"ntfy://localhost:{webhook.port}/topic", f"localhost {local} (127.0.0.1)"),
                       ("jsons://10.0.0.5/hook", "10.0.0.5 is a private"),
                       ("gotify://169.254.169.254/AbCdEfGhIjKlMnO", "169.254.169.254 is"),
                       ("json://[::1]/hook", f"::1 {local}:")):
        response = add(session, url)
        assert response.status_code == 422, url
        text = response.get_data(as_text=True)
        assert where in text and "this server sends only to public addresses" in text, url
    assert NotifyChannel.select().count() == 0
    assert webhook.received == []  # a check never sends


def test_schemes_not_allowed_and_urls_apprise_cannot_read_say_why(app, session):
    for url, message in (
            ("mailto://me:password@example.com", "does not send to mailto:// addresses"),
            ("file:///etc/passwd", "does not send to file:// addresses"),
            ("windows://", "does not send to windows:// addresses"),
            ("https://example.com/hook", "does not send to https:// addresses"),
            ("just some words", "Enter an Apprise URL"),
            ("pover://short", "Apprise cannot read this pover:// URL"),
            ("", "Enter its Apprise URL, such as ntfys://ntfy.sh/your-topic.")):
        response = add(session, url)
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True), url
    assert "ntfys://" in add(session, "mailto://x@example.com").get_data(as_text=True)
    both = add(session, "mailto://x@example.com", label=" ").get_data(as_text=True)
    assert "Give it a name" in both and "does not send to mailto://" in both
    assert NotifyChannel.select().count() == 0


def test_the_owner_chooses_the_schemes(make_app, public_dns):
    app = make_app(TESTING=True, BASE_URL="http://advisory.test", NOTIFY_SCHEMES=["gotifys"])
    session = sign_in(app.test_client(), make_user())
    response = add(session, "ntfys://ntfy.sh/topic")
    assert "It sends to gotifys://." in response.get_data(as_text=True)
    assert add(session, "gotifys://gotify.example.com/AbCdEfGhIjKlMnO").status_code == 303


def test_an_address_is_checked_again_at_send_time(home_app, webhook):
    """Saved while private addresses were allowed (or while its name resolved to a public
    address): at send time it is refused, says why, and nothing reaches it."""
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(home_app.test_client(), user)
    assert add(session, f"json://localhost:{webhook.port}/hook").status_code == 303
    home_app.config["NOTIFY_ALLOW_PRIVATE"] = False
    [line] = dispatch(home_app, NOW)
    assert line.startswith("failed: Apprise message")
    assert webhook.received == []
    assert ("Last error: Not sent: localhost is a private or local address (127.0.0.1)"
            in page(session))

    home_app.config["NOTIFY_ALLOW_PRIVATE"] = True  # the next day is checked afresh
    assert dispatch(home_app, NOW + timedelta(days=1))[0].startswith("sent: Apprise message")
    assert len(webhook.received) == 1
    assert "Last error" not in page(session)


def test_a_name_that_now_resolves_privately_is_refused_at_send_time(app, monkeypatch, webhook):
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(app.test_client(), user)
    answers = {"hooks.example.com": PUBLIC}

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
    monkeypatch.setattr(outbound, "resolve", resolve)
    assert add(session, f"json://hooks.example.com:{webhook.port}/hook").status_code == 303
    answers["hooks.example.com"] = "127.0.0.1"  # DNS rebinding, or a changed record
    assert dispatch(app, NOW)[0].startswith("failed: Apprise message")
    assert webhook.received == []
    assert "hooks.example.com is a private or local address (127.0.0.1)" in page(session)


def test_a_name_that_cannot_be_found_is_refused_when_saved_and_retried_when_sent(
        app, monkeypatch, webhook):
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(app.test_client(), user)
    answers = {}

    def resolve(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
    monkeypatch.setattr(outbound, "resolve", resolve)
    response = add(session, "jsons://hooks.example.com/hook")
    assert "hooks.example.com cannot be found: check the address." in response.get_data(
        as_text=True)
    answers["hooks.example.com"] = PUBLIC
    assert add(session, "jsons://hooks.example.com/hook").status_code == 303
    del answers["hooks.example.com"]  # the DNS server is down at the reminder time
    assert dispatch(app, NOW)[0].startswith("retry: Apprise message")


def test_a_saved_url_never_shows_again(app, client, session, user, public_dns, caplog):
    caplog.set_level(logging.DEBUG)
    topic = "advisory-topic-k3y9q"
    token = "123456789:AABBccDDeeFFggHH_iiJJkkLLmmNNooPPqq"
    assert add(session, f"ntfys://ntfy.sh/{topic}", label="Phone").status_code == 303
    assert add(session, f"tgram://{token}/987654", label="Telegram").status_code == 303
    assert add(session, f"ntfy://{topic}", label="Cloud").status_code == 303
    text = page(session)
    assert "ntfys://ntfy.sh/…" in text
    assert "tgram://… (api.telegram.org)" in text
    assert "ntfy://… (ntfy.sh)" in text
    exported = [session.get(path).get_data(as_text=True)
                for path in ("/export.json", "/export/advisors.csv", "/export/contacts.csv")]
    for secret in (topic, token, "123456789", "987654"):
        assert secret not in text
        assert all(secret not in data for data in exported)
        assert secret not in caplog.text  # peewee's query log included
    assert "<secret>" in caplog.text  # the URL went to the database, logged as <secret>


def test_an_error_is_kept_without_the_urls_secrets(home_app, webhook, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(home_app.test_client(), user)
    add(session, f"ntfy://127.0.0.1:{webhook.port}/secret-topic-7q2")
    webhook.status = 500
    assert dispatch(home_app, NOW)[0].startswith("retry: Apprise message")
    [(_, _, body)] = webhook.received
    assert body["topic"] == "secret-topic-7q2"  # it was sent, and refused
    [channel] = NotifyChannel.for_user(user)
    [delivery] = Delivery.select()
    assert "error=500" in channel.last_error
    assert "secret-topic-7q2" not in channel.last_error + delivery.detail
    assert "secret-topic-7q2" not in caplog.text
    assert "Last error: " in page(session)

    webhook.status = 200  # the retry, after a minute's backoff
    assert dispatch(home_app, NOW + timedelta(minutes=2))[0].startswith("sent: Apprise message")
    assert NotifyChannel.get_by_id(channel.id).last_error == ""


def test_another_accounts_channels_are_not_found(app, session, user, other, public_dns):
    theirs = NotifyChannel.add(other, "Grace phone", "ntfys://ntfy.sh/grace", "ntfys://ntfy.sh/…")
    mine = NotifyChannel.add(user, "My phone", "ntfys://ntfy.sh/ada", "ntfys://ntfy.sh/…")
    for action in ("test", "delete"):
        for channel_id in (theirs.id, 987654, 10 ** 30):
            response = session.post(f"/settings/reminders/channels/{channel_id}/{action}")
            assert response.status_code == 404, (action, channel_id)
    assert "Grace phone" not in page(session) and "My phone" in page(session)
    assert NotifyChannel.select().count() == 2
    assert not Delivery.select().exists()

    assert session.post(f"/settings/reminders/channels/{mine.id}/delete").status_code == 303
    assert [c.label for c in NotifyChannel.select()] == ["Grace phone"]


def test_a_removed_channel_is_not_sent_to(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    board(user)
    session = sign_in(home_app.test_client(), user)
    add(session, f"json://127.0.0.1:{webhook.port}/hook")
    [channel] = NotifyChannel.for_user(user)
    session.post(f"/settings/reminders/channels/{channel.id}/test")
    response = session.post(f"/settings/reminders/channels/{channel.id}/delete",
                            follow_redirects=True)
    assert "Phone gets no more reminders" in response.get_data(as_text=True)
    [line] = dispatch(home_app, NOW)  # the test asked for before; nothing for the day
    assert line.startswith("gone: Apprise message") and "for test-" in line
    assert webhook.received == []


def test_an_account_has_at_most_ten_channels(app, session, user, public_dns):
    for number in range(NotifyChannel.PER_ACCOUNT):
        NotifyChannel.add(user, f"App {number}", f"ntfys://ntfy.sh/t{number}",
                          "ntfys://ntfy.sh/…")
    response = add(session, "ntfys://ntfy.sh/one-more")
    assert response.status_code == 422
    assert "You have 10 channels: remove one to add another." in response.get_data(as_text=True)


def test_the_export_leaves_channels_out(app, session, user, public_dns):
    add(session, "ntfys://ntfy.sh/exported-never")
    document = json.loads(session.get("/export.json").get_data(as_text=True))
    assert "exported-never" not in json.dumps(document)
    assert not any("channel" in key or "notify" in key for key in document["account"])
