"""Parse an iCalendar file with libical and print what it saw, as JSON.

Usage: /usr/bin/python3 libical_parse.py FEED.ics

Runs under Debian's Python, which has python3-gi; libical comes from the
gir1.2-ical-3.0 package. libical does not raise on bad input: it records
X-LIC-ERROR properties in the parsed tree, so this prints those as "errors".
Exits with status 3 when gi or ICalGLib is missing.
"""

import json
import sys

try:
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib
except (ImportError, ValueError) as missing:
    print(f"libical not available: {missing}", file=sys.stderr)
    sys.exit(3)


def children(component, kind):
    """The direct subcomponents of one kind."""
    found = []
    child = component.get_first_component(kind)
    while child is not None:
        found.append(child)
        child = component.get_next_component(kind)
    return found


def errors(component):
    """Every X-LIC-ERROR in the component and below it."""
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.as_ical_string().strip())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    for child in children(component, ICalGLib.ComponentKind.ANY_COMPONENT):
        found += errors(child)
    return found


def text(component, kind):
    """A property's value as libical renders it, or None."""
    prop = component.get_first_property(kind)
    return None if prop is None else prop.get_value_as_string()


def alarm(valarm):
    """An alarm's action, description and trigger."""
    trigger = valarm.get_first_property(ICalGLib.PropertyKind.TRIGGER_PROPERTY)
    return {
        "action": text(valarm, ICalGLib.PropertyKind.ACTION_PROPERTY),
        "description": valarm.get_description(),
        "trigger": None if trigger is None else trigger.get_value_as_string(),
    }


def occurrences(vevent, count=4):
    """The first `count` dates of a repeating event, as libical expands its RRULE."""
    rule = vevent.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY)
    if rule is None:
        return []
    found = ICalGLib.RecurIterator.new(rule.get_rrule(), vevent.get_dtstart())
    return [found.next().as_ical_string() for _ in range(count)]


def event(vevent):
    """The fields of one VEVENT a calendar user would see."""
    start = vevent.get_dtstart()
    end = vevent.get_dtend()
    return {
        "uid": vevent.get_uid(),
        "summary": vevent.get_summary(),
        "description": vevent.get_description(),
        "start": start.as_ical_string(),
        "startIsDate": bool(start.is_date()),
        "end": end.as_ical_string(),
        "sequence": vevent.get_sequence(),
        "dtstamp": vevent.get_dtstamp().as_ical_string(),
        "rrule": text(vevent, ICalGLib.PropertyKind.RRULE_PROPERTY),
        "occurrences": occurrences(vevent),
        "alarms": [alarm(a) for a in children(vevent, ICalGLib.ComponentKind.VALARM_COMPONENT)],
    }


def main(path):
    with open(path, encoding="utf-8") as feed:
        calendar = ICalGLib.Component.new_from_string(feed.read())
    if calendar is None:
        print(json.dumps({"errors": ["libical could not parse the file"], "events": []}))
        return
    events = children(calendar, ICalGLib.ComponentKind.VEVENT_COMPONENT)
    print(json.dumps({
        "kind": ICalGLib.Component.kind_to_string(calendar.isa()),
        "errors": errors(calendar),
        "events": [event(e) for e in events],
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
