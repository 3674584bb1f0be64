// Contacts logged without a connection: kept on this device (outbox.js) instead of being
// posted, and sent when the network is back, by this page or by the service worker's
// Background Sync; the due list is then fetched afresh. Anything else that needs the
// server says so (offline-banner.js). What waits and what was sent: outbox-panel.js.
"use strict";

(() => {
  const Outbox = self.AdvisoryOutbox, Panel = self.AdvisoryOutboxPanel;
  if (!Panel) return;  // no outbox in this browser
  const csrfToken = () => document.querySelector('input[name="csrf_token"]')?.value || "";
  const account = document.body.dataset.account || "";

  async function keep(form) {
    const path = new URL(form.action, location.href).pathname;
    const record = Outbox.fromFields(path, new FormData(form), form.dataset.advisorName, account);
    if (!record) return false;
    await Outbox.put(record);
    const key = form.querySelector('input[name="key"]');
    if (key) key.value = "";  // the next log is a new contact
    try {
      const registration = await navigator.serviceWorker?.ready;
      await registration?.sync?.register("outbox");
    } catch (error) { /* no Background Sync: the online event and the next visit send it */ }
    if (!Outbox.logAction(path).oneTap) {
      // The full log form: go where it would have gone; the page there shows it waiting.
      location.assign(Outbox.returnTo(record));
      return true;
    }
    await Panel.render();
    return true;
  }

  // Offline: keep the contact instead of posting it (this runs before htmx sees the submit).
  document.addEventListener("submit", event => {
    const form = event.target;
    if (navigator.onLine || form.method !== "post") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.matches("form[data-offline-log]")) keep(form);
    else self.AdvisoryBanner.needsNetwork();
  }, true);

  // Online in name only: htmx's fetch failed without reaching the server.
  document.addEventListener("htmx:error", event => {
    if (!(event.detail?.error instanceof TypeError)) return;
    const form = event.target.closest?.("form[data-offline-log]");
    if (form) keep(form);
    else self.AdvisoryBanner.needsNetwork();
  });

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
    const texts = [];
    const sent = outcomes.filter(o => o.state === "sent");
    if (sent.length) {
      texts.push(`Sent ${sent.length === 1 ? "a contact" : `${sent.length} contacts`} logged offline: ${sent.map(o => o.text).join("; ")}.`);
      refreshDueList();
    }
    if (outcomes.some(o => o.state === "signed-out")) {
      // This device was signed out (the outbox deleted its contacts): what a signed-in page
      // shows belongs to that account. Loading it again leads to the sign-in form, and the
      // worker deletes its saved pages on the way.
      if (account) return location.reload();
      texts.push("This device was signed out: the contacts logged offline on it were deleted.");
    }
    if (outcomes.some(o => o.state === "expired")) {
      texts.push("Reload the page to send the contacts waiting on this device.");
    }
    if (outcomes.some(o => o.state === "other-account")) {
      texts.push("Some contacts waiting on this device were logged by another account; " +
                 "they are sent when that account signs in here.");
    }
    await Panel.report(texts);
  }

  // The page and the worker's Background Sync may both send, and both ask for a refresh.
  // Refreshes run one at a time, each only once nothing is being sent (Outbox.idle), so
  // the list it fetches includes what was sent; one asked for while another waits joins
  // it, and one asked for during a fetch runs after it: the newest answer is the one left.
  let refreshing = Promise.resolve();
  let refreshWaiting = false;

  function refreshDueList() {
    if (!document.getElementById("due-list") || !self.htmx) return refreshing;
    // No longer a saved copy: the banner, back online, has nothing left to say.
    delete document.documentElement.dataset.offlineSince;
    if (refreshWaiting) return refreshing;
    refreshWaiting = true;
    refreshing = refreshing.then(Outbox.idle).then(() => {
      refreshWaiting = false;
      // "#due-list" is looked up now, not when asked: an earlier swap replaced the element.
      return htmx.ajax("GET", ROUTES.dueList, {target: "#due-list", swap: "outerHTML"});
    }).catch(() => { refreshWaiting = false; /* offline again: the next online retries */ });
    return refreshing;
  }

  // The worker's Background Sync ran: show what it sent.
  navigator.serviceWorker?.addEventListener("message", event => {
    if (event.data?.type === "outbox") report(event.data.outcomes);
  });

  // A saved copy is fetched afresh even if nothing was sent.
  addEventListener("online", () => sync().then(() => {
    if (self.AdvisoryBanner.savedAt()) refreshDueList();
  }));

  /** A saved copy of the log form (sw.js) says the day it was saved: move its date on by
   *  the days since, so that it logs today, as the server would have filled it in. */
  function logToday() {
    const savedAt = self.AdvisoryBanner.savedAt();
    const date = savedAt && document.querySelector('form[data-offline-log] input[name="happened_on"]');
    if (!date?.value) return;
    const day = moment => {
      const d = new Date(moment);
      return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
    };
    date.valueAsNumber += Math.max(0, day(Date.now()) - day(savedAt));
  }

  logToday();
  Panel.render().then(() => { if (navigator.onLine) return sync(); });

  // Exposed for the browser tests (and the curious): send now.
  self.AdvisorySync = sync;
})();
