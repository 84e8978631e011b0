// The search box. An exact USCC or id opens the subject; suggestions as you type come from
// GET /v1/search where the service has it (the box still opens exact ids without it).

import { guessKind, subjectHref } from "./util.js";

export function initSearch() {
  const form = document.getElementById("search");
  const input = document.getElementById("search-input");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const id = input.value.trim().toUpperCase().replace(/\s+/g, "");
    if (!id) return;
    location.hash = subjectHref(guessKind(id), id);
  });
}
