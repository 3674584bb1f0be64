// The app side of working offline: registers the service worker, says when a page is a saved
// copy, keeps contacts logged without a connection (outbox.js) and sends them when the
// network is back. Every page works without it. (The install offer: install.js.)
"use strict";

(() => {
  const button = self.AdvisoryButton;  // from app.js
  const Outbox = self.AdvisoryOutbox;
  const main = document.getElementById("main");
  if (!Outbox || !main || !self.indexedDB) return;

  // --- Saved copies --------------------------------------------------------------------

  function ago(ms) {
    const rtf = new Intl.RelativeTimeFormat("en", {numeric: "auto"});
    const minutes = Math.round((Date.now() - ms) / 60000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return rtf.format(-minutes, "minute");
    if (minutes < 60 * 24) return rtf.format(-Math.round(minutes / 60), "hour");
    return rtf.format(-Math.round(minutes / 1440), "day");
  }

  function notice(className, text, ...controls) {
    const box = document.createElement("div");
    box.className = `notice ${className}`;
    box.setAttribute("role", "status");
    const words = document.createElement("p");
    words.textContent = text;
    box.append(words, ...controls);
    return box;
  }

  // The service worker marks a saved copy it serves with the time it was saved.
  const savedAt = Number(document.documentElement.dataset.offlineSince);
  let offlineBanner = null;
  // The offline page of a device that was signed out: nothing can be logged, and the page
  // itself says why.
  const signedOutPage = Boolean(document.querySelector("[data-signed-out]"));

  function showOffline() {
    if (offlineBanner || signedOutPage) return;
    const what = location.pathname === "/" ? "the due list"
      : `the page for ${(document.querySelector("h1")?.textContent || "").trim()}`;
    const text = savedAt
      ? `Offline — showing ${what} from ${ago(savedAt)}. Contacts you log are kept on this device until you are back online.`
      : "Offline. Contacts you log are kept on this device until you are back online.";
    offlineBanner = notice("offline-banner", text);
    main.prepend(offlineBanner);
  }

  let stale = Boolean(savedAt);  // the page shows a saved copy, not what the server has now

  function showOnline() {
    if (!offlineBanner) return;
    if (stale && !document.getElementById("due-list")) {
      if (offlineBanner.querySelector("button")) return;
      offlineBanner.querySelector("p").textContent = "Back online. This page is a saved copy.";
      offlineBanner.append(button("Reload", () => location.reload(), "primary"));
      return;
    }
    // The banner goes; the list is fetched afresh once the waiting contacts are sent
    // (the "online" handler below), so it shows them.
    offlineBanner.remove();
    offlineBanner = null;
  }

  if (savedAt || !navigator.onLine) showOffline();

  // --- Contacts waiting to sync --------------------------------------------------------

  const csrfToken = () => document.querySelector('input[name="csrf_token"]')?.value || "";
  const account = document.body.dataset.account || "";
  let outboxPanel = null;
  const reports = [];  // what happened to sent contacts, shown until the page changes

  const KINDS = {in_person: "In person", call: "Call", video: "Video", message: "Message"};

  /** "Spoke with Dana Reyes, 3 hours ago", "Call with Dana Reyes, Thu 20 Nov". */
  function describe(record) {
    const p = record.payload, name = record.name || "an advisor";
    if (!p.kind) return `Spoke with ${name}, ${ago(record.queuedAt)}`;
    const day = new Date(`${p.happened_on}T12:00`);
    const when = isNaN(day) ? p.happened_on
      : day.toLocaleDateString("en-GB", {weekday: "short", day: "numeric", month: "short"});
    return `${KINDS[p.kind] || p.kind} with ${name}, ${when}`;
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
    const panel = document.createElement("section");
    panel.className = "outbox panel";
    panel.setAttribute("aria-label", "Contacts logged offline");
    panel.setAttribute("role", "status");
    if (waiting.length) {
      const head = document.createElement("h2");
      head.textContent = `${waiting.length} ${waiting.length === 1 ? "contact" : "contacts"} waiting to sync`;
      const list = document.createElement("ul");
      for (const record of waiting) {
        const item = document.createElement("li");
        item.textContent = describe(record);
        list.append(item);
      }
      panel.append(head, list);
      if (navigator.onLine) panel.append(button("Send now", sync));
    }
    for (const record of problems) {
      const box = notice("outbox-problem", problemText(record),
                         button("Dismiss", () => Outbox.remove(record.key).then(render)));
      panel.append(box);
    }
    for (const text of reports) panel.append(notice("outbox-sent", text));
    outboxPanel?.remove();
    outboxPanel = panel.childElementCount ? panel : null;
    if (outboxPanel && offlineBanner) offlineBanner.after(outboxPanel);
    else if (outboxPanel) main.prepend(outboxPanel);
    markCards(waiting);
  }

  function problemText(record) {
    if (record.state === "gone") {
      return `Not saved: ${record.name || "this advisor"} is no longer on your board, so the ` +
             `contact you logged offline (${describe(record)}) was not kept.`;
    }
    return `Not saved: ${describe(record)}. ${record.message || ""}`.trim();
  }

  /** Mark the due-list cards (and the one-tap button) of people with a contact waiting. */
  /** The log forms on this page, with the advisor and action their address names. */
  function logForms() {
    return Array.from(document.querySelectorAll("form[data-offline-log]"), form => {
      const [, advisor, action] = new URL(form.action, location.href).pathname.match(Outbox.LOG_PATH) || [];
      return {form, advisor: Number(advisor), action};
    });
  }

  function markCards(waiting) {
    const ids = new Set(waiting.map(r => r.payload.advisor));
    logForms().filter(f => f.action === "spoke-today").forEach(({form, advisor}) => {
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

  async function keep(form) {
    const fields = new FormData(form);
    const path = new URL(form.action, location.href).pathname;
    const record = Outbox.fromFields(path, fields, form.dataset.advisorName, account);
    if (!record) return false;
    await Outbox.put(record);
    const key = form.querySelector('input[name="key"]');
    if (key) key.value = "";  // the next log is a new contact
    try {
      const registration = await navigator.serviceWorker?.ready;
      await registration?.sync?.register("outbox");
    } catch (error) { /* no Background Sync: the online event and the next visit send it */ }
    if (!path.endsWith("/spoke-today")) {
      // The full log form: go where it would have gone; the page there shows it waiting.
      location.assign(record.from === "due" ? "/" : path.replace(/\/log$/, ""));
      return true;
    }
    await render();
    return true;
  }

  /** Anything else that changes data needs the server: say so, and leave the form as it is. */
  function needsNetwork() {
    showOffline();
    offlineBanner.querySelector("p").textContent = "You are offline and that needs a " +
      "connection: try again when you are back online. Logging a contact works offline.";
    offlineBanner.scrollIntoView({block: "nearest"});
  }

  // Offline: keep the contact instead of posting it (this runs before htmx sees the submit).
  document.addEventListener("submit", event => {
    const form = event.target;
    if (navigator.onLine || form.method !== "post") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.matches("form[data-offline-log]")) keep(form);
    else needsNetwork();
  }, true);

  // Online in name only: htmx's fetch failed without reaching the server.
  document.addEventListener("htmx:error", event => {
    if (!(event.detail?.error instanceof TypeError)) return;
    const form = event.target.closest?.("form[data-offline-log]");
    if (form) keep(form);
    else needsNetwork();
  });

  // After htmx swaps the due list in, mark the new cards again.
  document.addEventListener("htmx:after:swap", () => Outbox.all().then(records =>
    markCards(records.filter(r => r.state === "waiting"))));

  let syncing = null;

  /** Send the waiting contacts now (once at a time), then say what happened. */
  function sync() {
    syncing ||= Outbox.flush(csrfToken())
      .then(report, () => { /* still no network: they keep waiting */ })
      .finally(() => { syncing = null; });
    return syncing;
  }

  async function report(outcomes) {
    if (!outcomes.length) return;
    reports.length = 0;
    const sent = outcomes.filter(o => o.state === "sent");
    if (sent.length) {
      reports.push(`Sent ${sent.length === 1 ? "a contact" : `${sent.length} contacts`} logged offline: ${sent.map(o => o.text).join("; ")}.`);
      refreshDueList();
    }
    if (outcomes.some(o => o.state === "signed-out")) {
      // This device was signed out (the outbox deleted its contacts): what a signed-in page
      // shows belongs to that account. Loading it again leads to the sign-in form, and the
      // worker deletes its saved pages on the way.
      if (account) return location.reload();
      reports.push("This device was signed out: the contacts logged offline on it were deleted.");
    }
    if (outcomes.some(o => o.state === "expired")) {
      reports.push("Reload the page to send the contacts waiting on this device.");
    }
    if (outcomes.some(o => o.state === "other-account")) {
      reports.push("Some contacts waiting on this device were logged by another account; " +
                   "they are sent when that account signs in here.");
    }
    await render();
  }

  // The page and the worker's Background Sync may both send, and both ask for a refresh.
  // Refreshes run one at a time, each only once nothing is being sent (Outbox.idle), so
  // the list it fetches includes what was sent; one asked for while another waits joins
  // it, and one asked for during a fetch runs after it: the newest answer is the one left.
  let refreshing = Promise.resolve();
  let refreshWaiting = false;

  function refreshDueList() {
    if (!document.getElementById("due-list") || !self.htmx) return refreshing;
    stale = false;
    if (refreshWaiting) return refreshing;
    refreshWaiting = true;
    refreshing = refreshing.then(Outbox.idle).then(() => {
      refreshWaiting = false;
      // "#due-list" is looked up now, not when asked: an earlier swap replaced the element.
      return htmx.ajax("GET", "/", {target: "#due-list", swap: "outerHTML"});
    }).catch(() => { refreshWaiting = false; /* offline again: the next online retries */ });
    return refreshing;
  }

  // The worker's Background Sync ran: show what it sent.
  navigator.serviceWorker?.addEventListener("message", event => {
    if (event.data?.type === "outbox") report(event.data.outcomes);
  });

  addEventListener("online", () => {
    showOnline();
    sync().then(() => { if (stale) refreshDueList(); });  // a saved copy, even if nothing was sent
  });
  addEventListener("offline", () => { showOffline(); render(); });

  render().then(() => { if (navigator.onLine) return sync(); });

  // Exposed for the browser tests (and the curious): send now.
  self.AdvisorySync = sync;

  // --- The service worker ---------------------------------------

  if ("serviceWorker" in navigator) {
    const firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      // This page loaded before the worker was in charge: ask it to keep a copy now.
      if (firstVisit) navigator.serviceWorker.controller?.postMessage({type: "save", path: location.pathname});
    }, {once: true});
    addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
    // A page whose document was made while the worker was activating is not among the
    // pages it claimed then, and would stay unclaimed (and unsaved) until the next visit.
    navigator.serviceWorker.ready.then(registration => {
      if (!navigator.serviceWorker.controller) registration.active?.postMessage({type: "claim"});
    });
  }

})();
