"""The time-zone picker's choices: the zones people pick most first, then every place in the
time-zone database by city and country ("Paris, France"), leaving out the aliases and
oddities ("Factory", "Zulu", "US/Eastern") that the full list of names carries.

Any name the database knows is still accepted (cadence.is_timezone): an account set to an
alias keeps it, and the picker shows it as its current value.
"""
import functools
from importlib import resources

# The zones most people on a board live in, by region; "UTC" for those who want no zone.
COMMON = (
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
    "America/Toronto", "America/Mexico_City", "America/Sao_Paulo", "Europe/London",
    "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
    "Europe/Rome", "Europe/Amsterdam", "Europe/Zurich", "Europe/Stockholm", "Europe/Warsaw",
    "Europe/Athens", "Europe/Istanbul", "Africa/Lagos", "Africa/Cairo",
    "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul", "Australia/Perth",
    "Australia/Sydney", "Pacific/Auckland", "UTC",
)


@functools.cache
def places() -> dict[str, str]:
    """Every zone of the database's zone.tab (one per place, no aliases), as its label:
    "Europe/Paris" -> "Paris, France"; "America/Argentina/Cordoba" -> "Cordoba,
    Argentina"; plus "UTC"."""
    folder = resources.files("tzdata") / "zoneinfo"
    countries = dict(line.split("\t", 1) for line in lines(folder / "iso3166.tab"))
    labels = {"UTC": "UTC (no time zone)"}
    for line in lines(folder / "zone.tab"):
        code, _, name = line.split("\t")[:3]
        city = name.rsplit("/", 1)[-1].replace("_", " ")
        labels[name] = f"{city}, {countries.get(code, code)}"
    return labels


def lines(path) -> list[str]:
    """The data lines of one of tzdata's tab-separated tables."""
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """The picker's groups: the common zones, then every place by its label; a `current`
    zone that is in neither (an alias chosen long ago) first, under its own name."""
    labels = places()
    groups = {"Common": [(name, labels[name]) for name in COMMON if name in labels],
              "Every place": sorted(labels.items(), key=lambda item: item[1].casefold())}
    if current and current not in labels:
        groups = {"Current": [(current, current.replace("_", " "))], **groups}
    return groups
