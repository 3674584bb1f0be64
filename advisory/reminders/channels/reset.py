"""The password-reset email: queued by the web request (account/password_reset.py), never
planned, and dropped when the mail server could not take it within RESET_QUEUE_LIMIT."""
from flask import url_for

from advisory.core import reminders
from advisory.reminders import mail
from advisory.reminders.channels.email import NO_SERVER, EmailChannel


class PasswordReset(EmailChannel):
    name = "reset"
    label = "password reset"

    def expired(self, delivery, now):
        """A reset's period is its request's own stamp, not a day: it is late an hour after
        it was asked for (ask again then)."""
        if reminders.utc(now) - delivery.created_at > reminders.RESET_QUEUE_LIMIT:
            return "asked too long ago"
        return None

    def prepare(self, delivery, today, agenda_for):
        if not mail.configured():
            return NO_SERVER
        return message(delivery.user, delivery)


def message(user, delivery):
    """The password-reset email for one delivery, with its link."""
    link = url_for("password_reset.reset", token=mail.reset_token(user), _external=True)
    return mail.compose(user.email, "Reset your Advisory password", "reset",
                        headers={"Message-ID": mail.message_id(delivery)}, link=link, user=user)
