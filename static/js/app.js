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

// While an htmx request is on its way, the button that sent it says so (disabled,
// aria-busy, "Saving…"), so a slow answer never looks dead nor invites a second tap.
let submitter = null;
document.addEventListener("submit", event => { submitter = event.submitter; }, true);
document.addEventListener("htmx:before:request", event => {
  const form = event.target.closest?.("form");
  const button = form && (submitter?.form === form ? submitter : form.querySelector("button:not([type=button])"));
  if (!button) return;
  event.detail.ctx.busyButton = button;
  button.dataset.label = button.textContent;
  button.textContent = "Saving…";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:finally:request", event => {
  const button = event.detail?.ctx?.busyButton;
  if (!button?.isConnected) return;  // usually swapped away with its list
  button.textContent = button.dataset.label;
  button.disabled = false;
  button.removeAttribute("aria-busy");
});

// A page that arrives with an error or a confirmation gives it focus, which brings it into
// view and has a screen reader read it: the error summary first, else the first message.
// A confirmation leaves a field marked autofocus (the sign-in form's email) alone. On
// "load": the browser's move to the address's #fragment, just before, would undo it.
addEventListener("load", () => {
  const said = document.querySelector(".error-summary") ||
    (!document.querySelector("[autofocus]") && document.querySelector(".flashes > .flash"));
  if (!said) return;
  if (!said.hasAttribute("tabindex")) said.tabIndex = -1;
  said.focus();
});

// First-run set-up: pre-fill the time zone from this device.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("select[data-browser-timezone]");
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone.value === "UTC" && here && zone.querySelector(`option[value="${here}"]`)) {
    zone.value = here;
  }
});
