"""The dispatcher against real peers on loopback: digests reach an SMTP server, push
messages reach a push receiver that decrypts them and checks their VAPID signature; each
is sent once, even with two dispatchers at once or one killed between claim and send."""
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from advisory.models import Advisor, Delivery, PushSubscription, User

from conftest import make_user, sign_in
from reminder_support import dispatch, mail_app, receiver, smtp, utc  # noqa: F401

NOW = utc(2026, 11, 24, 7, 5)  # 08:05 in Paris
TODAY = date(2026, 11, 24)
ROOT = Path(__file__).resolve().parents[1]


def board(user):
    """Dana 40 days overdue (with an agenda), Omar due today, Lena in 3 days, Zed later."""
    Advisor.create(user=user, name="Dana Reyes", role="insight",
                   added_on=TODAY - timedelta(days=40), agenda="Ask about the reorg")
    Advisor.create(user=user, name="Omar Haddad", role="expertise", added_on=TODAY)
    Advisor.create(user=user, name="Lena Park", role="wisdom", added_on=TODAY + timedelta(days=3))
    Advisor.create(user=user, name="Zed Ola", role="balance", added_on=TODAY + timedelta(days=30))


def subscribe(client, user, subscriber):
    sign_in(client, user)
    token = client.get("/push/csrf").get_json()["csrf"]
    response = client.post("/push/subscriptions", json=subscriber.as_json(),
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_digest_arrives_with_both_parts_and_unsubscribes_in_one_click(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    assert dispatch(mail_app, NOW) == [
        "sent: digest to ada@example.com for 2026-11-24"]
    [message] = smtp.inbox.messages
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == ("Your board of advisors: 1 overdue, 1 due today, "
                                  "1 due this week")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(http://advisory\.test/unsubscribe/[\w.-]+)>",
                        message["List-Unsubscribe"].strip()).group(1)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Dana Reyes" in part and "Omar Haddad" in part and "Lena Park" in part
        assert "Zed Ola" not in part  # not due this week
        assert "Ask about the reorg" in part
        assert "http://advisory.test/advisors/" in part
    assert text.index("Overdue") < text.index("Dana Reyes") < text.index("Due today") \
        < text.index("Omar Haddad") < text.index("Due this week") < text.index("Lena Park")
    assert "6 weeks overdue" in text or "5 weeks overdue" in text

    # The same day again: already sent.
    assert dispatch(mail_app, NOW + timedelta(hours=2)) == []

    # RFC 8058: the mail client posts to the link, without any sign-in or form token.
    client = mail_app.test_client()
    path = link.removeprefix("http://advisory.test")
    assert client.get(path).status_code == 200
    assert User.get_by_id(user.id).digest == "daily"  # a GET (link checkers) changes nothing
    response = client.post(path, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "unsubscribed" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).digest == "off"
    assert dispatch(mail_app, NOW + timedelta(days=1)) == []
    assert len(smtp.inbox.messages) == 1
    assert client.post(path[:-3] + "xyz").status_code == 404  # a forged token


def test_nothing_is_sent_when_nobody_is_due(mail_app, smtp, receiver):
    user = make_user(tz="Europe/Paris", digest="daily")
    Advisor.create(user=user, name="Lena Park", role="wisdom", added_on=TODAY + timedelta(days=20))
    subscribe(mail_app.test_client(), user, receiver.subscriber("phone"))
    assert dispatch(mail_app, NOW) == [
        "empty: notification (push:1) to ada@example.com for 2026-11-24",
        "empty: digest to ada@example.com for 2026-11-24"]
    assert smtp.inbox.messages == [] and receiver.received == []


def test_weekly_digest_comes_on_the_chosen_weekday_only(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="weekly", digest_weekday=3)  # Thursday
    board(user)
    assert dispatch(mail_app, NOW) == []  # a Tuesday
    assert dispatch(mail_app, NOW + timedelta(days=2))[0].startswith("sent: digest")
    assert len(smtp.inbox.messages) == 1


def test_notification_is_encrypted_signed_and_lists_who_is_due(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW - timedelta(minutes=10)) == []  # 07:55 in Paris
    assert dispatch(mail_app, NOW) == [
        "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    [payload] = receiver.payloads(phone)  # decrypted with the phone's keys, VAPID checked
    assert payload["title"] == "2 people to reach out to"
    assert payload["body"].startswith("Dana Reyes (") and payload["body"].endswith(", Omar Haddad")
    assert [a["name"] for a in payload["advisors"]] == ["Dana Reyes", "Omar Haddad"]
    assert payload["url"] == "/" and payload["tag"] == "advisory-due"
    assert payload["account"] == str(user.id)
    headers = receiver.received[0][1]
    assert headers["ttl"] == "43200" and headers["topic"] == "due-list"
    assert dispatch(mail_app, NOW + timedelta(hours=3)) == []  # one per device per day
    assert len(receiver.received) == 1


def test_a_gone_subscription_is_removed(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    subscribe(mail_app.test_client(), user, receiver.subscriber("gone"))
    receiver.status["gone"] = 410
    assert dispatch(mail_app, NOW) == [
        "gone: notification (push:1) to ada@example.com for 2026-11-24"]
    assert PushSubscription.select().count() == 0
    assert dispatch(mail_app, NOW + timedelta(days=1)) == []


def test_a_failed_push_is_retried_with_backoff_and_sent_once(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    phone = receiver.subscriber("flaky")
    subscribe(mail_app.test_client(), user, phone)
    receiver.status["flaky"] = 503
    assert dispatch(mail_app, NOW)[0].startswith("retry: notification")
    assert dispatch(mail_app, NOW + timedelta(seconds=30)) == []  # backing off
    receiver.status["flaky"] = 201
    assert dispatch(mail_app, NOW + timedelta(seconds=61))[0].startswith("sent: notification")
    assert dispatch(mail_app, NOW + timedelta(minutes=30)) == []
    assert len(receiver.payloads(phone)) == 2  # the refused one and the accepted one
    assert PushSubscription.select().count() == 1


def test_a_run_killed_between_claim_and_send_sends_next_run_once(mail_app, smtp, receiver):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert len(dispatch(mail_app, NOW, claim_only=True)) == 2  # then the process died
    assert smtp.inbox.messages == [] and receiver.received == []
    # Another dispatcher a minute later leaves the claims alone: their owner may be busy.
    assert dispatch(mail_app, NOW + timedelta(minutes=1)) == []
    later = dispatch(mail_app, NOW + timedelta(minutes=3))
    assert sorted(later) == ["sent: digest to ada@example.com for 2026-11-24",
                             "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    assert dispatch(mail_app, NOW + timedelta(minutes=10)) == []
    assert len(smtp.inbox.messages) == 1 and len(receiver.payloads(phone)) == 1


def test_reminder_time_follows_the_zone_across_dst(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    Advisor.create(user=user, name="Dana Reyes", role="insight", added_on=date(2026, 3, 1))
    # The day before the clocks go forward, 08:00 in Paris is 07:00 UTC...
    assert dispatch(mail_app, utc(2026, 3, 28, 6, 59)) == []
    assert dispatch(mail_app, utc(2026, 3, 28, 7, 0))[0].endswith("for 2026-03-28")
    # ...and on the day they do (29 March), 06:00 UTC.
    assert dispatch(mail_app, utc(2026, 3, 29, 5, 59)) == []
    assert dispatch(mail_app, utc(2026, 3, 29, 6, 0))[0].endswith("for 2026-03-29")
    # Back to 07:00 UTC when they go back (25 October).
    assert dispatch(mail_app, utc(2026, 10, 25, 6, 59)) == []
    assert dispatch(mail_app, utc(2026, 10, 25, 7, 0))[0].endswith("for 2026-10-25")
    assert len(smtp.inbox.messages) == 3


def test_two_dispatchers_started_together_send_once(mail_app, smtp, receiver, tmp_path):
    user = make_user(tz="UTC", digest="daily", reminder_time="00:00")
    today = user.today()
    Advisor.create(user=user, name="Dana Reyes", role="insight", added_on=today - timedelta(days=9))
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    env = {**os.environ, "SECRET_KEY": "test-secret",
           "DATABASE_URL": mail_app.config["DATABASE_URL"], "BASE_URL": "http://advisory.test",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
           "PUSH_SERVICE_ORIGINS": receiver.origin,
           "VAPID_PRIVATE_KEY": mail_app.config["VAPID_PRIVATE_KEY"]}
    command = [sys.executable, "-m", "flask", "--app", "app", "reminders", "send"]
    runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    lines = "".join(outputs).splitlines()
    assert sorted(line for line in lines if line.startswith("sent")) == [
        f"sent: digest to ada@example.com for {today}",
        f"sent: notification (push:1) to ada@example.com for {today}"]
    assert len(smtp.inbox.messages) == 1
    assert len(receiver.payloads(phone)) == 1
    assert Delivery.select().where(Delivery.state == "sent").count() == 2
