"""Undoing a delete: an advisor or a contact deleted goes in the trash for 30 days; the
confirmation's Undo (a plain form, with htmx or without) and Recently deleted bring back
exactly what was there; nothing in the trash is shown, exported or put in the feed."""
import json
import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from advisory.core import import_document
from advisory.data import export, importer, people
from advisory.database import utcnow
from advisory.models import Advisor, Contact, FeedToken
from advisory.models.trash import TRASH_DAYS
from support import add_advisor, sign_in


def text(response):
    return response.get_data(as_text=True)


def undo_form(html: str) -> tuple[str, dict]:
    """The Undo button's form in a confirmation: where it posts and its hidden fields."""
    form = re.search(r'<div class="flash"[^>]*>.*?<form method="post" action="([^"]+)"(.*?)</form>',
                     html, re.S)
    assert form, "no Undo in the confirmation"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2]))
    assert "csrf_token" in fields and "<button" in form[2] and ">Undo<" in form[2]
    fields.pop("csrf_token")
    return form[1], fields


@pytest.fixture
def dana(user):
    """Monthly, with a call 20 days ago and a message 3 days ago."""
    today = user.today()
    advisor = add_advisor(user, added_on=today - timedelta(days=400), agenda="Ask about Lisbon")
    advisor.log_contact(happened_on=today - timedelta(days=20), kind="call", notes="Offsite")
    advisor.log_contact(happened_on=today - timedelta(days=3), kind="message")
    return Advisor.get_by_id(advisor.id)


def test_undo_after_deleting_an_advisor_brings_them_back_with_their_history(session, dana):
    before = Advisor.get_by_id(dana.id)
    response = session.post(f"/advisors/{dana.id}/delete")
    assert response.headers["Location"].endswith("/")
    page = text(session.get("/"))
    assert "Dana Reyes and their history were deleted." in page
    action, fields = undo_form(page)
    assert action == f"/advisors/{dana.id}/restore"
    assert 'hx-post' in page  # on the due list, htmx swaps the list; without it, a plain POST

    response = session.post(action, fields)  # as a browser without JavaScript sends it
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    page = text(session.get("/"))
    assert "Dana Reyes is back on your board, with their history." in page
    assert "Dana Reyes</a>" in page
    page = text(session.get(f"/advisors/{dana.id}"))
    assert "Offsite" in page and 'History <span class="count">2</span>' in page
    after = Advisor.get_by_id(dana.id)
    assert (after.uid, after.last_conversation_on, after.last_message_on, after.contact_count) == (
        before.uid, before.last_conversation_on, before.last_message_on, 2)


def test_undo_on_the_due_list_swaps_the_list_with_them_back(session, dana):
    session.post(f"/advisors/{dana.id}/delete")
    response = session.htmx_post(f"/advisors/{dana.id}/restore", {"from": "due"})
    assert response.status_code == 200
    html = text(response)
    assert 'id="due-list"' in html and "<html" not in html
    assert "Dana Reyes</a>" in html and "is back on your board" in html


def test_undo_after_deleting_a_contact_puts_it_back_in_the_history(session, user, dana):
    latest = Contact.get(Contact.advisor == dana.id, Contact.kind == "message")
    response = session.post(f"/advisors/{dana.id}/contacts/{latest.id}/delete")
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#contact-history")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert 'History <span class="count">1</span>' in page
    action, fields = undo_form(page)
    assert (action, fields) == (f"/advisors/{dana.id}/contacts/restore", {"contact": str(latest.id)})

    response = session.post(action, fields)
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}#contact-history")
    page = text(session.get(f"/advisors/{dana.id}"))
    assert f"The contact of {latest.happened_on:%-d %b %Y} is back in the history." in page
    assert 'History <span class="count">2</span>' in page
    assert Advisor.get_by_id(dana.id).last_message_on == user.today() - timedelta(days=3)
    again = session.post(action, fields)  # Undo tapped twice
    assert "is already in the history" in text(session.get(f"/advisors/{dana.id}"))
    assert again.status_code == 303 and Advisor.get_by_id(dana.id).contact_count == 2


def test_a_contact_restore_without_a_contact_is_refused(session, dana):
    assert session.post(f"/advisors/{dana.id}/contacts/restore").status_code == 400
    assert session.post(f"/advisors/{dana.id}/contacts/restore",
                        {"contact": "many"}).status_code == 400


def test_nobody_undoes_another_accounts_delete(client, user, other, dana):
    latest = Contact.get(Contact.advisor == dana.id, Contact.kind == "call")
    dana.delete_contact(latest.id)
    omar = add_advisor(user, name="Omar")
    omar.delete_with_history()
    intruder = sign_in(client, other)
    assert intruder.post(f"/advisors/{omar.id}/restore").status_code == 404
    assert intruder.post(f"/advisors/{dana.id}/contacts/restore",
                         {"contact": latest.id}).status_code == 404
    theirs = add_advisor(other, name="Grace's mentor")
    assert intruder.post(f"/advisors/{theirs.id}/contacts/restore",
                         {"contact": latest.id}).status_code == 404
    assert "Omar" not in text(intruder.get("/advisors/deleted"))
    assert Advisor.owned(user, omar.id) is None  # still in the trash
    assert Contact.owned(dana, latest.id) is None


def test_a_deleted_advisors_pages_and_actions_are_404(session, dana):
    dana.delete_with_history()
    for url in (f"/advisors/{dana.id}", f"/advisors/{dana.id}/edit", f"/advisors/{dana.id}/next.ics"):
        assert session.get(url).status_code == 404
    for url in (f"/advisors/{dana.id}/spoke-today", f"/advisors/{dana.id}/delete"):
        assert session.post(url).status_code == 404
    assert "Dana Reyes" not in text(session.get("/board"))


def feed(app, user):
    """The account's calendar feed as a calendar server fetches it: events by UID."""
    response = app.test_client().get(f"/feed/{FeedToken.current(user).token}.ics")
    return {str(event["UID"]): event for event in Calendar.from_ical(response.data).walk("VEVENT")}


def test_the_feed_loses_the_event_and_gets_it_back_with_its_uid_and_a_higher_sequence(
        app, session, user, dana):
    shown = feed(app, user)[dana.uid]
    session.post(f"/advisors/{dana.id}/delete")
    assert dana.uid not in feed(app, user)
    session.post(f"/advisors/{dana.id}/restore")
    back = feed(app, user)[dana.uid]
    assert back["SEQUENCE"] > shown["SEQUENCE"]
    assert back["DTSTART"].dt == shown["DTSTART"].dt
    assert back["LAST-MODIFIED"].dt >= shown["LAST-MODIFIED"].dt


def test_export_leaves_out_what_is_in_the_trash(session, user, dana):
    omar = add_advisor(user, name="Omar")
    omar.delete_with_history()
    message = Contact.get(Contact.advisor == dana.id, Contact.kind == "message")
    dana.delete_contact(message.id)
    document = export.document(user)
    assert [a["name"] for a in document["advisors"]] == ["Dana Reyes"]
    assert [c["kind"] for c in document["advisors"][0]["contacts"]] == ["call"]
    assert "Omar" not in text(session.get("/export/advisors.csv"))
    assert "message" not in text(session.get("/export/contacts.csv"))


def test_importing_a_file_that_holds_someone_in_the_trash_brings_them_back_once(user, dana):
    saved = json.dumps(export.document(user)).encode()
    dana.delete_with_history()
    plan = importer.plan(user, import_document.parse(saved))
    assert (len(plan.new_advisors), plan.new_contacts) == (1, 0)
    importer.restore(user, import_document.parse(saved))
    back = Advisor.owned(user, dana.id)
    assert back is not None and back.contact_count == 2
    assert Contact.select().where(Contact.advisor == dana.id).count() == 2
    assert importer.plan(user, import_document.parse(saved)).changes_nothing


def test_someone_in_the_trash_is_not_on_the_board_for_a_vcard(user, dana):
    from advisory.core.vcard_person import Person
    dana.delete_with_history()
    assert people.on_board(user, [Person("Dana Reyes", "", "", "")]) == [False]


def test_recently_deleted_lists_the_trash_and_brings_each_back(session, user, dana):
    assert "Nothing deleted in the last 30 days." in text(session.get("/advisors/deleted"))
    omar = add_advisor(user, name="Omar Haddad")
    omar.delete_with_history()
    call = Contact.get(Contact.advisor == dana.id, Contact.kind == "call")
    dana.delete_contact(call.id)
    assert 'href="/advisors/deleted"' in text(session.get("/board"))
    page = text(session.get("/advisors/deleted"))
    assert "Omar Haddad" in page and "Deleted today, with 0 contacts" in page
    assert "with Dana Reyes" in page and 'aria-label="Bring back Omar Haddad"' in page

    assert session.post(f"/advisors/{omar.id}/restore").status_code == 303
    assert session.post(f"/advisors/{dana.id}/contacts/restore",
                        {"contact": call.id}).status_code == 303
    assert "Nothing deleted" in text(session.get("/advisors/deleted"))
    assert Advisor.get_by_id(dana.id).last_conversation_on == call.happened_on


def test_the_purge_command_deletes_what_the_trash_no_longer_keeps(runner, user, dana):
    dana.delete_with_history()
    assert "Nothing in the trash is older than 30 days." in runner.invoke(args=["purge"]).output
    (Advisor
     .update(deleted_at=utcnow() - timedelta(days=TRASH_DAYS, hours=1))
     .where(Advisor.id == dana.id)
     .execute())
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Purged 1 advisors and 0 contacts" in result.output
    assert Advisor.select().count() == 0 and Contact.select().count() == 0
