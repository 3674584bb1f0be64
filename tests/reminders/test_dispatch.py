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
from support import make_user, sign_in
from support.reminders import dispatch, mail_app, receiver, smtp, utc  # noqa: F401

NOW = utc(2026, 11, 24, 7, 5)  # 08:05 in Paris
TODAY = date(2026, 11, 24)
ROOT = Path(__file__).resolve().parents[2]


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
    assert dispatch(mail_app, NOW) == [  # emails first, then devices
        "empty: digest to ada@example.com for 2026-11-24",
        "empty: notification (push:1) to ada@example.com for 2026-11-24"]
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


# 120 characters (the longest name a form takes), each 2 to 4 bytes in UTF-8.
LONG_NAMES = [f"Александра-Екатерина {n:02d} " + "Ё🙂" * 48 for n in range(40)]


def test_a_long_due_list_fits_the_push_limit_in_utf8(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    for n, name in enumerate(LONG_NAMES):
        Advisor.create(user=user, name=name, role="insight",
                       added_on=TODAY - timedelta(days=40 - n))
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW) == [
        "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    [(_, _, body)] = receiver.received
    assert len(body) <= 4096  # the encrypted record, header and tag included
    raw = phone.plaintext(body)
    assert "Ё🙂".encode() in raw and b"\\u" not in raw  # UTF-8, not 6-byte escapes
    [payload] = receiver.payloads(phone)
    named = [a["name"] for a in payload["advisors"]]
    assert 2 <= len(named) <= 4 and named == LONG_NAMES[:len(named)]  # the most overdue first
    assert payload["title"] == "40 people to reach out to"
    assert payload["body"].endswith(f"{named[-1]} and {40 - len(named)} more")


def test_a_push_the_service_finds_too_large_is_not_retried(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    phone = receiver.subscriber("strict")
    subscribe(mail_app.test_client(), user, phone)
    receiver.status["strict"] = 413  # a service with a smaller limit than ours
    assert dispatch(mail_app, NOW) == [
        "failed: notification (push:1) to ada@example.com for 2026-11-24"]
    assert dispatch(mail_app, NOW + timedelta(hours=5)) == []  # the same bytes: not again
    assert len(receiver.received) == 1
    assert PushSubscription.select().count() == 1  # the device stays: tomorrow is another list
    receiver.status["strict"] = 201
    assert dispatch(mail_app, NOW + timedelta(days=1))[0].startswith("sent: notification")


def test_a_device_key_off_the_curve_is_dropped_not_retried(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    # 65 bytes that look like a key (0x04 then 64 bytes) but name no point on P-256:
    # stored before subscribing checked it, or written by hand.
    PushSubscription.store(user, f"{receiver.origin}/push/broken", "B" + "A" * 86,
                           "A" * 22, "Phone")
    assert dispatch(mail_app, NOW) == [
        "gone: notification (push:1) to ada@example.com for 2026-11-24"]
    assert PushSubscription.select().count() == 0 and receiver.received == []
    assert dispatch(mail_app, NOW + timedelta(minutes=30)) == []


def test_each_email_is_recorded_sent_before_the_mail_server_hears_anything_else(mail_app, smtp):
    for name in ("ada", "bea", "cy"):
        board(make_user(f"{name}@example.com", tz="Europe/Paris", digest="daily"))
    seen = []

    def watch(command, accepted):  # runs in the SMTP server's thread, as each command arrives
        try:
            sent = Delivery.select().where(Delivery.state == "sent").count()
        finally:
            Delivery._meta.database.close()  # this thread's connection
        seen.append((command, accepted, sent))

    smtp.inbox.watch = watch
    assert len(dispatch(mail_app, NOW)) == 3
    # One connection for the batch; each message recorded as soon as the server took it,
    # before the next MAIL FROM and before QUIT.
    assert seen == [("MAIL", 0, 0), ("MAIL", 1, 1), ("MAIL", 2, 2), ("QUIT", 3, 3)]


def test_a_digest_sent_again_after_a_crash_keeps_its_message_id(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    assert dispatch(mail_app, NOW) == ["sent: digest to ada@example.com for 2026-11-24"]
    delivery = Delivery.get(Delivery.target == "digest")
    # As if the dispatcher was killed after the server accepted, before the record.
    Delivery.update(state="claimed", claimed_at=NOW.replace(tzinfo=None),
                    sent_at=None).where(Delivery.id == delivery.id).execute()
    assert dispatch(mail_app, NOW + timedelta(minutes=3)) == [
        "sent: digest to ada@example.com for 2026-11-24"]
    first, again = smtp.inbox.messages
    assert first["Message-ID"] == again["Message-ID"] == (
        f"<digest.2026-11-24.{delivery.id}@advisory.test>")
    assert dispatch(mail_app, NOW + timedelta(days=1)) == [
        "sent: digest to ada@example.com for 2026-11-25"]
    assert smtp.inbox.messages[-1]["Message-ID"] != first["Message-ID"]
    asked = NOW + timedelta(days=1, minutes=5)  # a reset email too has its own Message-ID
    reset = Delivery.create(user=user, target="reset", state="queued",
                            period="20261125T071000-0a1b2c3d",
                            created_at=asked.replace(tzinfo=None))
    assert dispatch(mail_app, asked)[0].startswith("sent: password reset")
    assert smtp.inbox.messages[-1]["Message-ID"] == (
        f"<reset.20261125T071000-0a1b2c3d.{reset.id}@advisory.test>")


def test_a_claim_taken_over_is_not_sent_by_the_dispatcher_that_lost_it(mail_app, smtp):
    from advisory.reminders import dispatcher

    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    with mail_app.test_request_context(base_url="http://advisory.test"):
        [slow] = dispatcher.plan(NOW)  # then it stalls past the lease...
    assert dispatch(mail_app, NOW + timedelta(minutes=3)) == [  # ...and another takes over
        "sent: digest to ada@example.com for 2026-11-24"]
    with mail_app.test_request_context(base_url="http://advisory.test"):
        assert dispatcher.deliver(slow, NOW + timedelta(minutes=3)) == "taken-over"
    assert len(smtp.inbox.messages) == 1


def test_the_digest_links_each_prep_page_and_gently_mentions_thanks_owed(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    dana = Advisor.get(Advisor.name == "Dana Reyes")
    omar = Advisor.get(Advisor.name == "Omar Haddad")
    for days in (200, 150, 100):  # three conversations, never thanked: still overdue
        dana.log_contact(happened_on=TODAY - timedelta(days=days), kind="call")
    omar.log_contact(happened_on=TODAY - timedelta(days=90), kind="call", thanked=True)
    dispatch(mail_app, NOW)
    [message] = smtp.inbox.messages
    for part in (message.get_body(("plain",)).get_content(),
                 message.get_body(("html",)).get_content()):
        assert f"http://advisory.test/advisors/{dana.id}/prep" in part
        assert "Dana Reyes" in part and "never thanked, in 3 conversations" in part
        assert part.count("thanked") == 1  # Omar, thanked, is not nudged
