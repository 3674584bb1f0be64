// Adding an advisor: picking a role pre-fills that role's default cadence until the
// cadence is chosen by hand.
"use strict";

(() => {
  const cadence = document.querySelector('form[data-prefill-cadence] select[name="cadence"]');
  if (!cadence) return;
  let chosenByHand = false;
  cadence.addEventListener("change", () => { chosenByHand = true; });
  document.querySelectorAll("input[data-default-cadence]").forEach(radio => {
    radio.addEventListener("change", () => {
      if (!chosenByHand && radio.checked) cadence.value = radio.dataset.defaultCadence;
    });
  });
})();
