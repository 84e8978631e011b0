// Ownership (GET /v1/enterprises/{uscc}/shareholders up and down, /beneficial-owners): the
// shareholder tree above the enterprise and its holdings below, the direct ratio on each edge and
// the integrated ratio on each node; the beneficial owners with their control paths.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { COLOURS, createCanvas, fit, exportGraphml, exportPng, legend, wrapLabel } from "./canvas.js";
import { clear, errorBox, h, parseHash, pct, setHashParams, subjectHref } from "./util.js";

const GAP_X = 190;
const GAP_Y = 130;

export function render(view, uscc) {
  const { params } = parseHash();
  const minRatio = h("select", { id: "min-ratio" }, [0, 0.05, 0.1, 0.25].map((r) => h("option", { value: r, selected: r === Number(params.get("min_ratio") || 0) }, pct(r) || "0%")));
  const depth = h("select", { id: "own-depth" }, [1, 2, 3, 5, 10].map((d) => h("option", { value: d, selected: d === Number(params.get("max_depth") || 5) }, String(d))));
  const asOf = h("input", { type: "date", id: "own-as-of", value: params.get("as_of") || "" });
  const threshold = h("select", { id: "threshold" }, [0.1, 0.2, 0.25, 0.5].map((r) => h("option", { value: r, selected: r === Number(params.get("threshold") || 0.25) }, pct(r))));
  const err = h("div");
  const container = h("div", { class: "canvas", id: "cy" });
  const status = h("div", { class: "canvas-status", id: "canvas-status" });
  const owners = h("div", { id: "owners" });
  const title = h("strong", {}, `${t("own.title")}：${uscc}`);

  view.append(
    h("form", { class: "card toolbar", onsubmit: (ev) => { ev.preventDefault(); load(); } },
      title,
      h("label", {}, t("own.maxDepth"), depth), h("label", {}, t("own.minRatio"), minRatio),
      h("label", {}, t("own.threshold"), threshold), h("label", {}, t("common.asOf"), asOf),
      h("button", { type: "submit", class: "primary" }, t("common.apply")),
      h("button", { type: "button", onclick: () => exportPng(cy, `ownership-${uscc}`) }, t("graph.png")),
      h("button", { type: "button", onclick: () => exportGraphml(cy, `ownership-${uscc}`) }, t("graph.graphml")),
      h("a", { class: "button", href: subjectHref("enterprise", uscc) }, t("graph.openSubject"))),
    err,
    h("div", { class: "canvas-screen" },
      h("div", { class: "canvas-wrap" }, container, legend([]), status),
      h("div", { class: "side" }, h("div", { class: "card" }, h("h3", {}, t("own.owners")), owners))));

  const cy = createCanvas(container, [
    { selector: "edge", style: { "curve-style": "taxi", "taxi-direction": "vertical", label: "data(label)", "text-rotation": "none" } },
    { selector: "node[?root]", style: { "border-width": 5, "border-color": "#e69f00", width: 56, height: 40 } },
  ]);
  window.__workbench = { cy };

  function addTree(ans, dir, rootKey) {
    const key = (id) => (id === uscc ? rootKey : `${dir}:${id}`);
    const byDepth = new Map();
    for (const n of ans.nodes) {
      const k = key(n.id);
      if (k === rootKey || cy.getElementById(k).length) continue;
      const ratio = pct(n.integrated_ratio);
      cy.add({ group: "nodes", data: {
        id: k, kind: n.kind, sid: n.id, name: n.name, masked: n.masked, colour: n.masked ? COLOURS.masked : COLOURS.clean,
        binding: "clean", label: `${wrapLabel(n.name || n.id)}\n${t("own.integrated")} ${ratio}`,
        more: n.truncated ? `+${n.truncated}` : "",
      } });
      const list = byDepth.get(n.depth) || [];
      list.push(k);
      byDepth.set(n.depth, list);
    }
    for (const e of ans.edges) {
      const s = key(e.holder);
      const tgt = key(e.held);
      if (!cy.getElementById(s).length || !cy.getElementById(tgt).length) continue;
      const id = `${dir}|${e.holder}|${e.held}`;
      if (cy.getElementById(id).length) continue;
      cy.add({ group: "edges", data: { id, source: s, target: tgt, relation: "shareholding", ratio: e.ratio, current: true,
        in_cycle: e.in_cycle, label: `${t("own.direct")} ${pct(e.ratio)}` } });
    }
    // layers: up above the root, down below; each layer ordered by the x of what it holds / is held by
    const sign = dir === "up" ? -1 : 1;
    [...byDepth.keys()].sort((a, b) => a - b).forEach((d) => {
      const ids = byDepth.get(d);
      const anchorX = (k) => {
        const n = cy.getElementById(k);
        const next = dir === "up" ? n.outgoers("node") : n.incomers("node");
        const placed = next.filter((m) => m.data("placed"));
        return placed.length ? placed.reduce((s, m) => s + m.position().x, 0) / placed.length : 0;
      };
      ids.sort((a, b) => anchorX(a) - anchorX(b));
      ids.forEach((k, i) => {
        const n = cy.getElementById(k);
        n.position({ x: (i - (ids.length - 1) / 2) * GAP_X, y: sign * d * GAP_Y });
        n.data("placed", true);
      });
    });
    return ans;
  }

  async function load() {
    setHashParams({ max_depth: depth.value, min_ratio: minRatio.value === "0" ? null : minRatio.value,
      threshold: threshold.value === "0.25" ? null : threshold.value, as_of: asOf.value || null });
    clear(err);
    const q = { max_depth: depth.value, min_ratio: minRatio.value, as_of: asOf.value || undefined };
    try {
      const [up, down] = await Promise.all([
        get(`/v1/enterprises/${encodeURIComponent(uscc)}/shareholders`, { ...q, direction: "up" }, t("own.up")),
        get(`/v1/enterprises/${encodeURIComponent(uscc)}/shareholders`, { ...q, direction: "down" }, t("own.down")),
      ]);
      cy.elements().remove();
      const rootKey = `root:${uscc}`;
      cy.add({ group: "nodes", data: { id: rootKey, kind: "enterprise", sid: uscc, name: up.root.name, root: true, placed: true,
        colour: COLOURS.clean, label: wrapLabel(up.root.name || uscc) }, position: { x: 0, y: 0 } });
      title.textContent = `${t("own.title")}：${up.root.name || uscc}`;
      addTree(up, "up", rootKey);
      addTree(down, "down", rootKey);
      fit(cy);
      const cycles = [...(up.cycles || []), ...(down.cycles || [])];
      status.textContent = `${t("graph.shown")} ${cy.nodes().length} ${t("graph.nodes")}` +
        (cycles.length ? ` · ${t("own.cycles")} ${cycles.length}` : "") + (up.truncated || down.truncated ? ` · ${t("graph.truncated")}` : "");
      status.dataset.ready = "1";
    } catch (e) {
      clear(err, errorBox(e));
    }
    loadOwners();
  }

  function highlight(path) {
    cy.elements().removeClass("hl faded");
    if (!path) return;
    const keys = path.nodes.map((n) => (n.id === uscc ? `root:${uscc}` : `up:${n.id}`));
    const keep = cy.collection();
    keys.forEach((k, i) => {
      keep.merge(cy.getElementById(k));
      if (i) keep.merge(cy.getElementById(k).edgesWith(cy.getElementById(keys[i - 1])));
    });
    keep.addClass("hl");
    cy.elements().not(keep).addClass("faded");
  }

  async function loadOwners() {
    clear(owners, h("p", { class: "muted spinner" }, `${t("common.loading")}…`));
    try {
      const ans = await get(`/v1/enterprises/${encodeURIComponent(uscc)}/beneficial-owners`,
        { threshold: threshold.value, as_of: asOf.value || undefined }, t("own.owners"));
      clear(owners);
      const list = ans.beneficial_owners || [];
      if (!list.length) owners.append(h("p", { class: "muted" }, t("own.none")));
      list.forEach((o) => {
        owners.append(h("div", { class: "basis owner" },
          h("div", {}, h("strong", {}, o.masked ? o.name : h("a", { href: subjectHref(o.kind, o.id) }, o.name)),
            ` ${t("own.integrated")} ${pct(o.integrated_ratio)}`),
          h("div", { class: "small muted" }, t("own.paths")),
          h("ul", { class: "small path-list" }, (o.paths || []).map((p) => h("li", { onclick: () => highlight(p) },
            p.nodes.map((n) => n.name).join(" → "), ` （${p.ratios.map((r) => pct(r)).join(" × ")} = ${pct(p.product)}）`)))));
      });
      if (ans.actual_controller) {
        const c = ans.actual_controller;
        owners.append(h("h4", {}, t("own.controller")), h("ul", { id: "controllers" }, (c.controllers || []).map((x) => h("li", {},
          x.masked ? x.name : h("a", { href: subjectHref(x.kind, x.id) }, x.name),
          ` · ${x.basis || c.basis || ""}`, x.voting_ratio !== null && x.voting_ratio !== undefined ? ` · ${pct(x.voting_ratio)}` : "",
          x.uncertain ? " · 疑似" : ""))));
      }
      owners.append(h("p", { class: "muted small" }, `${t("own.threshold")} ${pct(ans.threshold)} · ${t("common.asOf")} ${ans.as_of}`));
    } catch (e) {
      clear(owners, errorBox(e));
    }
  }

  load();
}


