"""My promises due today or late in the push notification and the email digest, against
the loopback push receiver and SMTP server (advisory/core/reminders.py, channels/)."""
from datetime import date, timedelta

from advisory.core import reminders
from advisory.core.promises import DuePromise
from advisory.models import Advisor, Promise
from support import make_user
from support.reminders import dispatch, mail_app, receiver, smtp, utc  # noqa: F401
from test_dispatch import NOW, TODAY, board, subscribe


def promise(advisor, text, days, owed_by="me"):
    return Promise.make(advisor, text=text, owed_by=owed_by, due_on=TODAY + timedelta(days=days))


def test_the_digest_mentions_my_promises_due_today_or_late(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    dana = Advisor.get(Advisor.name == "Dana Reyes")
    promise(dana, "Send Dana the pricing deck", 0)
    promise(dana, "Book the follow-up", -3)
    promise(dana, "Later on", 2)
    promise(dana, "Their intro", 0, owed_by="them")
    dispatch(mail_app, NOW)
    [message] = smtp.inbox.messages
    assert message["Subject"].endswith("1 due this week, 2 promises to keep")
    for part in (message.get_body(("plain",)).get_content(),
                 message.get_body(("html",)).get_content()):
        assert "Your promises" in part
        assert "Book the follow-up" in part and "3 days late" in part
        assert "Send Dana the pricing deck" in part and "due today" in part
        assert "Later on" not in part and "Their intro" not in part
        assert f"http://advisory.test/advisors/{dana.id}#promises" in part


def test_a_promise_alone_makes_a_digest_and_a_notification(mail_app, smtp, receiver):
    user = make_user(tz="Europe/Paris", digest="daily")
    lena = Advisor.create(user=user, name="Lena Park", role="wisdom",
                          added_on=TODAY + timedelta(days=20))  # nobody due
    promise(lena, "Send Lena the article", 0)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW) == [
        "sent: digest to ada@example.com for 2026-11-24",
        "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    [payload] = receiver.payloads(phone)
    assert (payload["title"], payload["body"]) == ("Your promise",
                                                   "Send Lena the article, due today.")
    assert payload["advisors"] == [] and payload["count"] == 0
    assert "Send Lena the article" in smtp.inbox.messages[0].get_body(("plain",)).get_content()


def test_the_notification_mentions_a_promise_after_who_is_due(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    promise(Advisor.get(Advisor.name == "Omar Haddad"), "Send Omar the deck", -1)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    dispatch(mail_app, NOW)
    [payload] = receiver.payloads(phone)
    assert payload["title"] == "2 people to reach out to"
    assert payload["body"].endswith(". Promised: Send Omar the deck, 1 day late")


def test_many_long_promises_still_fit_the_push_limit():
    """Pure: the promise sentence is cut short, so the size logic still holds."""
    promises = [DuePromise(text="🦉" * 500, name="Dana", due=date(2026, 11, 24), advisor_id=1)
                for _ in range(40)]
    payload = reminders.notification([], date(2026, 11, 24), 1, "k", promises=promises)
    assert payload["title"] == "40 promises due"
    assert payload["body"].endswith("…, due today (and 39 more promises).")
    assert len(reminders.payload_bytes(payload)) <= reminders.PUSH_PAYLOAD_LIMIT
