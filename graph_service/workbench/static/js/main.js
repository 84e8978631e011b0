// The workbench: sign-in, the header (role, region, purpose, language) and the screens by URL hash.

import { get, hooks, session } from "./api.js";
import { lang, loadCatalogue, setLang, t, translateStatic, word } from "./i18n.js";
import { clear, guessKind, h, parseHash, subjectHref, tag } from "./util.js";
import { initSearch } from "./search.js";

export const me = { role: null, region: null, sees_persons: true, key_id: null };

const view = document.getElementById("view");

// --- progress of long reads ------------------------------------------------------------------

let progressTimer = null;
hooks.progress = (pending) => {
  const bar = document.getElementById("progress");
  if (!pending.size) {
    bar.hidden = true;
    clearInterval(progressTimer);
    progressTimer = null;
    return;
  }
  const show = () => {
    const now = performance.now();
    const oldest = Math.min(...[...pending.values()].map((p) => p.started));
    const secs = (now - oldest) / 1000;
    // Reads answered within 0.3 s do not flash the bar.
    bar.hidden = secs < 0.3;
    const labels = [...new Set([...pending.values()].map((p) => p.label))].slice(0, 3).join("、");
    document.getElementById("progress-text").textContent =
      `${t("common.loading")}：${labels}（${secs.toFixed(1)} ${t("common.seconds")}）`;
  };
  show();
  if (!progressTimer) progressTimer = setInterval(show, 200);
};

// --- sign in ---------------------------------------------------------------------------------

function askKey(message) {
  const dlg = document.getElementById("sign-in");
  const err = document.getElementById("sign-in-error");
  err.hidden = !message;
  err.textContent = message || "";
  if (!dlg.open) dlg.showModal();
  document.getElementById("key-input").focus();
}

document.getElementById("sign-in-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const key = document.getElementById("key-input").value.trim();
  try {
    await signIn(key);
    document.getElementById("sign-in").close();
    document.getElementById("key-input").value = "";
    route();
  } catch (e) {
    askKey(e.message);
  }
});
document.getElementById("sign-in").addEventListener("cancel", (ev) => ev.preventDefault());

async function signIn(key) {
  const { request } = await import("./api.js");
  const who = await request("GET", "/v1/me", { key, label: "密钥" });
  session.key = key;
  Object.assign(me, who);
  await loadCatalogue();
  showWho();
}

hooks.unauthorized = (err) => { session.clear(); askKey(err.message); };

hooks.askPurpose = () => new Promise((resolve) => {
  const dlg = document.getElementById("purpose");
  const input = document.getElementById("purpose-input");
  input.value = session.purpose || "";
  const form = document.getElementById("purpose-form");
  const done = (value) => {
    form.removeEventListener("submit", onSubmit);
    document.getElementById("purpose-cancel").removeEventListener("click", onCancel);
    dlg.close();
    if (value) { session.purpose = value; showWho(); }
    resolve(value);
  };
  const onSubmit = (ev) => { ev.preventDefault(); done(input.value.trim() || null); };
  const onCancel = () => done(null);
  form.addEventListener("submit", onSubmit);
  document.getElementById("purpose-cancel").addEventListener("click", onCancel);
  dlg.showModal();
  input.focus();
});

function showWho() {
  const who = document.getElementById("who");
  who.hidden = !me.role;
  document.getElementById("who-role").textContent = word("key_roles", me.role);
  const region = me.region ? (me.region.path || []).map((r) => r.name || r.code).join(" / ")
    : t("auth.region.all");
  const regionEl = document.getElementById("who-region");
  clear(regionEl, region, !me.sees_persons ? tag(t("auth.masked"), "warn") : null);
  const purposeEl = document.getElementById("who-purpose");
  purposeEl.hidden = !me.purpose_required;
  clear(purposeEl, `${t("purpose.label")}：${session.purpose || "—"} `,
    h("button", { type: "button", class: "link", onclick: () => hooks.askPurpose() }, t("purpose.change")));
  const desk = document.querySelector('[data-nav="desk"]');
  desk.hidden = !["department", "admin"].includes(me.role);
}

document.getElementById("sign-out").addEventListener("click", () => {
  session.clear();
  Object.assign(me, { role: null, region: null });
  showWho();
  clear(view);
  askKey();
});

document.getElementById("lang").addEventListener("click", () => {
  setLang(lang === "zh" ? "en" : "zh");
  applyLang();
  route();
});

function applyLang() {
  document.getElementById("lang").textContent = lang === "zh" ? "English" : "中文";
  translateStatic();
  if (me.role) showWho();
}

// --- screens -----------------------------------------------------------------------------------

async function route() {
  if (!me.role) return;
  const { parts } = parseHash();
  const screen = parts[0] || "home";
  document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.nav === screen));
  clear(view);
  if (!window.cytoscape) view.appendChild(h("div", { class: "error-box" }, t("common.libsMissing")));
  try {
    if (screen === "subject") {
      const [kind, id] = parts.length >= 3 ? [parts[1], parts[2]] : [guessKind(parts[1] || ""), parts[1]];
      (await import("./subject.js")).render(view, kind, id);
    } else if (screen === "graph") {
      (await import("./network.js")).render(view, parts[1], parts[2]);
    } else if (screen === "paths") {
      (await import("./paths.js")).render(view);
    } else if (screen === "ownership") {
      (await import("./ownership.js")).render(view, parts[1]);
    } else if (screen === "desk") {
      (await import("./desk.js")).render(view, parts[1] || "notifications");
    } else {
      home();
    }
  } catch (e) {
    view.appendChild(h("div", { class: "error-box" }, String(e.message || e)));
    throw e;
  }
}

const EXAMPLES = [
  ["enterprise", "91431002MA4L2HJ36R", "郴州市恒基建材有限公司"],
  ["enterprise", "91431003MA4L0W6N7T", "湖南鑫源矿业有限公司"],
  ["enterprise", "91431002MA4L3F7C3L", "郴州志远实业有限公司"],
  ["enterprise", "91431026MA4N1T2G3A", "汝城县天一茶业有限公司"],
];

function home() {
  view.appendChild(h("section", { class: "card home" },
    h("h2", {}, t("home.title")),
    h("p", {}, t("home.lead")),
    h("ul", { class: "examples" }, EXAMPLES.map(([kind, id, name]) =>
      h("li", {}, h("a", { href: subjectHref(kind, id) }, name), " ", h("code", {}, id)))),
    h("p", { class: "muted" }, t("search.hint"))));
}

window.addEventListener("hashchange", route);

async function start() {
  setLang(lang);
  applyLang();
  initSearch();
  if (session.key) {
    try {
      await signIn(session.key);
    } catch (e) {
      session.clear();
      askKey(e.message);
      return;
    }
    route();
  } else {
    askKey();
  }
}

start();
