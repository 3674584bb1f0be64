// Dates in words on the page, said as advisory/core/wording.py says them ("3 days ago",
// "Thu 4 Dec"). The server words every date it renders; these are the ones only the page
// can: how long ago a moment on this device was (the saving of a page kept for offline use,
// a contact kept offline), which grows while the page is open, and the day typed into a
// log form that never reached the server.
"use strict";

self.AdvisoryWording = (() => {
  const plural = (number, word) => `${number} ${word}${number === 1 ? "" : "s"}`;

  /** How long ago `ms` (a time on this device) was: "just now", "5 minutes ago",
   *  "2 hours ago", "yesterday"; past a day in the server's units (days up to 13, then
   *  weeks, months from two, years from twelve). */
  function ago(ms) {
    const minutes = Math.floor((Date.now() - ms) / 60000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return `${plural(minutes, "minute")} ago`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return `${plural(hours, "hour")} ago`;
    const days = Math.floor(hours / 24);
    if (days === 1) return "yesterday";
    if (days < 14) return `${plural(days, "day")} ago`;
    if (days < 60) return `${plural(Math.floor(days / 7), "week")} ago`;
    const months = Math.floor(days / 30.44);
    if (months < 12) return `${plural(months, "month")} ago`;
    return `${plural(Math.floor(months / 12), "year")} ago`;
  }

  // English names as Python's %a and %b give them ("Sep", where en-GB says "Sept").
  const NAMES = new Intl.DateTimeFormat("en-US", {weekday: "short", day: "numeric", month: "short"});

  /** "Thu 4 Dec" for "2025-12-04", as wording.short_date; anything else as it is. */
  function shortDate(isoDay) {
    const day = new Date(`${isoDay}T12:00`);
    if (isNaN(day)) return isoDay;
    const part = Object.fromEntries(NAMES.formatToParts(day).map(p => [p.type, p.value]));
    return `${part.weekday} ${part.day} ${part.month}`;
  }

  return {ago, shortDate};
})();
