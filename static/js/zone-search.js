// The time-zone picker (set-up and Settings): a search box above it narrows its several
// hundred places to those whose city, country or name holds what is typed. Without this
// script the picker still lists them all, the common zones first.
"use strict";

document.querySelectorAll("select[data-searchable]").forEach(select => {
  const groups = Array.from(select.querySelectorAll("optgroup"), group =>
    ({group, options: Array.from(group.querySelectorAll("option"))}));
  const fold = text => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  const search = document.createElement("input");
  search.type = "search";
  search.id = `${select.id}-search`;
  search.placeholder = "Type a city or country";
  search.setAttribute("aria-label", "Search by city or country");
  search.setAttribute("aria-controls", select.id);
  search.autocomplete = "off";
  const count = document.createElement("p");
  count.className = "hint";
  count.setAttribute("role", "status");
  select.before(search, count);

  // Typing narrows the list; if the chosen zone drops out of it, the first match becomes
  // the choice, so typing a city and moving on is enough.
  search.addEventListener("input", () => {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const matches = option => words.every(word => fold(`${option.textContent} ${option.value}`).includes(word));
    const found = new Set(groups.flatMap(({options}) => options.filter(matches).map(o => o.value)));
    if (!found.size) {
      count.textContent = "No zone matches that: try the nearest big city, or a country.";
      return;  // the list stays as it was
    }
    for (const {group, options} of groups) {
      const kept = options.filter(matches);
      group.replaceChildren(...kept);
      group.hidden = !kept.length;
    }
    count.textContent = words.length ? `${found.size} ${found.size === 1 ? "zone matches" : "zones match"}` : "";
  });
});
