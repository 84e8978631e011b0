// Paths between two subjects (GET /v1/paths): the k shortest, listed by length with the links of
// each hop, and drawn left to right on the canvas.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { createCanvas, fit, exportGraphml, exportPng, labelEdges, legend, nodeData } from "./canvas.js";
import { edgeData } from "./network.js";
import { clear, errorBox, h, parseHash, setHashParams, subjectHref, today } from "./util.js";

export function render(view) {
  const { params } = parseHash();
  const fromIn = h("input", { id: "path-from", value: params.get("from") || "", size: 22, placeholder: "USCC / ID" });
  const toIn = h("input", { id: "path-to", value: params.get("to") || "", size: 22, placeholder: "USCC / ID" });
  const kIn = h("select", { id: "path-k" }, [1, 3, 5, 10].map((k) => h("option", { value: k, selected: k === Number(params.get("k") || 5) }, String(k))));
  const depthIn = h("select", { id: "path-depth" }, [2, 3, 4, 5, 6].map((d) => h("option", { value: d, selected: d === Number(params.get("max_depth") || 4) }, String(d))));
  const asOfIn = h("input", { type: "date", id: "path-as-of", value: params.get("as_of") || "" });
  const list = h("ol", { class: "path-list", id: "path-list" });
  const err = h("div");
  const container = h("div", { class: "canvas", id: "cy" });
  const status = h("div", { class: "canvas-status", id: "canvas-status" });

  view.append(
    h("form", { class: "card toolbar", id: "path-form", onsubmit: (ev) => { ev.preventDefault(); find(); } },
      h("strong", {}, t("paths.title")),
      h("label", {}, t("paths.from"), fromIn), h("label", {}, t("paths.to"), toIn),
      h("label", {}, t("paths.k"), kIn), h("label", {}, t("paths.maxDepth"), depthIn),
      h("label", {}, t("common.asOf"), asOfIn),
      h("button", { type: "submit", class: "primary" }, t("paths.find")),
      h("button", { type: "button", onclick: () => exportPng(cy, "paths") }, t("graph.png")),
      h("button", { type: "button", onclick: () => exportGraphml(cy, "paths") }, t("graph.graphml"))),
    err,
    h("div", { class: "canvas-screen" },
      h("div", { class: "canvas-wrap" }, container, legend(), status),
      h("div", { class: "side" }, h("div", { class: "card" }, h("h3", {}, t("paths.path")), list))));

  const cy = createCanvas(container);
  window.__workbench = { cy };
  let generation = 0;

  function highlight(path) {
    cy.elements().removeClass("hl faded");
    if (!path) return;
    const keep = cy.collection();
    path.nodes.forEach((k) => { keep.merge(cy.getElementById(k)); });
    path.hops.forEach((hop) => hop.edges.forEach((e) => keep.merge(cy.getElementById(e.id))));
    keep.addClass("hl");
    cy.elements().not(keep).addClass("faded");
  }

  async function find() {
    const from = fromIn.value.trim().toUpperCase();
    const to = toIn.value.trim().toUpperCase();
    if (!from || !to) return;
    setHashParams({ from, to, k: kIn.value, max_depth: depthIn.value, as_of: asOfIn.value || null });
    clear(err);
    clear(list);
    const gen = ++generation;
    try {
      const ans = await get("/v1/paths", { from, to, k: kIn.value, max_depth: depthIn.value, as_of: asOfIn.value || undefined }, t("nav.paths"));
      if (gen !== generation) return;
      draw(ans);
    } catch (e) {
      clear(err, errorBox(e));
      cy.elements().remove();
      status.dataset.ready = String(gen);
    }
  }

  function draw(ans) {
    cy.elements().remove();
    const names = new Map(ans.nodes.map((n) => [n.key, n]));
    cy.add(ans.nodes.map((n) => ({ group: "nodes", data: { ...nodeData(n), focal: n.key === ans.from || n.key === ans.to } })));
    const seen = new Set();
    for (const p of ans.paths) {
      for (const hop of p.hops) {
        for (const e of hop.edges) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          cy.add({ group: "edges", data: edgeData(e) });
        }
      }
    }
    // Left to right: a node's column is its place along the first path that reaches it.
    const column = new Map();
    const rows = new Map();
    ans.paths.forEach((p) => p.nodes.forEach((k, i) => { if (!column.has(k)) column.set(k, i); }));
    cy.nodes().forEach((n) => {
      const c = column.get(n.id()) ?? 0;
      const r = rows.get(c) || 0;
      rows.set(c, r + 1);
      n.position({ x: c * 220, y: r * 110 });
    });
    // centre each column vertically
    cy.nodes().forEach((n) => {
      const c = column.get(n.id()) ?? 0;
      n.position({ x: n.position().x, y: n.position().y - ((rows.get(c) - 1) * 110) / 2 });
    });
    fit(cy);
    labelEdges(cy);
    const label = (k) => (names.get(k) || {}).name || k.split(":").slice(1).join(":");
    clear(list);
    if (!ans.paths.length) list.append(h("p", { class: "muted", id: "no-path" }, t("paths.none")));
    ans.paths.forEach((p) => {
      const item = h("li", { class: "path-item", onclick: () => {
        list.querySelectorAll("li").forEach((li) => li.classList.remove("active"));
        item.classList.add("active");
        highlight(p);
      } },
      h("strong", {}, `${p.length} ${t("paths.length")}`), h("br"),
      p.nodes.map((k, i) => [
        i ? h("span", { class: "hop" }, ` —${p.hops[i - 1].edges.map((e) => cy.getElementById(e.id).data("label")).join("、")}→ `) : "",
        names.get(k) && !names.get(k).masked ? h("a", { href: subjectHref(names.get(k).kind, names.get(k).id) }, label(k)) : label(k),
      ]));
      list.append(item);
    });
    status.textContent = `${t("graph.shown")} ${cy.nodes().length} ${t("graph.nodes")}、${cy.edges().length} ${t("graph.edges")}`;
    status.dataset.ready = String(generation);
    status.dataset.paths = String(ans.paths.length);
  }

  if (fromIn.value && toIn.value) find();
  else if (!asOfIn.value) asOfIn.placeholder = today();
}
