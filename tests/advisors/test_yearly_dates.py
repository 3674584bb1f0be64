"""Birthdays and yearly dates on a person's page and the due list: adding, editing,
deleting with Undo, clear refusals, another account's out of reach."""
import html
import io
import re
from datetime import timedelta

from advisory.database import utcnow
from advisory.models import Advisor, YearlyDate
from advisory.models.trash import TRASH_DAYS
from support import add_advisor


def text(response):
    return response.get_data(as_text=True)


def birthday(person, day, year=None):
    return YearlyDate.make(person, kind="birthday", label="", month=day.month, day=day.day,
                           year=year)


def test_a_birthday_added_shows_on_the_page_with_the_age_to_come(session, user):
    dana = add_advisor(user, name="Dana")
    response = session.post(f"/advisors/{dana.id}/dates/new", {
        "kind": "birthday", "day": "15", "month": "4", "year": "1986"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#dates")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Birthday:</strong> 15 April 1986" in page
    on, years = YearlyDate.get().next_time(user.today())
    assert f"turns {years}" in page and years == on.year - 1986


def test_impossible_dates_are_refused_with_what_to_fix(session, user):
    dana = add_advisor(user)
    url = f"/advisors/{dana.id}/dates/new"
    april = session.post(url, {"kind": "birthday", "day": "31", "month": "4"})
    assert april.status_code == 422 and "31 April does not exist." in text(april)
    future = session.post(url, {"kind": "birthday", "day": "1", "month": "1",
                                "year": str(user.today().year + 1)})
    assert future.status_code == 422 and "That year is in the future" in text(future)
    leap = session.post(url, {"kind": "birthday", "day": "29", "month": "2", "year": "2023"})
    assert leap.status_code == 422 and "2023 had no 29 February." in text(leap)
    unnamed = session.post(url, {"kind": "date", "day": "3", "month": "5", "label": " "})
    assert unnamed.status_code == 422 and "Say what the date is" in text(unnamed)
    nonsense = session.post(url, {"kind": "x", "day": "tomorrow", "month": "13",
                                  "year": "nineteen"})
    assert nonsense.status_code == 422
    assert "Pick a month from the list." in text(nonsense)
    assert "Pick a birthday or another date." in text(nonsense)
    assert YearlyDate.select().count() == 0


def test_one_birthday_and_any_number_of_other_dates(session, user):
    dana = add_advisor(user)
    url = f"/advisors/{dana.id}/dates/new"
    session.post(url, {"kind": "birthday", "day": "29", "month": "2"})
    second = session.post(url, {"kind": "birthday", "day": "3", "month": "3"})
    assert second.status_code == 422 and "They have a birthday already" in text(second)
    for label in ("work anniversary", "company founded"):
        assert session.post(url, {"kind": "date", "day": "1", "month": "6",
                                  "label": label}).status_code == 303
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Birthday:</strong> 29 February" in page
    assert "work anniversary:</strong> 1 June" in page and "company founded:" in page
    # the add form of someone with a birthday offers another date
    assert '<input checked id="kind-1" name="kind" required type="radio" value="date">' in text(
        session.get(url))


def test_editing_and_deleting_with_undo_move_the_feed_stamp(session, user):
    dana = add_advisor(user)
    found = birthday(dana, user.today())
    stamp = Advisor.get_by_id(dana.id).sequence
    response = session.post(f"/advisors/{dana.id}/dates/{found.id}/edit", {
        "kind": "date", "label": "first met", "day": "2", "month": "3", "year": "2019"})
    assert response.status_code == 303
    changed = YearlyDate.get_by_id(found.id)
    assert (changed.label, changed.month, changed.day, changed.year) == ("first met", 3, 2, 2019)
    assert changed.sequence == 2 and Advisor.get_by_id(dana.id).sequence > stamp
    stamp = Advisor.get_by_id(dana.id).sequence
    session.post(f"/advisors/{dana.id}/dates/{found.id}/delete")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert YearlyDate.select().count() == 0 and "Deleted: Dana Reyes: first met" in page
    assert Advisor.get_by_id(dana.id).sequence > stamp
    assert f'action="/advisors/{dana.id}/dates/new"' in page  # the Undo button
    session.post(f"/advisors/{dana.id}/dates/new", {
        "kind": "date", "label": "first met", "day": "2", "month": "3", "year": "2019"})
    assert [(d.label, d.year) for d in YearlyDate.select()] == [("first met", 2019)]


def test_another_accounts_dates_are_out_of_reach(session, user, other):
    theirs = add_advisor(other, name="Grace")
    found = birthday(theirs, other.today())
    assert session.get(f"/advisors/{theirs.id}/dates/{found.id}/edit").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/dates/{found.id}/delete").status_code == 404
    assert session.post(f"/advisors/{theirs.id}/dates/new", {
        "kind": "birthday", "day": "1", "month": "1"}).status_code == 404
    mine = add_advisor(user)
    assert session.post(f"/advisors/{mine.id}/dates/{found.id}/delete").status_code == 404
    assert YearlyDate.get_by_id(found.id).person_id == theirs.id
    assert "Grace" not in text(session.get("/"))


def test_a_mentee_has_dates_too(session, user):
    ana = add_advisor(user, name="Ana", relation="mentee", role="")
    response = session.post(f"/advisors/{ana.id}/dates/new", {
        "kind": "birthday", "day": str(user.today().day), "month": str(user.today().month)})
    assert response.status_code == 303
    assert "Today: Ana&#39;s birthday" in text(session.get("/"))


def test_the_due_list_says_what_is_coming_without_changing_who_is_due(session, user):
    dana = add_advisor(user, name="Dana")
    eli = add_advisor(user, name="Eli")
    today = user.today()
    birthday(dana, today + timedelta(days=2), year=1986)
    YearlyDate.make(eli, kind="date", label="work anniversary", month=today.month,
                    day=today.day, year=None)
    birthday(add_advisor(user, name="Far"), today + timedelta(days=user.due_soon_days + 1))
    page = text(session.get("/"))
    soon = today + timedelta(days=2)
    assert "Today: Eli: work anniversary" in page
    assert f"Dana&#39;s birthday ({soon.year - 1986}), {soon:%a}" in page
    assert "Far&#39;s birthday" not in page
    assert f'href="/advisors/{dana.id}#dates"' in page
    # trashed people's dates leave the list
    dana.delete_with_history()
    assert "Dana&#39;s birthday" not in text(session.get("/"))


def test_birthdays_and_anniversaries_come_in_with_a_phones_contacts(session, user):
    future = user.today().year + 1
    contacts = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\n{lines}END:VCARD\r\n" for lines in (
        "FN:Dana Reyes\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n"
        "item1.X-ABDATE:2010-06-12\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n",
        f"FN:Omar Haddad\r\nBDAY:{future}-01-02\r\n",  # a year to come is left out
    )).encode()
    page = text(session.post("/import/vcard", {"file": (io.BytesIO(contacts), "c.vcf")},
                             content_type="multipart/form-data"))
    people = html.unescape(re.search(r'name="people" type="hidden" value="([^"]+)"',
                                     page).group(1))
    response = session.post("/import/vcard/add", {"people": people, "pick": ["0", "1"],
                                                  "role": "insight", "last_talked": "never"})
    assert response.status_code == 303
    found = {(d.person.name, d.kind, d.label, d.month, d.day, d.year)
             for d in YearlyDate.select(YearlyDate, Advisor).join(Advisor)}
    assert found == {("Dana Reyes", "birthday", "", 4, 15, None),
                     ("Dana Reyes", "date", "anniversary", 6, 12, 2010),
                     ("Omar Haddad", "birthday", "", 1, 2, None)}
    dana = Advisor.get(Advisor.name == "Dana Reyes")
    assert "Birthday:</strong> 15 April" in text(session.get(f"/advisors/{dana.id}"))


def test_dates_follow_their_person_to_the_trash_back_and_away(session, user):
    dana = add_advisor(user, name="Dana")
    birthday(dana, user.today())
    dana.delete_with_history()
    assert "Dana&#39;s birthday" not in text(session.get("/"))
    Advisor.restore(user, dana.id)
    assert "Today: Dana&#39;s birthday" in text(session.get("/"))  # back as it was
    dana.delete_with_history()
    Advisor.purge(now=utcnow() + timedelta(days=TRASH_DAYS + 1))
    assert YearlyDate.select().count() == 0
    birthday(add_advisor(user, name="Eli"), user.today())
    user.delete_account()
    assert YearlyDate.select().count() == 0
