"""Putting an Advisory export into an account (restore or move). No Flask: views and the
CLI call these; people from a phone's contacts arrive through data/people.py.

Importing the same file twice changes nothing. Advisors are matched by UID, contacts by
their idempotency key or else their content (date, kind, notes, thanked). Each import
is one transaction: it is written whole or not at all.

UIDs are unique across the installation (they name calendar events). An advisor whose
UID already belongs to another account on this installation (a person importing someone
else's export, or a second account of their own) gets a UID derived from the original
and the account, the same every time, so importing that file again still matches.

Someone in the trash (models/trash.py) whom the file holds comes back as Undo brings
them back, then gets what the file has that they lack; a contact deleted on its own
matches the file's copy and stays deleted until it is purged.
"""
import uuid
from collections import Counter
from dataclasses import dataclass, field

from peewee import IntegrityError

from advisory.core.import_document import AdvisorIn, BadFile, Document
from advisory.data.import_belongings import (
    add_dates, add_goals, add_introductions, add_photo, add_promises_and_advice, chunks,
)
from advisory.database import locked, utcnow, write_transaction
from advisory.models import Advisor, Contact, User, search
from advisory.models.reviews import BoardReview, ReviewDecision

UID_NAMESPACE = uuid.UUID("8f3c2a4e-5b7d-4e1f-9a6c-0d2e4b6f8a10")


def scoped_uid(uid: str, user: User) -> str:
    """The UID an advisor gets in `user`'s account when `uid` is another account's."""
    return f"{uuid.uuid5(UID_NAMESPACE, f'{user.id}/{uid}')}@advisory"


def lock_account(user: User) -> None:
    """Hold the account's row until the transaction ends, so two imports into one account
    (two tabs, two app servers) run one after the other. SQLite: IMMEDIATE does it."""
    locked(User.select(User.id).where(User.id == user.id)).execute()


@dataclass
class Step:
    """What happens to one advisor of the file."""
    incoming: AdvisorIn
    uid: str  # the UID it has in this account
    existing: Advisor | None  # None: a new advisor
    new_contacts: list = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        """Not on the board: a new advisor, or one in the trash that the import brings back."""
        return self.existing is None or self.existing.deleted_at is not None

    @property
    def known_contacts(self) -> int:
        return len(self.incoming.contacts) - len(self.new_contacts)


@dataclass
class Plan:
    """The preview: what an import will add and what is already there."""
    steps: list[Step]
    new_reviews: list[dict] = field(default_factory=list)  # the file's reviews not held yet

    @property
    def new_advisors(self) -> list[Step]:
        return [s for s in self.steps if s.is_new]

    @property
    def known_advisors(self) -> list[Step]:
        return [s for s in self.steps if not s.is_new]

    @property
    def new_contacts(self) -> int:
        return sum(len(s.new_contacts) for s in self.steps)

    @property
    def known_contacts(self) -> int:
        return sum(s.known_contacts for s in self.steps)

    @property
    def changes_nothing(self) -> bool:
        return not self.new_advisors and not self.new_contacts and not self.new_reviews


def owners_of(uids: list[str]) -> dict[str, int]:
    """UID -> the account holding it, for those of `uids` already on this installation."""
    found = {}
    for part in chunks(uids):
        query = Advisor.select(Advisor.uid, Advisor.user).where(Advisor.uid.in_(part))
        found.update({a.uid: a.user_id for a in query})
    return found


def plan(user: User, document: Document) -> Plan:
    """Match the file against the account: which advisors and contacts are new."""
    candidates = [a.uid for a in document.advisors]
    candidates += [scoped_uid(uid, user) for uid in candidates]
    owners = owners_of(candidates)
    # Each holds `user`; those in the trash too: their UID is still theirs.
    mine = {a.uid: a for a in [*Advisor.trashed(user), *Advisor.for_user(user)]}
    history = existing_contacts(user)
    steps = []
    for incoming in document.advisors:
        uid = incoming.uid
        if owners.get(uid, user.id) != user.id:  # another account's advisor
            uid = scoped_uid(uid, user)
            if owners.get(uid, user.id) != user.id:
                raise BadFile(f"{incoming.name}'s uid is in use by another account.")
        step = Step(incoming, uid, mine.get(uid))
        known = history.get(step.existing.id) if step.existing else None
        step.new_contacts = unmatched(incoming.contacts, known or ([], {}))
        steps.append(step)
    return Plan(steps, new_reviews=reviews_to_add(user, document.reviews))


def existing_contacts(user: User) -> dict[int, tuple[list, dict]]:
    """Advisor id -> (contents of their contacts, key -> content), one query."""
    found: dict[int, tuple[list, dict]] = {}
    query = (Contact
             .select(Contact.advisor, Contact.happened_on, Contact.kind, Contact.notes,
                     Contact.thanked, Contact.idempotency_key)
             .join(Advisor)
             .where(Advisor.user == user))
    for c in query:
        contents, keys = found.setdefault(c.advisor_id, ([], {}))
        content = (c.happened_on, c.kind, c.notes, c.thanked)
        contents.append(content)
        if c.idempotency_key:
            keys[c.idempotency_key] = content
    return found


def unmatched(incoming: list, known: tuple[list, dict]) -> list:
    """The incoming contacts not already stored: a stored one matches once, by its key
    or else by its content, so two identical conversations on one day both survive."""
    contents, keys = known
    available = Counter(contents)
    keys = dict(keys)
    in_file = set()  # keys met earlier in the file: a key twice in one file, the first wins
    new = []
    for contact in incoming:
        key = contact.idempotency_key
        if key and key in in_file:
            continue
        if key and key in keys:
            available[keys.pop(key)] -= 1
        elif available[contact.content()] > 0:
            available[contact.content()] -= 1
        else:
            # New: it matches no stored contact (nor a keyless one of the file that
            # happens to have the same content: both conversations survive).
            new.append(contact)
        if key:
            in_file.add(key)
    return new


def restore(user: User, document: Document, *, settings: bool = False) -> Plan:
    """Write what plan() previews, in one transaction; `settings` also takes the file's
    account settings (time zone, window, default cadences, feed options)."""
    try:
        with write_transaction():
            lock_account(user)
            result = plan(user, document)
            if settings:
                user.update_settings(**document.account)
            changed, people = [], {}
            for step in result.steps:
                advisor = step.existing or Advisor.add(user, {
                    **step.incoming.fields, "uid": step.uid,
                    "changed_at": step.incoming.fields["changed_at"] or utcnow()})
                if advisor.deleted_at is not None:  # back from the trash, as they were
                    Advisor.restore(user, advisor.id)
                if step.new_contacts:
                    add_contacts(advisor, step)
                    changed.append(advisor)
                add_promises_and_advice(user, advisor, step)
                add_goals(user, advisor, step)
                add_photo(advisor, step)
                add_dates(user, advisor, step)
                people[step.incoming.uid] = advisor, step.incoming.introductions
            add_introductions(user, people)
            add_reviews(user, result.new_reviews,
                        {uid: advisor.id for uid, (advisor, _) in people.items()})
            refresh_derived(changed)
            search.reindex([advisor.id for advisor, _ in people.values()])
    except IntegrityError:  # another import into this installation raced us for a UID
        raise BadFile("Something changed while the file was imported, so nothing was "
                      "saved. Import it again.") from None
    return result


def add_contacts(advisor: Advisor, step: Step) -> None:
    """Store the step's new contacts; a known advisor's feed event gets a new stamp."""
    if step.existing is not None:
        advisor.mark_changed()  # before the contacts: SEQUENCE must pass the one the feed shows
    rows = [{"advisor": advisor.id, "happened_on": c.happened_on, "kind": c.kind,
             "notes": c.notes, "thanked": c.thanked, "idempotency_key": c.idempotency_key,
             "cleared_snooze": c.cleared_snooze, "created_at": c.created_at or utcnow()}
            for c in step.new_contacts]
    for part in chunks(rows):
        Contact.insert_many(part).execute()


def refresh_derived(advisors: list[Advisor]) -> None:
    """The one place an import tells the model that these advisors' contacts changed:
    their stored latest contacts and counts are recounted, inside the import's transaction."""
    if advisors:
        Advisor.recount(Advisor.id.in_([advisor.id for advisor in advisors]))


def reviews_to_add(user: User, reviews: list[dict]) -> list[dict]:
    """The file's board reviews the account does not hold yet: the same day and
    reflection is the same review."""
    held = Counter(BoardReview.select(BoardReview.reviewed_on, BoardReview.reflection)
                   .where(BoardReview.user == user.id).tuples())
    new = []
    for review in reviews:
        content = (review["reviewed_on"], review["reflection"])
        if held[content] > 0:
            held[content] -= 1
        else:
            new.append(review)
    return new


def add_reviews(user: User, reviews: list[dict], ids: dict[str, int]) -> None:
    """Store the new reviews with their decisions, as history: what they decided is
    already in the advisors' own fields, so nothing is applied again. A decision's member
    is found by uid among the file's people (`ids`: file uid -> advisor id) or the
    account's own; one no longer anywhere keeps its name only."""
    if not reviews:
        return
    wanted = {d["advisor_uid"] for r in reviews for d in r["decisions"]} - set(ids) - {None}
    if wanted:
        ids = {**ids, **dict(Advisor.select(Advisor.uid, Advisor.id)
                             .where(Advisor.user == user, Advisor.uid.in_(list(wanted)))
                             .tuples())}
    for review in reviews:
        review_id = BoardReview.insert(
            user=user.id, reviewed_on=review["reviewed_on"], reflection=review["reflection"],
            created_at=review["created_at"] or utcnow()).execute()
        rows = [{**{name: value for name, value in decision.items() if name != "advisor_uid"},
                 "review": review_id, "advisor": ids.get(decision["advisor_uid"])}
                for decision in review["decisions"]]
        for part in chunks(rows):
            ReviewDecision.insert_many(part).execute()
    # The calendar feed's review event may move to another date.
    User.update(feed_changed_at=utcnow()).where(User.id == user.id).execute()
