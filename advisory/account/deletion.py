"""Deleting an account with every row of it (no Flask).

The account's row goes, and the database's ON DELETE CASCADE takes everything that
hangs from it (advisors, their contacts, feed tokens, and whatever later tables link
to the account the same way). Its feed tokens are first kept as hashes, so calendars
still subscribed get 410 Gone rather than a puzzling 404.
"""
from advisory.database import write_transaction
from advisory.models import RetiredFeedToken, User


def delete_account(user: User) -> None:
    """Delete `user` and everything in their account, in one transaction."""
    with write_transaction():
        RetiredFeedToken.retire_all(user)
        User.delete().where(User.id == user.id).execute()
