"""Birthdays and yearly dates in the export, and back in a restore: every field, once
however often the file comes back, and a file that gets them wrong refused with a reason."""
import json
from datetime import date

import pytest

from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.models import Advisor, FeedToken, YearlyDate
from support import add_advisor, make_user


def dated(user):
    """Dana born on 29 February 1988 and her work anniversary; Ana, a mentee, founded a
    company on 15 April."""
    dana = add_advisor(user, name="Dana Reyes", added_on=date(2024, 1, 10))
    YearlyDate.make(dana, kind="birthday", label="", month=2, day=29, year=1988)
    YearlyDate.make(dana, kind="date", label="work anniversary", month=9, day=1, year=2015)
    ana = add_advisor(user, name="Ana", relation="mentee", role="")
    YearlyDate.make(ana, kind="date", label="company founded", month=4, day=15, year=None)


def test_every_yearly_date_field_is_exported():
    """A column added later fails this until the export (and import) carry it."""
    assert set(export.YEARLY_FIELDS) == (set(YearlyDate._meta.fields)
                                         - export.YEARLY_COLUMNS_LEFT_OUT)


def test_the_export_holds_each_persons_dates(user):
    dated(user)
    dana, ana = export.document(user)["advisors"]
    assert [(d["kind"], d["label"], d["month"], d["day"], d["year"]) for d in dana["dates"]] == [
        ("birthday", "", 2, 29, 1988), ("date", "work anniversary", 9, 1, 2015)]
    assert [d["label"] for d in ana["dates"]] == ["company founded"]


def test_dates_come_back_once_and_show_in_the_restored_feed(app, user):
    dated(user)
    before = export.document(user)
    data = json.dumps(before).encode()
    target = make_user("restored@example.com")
    importer.restore(target, parse(data))
    importer.restore(target, parse(data))  # twice: still once each
    after = export.document(target)
    assert [a["dates"] for a in after["advisors"]] == [a["dates"] for a in before["advisors"]]
    feed = app.test_client().get(f"/feed/{FeedToken.current(target).token}.ics").data
    assert b"SUMMARY:Dana Reyes's birthday" in feed and b"BYMONTHDAY=-1" in feed


def test_a_restore_adds_no_second_birthday(user):
    dated(user)
    document = export.document(user)
    document["advisors"][0]["dates"][0].update(month=3, day=1, year=None)
    importer.restore(user, parse(json.dumps(document).encode()))
    dana = Advisor.get(Advisor.name == "Dana Reyes")
    assert [(d.month, d.day) for d in YearlyDate.for_person(dana) if d.birthday] == [(2, 29)]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d[0].update(day=30), "date 1: 30 February does not exist."),
    (lambda d: d[0].update(year=1987), "date 1: 1987 had no 29 February."),
    (lambda d: d[1].update(label=""), "date 2: A date other than the birthday needs its label."),
    (lambda d: d[1].update(kind="wedding"), "date 2: the field “kind”"),
    (lambda d: d[1].update(month=13), "date 2: the field “month”"),
    (lambda d: d[1].update(kind="birthday"), "a person has one birthday"),
    (lambda d: d.append("15 April"), "date 3 must be an object"),
])
def test_a_file_with_a_wrong_date_is_refused_naming_it(user, change, message):
    dated(user)
    document = export.document(user)
    change(document["advisors"][0]["dates"])
    with pytest.raises(BadFile, match=message):
        parse(json.dumps(document).encode())


def test_an_older_file_without_dates_still_restores(user):
    add_advisor(user, name="Ana")
    document = export.document(user)
    document["advisors"][0].pop("dates")
    assert parse(json.dumps(document).encode()).advisors[0].dates == []
