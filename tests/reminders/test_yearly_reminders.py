"""Birthdays and yearly dates on their day in the email digest, the push notification and
an Apprise channel, against the loopback SMTP server, push receiver and webhook, read
once per batch of accounts (reminders/agenda.py, core/reminders.py)."""
import html
from datetime import timedelta

from advisory.models import Advisor, YearlyDate
from support import make_user, sign_in, statements
from support.reminders import dispatch, mail_app, receiver, smtp  # noqa: F401
from test_dispatch import NOW, TODAY, board, subscribe
from test_services import add, home_app, webhook  # noqa: F401


def nobody_due(user, name="Lena Park") -> Advisor:
    return Advisor.create(user=user, name=name, role="wisdom",
                          added_on=TODAY + timedelta(days=20))


def on(person, day, kind="birthday", label="", year=None):
    return YearlyDate.make(person, kind=kind, label=label, month=day.month, day=day.day,
                           year=year)


def test_the_digest_lists_todays_dates_with_links(mail_app, smtp):
    user = make_user(tz="Europe/Paris", digest="daily")
    board(user)
    dana = Advisor.get(Advisor.name == "Dana Reyes")
    on(dana, TODAY, year=1986)
    on(Advisor.get(Advisor.name == "Omar Haddad"), TODAY + timedelta(days=1))  # tomorrow
    dispatch(mail_app, NOW)
    [message] = smtp.inbox.messages
    assert message["Subject"] == ("Your board of advisors: 1 overdue, 1 due today, "
                                  "1 due this week, Dana Reyes's birthday today")
    for part in (message.get_body(("plain",)).get_content(),
                 html.unescape(message.get_body(("html",)).get_content())):
        assert "Birthdays and dates today" in part and "Dana Reyes's birthday (40)" in part
        assert f"http://advisory.test/advisors/{dana.id}#dates" in part
        assert "Omar Haddad's birthday" not in part


def test_a_date_alone_makes_the_digest_and_a_notification(mail_app, smtp, receiver):
    user = make_user(tz="Europe/Paris", digest="daily")
    lena = nobody_due(user)
    on(lena, TODAY, kind="date", label="company founded", year=2011)
    on(nobody_due(user, "Sam Lee"), TODAY)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW) == [
        "sent: digest to ada@example.com for 2026-11-24",
        "sent: notification (push:1) to ada@example.com for 2026-11-24"]
    [payload] = receiver.payloads(phone)
    assert (payload["title"], payload["body"], payload["url"]) == (
        "2 dates today", "Today: Lena Park: company founded (15 years), Sam Lee's birthday.",
        "/")
    assert payload["advisors"] == [] and payload["count"] == 0  # nobody to reach out to
    assert smtp.inbox.messages[0]["Subject"] == "Your board of advisors: 2 dates today"


def test_the_notification_ends_with_todays_dates_after_who_is_due(mail_app, receiver):
    user = make_user(tz="Europe/Paris")
    board(user)
    on(Advisor.get(Advisor.name == "Zed Ola"), TODAY)
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    dispatch(mail_app, NOW)
    [payload] = receiver.payloads(phone)
    assert payload["title"] == "2 people to reach out to" and payload["count"] == 2
    assert payload["body"].endswith(". Today: Zed Ola's birthday.")


def test_29_february_is_remembered_on_the_28th(mail_app, receiver):
    """2027 has no 29 February: a leap-day birthday comes on the 28th, as in the feed."""
    user = make_user(tz="Europe/Paris", review_every="off")
    paused = Advisor.create(user=user, name="Lena Park", role="wisdom", stage="paused",
                            added_on=TODAY)  # no reminder of her own: her birthday still
    on(paused, TODAY.replace(year=2024, month=2, day=29))
    phone = receiver.subscriber("phone")
    subscribe(mail_app.test_client(), user, phone)
    assert dispatch(mail_app, NOW) == [  # 24 November: nothing to say
        "empty: notification (push:1) to ada@example.com for 2026-11-24"]
    day = NOW.replace(year=2027, month=2, day=28)
    assert dispatch(mail_app, day) == [
        "sent: notification (push:1) to ada@example.com for 2027-02-28"]
    assert receiver.payloads(phone)[0]["body"] == "Today: Lena Park's birthday."


def test_an_apprise_channel_says_the_birthday(home_app, webhook):
    user = make_user(tz="Europe/Paris")
    on(nobody_due(user), TODAY)
    add(sign_in(home_app.test_client(), user), f"json://127.0.0.1:{webhook.port}/hook")
    assert dispatch(home_app, NOW)[0].startswith("sent: Apprise message")
    [body] = webhook.bodies()
    assert body["title"] == "Lena Park's birthday"
    assert "Today: Lena Park's birthday." in body["message"]


def test_a_batch_reads_its_dates_in_one_query_and_never_another_accounts(mail_app, smtp):
    people = [make_user(f"person{n}@example.com", tz="Europe/Paris", digest="daily")
              for n in range(6)]
    for user in people:
        on(nobody_due(user, f"Friend of {user.email}"), TODAY)
    with statements() as sent:
        lines = dispatch(mail_app, NOW)
    assert len(lines) == 6
    assert sum('FROM "yearly_dates"' in sql for sql, _ in sent) == 1
    for message in smtp.inbox.messages:
        assert f"Friend of {message['To']}'s birthday" in message.get_body(
            ("plain",)).get_content()
        assert message.get_body(("plain",)).get_content().count("'s birthday") == 1
