// The outbox: contacts logged without a connection, kept in IndexedDB until the server has
// them. Shared by the pages (sync.js, outbox-panel.js) and the service worker (sw.js), so
// either can send them; each carries its idempotency key, so a contact sent twice is still
// stored once. ROUTES: from constants.js on a page, above its code in the worker.
"use strict";

self.AdvisoryOutbox = (() => {
  const DB_NAME = "advisory";
  const STORE = "outbox";
  const ONE_TAP = new RegExp(ROUTES.patterns.oneTap);
  const LOG = new RegExp(ROUTES.patterns.log);
  // A Log form line's field (forms.LINE_NAME): promised-0-text, offered-0-due_on, advice-1.
  const LINE = /^(?:(?:promised|offered)-\d{1,2}-(?:text|due_on)|advice-\d{1,2})$/;

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, {keyPath: "key"});
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  const all = () => run("readonly", store => store.getAll());
  const put = record => run("readwrite", store => store.put(record));
  const remove = key => run("readwrite", store => store.delete(key));
  /** Delete every record; resolves to how many there were. */
  const clear = () => run("readwrite", store => {
    const counted = store.count();  // answered before the clear below, in the same transaction
    store.clear();
    return counted;
  });

  function newKey() {
    return crypto.randomUUID ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, "0")).join("");
  }

  /** What a form posting to `path` logs: {advisor (its id), oneTap ("Spoke today", not the
   *  full log form)}, or null if it logs nothing. */
  function logAction(path) {
    const oneTap = path.match(ONE_TAP), full = path.match(LOG);
    return oneTap || full ? {advisor: Number((oneTap || full)[1]), oneTap: Boolean(oneTap)} : null;
  }

  /** Where the full log form would have gone: the due list it came from, or the advisor's page. */
  function returnTo(record) {
    return record.from === "due" ? ROUTES.dueList
      : ROUTES.advisorPage.replace("{id}", record.payload.advisor);
  }

  /** A waiting record from a log form's fields, or null if `path` is not a log action.
   *  A one-tap log records the moment it was tapped; the server turns it into a date.
   *  `account` (the signed-in account's id) keeps it from being sent as someone else. */
  function fromFields(path, fields, name, account) {
    const action = logAction(path);
    if (!action) return null;
    const key = fields.get("key") || newKey();
    const payload = {advisor: action.advisor, key, account: account || ""};
    if (action.oneTap) {
      payload.at = Date.now();
    } else {
      Object.assign(payload, {
        happened_on: fields.get("happened_on") || "", kind: fields.get("kind") || "",
        notes: fields.get("notes") || "", thanked: fields.has("thanked"),
      });
      // The Log form's agenda for next time (absent: it stays) and its filled lines.
      if (fields.has("agenda")) payload.agenda = fields.get("agenda");
      for (const [name, value] of fields) {
        if (LINE.test(name) && value) payload[name] = value;
      }
    }
    return {key, payload, name: name || "", csrf: fields.get("csrf_token") || "",
            from: fields.get("from") || "", queuedAt: Date.now(), state: "waiting"};
  }

  // One sender at a time across tabs and the worker: the server would cope with a race,
  // but the page would report the same contact as sent twice.
  function exclusively(work) {
    return self.navigator.locks ? navigator.locks.request("advisory-outbox", work) : work();
  }

  /** Resolves once no sender (a tab or the worker) holds the outbox: what was being sent
   *  has been answered. */
  function idle() {
    return self.navigator.locks
      ? navigator.locks.request("advisory-outbox", {mode: "shared"}, () => {})
      : Promise.resolve();
  }

  async function send(record, csrfToken) {
    const response = await fetch(ROUTES.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken || record.csrf},
      body: JSON.stringify(record.payload),
    });
    let body = {};
    try { body = await response.json(); } catch (error) { /* an HTML error page */ }
    return {status: response.status, body};
  }

  /** A form token the server gives now (ROUTES.pushToken, also what the worker's push
   *  actions use), or "" if it gives none (signed out). A token kept with a contact, or in
   *  a page saved days ago, may belong to a session that has ended since: the app was
   *  closed, and "keep me signed in" began a new one. A network failure throws. */
  async function freshToken() {
    const response = await fetch(ROUTES.pushToken, {credentials: "same-origin",
                                                    headers: {Accept: "application/json"}});
    try { return (await response.json()).csrf || ""; } catch (error) { return ""; }
  }

  /** Send every waiting contact, oldest first, and return what happened to each:
   *  {record, state: "sent" | "gone" | "refused" | "other-account" | "signed-out" | "expired"
   *  | "failed", text}.
   *  A network failure throws (so a Background Sync is retried later); the contacts
   *  stay waiting. `csrfToken` is the page's current one; the worker uses the stored one;
   *  either, refused as expired, is replaced by a fresh one once.
   *  "signed-out" (a 401) deletes every record: this device is no longer signed in, and
   *  what was logged here (names, notes) belongs to an account that may even be gone. */
  function flush(csrfToken) {
    return exclusively(async () => {
      const outcomes = [];
      const waiting = (await all()).filter(r => r.state === "waiting")
                                   .sort((a, b) => a.queuedAt - b.queuedAt);
      let token = csrfToken, renewed = false;
      for (const record of waiting) {
        let {status, body} = await send(record, token);
        if (status === 400 && body.status === "expired" && !renewed) {
          renewed = true;
          token = await freshToken();
          if (token) ({status, body} = await send(record, token));
        }
        if (status === 200) {
          await remove(record.key);
          outcomes.push({record, state: "sent", text: body.text});
        } else if (status === 409) {
          outcomes.push({record, state: "other-account", text: body.message});  // keep it
        } else if (status === 404 || body.status === "refused") {
          record.state = status === 404 ? "gone" : "refused";
          record.message = body.message || "";
          await put(record);
          outcomes.push({record, state: record.state, text: record.message});
        } else if (status === 401) {
          await clear();
          outcomes.push({record, state: "signed-out"});
          break;
        } else {
          // An expired form token, or the server is down: keep it for later.
          outcomes.push({record, state: status === 400 ? "expired" : "failed"});
          break;
        }
      }
      return outcomes;
    });
  }

  return {all, put, remove, clear, flush, idle, fromFields, logAction, returnTo, newKey};
})();
