"""The board review due in the push notification, the email digest and an Apprise
channel, against the loopback push receiver, SMTP server and webhook (core/reminders.py,
reminders/channels/)."""
from datetime import timedelta

from advisory.core.cadence import add_months
from advisory.models import Advisor, BoardReview, User
from support import make_user, sign_in
from support.reminders import dispatch, mail_app, receiver, smtp, utc  # noqa: F401
from test_dispatch import NOW, TODAY, board, subscribe
from test_services import add, home_app, webhook  # noqa: F401


def review_late(user, days=3):
    """The last review a quarter and `days` days ago: the next one is `days` days late."""
    BoardReview.create(user=user, reviewed_on=add_months(TODAY - timedelta(days=days), -3))


def test_the_digest_mentions_the_review_with_a_link(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    review_late(user)
    dispatch(mail_app, NOW)
    [message] = smtp.inbox.messages
    assert message["Subject"] == ("Your board of advisors: 1 overdue, 1 due today, "
                                  "1 due this week, board review due")
    for part in (message.get_body(("plain",)).get_content(),
                 message.get_body(("html",)).get_content()):
        assert "Your board review" in part and "Your board review, 3 days late" in part
        assert "http://advisory.test/board/review" in part


def test_the_review_alone_makes_a_notification_that_opens_it(mail_app, smtp, receiver):
    user = make_user(tz="Europe/Paris", digest="daily")
    Advisor.create(user=user, name="Lena Park", role="wisdom",
                   added_on=TODAY + timedelta(days=20))  # nobody due
    review_late(user, days=0)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW) == [
        "sent: digest to ada@example.com for 2026-11-24",
        "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    [payload] = receiver.payloads(phone)
    assert (payload["title"], payload["body"], payload["url"]) == (
        "Board review due", "Your board review is due today.", "/board/review")
    assert payload["advisors"] == [] and payload["count"] == 0
    assert smtp.inbox.messages[0]["Subject"] == "Your board of advisors: board review due"


def test_the_notification_ends_with_the_review_after_who_is_due(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    review_late(user, days=1)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    dispatch(mail_app, NOW)
    [payload] = receiver.payloads(phone)
    assert payload["title"] == "2 people to reach out to"
    assert payload["body"].endswith(". Your board review, 1 day late.")


def test_a_review_not_yet_due_or_off_is_not_mentioned(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    BoardReview.create(user=user, reviewed_on=TODAY - timedelta(days=10))  # due in months
    other = make_user("grace@example.com", tz="Europe/Paris", review_every="off")
    Advisor.create(user=other, name="Sam Lee", role="wisdom", added_on=TODAY - timedelta(days=400))
    phones = [receiver.subscriber("phone"), receiver.subscriber("grace")]
    subscribe(mail_app.test_client(), user, phones[0])
    subscribe(mail_app.test_client(), other, phones[1])
    dispatch(mail_app, NOW)
    assert "board review" not in receiver.payloads(phones[0])[0]["body"]
    assert "board review" not in receiver.payloads(phones[1])[0]["body"]
    assert User.get_by_id(other.id).review_every == "off"


def test_an_apprise_channel_says_the_review_is_due(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    Advisor.create(user=user, name="Lena Park", role="wisdom",
                   added_on=TODAY + timedelta(days=20))  # nobody due
    review_late(user)
    add(sign_in(home_app.test_client(), user), f"json://127.0.0.1:{webhook.port}/hook")
    assert dispatch(home_app, NOW)[0].startswith("sent: Apprise message")
    [body] = webhook.bodies()
    assert body["title"] == "Board review due"
    assert "Your board review, 3 days late." in body["message"]
