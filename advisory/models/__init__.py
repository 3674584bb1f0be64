"""Database models, one module per area; every page's queries are classmethods on them.

- accounts: User, UserSession (signed-in devices), FeedToken, RetiredFeedToken, SetupToken
- board: Advisor, Contact
- reminders: PushSubscription, Delivery
"""
from advisory.models.accounts import (
          FeedToken,
          RetiredFeedToken,
          SetupToken,
          User,
          UserSession,
          digest,
)
from advisory.models.board import Advisor, Contact
from advisory.models.reminders import Delivery, PushSubscription

MODELS = (User, Advisor, Contact, FeedToken, RetiredFeedToken, SetupToken, UserSession,
          PushSubscription, Delivery)

__all__ = ["MODELS", "Advisor", "Contact", "Delivery", "FeedToken",
           "PushSubscription", "RetiredFeedToken", "SetupToken", "User",
           "UserSession", "digest"]
