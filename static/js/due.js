// The due list on a phone: the confirmation of a tap appears where the thumb is, focus
// lands on it, and a fast second tap cannot hit the card that slid into place. Every
// action works without this script (plain posts).
"use strict";

(() => {
  const SETTLE_MS = 700;  // after a swap, taps on the list wait this long
  let pending = null;  // what was tapped: {nextId, stayed, top}
  let busyUntil = 0;

  const list = () => document.getElementById("due-list");
  const item = element => element.closest("#due-list li");

  function nextCardId(li) {
    const cards = [...list().querySelectorAll("li.card")];
    const after = cards.find(card => li.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING);
    return after ? after.id : null;
  }

  // Remember where the tap happened, before htmx swaps the list.
  document.addEventListener("submit", event => {
    const form = event.target;
    const li = list()?.contains(form) ? item(form) : null;
    if (!li) return;
    busyUntil = Date.now() + 1000;  // longer once the request is under way
    const card = li.classList.contains("card") ? li : li.previousElementSibling;
    pending = {cardId: card?.id || null, nextId: nextCardId(li),
               top: li.getBoundingClientRect().top};
  }, true);

  document.addEventListener("htmx:before:request", () => { if (pending) busyUntil = Date.now() + 15000; });
  document.addEventListener("htmx:finally:request", () => { busyUntil = Math.min(busyUntil, Date.now() + SETTLE_MS); });

  // A second tap at the same spot while the list changes under the finger does nothing:
  // it would land on the card that slid into place. Taps elsewhere (and the keyboard) work.
  let lastTap = null;
  document.addEventListener("click", event => {
    const near = lastTap && Math.hypot(event.clientX - lastTap.x, event.clientY - lastTap.y) < 48;
    if (Date.now() < busyUntil && near && event.detail > 0
        && event.target.closest?.("#due-list li.card :is(button, summary)")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (event.detail > 0) lastTap = {x: event.clientX, y: event.clientY};
  }, true);

  document.addEventListener("htmx:after:swap", () => {
    const root = list();
    if (!root || !pending) return;
    const tapped = pending;
    pending = null;
    busyUntil = Date.now() + SETTLE_MS;
    const flashes = [...root.querySelectorAll(".flashes > .flash")];
    if (!flashes.length) return;
    // The feedback takes the tapped card's place: before the card that followed it, or
    // after the tapped card itself when it did not move.
    const card = tapped.cardId && document.getElementById(tapped.cardId);
    const stayed = card && nextCardId(card) === tapped.nextId;
    const next = tapped.nextId && document.getElementById(tapped.nextId);
    const holder = document.createElement("li");
    holder.className = "card-feedback";
    holder.append(...flashes);
    if (stayed) card.after(holder);
    else if (next) next.before(holder);
    else (root.querySelector("ul.cards:last-of-type") || root).append(holder);
    const first = holder.querySelector(".flash");
    // Keep it under the thumb: where the tapped card was, inside the screen.
    const top = Math.min(Math.max(tapped.top, 80), innerHeight - holder.offsetHeight - 16);
    scrollBy(0, holder.getBoundingClientRect().top - top);
    first.focus({preventScroll: true});
  });
})();
