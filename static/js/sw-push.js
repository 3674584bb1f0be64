// Push notifications in the service worker (imported by sw.js with importScripts, after
// outbox.js): show the daily reminder and put its count on the app icon, open the due list
// on a tap, and handle the "Spoke today" and "Snooze a week" actions of a one-person
// reminder. ROUTES: given to the worker above sw.js's code.
"use strict";

self.AdvisoryPush = (() => {
  const CONFIRM_TAG = "advisory-done";

  function show(data) {
    const single = data.advisors && data.advisors.length === 1;
    return self.registration.showNotification(data.title || "Advisory", {
      body: data.body || "", tag: data.tag || "advisory-due", renotify: false,
      icon: ROUTES.icon, badge: ROUTES.badge,
      data,
      actions: single ? [{action: "spoke", title: "Spoke today"},
                         {action: "snooze", title: "Snooze a week"}] : [],
    });
  }

  /** The app icon's badge: the number of people the reminder counts (`count`, the server's;
   *  `advisors` may name fewer), cleared at zero, left alone by a payload without one. */
  function badge(data) {
    const count = data.count;
    if (!("setAppBadge" in self.navigator) || !Number.isInteger(count) || count < 0) {
      return Promise.resolve();
    }
    const done = count > 0 ? self.navigator.setAppBadge(count) : self.navigator.clearAppBadge();
    return done.catch(() => {});  // refused where the app may not badge: nothing to show
  }

  async function formToken() {
    const response = await fetch(ROUTES.pushToken, {credentials: "same-origin"});
    if (!response.ok) throw new Error("signed out");
    return (await response.json()).csrf;
  }

  /** Log "Spoke today" through the outbox: stored on the device first, with the
   *  notification's idempotency key, so it reaches the server once, now or later. */
  async function spokeToday(data) {
    const advisor = data.advisors[0];
    const key = `${data.key}-${advisor.id}`;
    const record = {key, name: advisor.name, csrf: "", from: "notification",
                    queuedAt: Date.now(), state: "waiting",
                    payload: {advisor: advisor.id, key, account: data.account || "", at: Date.now()}};
    const known = (await AdvisoryOutbox.all()).some(r => r.key === key);
    if (!known) await AdvisoryOutbox.put(record);
    try {
      const outcomes = await AdvisoryOutbox.flush(await formToken());
      const mine = outcomes.find(outcome => outcome.record.key === key);
      if (!mine || mine.state === "sent") return `Logged: ${advisor.name}, today.`;
      return mine.text || `Kept on this device: ${advisor.name}.`;
    } catch (error) {
      await self.registration.sync?.register("outbox").catch(() => {});
      return `Saved on this device: ${advisor.name}, today. It is sent when you are back online.`;
    }
  }

  async function snoozeWeek(data) {
    const advisor = data.advisors[0];
    try {
      const response = await fetch(ROUTES.pushSnooze, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": await formToken()},
        body: JSON.stringify({advisor: advisor.id}),
      });
      const body = await response.json();
      return body.text || body.message;
    } catch (error) {
      return `Could not snooze ${advisor.name}: you are offline. Open Advisory to snooze.`;
    }
  }

  /** What a tap on an action does; returns the confirmation shown. */
  async function act(action, data) {
    const text = action === "spoke" ? await spokeToday(data) : await snoozeWeek(data);
    await self.registration.showNotification("Advisory", {body: text, tag: CONFIRM_TAG, data: {url: data.url}});
    return text;
  }

  async function openDueList(url) {
    const target = new URL(url || ROUTES.dueList, self.location.origin).href;
    const windows = await self.clients.matchAll({type: "window", includeUncontrolled: true});
    const open = windows.find(client => new URL(client.url).origin === self.location.origin);
    if (open) {
      await open.focus();
      return open.navigate ? open.navigate(target).catch(() => open) : open;
    }
    return self.clients.openWindow(target);
  }

  return {show, badge, act, openDueList};
})();

self.addEventListener("push", event => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {body: event.data?.text()}; }
  event.waitUntil(Promise.all([AdvisoryPush.show(data), AdvisoryPush.badge(data)]));
});

self.addEventListener("notificationclick", event => {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  if ((event.action === "spoke" || event.action === "snooze") && data.advisors?.length === 1) {
    event.waitUntil(AdvisoryPush.act(event.action, data));
  } else {
    event.waitUntil(AdvisoryPush.openDueList(data.url));
  }
});

// The same actions on request from a page (tests and "Spoke today" from a page alike use
// the handler's own code path).
self.addEventListener("message", event => {
  if (event.data?.type !== "notification-action") return;
  event.waitUntil(AdvisoryPush.act(event.data.action, event.data.data)
    .then(text => event.source?.postMessage({type: "notification-action-done", text})));
});
