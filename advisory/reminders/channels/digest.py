"""The email digest: who is overdue, due today and due this week, daily or on one weekday,
at the account's reminder time. Its setting: the account's digest (off, daily, weekly)."""
from flask import url_for

from advisory.core import gratitude, reminders
from advisory.models import Contact, User
from advisory.reminders import mail
from advisory.reminders.channels.base import Outcome, Target
from advisory.reminders.channels.email import NO_SERVER, EmailChannel


class Digest(EmailChannel):
    name = "digest"
    label = "digest"

    def audience(self):
        return User.digest != "off"

    def owed(self, users, now):
        owed = []
        for user in users:
            day = reminders.digest_period(now, user.timezone, user.reminder_time,
                                          user.digest, user.digest_weekday)
            if day:
                owed.append((user, Target(self.name), day))
        return owed

    def prepare(self, delivery, today, agenda_for):
        agenda = agenda_for(delivery.user, today)
        content = reminders.digest(agenda.cards, today, agenda.promises,
                                   agenda.review(url_for("reviews.review", _external=True)),
                                   agenda.dates)
        if content.empty:
            return Outcome("empty", "nobody due")
        if not mail.configured():
            return NO_SERVER
        return message(delivery.user, content, reminders.digest_subject(content), today,
                       delivery)


def message(user, content, subject: str, today, delivery):
    """The digest email for one delivery, with its one-click unsubscribe (RFC 8058).

    Needs a request context whose base URL is the site (the dispatcher sets one up).
    """
    unsubscribe = url_for("notifications.unsubscribe", token=mail.unsubscribe_token(user),
                          _external=True)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Message-ID": mail.message_id(delivery)}
    return mail.compose(user.email, subject, "digest", headers=headers, content=content,
                        unsubscribe_url=unsubscribe, user=user, today=today,
                        thanks=owed_thanks(content))


def owed_thanks(content) -> list:
    """(advisor, gratitude) for each board member listed who went NUDGE_FROM conversations
    or more without thanks: a gentle line each, from one query. Mentees are not asked for."""
    advisors = [card.advisor for cards in (content.overdue, content.today, content.week)
                for card in cards if not card.advisor.is_mentee]
    touches = Contact.touches_of(advisor.id for advisor in advisors)
    standing = [(advisor, gratitude.gratitude(touches[advisor.id])) for advisor in advisors]
    return [(advisor, found) for advisor, found in standing if found.nudge()]
