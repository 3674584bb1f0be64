// The installed app's icon carries the number of people overdue or due today (the Badging
// API, where the browser has it). The count is the server's, on the due list
// (data-due-count), read when the page loads and after htmx swaps the list (a one-tap log,
// an undo, a snooze); zero clears the badge. The worker sets it when a reminder arrives.
"use strict";

(() => {
  if (!("setAppBadge" in navigator)) return;

  function show() {
    const count = Number.parseInt(document.getElementById("due-list")?.dataset.dueCount, 10);
    if (Number.isNaN(count)) return;
    // Refused where the app is not installed or may not badge: nothing to show then.
    (count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge()).catch(() => {});
  }

  show();
  document.addEventListener("htmx:after:swap", show);
})();
