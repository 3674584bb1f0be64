"""Database models, one module per area; every page's queries are classmethods on them.

- accounts: User, UserSession (signed-in devices), SetupToken
- feeds: FeedToken, RetiredFeedToken
- advisors: Advisor (and every write to the board)
- trash: Advisor's deleting, bringing back and purging (a mixin), advisors' and contacts'
- contact_log: Advisor's contact writes: log, undo, edit, recount (a mixin)
- closing: Advisor's honourable close and bringing someone back (a mixin)
- contacts: Contact
- gives: Give (what you gave back)
- goals: Goal and GoalNote (what you seek from each advisor, and progress)
- introductions: Introduction (asked for, received or made, on the people involved)
- photos: Photo (a person's photo in the sizes the pages show)
- promises: Promise (both ways), Advice (and what came of it)
- reviews: BoardReview and ReviewDecision (the periodic board review and what it decided)
- reminders: PushSubscription, NotifyChannel (Apprise URLs), Delivery
- search: SearchEntry (what search finds, kept current by the writes above)
- yearly_dates: YearlyDate (birthdays and other yearly dates of a person)
"""
from advisory.models.accounts import SetupToken, User, UserSession, digest
from advisory.models.advisors import Advisor
from advisory.models.contacts import Contact
from advisory.models.feeds import FeedToken, RetiredFeedToken
from advisory.models.gives import Give
from advisory.models.goals import Goal, GoalNote
from advisory.models.introductions import Introduction
from advisory.models.photos import Photo
from advisory.models.promises import Advice, Promise
from advisory.models.reminders import Delivery, NotifyChannel, PushSubscription
from advisory.models.reviews import BoardReview, ReviewDecision
from advisory.models.search import SearchEntry
from advisory.models.yearly_dates import YearlyDate

MODELS = (User, Advisor, Contact, Give, Promise, Advice, Goal, GoalNote, Introduction,
          FeedToken, RetiredFeedToken, SetupToken, UserSession, PushSubscription, Delivery,
          NotifyChannel, BoardReview, ReviewDecision, YearlyDate, Photo, SearchEntry)

__all__ = ["MODELS", "Advice", "Advisor", "BoardReview", "Contact", "Delivery", "FeedToken",
           "Give", "Goal", "GoalNote", "Introduction", "NotifyChannel", "Photo", "Promise",
           "PushSubscription", "RetiredFeedToken", "ReviewDecision", "SearchEntry",
           "SetupToken", "User", "UserSession", "YearlyDate", "digest"]
