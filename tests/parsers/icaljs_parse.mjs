// Parse an iCalendar file with ical.js (Thunderbird's parser) and print what a
// client would see, as JSON. Usage: node icaljs_parse.mjs FEED.ics
// "ical.js" resolves from the repository's node_modules (npm install).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));

const value = (component, name) => {
  const prop = component.getFirstProperty(name);
  return prop ? String(prop.getFirstValue()) : null;
};

// The first `count` dates of a repeating event, as ical.js expands its RRULE.
const firstDates = (event, count) => {
  const iterator = event.iterator();
  return Array.from({ length: count }, () => String(iterator.next()));
};

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    start: event.startDate.toString(),
    startIsDate: event.startDate.isDate,
    end: event.endDate.toString(),
    sequence: event.sequence,
    dtstamp: value(vevent, "dtstamp"),
    lastModified: value(vevent, "last-modified"),
    transp: value(vevent, "transp"),
    url: value(vevent, "url"),
    rrule: value(vevent, "rrule"),
    occurrences: event.isRecurring() ? firstDates(event, 4) : [],
    alarms: vevent.getAllSubcomponents("valarm").map((valarm) => {
      const trigger = valarm.getFirstProperty("trigger");
      return {
        action: value(valarm, "action"),
        description: value(valarm, "description"),
        triggerType: trigger.type,
        trigger: String(trigger.getFirstValue()),
      };
    }),
  };
});

const refresh = calendar.getFirstProperty("refresh-interval");
console.log(JSON.stringify({
  name: value(calendar, "name"),
  xWrCalname: value(calendar, "x-wr-calname"),
  refreshInterval: refresh ? String(refresh.getFirstValue()) : null,
  refreshIntervalType: refresh ? refresh.type : null,
  publishedTtl: value(calendar, "x-published-ttl"),
  method: value(calendar, "method"),
  todos: calendar.getAllSubcomponents("vtodo").length,
  events,
}, null, 2));
