"""Contacts logged while offline, sent by the outbox (static/js/outbox.js) from a page or
from the service worker, one at a time as JSON."""
from datetime import date, datetime, timezone

from flask import Blueprint, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from advisory import errors
from advisory.advisors.forms import LINE_NAME, SYNC_KEY, LogForm
from advisory.base_form import EARLIEST_DATE
from advisory.core import cadence, wording
from advisory.core.vocabulary import KINDS
from advisory.models import Advisor
from advisory.models.promises import log_conversation

bp = Blueprint("sync", __name__)

LATEST_DATE = date(9000, 1, 1)


@bp.post("/sync/contacts")
def contacts():
    """Store one contact logged while offline (JSON; CSRF token in X-CSRFToken).

    The idempotency key makes a replay harmless. Answers 200 with the wording of the log,
    400 for a request no client of ours sends (its message says what is wrong), 404 when
    the advisor is gone, 422 with the first form error, 401 when signed out, and 409 when
    it was logged by another account than the one now signed in on the device.
    """
    if not current_user.is_authenticated:
        return {"status": "signed-out", "message": "Sign in to send it."}, 401
    payload = request.get_json(silent=True)
    problem = payload_problem(payload)
    if problem:
        return {"status": "refused", "message": problem}, 400
    if str(payload.get("account") or current_user.id) != str(current_user.id):
        return {"status": "other-account",
                "message": "It was logged by another account: sign in as that account."}, 409
    advisor = Advisor.owned(current_user, payload["advisor"])
    if advisor is None:
        return errors.answer(404, errors.GONE, "gone")
    today = current_user.today()
    form = LogForm(formdata=contact_fields(payload, advisor, current_user.timezone),
                       today=today, meta={"csrf": False})  # checked by CSRFProtect already
    if not form.validate():
        name, messages = next(iter(form.errors.items()))
        return {"status": "refused", "message": f"{form[name].label.text}: {messages[0]}"}, 422
    try:
        log_conversation(advisor, **form.log_values())
    except Advisor.DoesNotExist:  # deleted on another device while this was on its way
        return errors.answer(404, errors.GONE, "gone")
    when = wording.ago(form.happened_on.data, today)
    text = f"{KINDS[form.kind.data]} with {advisor.name}, {when}"
    return {"status": "logged", "text": text}


def is_number(value) -> bool:
    """True for a JSON number (a bool is not one, although Python calls it an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def payload_problem(payload) -> str | None:
    """What is wrong with the shape of a sync request, or None: the outbox never sends
    such a request, so each message is for whoever wrote the client."""
    if not isinstance(payload, dict):
        return "Send the contact as a JSON object."
    if not (isinstance(payload.get("key"), str) and SYNC_KEY.fullmatch(payload["key"])):
        return "Give the contact a \"key\" of 8 to 64 letters, digits or dashes."
    if not (isinstance(payload.get("advisor"), int) and is_number(payload["advisor"])):
        return "Name the advisor by their id as a JSON number, such as 12, not as text."
    if not isinstance(payload.get("account"), (str, type(None))):
        return "Give the \"account\" as its id, or leave it out."
    at = payload.get("at")
    if at is not None and not (is_number(at) and tapped_at(at)):
        return ("Give \"at\" as a JSON number: milliseconds since 1970-01-01 UTC, "
                "for a moment from 1900 on.")
    for name in ("happened_on", "kind", "notes", "agenda"):
        if not isinstance(payload.get(name), (str, type(None))):
            return f"Give \"{name}\" as text, or leave it out."
    for name, value in payload.items():
        if LINE_NAME.fullmatch(name) and not isinstance(value, str):
            return f"Give \"{name}\" as text, or leave it out."
    if not isinstance(payload.get("thanked"), (bool, type(None))):
        return "Give \"thanked\" as true or false, or leave it out."
    return None


def tapped_at(milliseconds: float) -> datetime | None:
    """The moment a one-tap log was tapped, or None if it is before 1900 or no date can
    hold it (far enough from year 1 and 9999 for any time zone to convert it)."""
    try:
        moment = datetime.fromtimestamp(milliseconds / 1000, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if EARLIEST_DATE <= moment.date() < LATEST_DATE else None


def contact_fields(payload: dict, advisor: Advisor, tz: str) -> MultiDict:
    """The log form's fields from a sync payload of the shape `payload_problem` accepts.

    A one-tap log sends `at` (milliseconds since the epoch, when it was tapped) instead of
    a date and kind: its date is that moment's date in the account's zone, however late
    it syncs, and its kind is the advisor's usual one.
    """
    fields = {"kind": payload.get("kind") or advisor.meeting_kind,
              "notes": payload.get("notes") or "",
              "key": payload["key"]}
    if payload.get("happened_on"):
        fields["happened_on"] = payload["happened_on"]
    elif payload.get("at") is not None:
        tapped = min(tapped_at(payload["at"]), datetime.now(timezone.utc))
        fields["happened_on"] = cadence.today_in(tz, tapped).isoformat()
    if payload.get("thanked"):
        fields["thanked"] = "y"
    if isinstance(payload.get("agenda"), str):  # absent: the agenda stays as it is
        fields["agenda"] = payload["agenda"]
    fields.update({name: value for name, value in payload.items() if LINE_NAME.fullmatch(name)})
    return MultiDict(fields)
