"""What every email channel shares: the pass's one SMTP connection, and what the mail
server's answer means."""
from advisory.reminders import mail
from advisory.reminders.channels.base import Channel, Outcome

# Without a mail server an email waits (retried with backoff) for the owner to set one.
NO_SERVER = Outcome("retry", "MAIL_SERVER is not set")


class EmailChannel(Channel):
    """An email channel: sends over mail.Connection, shared by every email of a pass."""
    connection = mail.Connection

    def send(self, message, connection: mail.Connection) -> Outcome:
        """Accepted by the server: sent. A refusal or an unreachable server raises, and
        the dispatcher retries it."""
        connection.send(message)
        return Outcome("sent", "accepted by the mail server")
