"""Adding, editing, deleting advisors; logging, undoing and snoozing contacts."""
import re
from datetime import timedelta

import pytest

from advisory.models import Advisor, Contact
from support import add_advisor

VALID = {"name": "Dana Reyes", "role": "insight", "stage": "active", "cadence": "6w",
         "meeting_kind": "video", "why": "Knows how decisions get made here"}


def text(response):
    return response.get_data(as_text=True)


def test_add_form_explains_each_role(session):
    html = text(session.get("/advisors/new"))
    for phrase in ["Organizational insight", "Specific expertise", "Unique perspective",
                   "Business wisdom", "Work/life balance", "navigated it well"]:
        assert phrase in html


def test_add_form_prefills_role_default_cadence(session):
    html = text(session.get("/advisors/new?role=expertise"))
    assert '<option selected value="2w">' in html


def test_add_advisor(session, user):
    response = session.post("/advisors/new", {**VALID, "last_spoke_on": str(user.today() - timedelta(days=10))})
    assert response.status_code == 303
    advisor = Advisor.get()
    assert (advisor.name, advisor.role, advisor.cadence.code()) == ("Dana Reyes", "insight", "6w")
    page = text(session.get(response.headers["Location"]))
    assert "Dana Reyes" in page and "Knows how decisions get made here" in page
    assert "Due in 4 weeks" in page  # 10 days ago + 6 weeks


def test_add_with_custom_cadence(session):
    session.post("/advisors/new", {**VALID, "cadence": "custom", "cadence_count": "10",
                                   "cadence_unit": "days"})
    assert Advisor.get().cadence.label() == "Every 10 days"


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "Enter their name."),
    ({"name": "x" * 121}, "Keep the name under 120 characters."),
    ({"role": "guru"}, "Pick the one role they play."),
    ({"stage": "retired"}, "Pick a stage"),
    ({"cadence": "custom", "cadence_count": "0", "cadence_unit": "weeks"}, "at least 1"),
    ({"cadence": "custom", "cadence_count": "-3", "cadence_unit": "days"}, "at least 1"),
    ({"cadence": "custom", "cadence_count": "40", "cadence_unit": "months"}, "at most two years"),
    ({"cadence": "custom", "cadence_count": "2", "cadence_unit": "years"}, "days, weeks or months"),
    ({"cadence": "5y"}, "Pick how often"),
    ({"last_spoke_on": "2026-02-30"}, "Enter a real date as YYYY-MM-DD (2026-02-30 does not exist)."),
    ({"last_spoke_on": "3000-01-01"}, "in the future"),
    ({"email": "dana@"}, "Enter an email address"),
    ({"meeting_kind": "telepathy"}, "Pick in person, call, video or message."),
])
def test_bad_advisor_input_is_refused_with_a_message(session, change, message):
    response = session.post("/advisors/new", {**VALID, **change})
    assert response.status_code == 422
    assert message in text(response)
    assert Advisor.select().count() == 0


def test_bad_edit_changes_nothing(session, user):
    advisor = add_advisor(user, name="Dana Reyes", notes="keep me")
    response = session.post(f"/advisors/{advisor.id}/edit", {**VALID, "name": "", "notes": "lost"})
    assert response.status_code == 422
    assert Advisor.get_by_id(advisor.id).notes == "keep me"
    assert 'value=""' in text(response) or "Enter their name." in text(response)


def test_edit_advisor_bumps_feed_sequence(session, user):
    advisor = add_advisor(user)
    response = session.post(f"/advisors/{advisor.id}/edit", {**VALID, "name": "Dana R.",
                                                             "agenda": "Ask about the offsite"})
    assert response.status_code == 303
    saved = Advisor.get_by_id(advisor.id)
    assert (saved.name, saved.agenda) == ("Dana R.", "Ask about the offsite")
    assert saved.sequence > advisor.sequence and saved.uid == advisor.uid


def test_edit_form_shows_custom_cadence(session, user):
    advisor = add_advisor(user, cadence_count=10, cadence_unit="days")
    html = text(session.get(f"/advisors/{advisor.id}/edit"))
    assert '<option selected value="custom">' in html and 'value="10"' in html


def test_pause_until_a_past_date_is_refused(session, user):
    advisor = add_advisor(user)
    response = session.post(f"/advisors/{advisor.id}/edit", {
        **VALID, "stage": "paused", "paused_until": str(user.today())})
    assert response.status_code == 422 and "after today" in text(response)


def test_delete_advisor_with_history(session, user):
    advisor = add_advisor(user)
    advisor.log_contact(happened_on=user.today(), kind="call")
    response = session.post(f"/advisors/{advisor.id}/delete")
    assert response.status_code == 303
    assert Advisor.for_user(user) == []  # in the trash (tests/advisors/test_trash.py)
    page = text(session.get("/"))
    assert "and their history were deleted" in page and "Dana Reyes</a>" not in page
    assert session.get(f"/advisors/{advisor.id}").status_code == 404


def test_delete_asks_for_confirmation_on_the_page(session, user):
    advisor = add_advisor(user)
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert "Yes, delete Dana Reyes" in html and "<details" in html


def test_log_contact_backdated(session, user):
    advisor = add_advisor(user, cadence_count=1, cadence_unit="months")
    day = user.today() - timedelta(days=3)
    response = session.post(f"/advisors/{advisor.id}/log", {
        "happened_on": str(day), "kind": "in_person", "notes": "Lunch; talked about the move",
        "thanked": "y"})
    assert response.status_code == 303
    contact = Contact.get()
    assert (contact.happened_on, contact.kind, contact.thanked) == (day, "in_person", True)
    page = text(session.get(f"/advisors/{advisor.id}"))
    assert "Lunch; talked about the move" in page and "thanked them" in page


def test_log_form_defaults_to_today_and_usual_kind(session, user):
    advisor = add_advisor(user, meeting_kind="video")
    html = text(session.get(f"/advisors/{advisor.id}/log"))
    assert f'value="{user.today()}"' in html
    assert 'checked id="kind-2" name="kind" required type="radio" value="video"' in html


@pytest.mark.parametrize("change, message", [
    ({"happened_on": ""}, "Enter a date"),
    ({"happened_on": "yesterday"}, "Enter a date as YYYY-MM-DD."),
    ({"happened_on": "2999-01-01"}, "in the future"),
    ({"kind": "pigeon"}, "Pick how you talked"),
])
def test_bad_contact_is_refused(session, user, change, message):
    advisor = add_advisor(user)
    response = session.post(f"/advisors/{advisor.id}/log",
                            {"happened_on": str(user.today()), "kind": "call", **change})
    assert response.status_code == 422 and message in text(response)
    assert Contact.select().count() == 0


def test_tomorrow_in_the_accounts_zone_is_the_future(session, user):
    advisor = add_advisor(user)
    response = session.post(f"/advisors/{advisor.id}/log", {
        "happened_on": str(user.today() + timedelta(days=1)), "kind": "call"})
    assert response.status_code == 422


def test_spoke_today_uses_usual_kind_and_clears_snooze(session, user):
    advisor = add_advisor(user, meeting_kind="in_person",
                          snoozed_until=user.today() + timedelta(days=5))
    response = session.post(f"/advisors/{advisor.id}/spoke-today", {"from": "due"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    contact = Contact.get()
    assert (contact.kind, contact.happened_on) == ("in_person", user.today())
    assert Advisor.get_by_id(advisor.id).snoozed_until is None
    assert "Logged: in person with Dana Reyes, today." in text(session.get("/"))


def test_same_idempotency_key_is_stored_once(session, user):
    advisor = add_advisor(user)
    for _ in range(3):
        session.post(f"/advisors/{advisor.id}/spoke-today", {"key": "a1b2c3d4-e5f6"})
    session.post(f"/advisors/{advisor.id}/log", {"happened_on": str(user.today()),
                                                 "kind": "call", "key": "a1b2c3d4-e5f6"})
    assert Contact.select().count() == 1
    session.post(f"/advisors/{advisor.id}/spoke-today", {"key": "another-key-1"})
    assert Contact.select().count() == 2


def test_undo_removes_last_log_and_restores_snooze(session, user):
    snooze = user.today() + timedelta(days=9)
    advisor = add_advisor(user, snoozed_until=snooze)
    advisor.log_contact(happened_on=user.today() - timedelta(days=30), kind="call")
    Advisor.update(snoozed_until=snooze).where(Advisor.id == advisor.id).execute()
    session.post(f"/advisors/{advisor.id}/spoke-today")
    assert Contact.select().count() == 2
    response = session.post(f"/advisors/{advisor.id}/undo", {"from": "due"})
    assert response.status_code == 303
    assert [c.happened_on for c in Contact.select()] == [user.today() - timedelta(days=30)]
    assert Advisor.get_by_id(advisor.id).snoozed_until == snooze
    assert "Removed the last contact" in text(session.get("/"))


def test_undo_with_nothing_to_undo(session, user):
    advisor = add_advisor(user)
    session.post(f"/advisors/{advisor.id}/undo")
    assert "nothing to undo" in text(session.get(f"/advisors/{advisor.id}"))


@pytest.mark.parametrize("data, days", [({"days": "7"}, 7), ({"days": "14"}, 14),
                                        ({"days": "7", "until": "2099-01-01"}, 7)])
def test_snooze_for_a_while(session, user, data, days):
    advisor = add_advisor(user, cadence_count=2, cadence_unit="weeks")
    session.post(f"/advisors/{advisor.id}/snooze", data)
    saved = Advisor.get_by_id(advisor.id)
    assert saved.snoozed_until == user.today() + timedelta(days=days)
    assert (saved.cadence_count, saved.cadence_unit) == (2, "weeks")


def test_snooze_until_a_date(session, user):
    advisor = add_advisor(user)
    until = user.today() + timedelta(days=20)
    session.post(f"/advisors/{advisor.id}/snooze", {"until": str(until)})
    assert Advisor.get_by_id(advisor.id).snoozed_until == until


@pytest.mark.parametrize("data", [{}, {"until": str("2000-01-01")}, {"until": "soon"},
                                  {"days": "0"}, {"days": "9999"}])
def test_bad_snooze_changes_nothing(session, user, data):
    advisor = add_advisor(user)
    response = session.post(f"/advisors/{advisor.id}/snooze", {"from": "due", **data})
    assert response.status_code == 303
    assert Advisor.get_by_id(advisor.id).snoozed_until is None
    assert "flash-error" in text(session.get("/"))


def test_history_is_newest_first_and_paginated(session, user):
    advisor = add_advisor(user, added_on=user.today() - timedelta(days=400))
    for days_ago in range(45, 0, -1):
        advisor.log_contact(happened_on=user.today() - timedelta(days=days_ago), kind="call",
                            notes=f"note {days_ago}")
    first = text(session.get(f"/advisors/{advisor.id}"))
    assert first.index("note 1<") < first.index("note 2<")
    assert "Page 1 of 3" in first and "note 30<" not in first
    third = text(session.get(f"/advisors/{advisor.id}?page=3"))
    assert "note 45<" in third and "Page 3 of 3" in third
    assert "Page 3 of 3" in text(session.get(f"/advisors/{advisor.id}?page=99"))


def test_history_page_as_htmx_partial(session, user):
    advisor = add_advisor(user)
    for days_ago in range(25):
        advisor.log_contact(happened_on=user.today() - timedelta(days=days_ago), kind="call")
    response = session.get(f"/advisors/{advisor.id}?page=2",
                           headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    html = text(response)
    assert html.lstrip().startswith('<section class="panel" id="contact-history"')
    assert "<html" not in html and "Page 2 of 2" in html
    assert "HX-Request" in response.headers["Vary"]


def test_advisor_page_compares_gaps_with_cadence(session, user):
    advisor = add_advisor(user, cadence_count=2, cadence_unit="weeks")
    for days_ago in (70, 56, 28, 14):  # gaps: 14, 28, 14
        advisor.log_contact(happened_on=user.today() - timedelta(days=days_ago), kind="call")
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert "Typical gap 14 days" in html and "longest 28 days" in html
    assert "1 of 3 gaps ran longer than the cadence" in html


def test_advisor_page_rhythm_is_the_latest_gaps_of_a_long_history(session, user):
    advisor = add_advisor(user, cadence_count=2, cadence_unit="weeks")
    today = user.today()
    recent = [today - timedelta(days=14 * n) for n in range(1, 26)]  # 24 gaps of 14 days
    older = [recent[-1] - timedelta(days=60 * n) for n in range(1, 31)]  # 30 late gaps before
    for day in recent + older:
        advisor.log_contact(happened_on=day, kind="call")
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert 'History <span class="count">55</span>' in html
    assert "Lately, typical gap 14 days" in html
    assert "never longer than the cadence in the last 24 gaps" in html


def test_unknown_advisor_is_404(session):
    assert session.get("/advisors/999").status_code == 404
    assert session.get(f"/advisors/{10**30}").status_code == 404
    assert session.post("/advisors/999/spoke-today").status_code == 404
    assert "There is nothing here" in text(session.get("/advisors/999/edit"))


def test_htmx_on_someone_deleted_elsewhere_gets_the_due_list_back(session):
    """The phone still shows Dana, deleted on the laptop: tapping "Spoke today" brings the
    list back without her and says why, never a whole page inside the list."""
    dana = add_advisor(session.user)
    add_advisor(session.user, name="Omar Haddad")
    dana.delete_with_history()
    response = session.htmx_post(f"/advisors/{dana.id}/spoke-today", {"from": "due"})
    html = text(response)
    assert response.status_code == 404
    assert "no longer on your board" in html and 'id="due-list"' in html
    assert "Omar Haddad" in html and "Dana Reyes" not in html
    assert "<html" not in html and "<nav" not in html
    assert Contact.select().count() == 0


def test_htmx_errors_go_to_the_flash_region(session):
    response = session.client.post("/advisors/1/snooze", data={"csrf_token": "expired"},
                                   headers={"HX-Request": "true"})
    html = text(response)
    assert response.status_code == 400
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == (
        ".flashes", "innerHTML")
    assert "This form has expired" in html and "<html" not in html
    full = session.client.post("/advisors/1/snooze", data={"csrf_token": "expired"})
    assert "<html" in text(full) and "HX-Retarget" not in full.headers  # without htmx: a page


# Snoozing means "not now" ------------------------------------------------------------

def due_in(user, days, **fields):
    """A monthly advisor whose last call makes them due in `days` days."""
    advisor = add_advisor(user, added_on=user.today() - timedelta(days=400), **fields)
    last = user.today() + timedelta(days=days)
    last = last.replace(month=last.month - 1) if last.month > 1 else last.replace(
        year=last.year - 1, month=12)
    advisor.log_contact(happened_on=last, kind="call")
    return Advisor.get_by_id(advisor.id)


def test_a_week_of_snooze_never_brings_someone_due_later_earlier(session, user):
    advisor = due_in(user, 20)
    due = advisor.due_on(user.today())
    session.post(f"/advisors/{advisor.id}/snooze", {"days": "7"})
    assert Advisor.get_by_id(advisor.id).due_on(user.today()) == due + timedelta(days=7)


def test_skip_this_time_moves_them_one_cadence_on_without_logging(session, user):
    advisor = due_in(user, 20)
    due = advisor.due_on(user.today())
    session.post(f"/advisors/{advisor.id}/snooze", {"skip": "1"})
    assert Advisor.get_by_id(advisor.id).snoozed_until == advisor.cadence.after(due)
    assert Contact.select().count() == 1


def test_a_snooze_date_before_the_due_date_is_refused(session, user):
    advisor = due_in(user, 20)
    response = session.post(f"/advisors/{advisor.id}/snooze",
                            {"until": str(user.today() + timedelta(days=5))})
    assert response.status_code == 303
    assert Advisor.get_by_id(advisor.id).snoozed_until is None
    assert "never brings a reminder earlier" in text(session.get(f"/advisors/{advisor.id}"))


def test_the_advisor_page_offers_snooze_choices_from_the_due_date(session, user):
    advisor = due_in(user, 20)
    due = advisor.due_on(user.today())
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert f'<time datetime="{due.isoformat()}">' in html


def test_an_active_snooze_shows_with_unsnooze(session, user):
    advisor = add_advisor(user, snoozed_until=user.today() + timedelta(days=9))
    html = text(session.get(f"/advisors/{advisor.id}"))
    assert "Snoozed until" in html and ">Unsnooze</button>" in html
    session.post(f"/advisors/{advisor.id}/unsnooze")
    assert Advisor.get_by_id(advisor.id).snoozed_until is None
    assert "no longer snoozed" in text(session.get(f"/advisors/{advisor.id}"))


def test_undo_of_a_snooze_puts_back_the_snooze_it_replaced(session, user):
    first = user.today() + timedelta(days=9)
    advisor = add_advisor(user, snoozed_until=first)
    session.post(f"/advisors/{advisor.id}/snooze", {"days": "7"})
    assert Advisor.get_by_id(advisor.id).snoozed_until == first + timedelta(days=7)
    page = text(session.get(f"/advisors/{advisor.id}"))
    assert f'action="/advisors/{advisor.id}/unsnooze"' in page and ">Undo</button>" in page
    assert f'name="restore" value="{first.isoformat()}"' in page
    session.post(f"/advisors/{advisor.id}/unsnooze",
                 {"snoozed": str(first + timedelta(days=7)), "restore": str(first)})
    assert Advisor.get_by_id(advisor.id).snoozed_until == first


def test_undo_of_a_snooze_changed_since_keeps_the_newer_one(session, user):
    advisor = add_advisor(user)
    later = user.today() + timedelta(days=30)
    session.post(f"/advisors/{advisor.id}/snooze", {"days": "7"})
    Advisor.update(snoozed_until=later).where(Advisor.id == advisor.id).execute()
    session.post(f"/advisors/{advisor.id}/unsnooze",
                 {"snoozed": str(user.today() + timedelta(days=7)), "restore": ""})
    assert Advisor.get_by_id(advisor.id).snoozed_until == later


def test_undo_removes_the_contact_just_logged_not_the_last_entered(session, user):
    advisor = add_advisor(user)
    session.post(f"/advisors/{advisor.id}/log", {"happened_on": str(user.today()), "kind": "call",
                                                 "notes": ""})
    just_logged = Contact.get()
    page = text(session.get(f"/advisors/{advisor.id}"))
    assert f'name="contact" value="{just_logged.id}"' in page
    advisor.log_contact(happened_on=user.today() - timedelta(days=3), kind="video")  # another device
    session.post(f"/advisors/{advisor.id}/undo", {"contact": str(just_logged.id)})
    assert [c.kind for c in Contact.select()] == ["video"]


# The add form --------------------------------------------------------------------------

def test_save_and_add_another_returns_to_an_empty_form(session):
    response = session.post("/advisors/new", {**VALID, "another": "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/advisors/new"
    page = text(session.get("/advisors/new"))
    assert "Dana Reyes is on your board." in page and 'value="Dana Reyes"' not in page


def test_name_and_role_are_enough_the_role_gives_the_cadence(session, user):
    """Without JavaScript the cadence select stays on "the role's usual"."""
    response = session.post("/advisors/new", {"name": "Omar", "role": "expertise",
                                              "cadence": "role", "stage": "active",
                                              "meeting_kind": "call"})
    assert response.status_code == 303
    assert Advisor.get().cadence.code() == user.default_cadence("expertise")


def test_the_add_form_keeps_the_rest_under_more_about_them(session):
    html = text(session.get("/advisors/new"))
    assert "<summary>More about them" in html
    assert "Save and add another" in html
    assert html.index('name="name"') < html.index('name="role"') < html.index("More about them")
    assert '<details class="more">' in html  # closed when adding


def test_editing_opens_more_and_can_change_last_spoke_on(session, user):
    advisor = add_advisor(user, last_spoke_on=user.today() - timedelta(days=90))
    html = text(session.get(f"/advisors/{advisor.id}/edit"))
    assert '<details class="more" open>' in html and 'name="last_spoke_on"' in html
    spoke = user.today() - timedelta(days=5)
    session.post(f"/advisors/{advisor.id}/edit", {**VALID, "last_spoke_on": str(spoke)})
    assert Advisor.get_by_id(advisor.id).last_spoke_on == spoke


def test_error_summary_follows_the_order_of_the_form(session):
    html = text(session.post("/advisors/new", {"cadence": "custom", "cadence_count": "0",
                                               "stage": "active", "meeting_kind": "call"}))
    summary = html[html.index("error-summary"):html.index("</ul>")]
    assert summary.index("Name") < summary.index("Role") < summary.index("How often")


@pytest.mark.parametrize("answer, days_ago", [("week", 3), ("month", 15), ("months", 90),
                                              ("longer", 365), ("never", None)])
def test_the_add_form_asks_when_you_last_talked(session, answer, days_ago):
    """Asked in the open, so someone added is not due on day one unless that is true."""
    page = text(session.get("/advisors/new"))
    assert "When did you last talk?" in page and "A few months ago" in page
    response = session.post("/advisors/new", {**VALID, "last_talked": answer})
    assert response.status_code == 303
    today = session.user.today()
    expected = today - timedelta(days=days_ago) if days_ago else None
    assert Advisor.get().last_spoke_on == expected


def test_on_a_date_needs_the_date(session):
    response = session.post("/advisors/new", {**VALID, "last_talked": "date"})
    assert response.status_code == 422
    assert "Enter the date you last talked" in text(response)
    assert Advisor.select().count() == 0
    dated = session.post("/advisors/new", {**VALID, "last_talked": "date",
                                           "last_spoke_on": "2026-01-05"})
    assert dated.status_code == 303 and str(Advisor.get().last_spoke_on) == "2026-01-05"


@pytest.mark.parametrize("stage, button, said", [
    ("paused", "Resume", "is active: reminders follow their cadence again."),
    ("prospect", "Make active", "is active: reminders follow their cadence again.")])
def test_a_paused_or_prospect_member_is_made_active_from_their_page_with_undo(
        session, user, stage, button, said):
    until = user.today() + timedelta(days=30) if stage == "paused" else None
    dana = add_advisor(user, stage=stage, paused_until=until)
    page = text(session.get(f"/advisors/{dana.id}"))
    assert f">{button}</button>" in page
    response = session.post(f"/advisors/{dana.id}/stage", data={"stage": "active"})
    assert response.status_code == 303
    stored = Advisor.get_by_id(dana.id)
    assert (stored.stage, stored.paused_until) == ("active", None)
    page = text(session.get(f"/advisors/{dana.id}"))
    assert f"Dana Reyes {said}" in page and ">Resume</button>" not in page
    undo = re.search(r'<form method="post" action="(/advisors/\d+/stage)".*?</form>', page, re.S)
    fields = dict(re.findall(r'name="(stage|paused_until)" value="([^"]*)"', undo.group(0)))
    session.post(undo.group(1), data=fields)
    stored = Advisor.get_by_id(dana.id)
    assert (stored.stage, stored.paused_until) == (stage, until)


def test_a_stage_change_refuses_alumni_and_other_accounts(session, user, other):
    dana = add_advisor(user, stage="paused")
    assert session.post(f"/advisors/{dana.id}/stage", data={"stage": "alumni"}).status_code == 400
    theirs = add_advisor(other, stage="paused")
    assert session.post(f"/advisors/{theirs.id}/stage", data={"stage": "active"}).status_code == 404
    assert Advisor.get_by_id(theirs.id).stage == "paused"
