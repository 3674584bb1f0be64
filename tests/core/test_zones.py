"""The time-zone picker's choices: common zones first, every place by city and country,
no aliases or oddities, and an account's own zone kept whatever it is."""
from advisory.core import cadence, zones


def test_common_zones_come_first_and_every_place_follows_by_its_label():
    groups = zones.choices("Europe/Paris")
    assert list(groups) == ["Common", "Every place"]
    common = dict(groups["Common"])
    assert common["Europe/London"] == "London, Britain (UK)"
    assert common["America/New_York"] == "New York, United States"
    labels = [label for _, label in groups["Every place"]]
    assert labels == sorted(labels, key=str.casefold)
    assert ("America/Argentina/Cordoba", "Cordoba, Argentina") in groups["Every place"]


def test_aliases_and_oddities_are_not_offered_but_every_offer_is_a_known_zone():
    offered = {name for group in zones.choices().values() for name, _ in group}
    assert not offered & {"Factory", "Zulu", "US/Eastern", "GMT+0", "Etc/GMT-3", "localtime"}
    assert all(cadence.is_timezone(name) for name in offered)
    assert 300 < len(offered) < 450  # one per place, not the 598 names of the database


def test_an_account_on_an_alias_sees_it_as_its_current_zone():
    groups = zones.choices("US/Eastern")
    assert list(groups)[0] == "Current" and groups["Current"] == [("US/Eastern", "US/Eastern")]
    assert "Current" not in zones.choices("Asia/Tokyo")
