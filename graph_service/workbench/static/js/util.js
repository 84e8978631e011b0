// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so names and messages
// from the API cannot inject markup.

import { t } from "./i18n.js";

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled" || k === "hidden") el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// the local day (toISOString would give the UTC one)
export const today = () => new Date().toLocaleDateString("sv-SE");

export function pct(ratio, digits = 2) {
  if (ratio === null || ratio === undefined) return "";
  return `${(ratio * 100).toFixed(digits).replace(/\.?0+$/, "")}%`;
}

export function period(start, end) {
  return `${start || "…"} — ${end || t("common.current")}`;
}

export function errorBox(err) {
  const status = err.status ? ` ${err.status}` : "";
  const code = err.code ? ` ${err.code}` : "";
  return h("div", { class: "error-box", role: "alert" },
    h("strong", {}, `${t("common.error")}（${status.trim()}${code}）`),
    h("p", {}, err.message || String(err)),
    err.field ? h("p", { class: "muted" }, `field: ${err.field}`) : null);
}

// A section that fills itself from a promise: a spinner meanwhile, the error body's message on failure.
export function loading(el, promise, render) {
  clear(el, h("p", { class: "muted spinner" }, `${t("common.loading")}…`));
  return promise.then((data) => { clear(el); render(data); return data; },
    (err) => { clear(el, errorBox(err)); return null; });
}

export function table(headers, rows, { empty, className } = {}) {
  if (!rows.length) return h("p", { class: "muted" }, empty || t("common.none"));
  return h("table", { class: className || "grid" },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((r) => (r instanceof Node ? r : h("tr", {}, r.map((c) => h("td", {}, c)))))));
}

export function tag(text, cls) { return h("span", { class: `tag ${cls || ""}` }, text); }

export function section(title, ...body) {
  return h("section", { class: "card" }, h("h3", {}, title), ...body);
}

export function download(filename, blob) {
  const a = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// Where a subject page lives: #/subject/<kind>/<id>
export function subjectHref(kind, id) {
  return `#/subject/${kind}/${encodeURIComponent(id)}`;
}

// A person id's type for GET /v1/persons: a citizen ID is checked as one, anything else by form.
export function idType(personId) {
  return /^\d{17}[\dX]$/.test(personId) ? "resident_id" : "other";
}

// Which kind an id typed by hand names: a USCC has letters where a citizen ID has digits; an
// all-digit 18-character id is tried as a person first, then as an enterprise (subject.js).
export function guessKind(id) {
  const s = id.trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(s)) return "person";
  if (/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return "enterprise";
  return "person";
}

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, qs] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(qs || "") };
}

export function setHashParams(params, replace = true) {
  const { parts } = parseHash();
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  const url = `#/${parts.map(encodeURIComponent).join("/")}${s ? "?" + s : ""}`;
  if (replace) history.replaceState(null, "", url);
  else location.hash = url;
}
