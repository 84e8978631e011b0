// The related-party canvas (GET /v1/subjects/{id}/network): depth 1-2, a click expands a node,
// relation filters, an as_of slider that redraws, hubs collapsed into "+N" nodes that page in.

import { get } from "./api.js";
import { actionName, measureName, t, word } from "./i18n.js";
import { createCanvas, fit, exportGraphml, exportPng, focus, labelEdges, legend, nodeData } from "./canvas.js";
import { edgeLabel } from "./subject.js";
import { me } from "./main.js";
import { clear, errorBox, h, parseHash, setHashParams, subjectHref, tag, today } from "./util.js";

const RELATIONS = ["role", "shareholding", "named_responsible"];
const SLIDER_START = "2000-01-01";

const dayNumber = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / 86400000);
const isoOf = (n) => new Date(n * 86400000).toISOString().slice(0, 10);

export function edgeData(e) {
  return {
    id: e.id, source: e.source, target: e.target, relation: e.relation, role: e.role, title: e.title,
    ratio: e.ratio, start_on: e.start_on, end_on: e.end_on, current: e.current !== false,
    record_id: e.record_id, label: edgeLabel(e),
  };
}

export function render(view, kind, id) {
  const { params } = parseHash();
  const state = {
    kind, id,
    depth: Number(params.get("depth") || 1),
    relations: (params.get("relations") || RELATIONS.join(",")).split(",").filter((r) => RELATIONS.includes(r)),
    asOf: params.get("as_of") || today(),
    history: params.get("history") === "1",
    more: new Map(),  // node key -> {count, relations, cursor}
    generation: 0,
    expansions: 0,
  };

  const container = h("div", { class: "canvas", id: "cy" });
  const status = h("div", { class: "canvas-status", id: "canvas-status" });
  const side = h("div", { class: "card", id: "node-panel" }, h("p", { class: "muted" }, t("graph.selectHint")));
  const err = h("div");

  const depthSel = h("select", { id: "depth", onchange: () => { state.depth = Number(depthSel.value); reload(); } },
    [1, 2].map((d) => h("option", { value: d, selected: d === state.depth }, String(d))));
  const relBoxes = RELATIONS.map((r) => h("label", {}, h("input", {
    type: "checkbox", value: r, checked: state.relations.includes(r), class: "relation",
    onchange: () => { state.relations = relBoxes.map((l) => l.firstChild).filter((x) => x.checked).map((x) => x.value); reload(); },
  }), word("relations", r)));
  const historyBox = h("input", { type: "checkbox", id: "history", checked: state.history,
    onchange: () => { state.history = historyBox.checked; reload(); } });

  const first = dayNumber(SLIDER_START);
  const last = dayNumber(today());
  const slider = h("input", { type: "range", id: "as-of-slider", min: first, max: last, step: 1, value: dayNumber(state.asOf) });
  const dateIn = h("input", { type: "date", id: "as-of", value: state.asOf });
  let timer = null;
  slider.addEventListener("input", () => {
    dateIn.value = isoOf(Number(slider.value));
    clearTimeout(timer);
    timer = setTimeout(() => { state.asOf = dateIn.value; reload(); }, 250);
  });
  dateIn.addEventListener("change", () => {
    if (!dateIn.value) return;
    slider.value = dayNumber(dateIn.value);
    state.asOf = dateIn.value;
    reload();
  });

  view.append(
    h("div", { class: "card toolbar" },
      h("strong", { id: "graph-title" }, `${t("graph.title")}：${id}`),
      h("label", {}, t("graph.depth"), depthSel),
      h("span", {}, `${t("graph.relations")}：`, relBoxes),
      h("label", {}, historyBox, t("graph.history")),
      h("span", { class: "slider" }, `${t("graph.asOf")}：`, slider, dateIn),
      h("button", { type: "button", id: "fit", onclick: () => fit(cy) }, t("graph.fit")),
      h("button", { type: "button", id: "export-png", onclick: () => exportPng(cy, `network-${id}`) }, t("graph.png")),
      h("button", { type: "button", id: "export-graphml", onclick: () => exportGraphml(cy, `network-${id}`) }, t("graph.graphml")),
      h("a", { class: "button", href: subjectHref(kind, id) }, t("graph.openSubject"))),
    err,
    h("div", { class: "canvas-screen" },
      h("div", { class: "canvas-wrap" }, container, legend(), status),
      h("div", { class: "side" }, side)));

  const cy = createCanvas(container);
  window.__workbench = { cy, state };  // for the browser tests and the timing script

  function query() {
    return { kind: state.kind, as_of: state.asOf, history: state.history ? "true" : undefined, relations: state.relations };
  }

  function updateStatus(truncated) {
    const nodes = cy.nodes().filter((n) => n.data("kind") !== "more").length;
    const edges = cy.edges().filter((e) => e.data("relation") !== "more").length;
    const hidden = [...state.more.values()].reduce((s, m) => s + m.count, 0);
    clear(status, `${t("graph.shown")} ${nodes} ${t("graph.nodes")}、${edges} ${t("graph.edges")}`,
      hidden ? ` · ${t("graph.more")} ${hidden} ${t("graph.moreLinks")}` : "",
      truncated ? [" · ", h("span", { class: "warn" }, t("graph.truncated"))] : "");
    status.dataset.nodes = nodes;
    status.dataset.ready = String(state.generation);
  }

  // "+N" nodes: the links a node's answer left out (`more`), paged in by a click.
  function setMore(key, count, relations, cursor) {
    const moreId = `more:${key}`;
    cy.getElementById(moreId).remove();
    if (!count) { state.more.delete(key); return; }
    state.more.set(key, { count, relations, cursor });
    const owner = cy.getElementById(key);
    const pos = owner.position();
    cy.add([
      { group: "nodes", data: { id: moreId, kind: "more", owner: key, label: `+${count}` },
        position: { x: pos.x + 40, y: pos.y - 40 } },
      { group: "edges", data: { id: `moreedge:${key}`, source: key, target: moreId, relation: "more", current: true } },
    ]);
  }

  function addAnswer(ans, around) {
    const fresh = [];
    for (const n of ans.nodes) {
      if (cy.getElementById(n.key).length) continue;
      const data = nodeData(n);
      if (around) data.depth = (around.data("depth") ?? 0) + n.depth;
      data.focal = around === null && n.depth === 0;
      fresh.push({ group: "nodes", data });
    }
    const edges = ans.edges.filter((e) => !cy.getElementById(e.id).length).map((e) => ({ group: "edges", data: edgeData(e) }));
    const added = cy.add([...fresh, ...edges]);
    for (const n of ans.nodes) {
      const count = Object.values(n.more || {}).reduce((s, x) => s + x, 0);
      if (n.depth === 0 && around === null) setMore(n.key, count, Object.keys(n.more || {}), ans.next_cursor);
      else if (count && n.truncated !== "depth") setMore(n.key, count, Object.keys(n.more || {}), null);
    }
    return added;
  }

  function layoutAll() {
    const n = cy.nodes().length;
    const layout = cy.layout(n > 1 ? {
      name: window.cytoscapeFcose ? "fcose" : "cose",
      quality: n > 300 ? "draft" : "default", randomize: true, animate: false, nodeRepulsion: 12000,
      idealEdgeLength: 120, nodeSeparation: 80, packComponents: true, numIter: n > 300 ? 1200 : 2500,
    } : { name: "grid" });
    layout.run();
    fit(cy);
  }

  // New nodes go on a ring around the node they came from: the rest of the drawing stays where it was.
  function ringAround(center, added) {
    const nodes = added.nodes().filter((x) => x.data("kind") !== "more");
    const c = center.position();
    const r = 90 + nodes.length * 6;
    nodes.forEach((node, i) => {
      const a = (2 * Math.PI * i) / Math.max(nodes.length, 1);
      node.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
    });
    cy.nodes("[kind = 'more']").forEach((m) => {
      const o = cy.getElementById(m.data("owner")).position();
      m.position({ x: o.x + 40, y: o.y - 40 });
    });
  }

  async function reload() {
    setHashParams({ depth: state.depth, relations: state.relations.length === RELATIONS.length ? null : state.relations.join(","),
      as_of: state.asOf === today() ? null : state.asOf, history: state.history ? "1" : null });
    clear(err);
    const gen = ++state.generation;
    try {
      const ans = await get(`/v1/subjects/${encodeURIComponent(id)}/network`, { ...query(), depth: state.depth }, t("graph.title"));
      if (gen !== state.generation) return;
      cy.startBatch();
      cy.elements().remove();
      state.more.clear();
      addAnswer(ans, null);
      cy.endBatch();
      layoutAll();
      labelEdges(cy);
      const root = ans.nodes.find((n) => n.depth === 0);
      if (root) document.getElementById("graph-title").textContent = `${t("graph.title")}：${root.name}`;
      updateStatus(ans.truncated);
    } catch (e) {
      if (gen === state.generation) { clear(err, errorBox(e)); state.generation++; updateStatus(false); }
    }
  }

  async function expand(node) {
    if (node.data("masked")) return;
    const gen = state.generation;
    clear(err);
    try {
      const ans = await get(`/v1/subjects/${encodeURIComponent(node.data("sid"))}/network`,
        { ...query(), kind: node.data("kind"), depth: 1 }, t("graph.expand"));
      if (gen !== state.generation) return;
      cy.startBatch();
      const added = addAnswer(ans, node);
      // this node's own links are now read, up to the page: the rest pages in from its "+N"
      const self = ans.nodes.find((n) => n.depth === 0);
      const count = self ? Object.values(self.more || {}).reduce((s, x) => s + x, 0) : 0;
      setMore(node.id(), count, Object.keys((self && self.more) || {}), ans.next_cursor);
      ringAround(node, added);
      cy.endBatch();
      labelEdges(cy, node);
      updateStatus(ans.truncated);
    } catch (e) {
      clear(err, errorBox(e));
    }
    status.dataset.expansions = String(++state.expansions);  // the tests and bench/workbench.py wait on it
  }

  async function pageIn(moreNode) {
    const key = moreNode.data("owner");
    const m = state.more.get(key);
    const owner = cy.getElementById(key);
    if (!m || !owner.length) return;
    clear(err);
    try {
      const q = { ...query(), kind: owner.data("kind"), depth: 1, relations: m.relations.length ? m.relations : state.relations };
      if (m.cursor) q.cursor = m.cursor;
      const ans = await get(`/v1/subjects/${encodeURIComponent(owner.data("sid"))}/network`, q, t("graph.expand"));
      cy.startBatch();
      const before = cy.nodes().length;
      const added = addAnswer(ans, owner);
      const self = ans.nodes.find((n) => n.depth === 0);
      let count = self ? Object.values(self.more || {}).reduce((s, x) => s + x, 0) : 0;
      if (!ans.next_cursor && cy.nodes().length === before) count = 0;  // nothing further to page in
      setMore(key, count, Object.keys((self && self.more) || {}), ans.next_cursor);
      ringAround(owner, added);
      cy.endBatch();
      labelEdges(cy, owner);
      updateStatus(ans.truncated);
    } catch (e) {
      clear(err, errorBox(e));
    }
  }

  function showNode(node) {
    const d = node.data();
    if (d.kind === "more") return;
    const raw = d.raw || {};
    const f = raw.flags || {};
    clear(side,
      h("h3", {}, d.name || d.sid),
      h("dl", { class: "facts" },
        h("dt", {}, word("subject_kinds", d.kind)), h("dd", {}, h("code", {}, d.sid)),
        raw.region_code ? [h("dt", {}, t("subject.region")), h("dd", {}, raw.region_code)] : null,
        h("dt", {}, t("legend.focal")), h("dd", {}, d.focal ? t("common.yes") : t("common.no"))),
      d.masked ? h("p", { class: "muted" }, t("graph.masked")) : null,
      (f.records_in_force || []).length ? [h("h4", {}, t("subject.records")), f.records_in_force.map((r) => tag(r, f.blacklisted ? "black" : ""))] : null,
      (f.restricted_actions || []).length ? [h("h4", {}, t("subject.restricted")), f.restricted_actions.map((a) => tag(actionName(a), "liable"))] : null,
      (f.favoured_actions || []).length ? [h("h4", {}, t("subject.favoured")), f.favoured_actions.map((a) => tag(actionName(a), "ok"))] : null,
      (f.measures || []).length ? [h("h4", {}, t("subject.measures")), h("ul", { class: "measures small" }, f.measures.map((m) => h("li", {}, measureName(m))))] : null,
      h("h4", {}, t("graph.edges")),
      h("ul", { class: "small" }, node.connectedEdges().filter((e) => e.data("relation") !== "more").map((e) => {
        const other = e.source().id() === node.id() ? e.target() : e.source();
        return h("li", {}, other.data("name") || other.data("sid"), " · ", e.data("label"),
          e.data("current") ? "" : ` (${e.data("start_on") || "…"} — ${e.data("end_on") || ""})`);
      })),
      d.masked || (d.kind === "person" && !me.sees_persons) ? null : h("div", { class: "toolbar" },
        h("button", { type: "button", onclick: () => expand(node) }, t("graph.expand")),
        h("a", { class: "button", href: subjectHref(d.kind, d.sid) }, t("graph.openSubject")),
        h("a", { class: "button", href: `#/graph/${d.kind}/${encodeURIComponent(d.sid)}` }, t("graph.center"))));
  }

  cy.on("tap", "node", (ev) => {
    const node = ev.target;
    if (node.data("kind") === "more") { pageIn(node); return; }
    // The request first: restyling and redrawing a canvas of 500 nodes takes as long as the
    // answer, and runs while it comes (issue 19: expanding <= 300 ms).
    const expanding = !node.data("expanded") && !node.data("focal");
    if (expanding) node.data("expanded", true);
    const done = expanding ? expand(node) : null;
    focus(cy, null);
    showNode(node);
    labelEdges(cy, node);
    if (done) done.then(() => showNode(node));
  });
  cy.on("mouseover", "node", (ev) => { if (cy.nodes().length > 60) focus(cy, ev.target); });
  cy.on("mouseout", "node", () => focus(cy, null));
  cy.on("tap", (ev) => { if (ev.target === cy) focus(cy, null); });

  reload();
}
