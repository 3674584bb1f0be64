"""The due list (home page) and the board overview, including their query counts."""
import re
from datetime import timedelta

import pytest

from advisory.models import Advisor, Contact, User
from support import add_advisor, count_queries


def text(response):
    """The page's HTML with runs of white space made single, as a reader sees it."""
    return " ".join(response.get_data(as_text=True).split())


def group_names(html: str, group: str) -> list[str]:
    """Names listed in one group of the due list, top to bottom."""
    match = re.search(rf'<section class="group group-{group}".*?</section>', html, re.S)
    return re.findall(r'<h3 class="card-name"><a [^>]*>([^<]+)</a>', match.group(0)) if match else []


def test_empty_board_invites_to_add(session):
    html = text(session.get("/"))
    assert "Your board is empty" in html and 'href="/advisors/new"' in html


def test_groups_and_urgency_order(session, user):
    today = user.today()
    # a week late on a weekly cadence outranks a week late on a yearly one
    add_advisor(user, name="Yearly Yuri", cadence_count=12, cadence_unit="months",
                last_spoke_on=today - timedelta(days=365 + 7))
    add_advisor(user, name="Weekly Wen", cadence_count=1, cadence_unit="weeks",
                last_spoke_on=today - timedelta(days=14))
    add_advisor(user, name="Today Tia", cadence_count=2, cadence_unit="weeks",
                last_spoke_on=today - timedelta(days=14))
    add_advisor(user, name="Soon Sam", cadence_count=2, cadence_unit="weeks",
                last_spoke_on=today - timedelta(days=10))
    add_advisor(user, name="Later Lee", cadence_count=3, cadence_unit="months",
                last_spoke_on=today - timedelta(days=5))
    html = text(session.get("/"))
    assert group_names(html, "overdue") == ["Weekly Wen", "Yearly Yuri"]
    assert group_names(html, "due") == ["Today Tia"]
    assert group_names(html, "soon") == ["Soon Sam"]
    assert group_names(html, "later") == ["Later Lee"]
    assert "2 overdue" in html and "1 due today" in html and "1 due this week" in html


def test_card_shows_role_last_contact_due_date_and_agenda(session, user):
    today = user.today()
    add_advisor(user, name="Dana Reyes", role="wisdom", cadence_count=4, cadence_unit="weeks",
                agenda="Ask about pricing", last_spoke_on=today - timedelta(days=35))
    advisor = Advisor.get()
    advisor.log_contact(happened_on=today - timedelta(days=35), kind="call")
    html = text(session.get("/"))
    assert "Business wisdom" in html and "5 weeks ago" in html
    assert "7 days overdue" in html and "Ask about pricing" in html


def test_window_setting_changes_due_this_week(session, user):
    add_advisor(user, name="Ten Days", cadence_count=10, cadence_unit="days",
                last_spoke_on=user.today())
    assert group_names(text(session.get("/")), "later") == ["Ten Days"]
    User.update(due_soon_days=14).where(User.id == user.id).execute()
    assert group_names(text(session.get("/")), "soon") == ["Ten Days"]


def test_prospects_apart_paused_and_alumni_not_listed(session, user):
    add_advisor(user, name="Prospect Pia", stage="prospect")
    add_advisor(user, name="Paused Pat", stage="paused")
    add_advisor(user, name="Alumna Ali", stage="alumni")
    add_advisor(user, name="Active Ana")
    html = text(session.get("/"))
    assert group_names(html, "prospects") == ["Prospect Pia"]
    assert group_names(html, "due") == ["Active Ana"]
    listed = [name for g in ("overdue", "due", "soon", "later") for name in group_names(html, g)]
    assert "Paused Pat" not in listed and "Alumna Ali" not in listed
    assert "Not on this list (paused or alumni)" in html


def test_paused_until_past_date_is_back_on_the_list(session, user):
    add_advisor(user, name="Back Bo", stage="paused", paused_until=user.today())
    assert "Back Bo" in group_names(text(session.get("/")), "due")


def test_message_does_not_reset_cadence_unless_setting(session, user):
    advisor = add_advisor(user, name="Msg Mo", cadence_count=1, cadence_unit="weeks",
                          added_on=user.today() - timedelta(days=30))
    advisor.log_contact(happened_on=user.today(), kind="message")
    assert group_names(text(session.get("/")), "overdue") == ["Msg Mo"]
    User.update(messages_count=True).where(User.id == user.id).execute()
    assert group_names(text(session.get("/")), "soon") == ["Msg Mo"]


def test_one_tap_log_as_htmx_swaps_list_in_place(session, user):
    advisor = add_advisor(user, name="Dana Reyes", added_on=user.today() - timedelta(days=60))
    before = text(session.get("/"))
    assert group_names(before, "overdue") == ["Dana Reyes"]
    response = session.htmx_post(f"/advisors/{advisor.id}/spoke-today", {"from": "due"})
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="due-list"') and "<html" not in html
    assert group_names(html, "overdue") == [] and group_names(html, "later") == ["Dana Reyes"]
    assert "overdue" not in html and "Nobody is due this week" in html and "Undo" in html
    assert "HX-Request" in response.headers["Vary"]


def test_snooze_as_htmx_moves_card(session, user):
    advisor = add_advisor(user, name="Dana Reyes", added_on=user.today() - timedelta(days=60))
    html = text(session.htmx_post(f"/advisors/{advisor.id}/snooze", {"from": "due", "days": "14"}))
    assert group_names(html, "later") == ["Dana Reyes"] and "snoozed until" in html


def test_bad_snooze_as_htmx_answers_422_with_message(session, user):
    advisor = add_advisor(user)
    response = session.htmx_post(f"/advisors/{advisor.id}/snooze", {"from": "due", "until": "nope"})
    assert response.status_code == 422 and "flash-error" in text(response)


def test_full_page_for_plain_and_history_restore_requests(session, user):
    add_advisor(user)
    assert "<html" in text(session.get("/"))
    restore = session.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in text(restore)
    assert "HX-Request" in session.get("/").headers["Vary"]


def test_board_shows_roles_members_and_empty_roles(session, user):
    add_advisor(user, name="Ina Insight", role="insight")
    add_advisor(user, name="Eli Expert", role="expertise", stage="prospect")
    add_advisor(user, name="Old Alum", role="balance", stage="alumni")
    html = text(session.get("/board"))
    seats, alumni = html.split('id="alumni-title"')  # alumni under their own heading
    assert "Ina Insight" in seats and "Eli Expert" in seats and "Old Alum" not in seats
    assert "Old Alum" in alumni
    assert "3 of 5 roles are empty: Unique perspective, Business wisdom, Work/life balance" in html
    assert 'href="/advisors/new?role=wisdom"' in html
    assert "works best small" not in html


def test_board_gently_notes_a_big_board(session, user):
    for number in range(9):
        add_advisor(user, name=f"Member {number}", role="insight")
    assert "A board works best small" in text(session.get("/board"))


def fill_board(user, advisors: int, contacts_each: int) -> Advisor:
    today = user.today()
    rows = []
    for number in range(advisors):
        advisor = add_advisor(user, name=f"Advisor {number}", role="insight",
                              agenda="Agenda", added_on=today - timedelta(days=1000))
        rows += [{"advisor": advisor, "happened_on": today - timedelta(days=day),
                  "kind": ("call", "message")[day % 2]} for day in range(contacts_each)]
    for start in range(0, len(rows), 500):
        Contact.insert_many(rows[start:start + 500]).execute()
    return advisor


@pytest.mark.parametrize("page", ["/", "/board", "advisor"])
def test_query_count_does_not_grow_with_the_board(app, client, page):
    from support import make_user, sign_in
    counts = []
    for advisors, contacts in ((3, 5), (50, 300)):
        user = make_user(f"q{advisors}@example.com")
        session = sign_in(app.test_client(), user)
        last = fill_board(user, advisors, contacts)
        url = f"/advisors/{last.id}" if page == "advisor" else page
        session.get(url)  # warm the session
        with count_queries() as queries:
            assert session.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_later_is_in_date_order_with_times_and_empty_counters_hidden(session, user):
    today = user.today()
    # By urgency (days to go as a share of the cadence) yearly, monthly, weekly; by date the reverse.
    for name, days, due_in in [("Yearly", 365, 60), ("Monthly", 30, 20), ("Weekly", 14, 12)]:
        advisor = add_advisor(user, name=name, cadence_count=days, cadence_unit="days",
                              added_on=today - timedelta(days=800))
        advisor.log_contact(happened_on=today + timedelta(days=due_in - days), kind="call")
    html = text(session.get("/"))
    assert group_names(html, "later") == ["Weekly", "Monthly", "Yearly"]
    assert f'<time datetime="{(today + timedelta(days=12)).isoformat()}">' in html
    assert "0 overdue" not in html and "Nobody is due this week" in html


def test_a_snoozed_card_says_until_when_and_offers_unsnooze(session, user):
    later = user.today() + timedelta(days=9)
    advisor = add_advisor(user, snoozed_until=later)
    html = text(session.get("/"))
    assert f'Snoozed until <time datetime="{later.isoformat()}">{later:%a %-d %b}</time>' in html
    assert f'hx-post="/advisors/{advisor.id}/unsnooze"' in html


def test_snooze_choices_count_from_the_due_date(session, user):
    today = user.today()
    advisor = add_advisor(user, cadence_count=30, cadence_unit="days",
                          added_on=today - timedelta(days=400))
    advisor.log_contact(happened_on=today - timedelta(days=25), kind="call")  # due in 5 days
    html = text(session.get("/"))
    assert "Skip this time" in html and "1 week later" in html
    due = today + timedelta(days=5)
    assert f'min="{(due + timedelta(days=1)).isoformat()}"' in html


def test_the_board_shows_each_members_year_and_the_thank_you_round(session, user):
    from advisory.models.gives import Give
    today = user.today()
    dana = add_advisor(user, name="Dana", added_on=today - timedelta(days=800))
    for days, thanked in ((300, True), (200, False), (100, True), (20, False)):
        dana.log_contact(happened_on=today - timedelta(days=days), kind="call", thanked=thanked)
    Give.record(dana, kind="introduction", note="", given_on=today - timedelta(days=5))
    lee = add_advisor(user, name="Lee", added_on=today - timedelta(days=800))
    lee.log_contact(happened_on=today - timedelta(days=500), kind="video", thanked=True)
    lee.log_contact(happened_on=today - timedelta(days=30), kind="video")
    html = text(session.get("/board"))
    assert "4 conversations, thanked twice, gave back once" in html
    assert "1 conversation, not thanked, nothing given back" in html
    round_ = html.split('id="thank-round"', 1)[1]
    assert "Lee" in round_ and "Dana" not in round_
