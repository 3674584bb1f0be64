"""Reminder settings, push subscriptions, other apps' channels (Apprise URLs), the
notification's snooze action and the digest's one-click unsubscribe. Nothing here sends:
the dispatcher does."""
import base64
import binascii
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from advisory import errors
from advisory.core import devices
from advisory.core.reminders import reminder_clock
from advisory.extensions import csrf
from advisory.models import Advisor, NotifyChannel, PushSubscription, User, UserSession
from advisory.reminders import mail
from advisory.reminders.channels import outbound, push, services
from advisory.reminders.forms import ChannelForm, ReminderForm
from advisory.rendering import render

bp = Blueprint("notifications", __name__)
SNOOZE_DAYS = 7


def page(form: ReminderForm | None = None, status: int = 200,
         channel_form: ChannelForm | None = None):
    """The reminders settings: this device's notifications, other apps, the time, the
    digest."""
    user = current_user
    if form is None:
        form = ReminderForm(formdata=None, digest=user.digest,
                            digest_weekday=str(user.digest_weekday))
        form.reminder_time.data = reminder_clock(user.reminder_time)
    return render("notifications/settings.html", form=form, mail_ready=mail.configured(),
                  devices=list(PushSubscription.for_user(user)),
                  channels=NotifyChannel.for_user(user),
                  channel_form=channel_form or ChannelForm(formdata=None),
                  vapid_key=push.application_server_key(current_app.config["VAPID_PRIVATE_KEY"]),
                  status=status)


@bp.get("/settings/reminders")
@login_required
def settings():
    return page()


@bp.post("/settings/reminders")
@login_required
def save_settings():
    form = ReminderForm()
    if form.validate() and form.digest.data != "off" and not mail.configured():
        form.digest.errors.append("Email is not set up on this server: keep the digest off.")
    if form.errors:
        return page(form, status=422)
    current_user.update_settings(reminder_time=f"{form.reminder_time.data:%H:%M}",
                                 digest=form.digest.data,
                                 digest_weekday=int(form.digest_weekday.data))
    flash("Reminder settings saved.")
    return redirect(url_for("notifications.settings"), 303)


def channels_page():
    """Back to the settings, whose flash says what happened."""
    return redirect(url_for("notifications.settings"), 303)


def checked(form: ChannelForm) -> str | None:
    """How the form's URL is shown once saved, or None with the form saying why it cannot
    be (too many channels, a scheme not allowed, an address the server may not call)."""
    if len(NotifyChannel.for_user(current_user)) >= NotifyChannel.PER_ACCOUNT:
        form.url.errors.append(f"You have {NotifyChannel.PER_ACCOUNT} channels: remove one "
                               "to add another.")
        return None
    config = current_app.config
    try:
        server = outbound.check(form.url.data, config["NOTIFY_SCHEMES"],
                                config["NOTIFY_ALLOW_PRIVATE"])
    except outbound.Unusable as problem:
        form.url.errors.append(str(problem))
        return None
    return outbound.shown(form.url.data, server)


@bp.post("/settings/reminders/channels")
@login_required
def add_channel():
    form = ChannelForm()
    valid = form.validate()
    shown = None if form.url.errors else checked(form)  # said even when the name is missing
    if not valid or shown is None:
        return page(channel_form=form, status=422)
    NotifyChannel.add(current_user.id, form.label.data, form.url.data, shown)
    flash(f"{form.label.data} added. Send a test to check that it arrives.")
    return channels_page()


@bp.post("/settings/reminders/channels/<int:channel_id>/test")
@login_required
def test_channel(channel_id: int):
    """Queue a test message: the dispatcher sends it within seconds (requests never send)."""
    channel = NotifyChannel.owned(current_user.id, channel_id) or abort(404)
    if services.queue_test(channel):
        flash(f"A test is on its way to {channel.label}: it should arrive within a minute. "
              "Reload this page to see how it went.")
    else:
        flash(f"A test to {channel.label} was asked for less than a minute ago: wait a "
              "minute to send another.")
    return channels_page()


@bp.post("/settings/reminders/channels/<int:channel_id>/delete")
@login_required
def remove_channel(channel_id: int):
    channel = NotifyChannel.owned(current_user.id, channel_id) or abort(404)
    NotifyChannel.remove(current_user.id, channel.id)
    flash(f"{channel.label} gets no more reminders.")
    return channels_page()


def key_bytes(value, size: int) -> bool:
    """True when `value` is base64url for exactly `size` bytes."""
    if not isinstance(value, str) or len(value) > 200:
        return False
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))) == size
    except (binascii.Error, ValueError):
        return False


def subscription_error(payload) -> str | None:
    """What is wrong with a PushSubscription.toJSON() body, or None."""
    if not isinstance(payload, dict) or not isinstance(payload.get("keys"), dict):
        return "Send the browser's subscription (endpoint and keys)."
    endpoint = payload.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 1000:
        return "The subscription has no usable endpoint."
    if not push.origin_allowed(endpoint, current_app.config["PUSH_SERVICE_ORIGINS"]):
        return ("This browser's push service is not one this server sends to "
                "(Google, Mozilla, Apple or Microsoft).")
    keys = payload["keys"]
    if not push.valid_device_key(keys.get("p256dh")) or not key_bytes(keys.get("auth"), 16):
        return "The subscription's keys are not valid."
    return None


@bp.post("/push/subscriptions")
@login_required
def subscribe():
    """Store this device's subscription (JSON; CSRF token in X-CSRFToken)."""
    payload = request.get_json(silent=True)
    error = subscription_error(payload)
    if error:
        return {"status": "refused", "message": error}, 422
    device = devices.label(request.headers.get("User-Agent"))
    subscription = PushSubscription.store(current_user.id, payload["endpoint"],
                                          payload["keys"]["p256dh"], payload["keys"]["auth"],
                                          device, UserSession.id_for(current_user.get_id()))
    if subscription is None:
        return {"status": "refused",
                "message": "This push subscription belongs to another account."}, 409
    return {"status": "subscribed", "id": subscription.id, "device": device}, 201


@bp.delete("/push/subscriptions")
@login_required
def unsubscribe_device():
    """Forget this device's subscription, named by its endpoint (JSON)."""
    payload = request.get_json(silent=True)
    endpoint = payload.get("endpoint") if isinstance(payload, dict) else None
    if not isinstance(endpoint, str):
        return {"status": "refused", "message": "Send the subscription's endpoint."}, 422
    PushSubscription.remove(current_user.id, endpoint=endpoint)
    return {"status": "unsubscribed"}


@bp.post("/push/subscriptions/<int:subscription_id>/delete")
@login_required
def stop_device(subscription_id: int):
    """The "Stop" button beside a device (a plain form post)."""
    if not 0 < subscription_id < 2**63 or not PushSubscription.remove(
            current_user.id, subscription_id=subscription_id):
        abort(404)
    flash("That device gets no more notifications.")
    return redirect(url_for("notifications.settings"), 303)


@bp.get("/push/csrf")
@login_required
def csrf_token():
    """A form token for the service worker, which acts from a notification with no page."""
    response = jsonify(csrf=generate_csrf(), account=str(current_user.id))
    response.cache_control.no_store = True
    return response


@bp.post("/push/snooze")
def snooze():
    """"Snooze a week" from a notification (JSON {advisor}; CSRF token in X-CSRFToken)."""
    if not current_user.is_authenticated:
        return {"status": "signed-out", "message": "Sign in to snooze."}, 401
    payload = request.get_json(silent=True)
    advisor_id = payload.get("advisor") if isinstance(payload, dict) else None
    valid_id = isinstance(advisor_id, int) and not isinstance(advisor_id, bool)
    advisor = Advisor.owned(current_user, advisor_id) if valid_id else None
    if advisor is None:
        return errors.answer(404, errors.GONE, "gone")
    until = current_user.today() + timedelta(days=SNOOZE_DAYS)
    if not advisor.snooze(until):  # due later than that already (logged meanwhile)
        return {"status": "refused", "message": f"{advisor.name} is not due before then."}, 409
    return {"status": "snoozed", "text": f"{advisor.name} is snoozed until {until:%a %-d %b}."}


def _account(user_id: int):
    return User.get_or_none(User.id == user_id)


def _unsubscribe_refusal(token: str):
    """The answer to a link that opens no account: 410 with the page's explanation when
    this site signed it (its account is gone, or the link is from before links were tied
    to their account's creation), 404 when it is forged."""
    if not mail.unsubscribe_signed(token):
        message = "That unsubscribe link is not valid. Turn the digest off in Settings."
        return render("errors.html", code=404, message=message, status=404)
    return render("notifications/unsubscribe.html", token=token, stale=True, status=410)


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """The digest's unsubscribe link: a page with one button (a GET changes nothing, so
    link checkers in mail systems cannot unsubscribe anyone)."""
    if mail.unsubscribe_user(token, _account) is None:
        return _unsubscribe_refusal(token)
    return render("notifications/unsubscribe.html", token=token, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: mail clients post here without a form token; the token signs it
def unsubscribe_post(token: str):
    user = mail.unsubscribe_user(token, _account)
    if user is None:
        return _unsubscribe_refusal(token)
    user.update_settings(digest="off")
    return render("notifications/unsubscribe.html", token=token, done=True)
