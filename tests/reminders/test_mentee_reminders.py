"""The people I mentor are reminded of like board members: in the digest (marked as a
mentee, and never nudged to thank) and in the push notification, against the loopback
SMTP server and push receiver."""
from datetime import timedelta

from advisory.models import Advisor
from support import make_user
from support.reminders import dispatch, mail_app, receiver, smtp, utc  # noqa: F401
from test_dispatch import NOW, TODAY, subscribe


def sam(user, **fields):
    return Advisor.create(user=user, name="Sam Okafor", role="", relation="mentee",
                          added_on=TODAY - timedelta(days=10), **fields)


def test_the_digest_lists_a_mentee_due_as_a_mentee(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    mentee = sam(user)
    for days in (90, 60, 30):  # three conversations, never thanked: not for a mentee to ask
        mentee.log_contact(happened_on=TODAY - timedelta(days=days + 40), kind="call")
    dispatch(mail_app, NOW)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "Your board of advisors: 1 overdue"
    for part in (message.get_body(("plain",)).get_content(),
                 message.get_body(("html",)).get_content()):
        assert "Sam Okafor</a> (mentee)" in part or "Sam Okafor (mentee), 5 weeks overdue" in part
        assert f"http://advisory.test/advisors/{mentee.id}/prep" in part
        assert "thank-you" not in part


def test_a_mentee_due_alone_makes_a_push_notification_that_can_log_them(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    mentee = sam(user)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    dispatch(mail_app, NOW)
    [payload] = receiver.payloads(phone)
    assert payload["title"] == "Reach out to Sam Okafor"
    assert payload["advisors"] == [{"id": mentee.id, "name": "Sam Okafor",
                                    "when": "10 days overdue"}]
