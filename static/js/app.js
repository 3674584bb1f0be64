// What every page shares; every page works without it.
"use strict";

// A button made by a script, for the notices the other scripts show.
self.AdvisoryButton = (text, onClick, className = "") => {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (className) b.className = className;
  b.addEventListener("click", onClick);
  return b;
};

// A notice made by a script: a sentence, then its controls.
self.AdvisoryNotice = (className, text, ...controls) => {
  const box = document.createElement("div");
  box.className = `notice ${className}`;
  box.setAttribute("role", "status");
  const words = document.createElement("p");
  words.textContent = text;
  box.append(words, ...controls);
  return box;
};

// Each logged contact carries a key made on this device, so a repeated send is stored once.
document.addEventListener("submit", event => {
  const key = event.target.querySelector && event.target.querySelector('input[name="key"]');
  if (key && !key.value) key.value = self.AdvisoryOutbox.newKey();  // from outbox.js
}, true);

// First-run set-up: pre-fill the time zone from this device.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("select[data-browser-timezone]");
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone.value === "UTC" && here && zone.querySelector(`option[value="${here}"]`)) {
    zone.value = here;
  }
});
