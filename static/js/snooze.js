// Snooze (on the due list and an advisor's page): Esc closes an open one and puts focus
// back on its button.
"use strict";

document.addEventListener("keydown", event => {
  if (event.key !== "Escape") return;
  const open = event.target.closest?.("details.snooze[open]") || document.querySelector("details.snooze[open]");
  if (!open) return;
  open.open = false;
  open.querySelector("summary").focus();
});
