// The calendar page: copy buttons for the private link. Without this script the link
// stays selectable in its read-only field.
"use strict";

document.querySelectorAll("button[data-copy]").forEach(button => {
  if (navigator.clipboard && window.isSecureContext) button.hidden = false;
});

document.addEventListener("click", async event => {
  const button = event.target.closest && event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  const status = document.querySelector("[data-copy-status]");
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Link copied.";
  } catch {
    field.select();  // the user can still copy it by hand
    if (status) status.textContent = "Could not copy; the link is selected, copy it by hand.";
  }
});
