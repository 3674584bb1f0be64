// Small enhancements; every page works without them.
"use strict";

// A button made by a script, for the notices offline.js and install.js show.
self.AdvisoryButton = (text, onClick, className = "") => {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (className) b.className = className;
  b.addEventListener("click", onClick);
  return b;
};

// Each logged contact carries a key made on this device, so a repeated send is stored once.
document.addEventListener("submit", event => {
  const key = event.target.querySelector && event.target.querySelector('input[name="key"]');
  if (key && !key.value) key.value = self.AdvisoryOutbox.newKey();  // from outbox.js
}, true);

document.addEventListener("DOMContentLoaded", () => {
  // First-run set-up: pre-fill the time zone from this device.
  const zone = document.querySelector("select[data-browser-timezone]");
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone.value === "UTC" && here && zone.querySelector(`option[value="${here}"]`)) {
    zone.value = here;
  }

  // Adding an advisor: picking a role pre-fills that role's default cadence until the
  // cadence is chosen by hand.
  const cadence = document.querySelector('form[data-prefill-cadence] select[name="cadence"]');
  if (cadence) {
    let chosenByHand = false;
    cadence.addEventListener("change", () => { chosenByHand = true; });
    document.querySelectorAll("input[data-default-cadence]").forEach(radio => {
      radio.addEventListener("change", () => {
        if (!chosenByHand && radio.checked) cadence.value = radio.dataset.defaultCadence;
      });
    });
  }
});
