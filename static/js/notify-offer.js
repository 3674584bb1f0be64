// On the due list of the installed app: a one-time offer to turn notifications on, which
// leads to Settings > Reminders (notify-settings.js).
"use strict";

(() => {
  const OFFERED = "advisory-push-offered";
  const main = document.getElementById("main");
  if (!document.body.dataset.account || !main) return;
  if (!matchMedia("(display-mode: standalone)").matches) return;  // installed apps only
  if (!("PushManager" in window) || !("Notification" in window)) return;
  if (Notification.permission !== "default" || localStorage.getItem(OFFERED)) return;
  localStorage.setItem(OFFERED, "1");
  const box = document.createElement("aside");
  box.className = "panel notice push-offer";
  box.setAttribute("aria-label", "Notifications");
  const text = document.createElement("p");
  text.textContent = "Get one quiet notification at your reminder time when someone is due?";
  const yes = document.createElement("a");
  yes.className = "button primary";
  yes.href = ROUTES.pushSettings;
  yes.textContent = "Turn on notifications";
  box.append(text, yes, " ", self.AdvisoryButton("No thanks", () => box.remove()));  // app.js
  main.prepend(box);
})();
