// The contacts logged offline, shown on the page: a panel with those waiting to be sent,
// those the server refused (each with Dismiss) and what the last send did; on the due list
// and an advisor's page, a mark on the card of each person with a contact waiting.
// sync.js keeps and sends them; outbox.js stores them.
"use strict";

self.AdvisoryOutboxPanel = (() => {
  const Outbox = self.AdvisoryOutbox;
  const main = document.getElementById("main");
  if (!Outbox || !main || !self.indexedDB) return null;
  const {ago, shortDate} = self.AdvisoryWording;
  const button = self.AdvisoryButton, notice = self.AdvisoryNotice;  // from app.js
  const account = document.body.dataset.account || "";
  let panel = null;
  let reports = [];  // what the last send did, shown until the page changes

  /** "Spoke with Dana Reyes, 3 hours ago", "Call with Dana Reyes, Thu 20 Nov". */
  function describe(record) {
    const p = record.payload, name = record.name || "an advisor";
    if (!p.kind) return `Spoke with ${name}, ${ago(record.queuedAt)}`;
    return `${KINDS[p.kind] || p.kind} with ${name}, ${shortDate(p.happened_on)}`;
  }

  function problemText(record) {
    if (record.state === "gone") {
      return `Not saved: ${record.name || "this advisor"} is no longer on your board, so the ` +
             `contact you logged offline (${describe(record)}) was not kept.`;
    }
    return `Not saved: ${describe(record)}. ${record.message || ""}`.trim();
  }

  /** The log forms on this page, with the advisor and kind of log their address names. */
  function logForms() {
    return Array.from(document.querySelectorAll("form[data-offline-log]"), form => ({
      form, ...Outbox.logAction(new URL(form.action, location.href).pathname)}));
  }

  /** Mark the cards (and the one-tap button) of people with a contact waiting. */
  function markCards(waiting) {
    const ids = new Set(waiting.map(r => r.payload.advisor));
    logForms().filter(f => f.oneTap).forEach(({form, advisor}) => {
      const pending = ids.has(advisor);
      const holder = form.closest(".card, .status-panel") || form;
      holder.classList.toggle("is-pending", pending);
      const note = holder.querySelector(".pending-note");
      if (pending && !note) {
        const p = document.createElement("p");
        p.className = "pending-note";
        p.textContent = "Logged on this device · waiting to sync";
        holder.append(p);
      } else if (!pending && note) {
        note.remove();
      }
      const quick = form.querySelector("button");
      if (quick) quick.disabled = pending;  // tapping again would log a second contact
    });
  }

  async function render() {
    const records = await Outbox.all();
    for (const record of records.filter(r => !r.name)) {
      // Kept by the worker a moment ago, which knows neither the name nor the account.
      const form = logForms().find(f => f.advisor === record.payload.advisor && f.form.dataset.advisorName);
      if (!form) continue;
      record.name = form.form.dataset.advisorName;
      record.payload.account ||= account;
      await Outbox.put(record);
    }
    const waiting = records.filter(r => r.state === "waiting");
    const problems = records.filter(r => r.state !== "waiting");
    const section = document.createElement("section");
    section.className = "outbox panel";
    section.setAttribute("aria-label", "Contacts logged offline");
    section.setAttribute("role", "status");
    if (waiting.length) {
      const head = document.createElement("h2");
      head.textContent = `${waiting.length} ${waiting.length === 1 ? "contact" : "contacts"} waiting to sync`;
      const list = document.createElement("ul");
      for (const record of waiting) {
        const item = document.createElement("li");
        item.textContent = describe(record);
        list.append(item);
      }
      section.append(head, list);
      if (navigator.onLine) section.append(button("Send now", () => self.AdvisorySync()));  // sync.js
    }
    for (const record of problems) {
      section.append(notice("outbox-problem", problemText(record),
                            button("Dismiss", () => Outbox.remove(record.key).then(render))));
    }
    for (const text of reports) section.append(notice("outbox-sent", text));
    panel?.remove();
    panel = section.childElementCount ? section : null;
    const banner = main.querySelector(".offline-banner");
    if (panel && banner) banner.after(panel);
    else if (panel) main.prepend(panel);
    markCards(waiting);
  }

  /** Say what the last send did (instead of what the one before said), and show the rest. */
  function report(texts) {
    reports = texts;
    return render();
  }

  // After htmx swaps the due list in, mark the new cards again.
  document.addEventListener("htmx:after:swap", () => Outbox.all().then(records =>
    markCards(records.filter(r => r.state === "waiting"))));
  addEventListener("offline", render);  // without "Send now"

  return {render, report};
})();
