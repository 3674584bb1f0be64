// The offer to install the app, on the due list. It sits in the flow at the end of the page
// (the slot in base.html), never over it, so it covers no control and moves nothing; "Not
// now" is remembered on this device, and the installed app never shows it.
"use strict";

(() => {
  const button = self.AdvisoryButton;  // from app.js
  const DISMISSED = "advisory-install-dismissed";
  const installed = () => matchMedia("(display-mode: standalone)").matches
    || matchMedia("(display-mode: window-controls-overlay)").matches
    || navigator.standalone === true;

  function dismissed() {
    try { return localStorage.getItem(DISMISSED) !== null; } catch { return false; }
  }

  let offer = null;

  function hide() {
    offer?.remove();
    offer = null;
  }

  addEventListener("beforeinstallprompt", event => {
    event.preventDefault();  // our own offer, where it does not cover the page
    const slot = document.querySelector("[data-install-slot]");
    if (offer || !slot || installed() || dismissed()) return;
    offer = document.createElement("section");
    offer.className = "install-offer";
    offer.setAttribute("aria-label", "Install the app");
    const text = document.createElement("p");
    text.textContent = "Install the app for one-tap logging, even offline.";
    offer.append(text,
      button("Install", async () => {
        event.prompt();
        await event.userChoice;
        hide();
      }, "primary"),
      button("Not now", () => {
        try { localStorage.setItem(DISMISSED, new Date().toISOString()); } catch { /* private mode */ }
        hide();
        document.querySelector("#main a, #main button")?.focus();  // not lost to the page's top
      }));
    slot.append(offer);
  });

  addEventListener("appinstalled", hide);
})();
