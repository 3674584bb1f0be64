"""Reach out from the card: Call, Text and Email where the phone or email is known, with
"Spoke today" one tap away; the links log nothing by themselves."""
import re
from datetime import timedelta

from advisory.models import Contact
from support import add_advisor


def reach_links(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms|mailto):[^"]*)"', html)


def overdue(user, name, **fields):
    return add_advisor(user, name=name, added_on=user.today() - timedelta(days=40), **fields)


def test_the_card_prep_and_advisor_pages_offer_call_text_and_email(session, user):
    dana = overdue(user, "Dana Reyes", phone="+44 (20) 7946-0958",
                   email="dana.reyes@example.com")
    expected = ["tel:+442079460958", "sms:+442079460958",
                "mailto:dana.reyes%40example.com?subject=Coffee%20soon%3F"]
    for path in ("/", f"/advisors/{dana.id}", f"/advisors/{dana.id}/prep"):
        html = session.get(path).get_data(as_text=True)
        assert reach_links(html)[:3] == expected, path  # (their page lists both again below)
        assert ">Spoke today</button>" in html, path  # the one tap that logs it
    assert Contact.select().count() == 0  # seeing and following the links logs nothing


def test_only_what_is_known_is_offered(session, user):
    overdue(user, "Email only", email="e@example.com")
    overdue(user, "Phone only", phone="555 0100")
    overdue(user, "Neither")
    assert reach_links(session.get("/").get_data(as_text=True)) == [
        "mailto:e%40example.com?subject=Coffee%20soon%3F", "tel:5550100", "sms:5550100"]
