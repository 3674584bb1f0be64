// Importing a phone's contacts: typing narrows the list of people, "Select all / none"
// ticks or unticks the people shown, and a count of the ticked ones is kept (and read out
// politely). Without this script the whole list shows, to tick one by one.
"use strict";

(() => {
  const form = document.querySelector("form[data-import-people]");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("[data-person]"));
  const boxes = Array.from(form.querySelectorAll('input[name="pick"]'));
  const filter = form.querySelector("[data-people-filter]");
  const count = form.querySelector("[data-people-count]");
  // Accents and case aside: "jose" finds José, "MULLER" finds Müller.
  const plain = text => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  const texts = rows.map(row => plain(row.querySelector(".who").textContent));

  function showCount() {
    const ticked = boxes.filter(box => box.checked).length;
    const shown = rows.filter(row => !row.hidden).length;
    let text = `${ticked} of ${boxes.length} selected`;
    if (shown < rows.length) text += ` · ${shown} shown`;
    if (count.textContent !== text) count.textContent = text;  // announced only on a change
  }

  function narrow() {
    const words = plain(filter.value).split(/\s+/).filter(Boolean);
    rows.forEach((row, i) => { row.hidden = !words.every(word => texts[i].includes(word)); });
    showCount();
  }

  if (filter) {
    filter.addEventListener("input", narrow);
    // Enter in the filter would send the form: it only finishes typing.
    filter.addEventListener("keydown", event => {
      if (event.key === "Enter") event.preventDefault();
    });
    if (filter.value) narrow();  // kept by the browser on going back
  }
  form.querySelectorAll("[data-select]").forEach(button => {
    button.addEventListener("click", () => {
      const tick = button.dataset.select === "all";
      boxes.forEach(box => { if (!box.closest("[data-person]").hidden) box.checked = tick; });
      showCount();
    });
  });
  form.addEventListener("change", event => {
    if (event.target.name === "pick") showCount();
  });
  form.querySelectorAll("[data-needs-script]").forEach(part => { part.hidden = false; });
  showCount();
})();
