// Settings > Reminders: "Notify me on this device" subscribes this browser to push
// (permission prompt, then PushSubscription.toJSON() to the server); "Stop" undoes it.
"use strict";

(() => {
  const panel = document.getElementById("push-settings");
  if (!panel) return;
  const status = panel.querySelector("[data-push-status]");
  const subscribeButton = panel.querySelector("[data-push-subscribe]");
  const unsubscribeButton = panel.querySelector("[data-push-unsubscribe]");
  const say = text => { status.textContent = text; };

  // The server's public key comes in base64url; atob reads the standard alphabet.
  function keyBytes(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(text, c => c.charCodeAt(0));
  }

  async function send(method, body) {
    const response = await fetch(ROUTES.pushSubscriptions, {
      method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": panel.dataset.csrf},
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (error) { /* not JSON */ }
    if (!response.ok) throw new Error(answer.message || "The server did not accept it; try again.");
    return answer;
  }

  async function subscribe(registration) {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Notifications are blocked for this site: allow them in the browser's site settings.");
      return;
    }
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(panel.dataset.vapidKey)});
    await send("POST", subscription.toJSON());
    location.reload();  // the device list shows the new device
  }

  async function unsubscribe(registration) {
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await send("DELETE", {endpoint: subscription.endpoint});
      await subscription.unsubscribe();
    }
    location.reload();
  }

  async function start() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say("This browser cannot receive notifications here. On an iPhone, add Advisory to the " +
          "Home Screen first; elsewhere the site must be served over HTTPS.");
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const current = await registration.pushManager.getSubscription();
    subscribeButton.hidden = Boolean(current);
    unsubscribeButton.hidden = !current;
    say(current ? "This device gets notifications." : "This device gets no notifications yet.");
    const guard = work => async () => {
      try { await work(registration); } catch (error) { say(error.message || String(error)); }
    };
    subscribeButton.addEventListener("click", guard(subscribe));
    unsubscribeButton.addEventListener("click", guard(unsubscribe));
  }

  start();
})();
