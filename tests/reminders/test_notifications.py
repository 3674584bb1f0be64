"""Reminder settings and push subscriptions: only known push services, one account never
touching another's devices, the snooze action, and what Settings says without mail."""
from datetime import timedelta

from itsdangerous import URLSafeSerializer

from advisory.models import Advisor, PushSubscription, User
from advisory.reminders import mail
from support import add_advisor, make_user, sign_in
from support.peers import Subscriber

GOOGLE = "https://fcm.googleapis.com/fcm/send/abc123"


def csrf(client) -> str:
    return client.get("/push/csrf").get_json()["csrf"]


def post_subscription(client, body, token=None):
    return client.post("/push/subscriptions", json=body,
                       headers={"X-CSRFToken": token or csrf(client),
                                "User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) "
                                              "Chrome/130.0 Mobile Safari/537.36"})


def test_a_subscription_on_a_known_push_service_is_stored_per_device(client, session, user):
    response = post_subscription(client, Subscriber(GOOGLE).as_json())
    assert response.status_code == 201
    assert response.get_json()["device"] == "Chrome on Android"
    [stored] = PushSubscription.for_user(user)
    assert stored.endpoint == GOOGLE
    page = client.get("/settings/reminders").get_data(as_text=True)
    assert "Chrome on Android" in page and ">Stop</button>" in page


def test_a_device_signed_out_gets_no_more_reminders(app, client, user):
    """Reminders name people: a phone signed out (by itself, from another device, by a
    password change) stops receiving them."""
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, user)
    sign_in(laptop, user)
    assert post_subscription(phone, Subscriber(GOOGLE).as_json()).status_code == 201
    assert post_subscription(laptop, Subscriber(GOOGLE + "-laptop").as_json()).status_code == 201
    laptop_token = csrf(laptop)
    laptop.post("/settings/devices/sign-out-others",
                data={"csrf_token": laptop_token})
    assert [s.endpoint for s in PushSubscription.select()] == [GOOGLE + "-laptop"]
    laptop.post("/logout", data={"csrf_token": laptop_token})
    assert PushSubscription.select().count() == 0


def test_other_addresses_and_broken_keys_are_refused_with_a_message(client, session, user):
    for endpoint in ("https://evil.example/push", "http://fcm.googleapis.com/x",
                     "https://fcm.googleapis.com.evil.example/x", "javascript:alert(1)"):
        response = post_subscription(client, Subscriber(endpoint).as_json())
        assert response.status_code == 422, endpoint
        assert "push service" in response.get_json()["message"] or \
            "endpoint" in response.get_json()["message"]
    broken = Subscriber(GOOGLE).as_json()
    broken["keys"]["p256dh"] = "not-a-key"
    assert post_subscription(client, broken).get_json()["message"] == (
        "The subscription's keys are not valid.")
    off_curve = Subscriber(GOOGLE).as_json()
    off_curve["keys"]["p256dh"] = "B" + "A" * 86  # 65 bytes, but no point on P-256
    response = post_subscription(client, off_curve)
    assert response.status_code == 422
    assert response.get_json()["message"] == "The subscription's keys are not valid."
    assert post_subscription(client, ["nonsense"]).status_code == 422
    assert PushSubscription.select().count() == 0


def test_microsoft_subdomains_are_known_push_services(client, session):
    endpoint = "https://wns2-par02p.notify.windows.com/w/?token=abc"
    assert post_subscription(client, Subscriber(endpoint).as_json()).status_code == 201


def test_subscribing_needs_sign_in_and_a_form_token(client, user):
    signed_out = client.post("/push/subscriptions", json=Subscriber(GOOGLE).as_json())
    assert signed_out.status_code == 400  # no session, so no form token either
    assert client.get("/push/csrf").status_code == 302  # to sign in
    sign_in(client, user)
    refused = client.post("/push/subscriptions", json=Subscriber(GOOGLE).as_json())
    assert refused.status_code == 400  # no CSRF token
    assert PushSubscription.select().count() == 0


def test_stop_and_unsubscribe_touch_only_your_own_devices(app, client, session, user, other):
    mine = Subscriber(GOOGLE).as_json()
    post_subscription(client, mine)
    theirs = PushSubscription.store(other, "https://fcm.googleapis.com/fcm/send/theirs",
                                    mine["keys"]["p256dh"], mine["keys"]["auth"], "Firefox")
    assert session.post(f"/push/subscriptions/{theirs.id}/delete").status_code == 404
    response = client.delete("/push/subscriptions", json={"endpoint": theirs.endpoint},
                             headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 200
    assert PushSubscription.get_or_none(PushSubscription.id == theirs.id) is not None
    mine_id = PushSubscription.for_user(user).get().id
    assert session.post(f"/push/subscriptions/{mine_id}/delete").status_code == 303
    assert PushSubscription.for_user(user).count() == 0


def test_the_same_browser_signed_in_as_another_account_moves_to_it(app, user, other):
    first, second = app.test_client(), app.test_client()
    sign_in(first, user)
    sign_in(second, other)
    body = Subscriber(GOOGLE).as_json()
    post_subscription(first, body)
    post_subscription(second, body)
    assert [s.user.id for s in PushSubscription.select()] == [other.id]


def test_another_accounts_device_is_not_taken_by_knowing_its_endpoint(app, user, other):
    first, second = app.test_client(), app.test_client()
    sign_in(first, user)
    sign_in(second, other)
    assert post_subscription(first, Subscriber(GOOGLE).as_json()).status_code == 201
    # The endpoint leaked (a log, a screenshot); the browser's auth secret did not.
    impostor = Subscriber(GOOGLE).as_json()
    response = post_subscription(second, impostor)
    assert response.status_code == 409
    assert "another account" in response.get_json()["message"]
    [kept] = PushSubscription.select()
    assert kept.user.id == user.id and kept.p256dh != impostor["keys"]["p256dh"]


def unsubscribe_link(app, user) -> str:
    with app.test_request_context():
        return f"/unsubscribe/{mail.unsubscribe_token(user)}"


def test_an_unsubscribe_link_dies_with_its_account(app, client):
    gone = make_user("gone@example.com", digest="daily")
    link = unsubscribe_link(app, gone)
    gone.delete_account()
    # SQLite hands the deleted account's id to the next account (PostgreSQL would not,
    # so the id is given here); it signs up later, as a different person.
    heir = User.create(id=gone.id, email="heir@example.com", password_hash="x",
                       digest="daily", created_at=gone.created_at + timedelta(seconds=1))
    page = client.get(link)
    assert page.status_code == 410
    assert "no longer valid" in page.get_data(as_text=True)
    assert client.post(link).status_code == 410
    assert User.get_by_id(heir.id).digest == "daily"
    own = client.post(unsubscribe_link(app, User.get_by_id(heir.id)))
    assert own.status_code == 200 and User.get_by_id(heir.id).digest == "off"


def test_an_unsubscribe_link_from_before_the_change_says_to_use_settings(app, client):
    user = make_user(digest="daily")
    old = URLSafeSerializer("test-secret", salt=mail.UNSUBSCRIBE_SALT).dumps(user.id)
    page = client.get(f"/unsubscribe/{old}")
    assert page.status_code == 410
    text = page.get_data(as_text=True)
    assert "no longer valid" in text and "Settings" in text
    assert client.post(f"/unsubscribe/{old}").status_code == 410
    assert User.get_by_id(user.id).digest == "daily"


def test_reminder_settings_are_saved_and_bad_input_says_what_to_fix(app, session, user):
    page = session.get("/settings/reminders").get_data(as_text=True)
    assert "Email is not set up on this server" in page and "MAIL_SERVER" in page
    response = session.post("/settings/reminders", {"reminder_time": "07:30", "digest": "off",
                                                     "digest_weekday": "2"})
    assert response.status_code == 303
    saved = User.get_by_id(user.id)
    assert (saved.reminder_time, saved.digest, saved.digest_weekday) == ("07:30", "off", 2)
    bad = session.post("/settings/reminders", {"reminder_time": "7 am", "digest": "off",
                                                "digest_weekday": "9"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Enter a time like 08:00." in text and "Pick a day of the week." in text
    no_mail = session.post("/settings/reminders", {"reminder_time": "07:30", "digest": "daily",
                                                    "digest_weekday": "2"})
    assert no_mail.status_code == 422
    assert "Email is not set up on this server: keep the digest off." in no_mail.get_data(as_text=True)
    assert User.get_by_id(user.id).digest == "off"


def test_snooze_a_week_from_a_notification(client, session, user, other):
    dana = add_advisor(user, "Dana Reyes", added_on=user.today() - timedelta(days=3))
    theirs = add_advisor(other, "Grace's advisor")
    token = csrf(client)
    response = client.post("/push/snooze", json={"advisor": dana.id}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert Advisor.get_by_id(dana.id).snoozed_until == user.today() + timedelta(days=7)
    refused = client.post("/push/snooze", json={"advisor": theirs.id}, headers={"X-CSRFToken": token})
    assert refused.status_code == 404
    assert Advisor.get_by_id(theirs.id).snoozed_until is None
    assert client.post("/push/snooze", json={"advisor": "1"},
                       headers={"X-CSRFToken": token}).status_code == 404


def test_settings_links_to_reminders(session):
    assert "/settings/reminders" in session.get("/settings").get_data(as_text=True)
