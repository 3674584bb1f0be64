/* The Log form's repeated lines (promises, advice): "Add another" copies the last line,
   empty, with the next number in its field names. Without scripts the rows the server
   drew are there; the button stays hidden. */
"use strict";

(() => {
  document.querySelectorAll("[data-lines]").forEach(list => {
    const button = list.querySelector("[data-add-line]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const lines = list.querySelectorAll("[data-line]");
      const last = lines[lines.length - 1];
      const copy = last.cloneNode(true);
      const next = String(lines.length);
      const renumber = value => value.replace(/-\d+(?=-|$)/, "-" + next);
      copy.querySelectorAll("[name], [id], [for]").forEach(element => {
        for (const attribute of ["name", "id", "for"]) {
          if (element.hasAttribute(attribute)) {
            element.setAttribute(attribute, renumber(element.getAttribute(attribute)));
          }
        }
        if ("value" in element && element.tagName !== "LABEL") element.value = "";
        element.removeAttribute("aria-invalid");
        element.removeAttribute("aria-describedby");
      });
      copy.querySelectorAll(".error").forEach(error => error.remove());
      copy.classList.remove("has-error");
      last.after(copy);
      copy.querySelector("input, textarea")?.focus();
    });
  });
})();
