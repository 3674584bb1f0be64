// The offline banner, on every page: says the device is offline and what still works, and
// when the page is a copy the service worker saved (sw.js marks it with <html
// data-offline-since>), from how long ago. Back online it goes, or, on a saved copy that
// is not the due list (sync.js fetches that one afresh), offers to reload.
"use strict";

self.AdvisoryBanner = (() => {
  const main = document.getElementById("main");
  // The offline page of a device that was signed out: nothing can be logged, and the page
  // itself says why.
  const signedOutPage = Boolean(document.querySelector("[data-signed-out]"));
  let banner = null;

  /** When the copy of this page was saved, or 0 when it is what the server has now. */
  const savedAt = () => Number(document.documentElement.dataset.offlineSince) || 0;

  function show() {
    if (banner || signedOutPage || !main) return;
    const what = location.pathname === ROUTES.dueList ? "the due list"
      : `the page for ${(document.querySelector("h1")?.textContent || "").trim()}`;
    const text = savedAt()
      ? `Offline — showing ${what} from ${self.AdvisoryWording.ago(savedAt())}. Contacts you log are kept on this device until you are back online.`
      : "Offline. Contacts you log are kept on this device until you are back online.";
    banner = self.AdvisoryNotice("offline-banner", text);  // app.js
    main.prepend(banner);
  }

  function showOnline() {
    if (!banner) return;
    if (savedAt() && !document.getElementById("due-list")) {
      if (banner.querySelector("button")) return;
      banner.querySelector("p").textContent = "Back online. This page is a saved copy.";
      banner.append(self.AdvisoryButton("Reload", () => location.reload(), "primary"));
      return;
    }
    // The banner goes; the list is fetched afresh once the waiting contacts are sent
    // (sync.js), so it shows them.
    banner.remove();
    banner = null;
  }

  /** Anything but logging a contact needs the server: say so. */
  function needsNetwork() {
    show();
    if (!banner) return;
    banner.querySelector("p").textContent = "You are offline and that needs a " +
      "connection: try again when you are back online. Logging a contact works offline.";
    banner.scrollIntoView({block: "nearest"});
  }

  if (savedAt() || !navigator.onLine) show();
  addEventListener("online", showOnline);
  addEventListener("offline", show);

  return {needsNetwork, savedAt};
})();
