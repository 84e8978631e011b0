// The search box: suggestions as you type from GET /v1/search (companies, persons, USCC, ids),
// each with a 企/人 icon, the matched part highlighted, the id (masked as the API gives it) and the
// registry status; Enter opens the chosen one, or an exact id typed in full.

import { get } from "./api.js";
import { t, word } from "./i18n.js";
import { clear, guessKind, h, subjectHref, tag } from "./util.js";

const MAX = 10;

// The part of the name that matches the query, marked: the query itself when the name holds it,
// else each of its characters found in the name.
function highlighted(name, q) {
  const text = String(name || "");
  const query = q.replace(/\s+/g, "");
  const at = query ? text.indexOf(query) : -1;
  if (at >= 0) return [text.slice(0, at), h("mark", {}, text.slice(at, at + query.length)), text.slice(at + query.length)];
  const chars = new Set(query);
  return [...text].map((c) => (chars.has(c) ? h("mark", {}, c) : c));
}

export function initSearch() {
  const form = document.getElementById("search");
  const input = document.getElementById("search-input");
  const list = document.getElementById("suggestions");
  let hits = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => { list.hidden = true; active = -1; };
  const open = (hit) => {
    close();
    input.blur();
    location.hash = subjectHref(hit.kind, hit.id);
  };

  function show(q) {
    clear(list);
    active = -1;
    if (!hits.length) {
      list.append(h("li", { class: "muted" }, t("search.none")));
    }
    hits.forEach((hit, i) => {
      const li = h("li", { role: "option", class: "suggestion", dataset: { index: i },
        onmousedown: (ev) => { ev.preventDefault(); if (!hit.masked) open(hit); } },
      h("span", { class: `icon ${hit.kind}` }, hit.kind === "enterprise" ? "企" : "人"),
      h("span", {}, highlighted(hit.name || hit.id, q)),
      h("code", { class: "muted small" }, hit.id),
      hit.status ? tag(word("enterprise_statuses", hit.status), hit.status === "active" ? "ok" : "warn") : null,
      hit.masked ? tag(t("graph.masked"), "muted") : null,
      hit.in_region === false ? tag("区外", "muted") : null);
      li.title = hit.why || "";
      list.append(li);
    });
    list.hidden = false;
  }

  async function suggest() {
    const q = input.value.trim();
    if (!q) { close(); return; }
    const mine = ++asked;
    try {
      const ans = await get("/v1/search", { q, limit: MAX }, t("search.open"));
      if (mine !== asked) return;
      hits = ans.items || [];
      show(q);
    } catch (e) {
      if (mine !== asked) return;
      hits = [];
      clear(list, h("li", { class: "muted" }, e.message));
      list.hidden = false;
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 180);
  });
  input.addEventListener("keydown", (ev) => {
    const items = [...list.querySelectorAll("li.suggestion")];
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) return;
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((li, i) => li.classList.toggle("active", i === active));
    } else if (ev.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const id = input.value.trim().toUpperCase().replace(/\s+/g, "");
    if (!id) return;
    const chosen = active >= 0 ? hits[active] : hits.find((x) => !x.masked && x.id === id);
    if (chosen && !chosen.masked) { open(chosen); return; }
    // an exact id typed in full opens at once; otherwise the best suggestion
    if (/^[0-9A-Z]{15,18}$/.test(id) || !hits.length) { close(); location.hash = subjectHref(guessKind(id), id); return; }
    const first = hits.find((x) => !x.masked);
    if (first) open(first);
  });
}
