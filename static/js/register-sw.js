// Registers the service worker (static/js/sw.js, served at ROUTES.serviceWorker) from every
// page, and has the page it first arrives on kept for offline use (with the log forms it
// links to).
"use strict";

(() => {
  if (!("serviceWorker" in navigator)) return;
  const firstVisit = !navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // This page loaded before the worker was in charge: ask it to keep a copy now.
    if (firstVisit) navigator.serviceWorker.controller?.postMessage({type: "save", path: location.pathname + location.search});
  }, {once: true});
  addEventListener("load", () => navigator.serviceWorker.register(ROUTES.serviceWorker).catch(() => {}));
  // A page whose document was made while the worker was activating is not among the
  // pages it claimed then, and would stay unclaimed (and unsaved) until the next visit.
  navigator.serviceWorker.ready.then(registration => {
    if (!navigator.serviceWorker.controller) registration.active?.postMessage({type: "claim"});
  });
})();
