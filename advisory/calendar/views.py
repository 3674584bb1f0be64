"""The calendar: the private feed, the page to subscribe to it, one-off .ics downloads.

The feed has no login (calendar servers fetch it), so its URL carries a long random
token. The token never reaches a log: errors log the endpoint, not the path; query
logs show it as '<secret>' (database.SecretStr); gunicorn's access log leaves out paths.
"""
import hashlib
import hmac
import io
import re
import unicodedata
from datetime import datetime, time
from functools import lru_cache

import segno
from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user, login_required
from peewee import JOIN
from werkzeug.http import is_resource_modified

from advisory.calendar import subscribe
from advisory.calendar.forms import CalendarForm
from advisory.core import calendar_feed
from advisory.database import SecretStr, as_datetime, as_utc
from advisory.models import (
    Advisor, BoardReview, FeedToken, Promise, RetiredFeedToken, User, YearlyDate,
)
from advisory.rendering import render

bp = Blueprint("calendar", __name__)

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link: under BASE_URL when it is configured, else on the request's host."""
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values).removeprefix(request.script_root)


def feed_options(user: User, today) -> calendar_feed.FeedOptions:
    """The account's choices for its feed, on its own today."""
    try:
        alarm = time.fromisoformat(user.feed_alarm) if user.feed_alarm else None
    except ValueError:  # a stored value no form could produce: no alarm rather than a 500
        alarm = None
    return calendar_feed.FeedOptions(today=today, tz=user.timezone, alarm=alarm,
                                     include_details=user.feed_details,
                                     style=user.calendar_style, owner=str(user.id),
                                     floor=as_utc(user.feed_changed_at))


def feed_entries(advisors, today) -> list[calendar_feed.FeedEntry]:
    """A reminder for each advisor with a due date (paused and alumni have none)."""
    entries = []
    for advisor in advisors:
        due = advisor.due_on(today)
        if due is not None:
            url = absolute_url("advisors.detail", advisor_id=advisor.id)
            entries.append(advisor.feed_entry(due, url))
    return entries


def promise_entries(user: User) -> list[calendar_feed.PromiseEntry]:
    """My open promises with a date, for the feed (one query)."""
    return [calendar_feed.PromiseEntry(
                key=promise.id, text=promise.text, name=promise.advisor.name,
                due=promise.due_on,
                url=absolute_url("advisors.detail", advisor_id=promise.advisor_id,
                                 _anchor="promises"),
                sequence=promise.sequence, changed_at=as_utc(promise.changed_at))
            for promise in Promise.in_feed(user)]


def yearly_entries(user: User) -> list[calendar_feed.YearlyEntry]:
    """Every birthday and yearly date of the account's people, for the feed (one query)."""
    return [calendar_feed.YearlyEntry(
                key=found.id, title=found.title, month=found.month, day=found.day,
                year=found.year, since=found.created_at.year,
                url=absolute_url("advisors.detail", advisor_id=found.person_id, _anchor="dates"),
                sequence=found.sequence, changed_at=as_utc(found.changed_at))
            for found in YearlyDate.of_account(user)]


def review_entry(user: User, advisors) -> calendar_feed.ReviewEntry | None:
    """The next board review, for the feed, or None (reviews off, nobody on the board)."""
    due = BoardReview.due_on(user, advisors)
    if due is None:
        return None
    return calendar_feed.ReviewEntry(due=due, url=absolute_url("reviews.review"),
                                     changed_at=as_utc(user.feed_changed_at))


def feed_version(found: FeedToken, options: calendar_feed.FeedOptions) -> tuple[str, datetime]:
    """The feed's ETag and Last-Modified from stored stamps, without building the feed:
    `found` is feed_owner's token, with its account and its advisors' stamps.

    The bytes depend on the account's settings, its today, where links point, and its
    advisors. Every write to an advisor grows its `sequence` and moves `changed_at`
    (Advisor._next_stamp); adding one moves the count and the highest id; deleting one moves
    the count and `user.feed_changed_at`, as does saving any setting or a board review
    (whose id is among them too); bringing one back from the trash moves the count and
    their own stamp.
    """
    user = found.user
    stamps = [as_utc(user.feed_changed_at)]
    if found.advisor_changed_at:
        stamps.append(as_utc(as_datetime(found.advisor_changed_at)))
    inputs = (user.timezone, user.messages_count, user.feed_details, user.feed_alarm,
              user.calendar_style, user.review_every,
              options.today, absolute_url("board.due_list"),
              found.advisor_count, found.highest_advisor_id, found.advisor_sequences,
              found.latest_review_id,
              [stamp.isoformat() for stamp in stamps])
    etag = hashlib.sha256(repr(inputs).encode()).hexdigest()[:40]
    return etag, calendar_feed.last_modified(max(stamps), options)


def feed_owner(token: str) -> FeedToken:
    """A live feed token with its account, its advisors' stamps (Advisor.feed_stamps) and
    its latest board review (BoardReview.feed_stamp), in one query through the indexes;
    404 if unknown, 410 Gone once rotated or deleted."""
    if not TOKEN_SHAPE.fullmatch(token):
        abort(404)
    found = (FeedToken
             .select(FeedToken, User, *Advisor.feed_stamps(), BoardReview.feed_stamp())
             .join(User)
             .join(Advisor, JOIN.LEFT_OUTER,
                   on=(Advisor.user == User.id) & Advisor.deleted_at.is_null())
             .where(FeedToken.token == SecretStr(token))
             .group_by(FeedToken.id, User.id)
             .first())
    if found is None and RetiredFeedToken.is_retired(token):
        abort(410)  # the account was deleted
    if found is None or not hmac.compare_digest(found.token.encode(), token.encode()):
        abort(404)
    if found.retired_at is not None:
        abort(410)
    return found


def private_feed_url(user: User) -> str:
    """The account's feed link, with its live token."""
    return absolute_url("calendar.feed", token=FeedToken.current(user).token)


def calendar_response(body: bytes, disposition: str):
    response = make_response(body)
    response.content_type = CALENDAR_TYPE
    response.headers["Content-Disposition"] = disposition
    return response


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """The subscription feed. A calendar that already has the current feed gets a 304
    from one small query; the feed is built only when its stamps changed."""
    found = feed_owner(token)
    user = found.user
    options = feed_options(user, user.today())
    # The stamps are read before the advisors: a write in between leaves an ETag older
    # than the body (one extra download later), never newer (a change never fetched).
    etag, modified = feed_version(found, options)
    response = calendar_response(b"", 'inline; filename="advisory.ics"')
    response.set_etag(etag)
    response.last_modified = modified
    response.cache_control.private = True
    response.cache_control.max_age = 0
    response.headers["X-Robots-Tag"] = "noindex"
    if is_resource_modified(request.environ, etag=etag, last_modified=modified):
        response.set_data(built_feed(current_app.config["DATABASE_URL"], user, options, etag))
    return response.make_conditional(request)


@lru_cache(maxsize=256)
def built_feed(database_url: str, user: User, options: calendar_feed.FeedOptions,
               etag: str) -> bytes:
    """The feed's bytes, built once per process for each ETag, which stands for all they
    depend on in that database: calendars that fetch without If-None-Match (Google's
    does) get the same bytes again without their being built again."""
    advisors = Advisor.for_user(user)
    return calendar_feed.build(feed_entries(advisors, options.today), options,
                               promise_entries(user), review_entry(user, advisors),
                               yearly_entries(user))


@bp.get("/advisors/<int:advisor_id>/next.ics")
@login_required
def next_ics(advisor_id: int):
    """One advisor's next reminder as a single-event file, for people who do not subscribe."""
    advisor = Advisor.owned(current_user, advisor_id)
    if advisor is None:
        abort(404)
    today = current_user.today()
    due = advisor.due_on(today)
    if due is None:
        message = (f"{advisor.name} has no next reminder to add to a calendar: "
                   "paused and alumni members get no reminders.")
        return render("errors.html", code=404, message=message, status=404)
    url = absolute_url("advisors.detail", advisor_id=advisor.id)
    body = calendar_feed.build_one(advisor.feed_entry(due, url), feed_options(current_user, today))
    response = calendar_response(
        body, f'attachment; filename="reach-out-{slug(advisor.name)}.ics"')
    response.cache_control.no_store = True
    return response


@bp.get("/calendar/advisory.ics")
@login_required
def download():
    """The whole calendar once, as a file, for a calendar that cannot subscribe (one on the
    internet when the app is served on a local address): it does not update itself."""
    today = current_user.today()
    advisors = Advisor.for_user(current_user)
    body = calendar_feed.build(feed_entries(advisors, today), feed_options(current_user, today),
                               promise_entries(current_user), review_entry(current_user, advisors),
                               yearly_entries(current_user))
    response = calendar_response(body, 'attachment; filename="advisory.ics"')
    response.cache_control.no_store = True
    return response


def slug(name: str) -> str:
    """A name as plain ASCII for a file name: "Zoë Müller" -> "zoe-muller"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "advisor"


@bp.get("/calendar")
@login_required
def index():
    return page()


def page(form: CalendarForm | None = None, status: int = 200):
    """The subscribe page: the private link, the steps for the visitor's device first,
    and the feed's settings."""
    feed_url = private_feed_url(current_user)
    if form is None:
        form = CalendarForm(include_details=current_user.feed_details,
                            alarm_on=current_user.feed_alarm is not None,
                            calendar_style=current_user.calendar_style)
        if current_user.feed_alarm:
            form.alarm_time.data = time.fromisoformat(current_user.feed_alarm)
    response = render("calendar/index.html", form=form, feed_url=feed_url,
                      webcal_url=subscribe.webcal(feed_url),
                      google_url=subscribe.google_add_url(feed_url),
                      platform=subscribe.platform(request.user_agent.string),
                      unreachable=subscribe.unreachable_reason(feed_url),
                      only_this_computer=subscribe.only_this_computer(feed_url), status=status)
    response.vary.add("User-Agent")
    return response


@bp.post("/calendar")
@login_required
def save_settings():
    form = CalendarForm()
    if not form.validate():
        return page(form=form, status=422)
    current_user.update_settings(
        feed_details=form.include_details.data, feed_alarm=form.alarm(),
        calendar_style=form.calendar_style.data or current_user.calendar_style)
    flash("Calendar settings saved. Calendars pick them up at their next refresh.")
    return redirect(url_for("calendar.index"), 303)


@bp.post("/calendar/rotate")
@login_required
def rotate():
    """Retire the feed link (it then answers 410 Gone) and make a new one."""
    FeedToken.rotate(current_user)
    flash("You have a new calendar link. The old one has stopped working: "
          "subscribe again with the link below wherever you used it.")
    return redirect(url_for("calendar.index"), 303)


@bp.get("/calendar/qr.svg")
@login_required
def qr():
    """The feed link as a QR code, to subscribe from a phone without typing."""
    feed_url = private_feed_url(current_user)
    svg = io.BytesIO()
    segno.make(feed_url, error="m").save(svg, kind="svg", scale=4, border=4, dark="#000",
                                         light="#fff", title="Your calendar link",
                                         svgclass="qr", lineclass=None)
    response = make_response(svg.getvalue())
    response.content_type = "image/svg+xml"
    response.cache_control.private = True
    response.cache_control.no_store = True  # it carries the secret link
    return response
