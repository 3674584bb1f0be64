"""An honourable close (Advisor.close): a member moved to the alumni with the reason,
what they taught and a last thank-you, and brought back to the board (bring_back).

These are Advisor's methods (a mixin, as models/trash.py is), apart from models/advisors.py
as the closing pages are apart in advisors/closing.py; each write takes the advisor's row
lock (_locked) and moves the feed's stamp (_write) as the writes there do.
"""
from datetime import timedelta

from advisory.database import write_transaction


def models():
    """Advisor, Promise and search: their modules import Advisor, which is built on this
    mixin, so they are looked up when a method runs rather than when this module loads."""
    from advisory.models import search
    from advisory.models.advisors import Advisor
    from advisory.models.promises import Promise
    return Advisor, Promise, search


class Closing:
    """Bringing a member to a close and back."""

    def close(self, *, reason: str, lesson: str, yearly_check_in: bool,
              thank: str = "") -> None:
        """Bring it to an honourable close today: alumni, with the reason, the lesson and
        whether to check in yearly (no pause or snooze left behind), and in the same
        transaction the thank-you: "thanked" logs a conversation today with thanks,
        "remind" adds my promise to thank them, dated a week out."""
        Advisor, Promise, search = models()
        with write_transaction():
            current = self._locked()
            today = self.user.today()
            if thank == "thanked":
                current.log_contact(happened_on=today, kind=current.meeting_kind,
                                    thanked=True)
            elif thank == "remind":
                promise = Promise.create(advisor=current.id, user=current.user_id,
                                         text=f"Thank {current.name}", owed_by="me",
                                         due_on=today + timedelta(days=7))
                search.refresh("promise", promise.id)
            current._locked()._write({
                Advisor.stage: "alumni", Advisor.closed_on: today, Advisor.close_reason: reason,
                Advisor.lesson: lesson, Advisor.yearly_check_in: yearly_check_in,
                Advisor.paused_until: None, Advisor.snoozed_until: None})

    def bring_back(self) -> bool:
        """Back from the alumni to the active board, the close forgotten; False when they
        were not alumni (brought back on another device meanwhile)."""
        Advisor, _, _ = models()
        with write_transaction():
            current = self._locked()
            if current.stage != "alumni":
                return False
            current._write({Advisor.stage: "active", Advisor.closed_on: None,
                            Advisor.close_reason: "", Advisor.lesson: "",
                            Advisor.yearly_check_in: False})
        return True
