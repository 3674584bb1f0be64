"""When reminders are due and what they say (advisory/core/reminders.py, pure), and the
push helpers that need no network (advisory/reminders/channels/push.py)."""
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

import pytest

from advisory.core import reminders
from advisory.core.due_list import Card
from advisory.reminders.channels import push


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("moment, expected", [
    (utc(2026, 3, 28, 6, 59), None),  # 07:59 CET
    (utc(2026, 3, 28, 7, 0), date(2026, 3, 28)),  # 08:00 CET
    (utc(2026, 3, 29, 5, 59), None),  # 07:59 CEST: the clocks went forward
    (utc(2026, 3, 29, 6, 0), date(2026, 3, 29)),
    (utc(2026, 10, 25, 6, 59), None),  # 07:59 CET: and back
    (utc(2026, 10, 25, 7, 0), date(2026, 10, 25)),
    (utc(2026, 10, 25, 22, 59), date(2026, 10, 25)),  # 23:59 local, still that day
    (utc(2026, 10, 25, 23, 0), None),  # midnight: a new day, before its reminder
])
def test_the_reminder_time_is_local_wall_time_across_dst(moment, expected):
    assert reminders.reminder_day(moment, "Europe/Paris", "08:00") == expected


def test_a_reminder_in_the_skipped_hour_comes_right_after_it():
    # 29 March 2026 in Paris has no 02:30; the reminder comes at 03:00 local.
    assert reminders.reminder_day(utc(2026, 3, 29, 0, 59), "Europe/Paris", "02:30") is None
    assert reminders.reminder_day(utc(2026, 3, 29, 1, 0), "Europe/Paris", "02:30") == date(2026, 3, 29)


def test_weekly_digest_only_on_its_weekday_and_off_means_never():
    tuesday = utc(2026, 11, 24, 9, 0)
    assert reminders.digest_period(tuesday, "UTC", "08:00", "weekly", 1) == "2026-11-24"
    assert reminders.digest_period(tuesday, "UTC", "08:00", "weekly", 2) is None
    assert reminders.digest_period(tuesday, "UTC", "08:00", "daily", 2) == "2026-11-24"
    assert reminders.digest_period(tuesday, "UTC", "08:00", "off", 1) is None
    assert reminders.digest_period(tuesday, "UTC", "10:00", "daily", 1) is None


def test_a_stored_time_no_form_could_make_falls_back_to_eight():
    assert reminders.reminder_clock("25:99") == time(8, 0)


def test_backoff_grows_then_gives_up():
    now = utc(2026, 1, 1)
    waits = [reminders.next_attempt(n, now) for n in range(1, reminders.MAX_ATTEMPTS + 1)]
    assert [w - now for w in waits[:-1]] == list(reminders.BACKOFF)
    assert waits[-1] is None


def card(name, due, advisor_id=1):
    return Card(SimpleNamespace(id=advisor_id, name=name), due, "overdue", 0.0)


def test_one_notification_lists_everyone_due_most_urgent_first():
    today = date(2026, 11, 24)
    cards = [card("Dana Reyes", today - timedelta(days=35), 1), card("Omar Haddad", today, 2),
             card("Lena Park", today - timedelta(days=1), 3),
             card("Zed Ola", today + timedelta(days=2), 4)]
    payload = reminders.notification(cards, today, account=7, key="notification-1")
    assert payload["title"] == "3 people to reach out to"
    assert payload["body"] == "Dana Reyes (5 weeks overdue), Omar Haddad, Lena Park"
    assert [a["id"] for a in payload["advisors"]] == [1, 2, 3]
    assert payload["tag"] == "advisory-due" and payload["account"] == "7"
    assert payload["count"] == 3  # the app icon's badge: Zed is not due yet


def test_a_single_person_notification_names_them():
    today = date(2026, 11, 24)
    payload = reminders.notification([card("Dana Reyes", today)], today, 1, "notification-2")
    assert payload["title"] == "Reach out to Dana Reyes"
    assert payload["body"] == "Dana Reyes is due today."


def test_no_notification_when_nobody_is_due():
    today = date(2026, 11, 24)
    assert reminders.notification([card("Zed", today + timedelta(days=1))], today, 1, "k") is None


def test_many_names_are_cut_short():
    today = date(2026, 11, 24)
    cards = [card(f"Person {n}", today, n) for n in range(7)]
    payload = reminders.notification(cards, today, 1, "k")
    assert payload["body"].endswith("Person 3 and 3 more")
    assert (len(payload["advisors"]), payload["count"]) == (4, 7)


@pytest.mark.parametrize("endpoint, allowed", [
    ("https://fcm.googleapis.com/fcm/send/x", True),
    ("https://updates.push.services.mozilla.com/wpush/v2/x", True),
    ("https://web.push.apple.com/QG9", True),
    ("https://db5p.notify.windows.com/w/?token=x", True),
    ("https://notify.windows.com.evil.example/x", False),
    ("https://fcm.googleapis.com:8443/x", False),
    ("https://user@fcm.googleapis.com/x", False),
    ("http://fcm.googleapis.com/x", False),
    ("https://127.0.0.1/x", False),
    ("not a url", False),
])
def test_only_known_push_services(endpoint, allowed):
    from advisory.config import DEFAULT_PUSH_SERVICES
    assert push.origin_allowed(endpoint, DEFAULT_PUSH_SERVICES) is allowed


def test_vapid_subject_prefers_the_setting_then_the_sender_then_the_site():
    assert push.subject({"VAPID_SUBJECT": "mailto:me@example.com"}) == "mailto:me@example.com"
    assert push.subject({"MAIL_SERVER": "smtp", "MAIL_DEFAULT_SENDER": "A <a@example.com>"}) == \
        "mailto:a@example.com"
    assert push.subject({"BASE_URL": "https://advisory.example.com"}) == \
        "https://advisory.example.com"


def test_the_vapid_key_is_made_once_into_the_instance_folder_owner_only(tmp_path, monkeypatch):
    from advisory.config import vapid_private_key
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    first = vapid_private_key(str(tmp_path))
    assert (tmp_path / "vapid_private.pem").stat().st_mode & 0o777 == 0o600
    assert vapid_private_key(str(tmp_path)) == first
    key = push.application_server_key(first)
    assert len(key) == 87  # 65 bytes, base64url without padding
    monkeypatch.setenv("VAPID_PRIVATE_KEY", first)
    assert push.application_server_key(vapid_private_key(str(tmp_path / "elsewhere"))) == key


# 120 characters each (the longest name a form takes), 2 to 4 bytes each in UTF-8.
LONG = [f"Александра-Екатерина {n:02d} " + "Ё🙂" * 48 for n in range(40)]


def encrypted_size(data: bytes) -> int:
    """How large pywebpush's aes128gcm body for `data` is, for a fresh browser key."""
    from pywebpush import WebPusher

    from support.peers import Subscriber
    info = Subscriber("https://fcm.googleapis.com/fcm/send/x").as_json()
    return len(WebPusher(info).encode(data)["body"])


def test_the_payload_is_trimmed_to_fit_the_push_limit_once_encrypted():
    today = date(2026, 11, 24)
    cards = [card(name, today - timedelta(days=40 - n), n) for n, name in enumerate(LONG)]
    payload = reminders.notification(cards, today, 1, "notification-9")
    data = reminders.payload_bytes(payload)
    assert encrypted_size(data) <= 4096
    assert "🙂".encode() in data and b"\\u" not in data  # UTF-8, not \\ud83d\\ude42
    named = payload["advisors"]
    assert 2 <= len(named) < 40 and [a["name"] for a in named] == LONG[:len(named)]
    assert payload["title"] == "40 people to reach out to"
    assert payload["body"].endswith(f" and {40 - len(named)} more")
    assert payload["count"] == 40  # the badge counts everyone, not only those named


def test_the_payload_limit_is_what_encryption_leaves_of_4096_bytes():
    assert encrypted_size(b"x" * reminders.PUSH_PAYLOAD_LIMIT) == 4096
    assert encrypted_size(b"x" * (reminders.PUSH_PAYLOAD_LIMIT + 1)) == 4097


def test_short_names_are_all_listed_up_to_four():
    today = date(2026, 11, 24)
    cards = [card(f"Person {n}", today, n) for n in range(3)]
    payload = reminders.notification(cards, today, 1, "k")
    assert [a["name"] for a in payload["advisors"]] == ["Person 0", "Person 1", "Person 2"]


def test_the_topic_is_a_valid_rfc_8030_topic():
    import re
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", push.TOPIC)


def test_a_device_key_must_be_a_point_on_p256():
    from support.peers import Subscriber
    good = Subscriber("https://fcm.googleapis.com/fcm/send/x").as_json()["keys"]["p256dh"]
    assert push.valid_device_key(good)
    assert not push.valid_device_key("B" + "A" * 86)  # 0x04 then zeros: not on the curve
    assert not push.valid_device_key("not-a-key")


# When the dispatcher next looks at an account (reminders.next_reminder) ---------------

UTC = timezone.utc

def test_the_next_reminder_is_today_until_its_time_then_tomorrow():
    before = datetime(2026, 11, 24, 6, 59, tzinfo=UTC)
    after = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert reminders.next_reminder(before, "Europe/Paris", "08:00") == after  # 08:00 in Paris
    assert reminders.next_reminder(after, "Europe/Paris", "08:00") == after + timedelta(days=1)


def test_the_next_reminder_keeps_its_local_time_across_dst():
    saturday = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)  # 08:00 in Paris, the day before
    # the clocks go forward: 08:00 on Sunday is 06:00 UTC, 23 hours later
    assert reminders.next_reminder(saturday, "Europe/Paris", "08:00") == datetime(
        2026, 3, 29, 6, 0, tzinfo=UTC)
    october = datetime(2026, 10, 24, 6, 0, tzinfo=UTC)  # and back: 25 hours later
    assert reminders.next_reminder(october, "Europe/Paris", "08:00") == datetime(
        2026, 10, 25, 7, 0, tzinfo=UTC)


def test_a_reminder_time_the_clocks_skip_comes_the_first_minute_after():
    # 02:30 does not exist in Paris on 29 March 2026: the clocks go from 02:00 to 03:00
    # (01:00 UTC), and the reminder comes then, as reminder_day decides.
    night = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    moment = reminders.next_reminder(night, "Europe/Paris", "02:30")
    assert moment == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert reminders.reminder_day(moment, "Europe/Paris", "02:30") == date(2026, 3, 29)
    assert reminders.reminder_day(moment - timedelta(minutes=1), "Europe/Paris", "02:30") is None


def test_a_repeated_hour_reminds_at_its_first_occurrence():
    # 02:30 happens twice in Paris on 25 October 2026: the first time is 00:30 UTC.
    night = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert reminders.next_reminder(night, "Europe/Paris", "02:30") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_notification_for_one_person_opens_their_prep_page():
    today = date(2026, 11, 24)
    one = reminders.notification([card("Dana Reyes", today, advisor_id=42)], today, 1, "k",
                                 url="/", prep_url="/advisors/{id}/prep")
    assert one["url"] == "/advisors/42/prep"
    two = reminders.notification([card("Dana", today, 1), card("Omar", today, 2)], today, 1,
                                 "k", url="/", prep_url="/advisors/{id}/prep")
    assert two["url"] == "/"
