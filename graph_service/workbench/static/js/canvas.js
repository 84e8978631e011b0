// The graph canvas shared by the network, paths and ownership screens: cytoscape with the styles
// of the legend (shape by subject kind, colour by what binds a node, the focal node ringed), the
// legend itself, and the PNG (watermarked) and GraphML exports.

import { t } from "./i18n.js";
import { me } from "./main.js";
import { download, h } from "./util.js";

const CONSUMPTION = "mkt_consumption_restriction";  // the court-listed debtor's measure (measures.yaml)

// Okabe-Ito colours (readable with colour-blindness); every colour also has a text badge in the label.
export const COLOURS = {
  court: "#7b3294", black: "#1a1a1a", liable: "#d55e00", penalty: "#e6b800", red: "#cc2936",
  clean: "#6c8ebf", masked: "#b8c0ca", more: "#eef1f5",
};
const BADGE = { court: "失信被执行", black: "黑名单", liable: "失信责任", penalty: "处罚", red: "红名单" };
const BADGE_EN = { court: "court debtor", black: "black list", liable: "liable", penalty: "penalty", red: "red list" };

// What binds a node, the strongest first: a court-listed debtor, black-listed, liable, penalised, red-listed.
export function bindingOf(node) {
  const f = node.flags;
  if (node.masked || !f) return node.masked ? "masked" : "clean";
  if ((f.measures || []).includes(CONSUMPTION)) return "court";
  if (f.blacklisted) return "black";
  if (f.restricted || f.liabilities > 0) return "liable";
  if (f.penalised) return "penalty";
  if (f.red_listed) return "red";
  return "clean";
}

// CJK labels wrap at about 7 characters a line.
export function wrapLabel(name, width = 7) {
  const s = String(name || "");
  const out = [];
  for (let i = 0; i < s.length && out.length < 3; i += width) out.push(s.slice(i, i + width));
  if (s.length > width * 3) out[2] = out[2].slice(0, width - 1) + "…";
  return out.join("\n");
}

export function nodeData(node, extra = {}) {
  const binding = bindingOf(node);
  const badges = document.documentElement.lang === "en" ? BADGE_EN : BADGE;
  const badge = badges[binding] ? `【${badges[binding]}】\n` : "";
  return {
    id: node.key, kind: node.kind, name: node.name, sid: node.id, masked: Boolean(node.masked),
    binding, colour: COLOURS[binding], depth: node.depth ?? null, focal: node.depth === 0,
    label: badge + wrapLabel(node.name || node.id), raw: node, ...extra,
  };
}

export const STYLE = [
  { selector: "node", style: {
    label: "data(label)", "text-wrap": "wrap", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
    "font-family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif", color: "#1d2733",
    "background-color": "data(colour)", "border-width": 1, "border-color": "#ffffff", width: 30, height: 30,
    "text-background-color": "#ffffff", "text-background-opacity": 0.75, "text-background-padding": 1,
  } },
  { selector: "node[kind = 'enterprise']", style: { shape: "round-rectangle", width: 38, height: 30 } },
  { selector: "node[kind = 'person']", style: { shape: "ellipse", width: 26, height: 26 } },
  { selector: "node[?focal]", style: { "border-width": 5, "border-color": "#e69f00", width: 50, height: 40, "font-size": 13, "font-weight": 700 } },
  { selector: "node[?masked]", style: { "background-color": COLOURS.masked, color: "#66717f" } },
  { selector: "node[kind = 'more']", style: {
    shape: "round-tag", "background-color": COLOURS.more, "border-width": 1, "border-color": "#66717f",
    "border-style": "dashed", width: 36, height: 22, label: "data(label)", "text-valign": "center",
    "text-margin-y": 0, "font-size": 11, color: "#1d2733", "text-background-opacity": 0,
  } },
  { selector: "node:selected", style: { "overlay-color": "#2f6db5", "overlay-opacity": 0.18, "overlay-padding": 6 } },
  { selector: "edge", style: {
    width: 1.4, "line-color": "#9aa5b1", "curve-style": "bezier", "target-arrow-shape": "triangle",
    "target-arrow-color": "#9aa5b1", "arrow-scale": 0.8, "font-size": 10, color: "#44505c",
    "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-rotation": "autorotate",
  } },
  { selector: "edge[relation = 'shareholding']", style: { "line-color": "#2f6db5", "target-arrow-color": "#2f6db5" } },
  { selector: "edge[relation = 'named_responsible']", style: { "line-color": "#d55e00", "target-arrow-color": "#d55e00", "line-style": "dotted", width: 2 } },
  { selector: "edge[relation = 'more']", style: { "line-style": "dashed", "target-arrow-shape": "none", "line-color": "#b8c0ca" } },
  { selector: "edge[!current]", style: { "line-style": "dashed", opacity: 0.7 } },
  { selector: "edge[?in_cycle]", style: { "line-color": "#cc2936", "target-arrow-color": "#cc2936", "line-style": "dashed" } },
  { selector: "edge.labelled", style: { label: "data(label)" } },
  { selector: ".faded", style: { opacity: 0.18 } },
  { selector: ".hl", style: { "line-color": "#e69f00", "target-arrow-color": "#e69f00", width: 3.5, "border-color": "#e69f00", "border-width": 4 } },
];

export function createCanvas(container, extraStyle = []) {
  // cytoscape-fcose registers itself when its script finds window.cytoscape.
  return window.cytoscape({
    container, style: [...STYLE, ...extraStyle], minZoom: 0.05, maxZoom: 4,
    boxSelectionEnabled: false, textureOnViewport: true, hideEdgesOnViewport: false,
  });
}

// Edge labels: always on a small graph; on a large one only around the selected node (a hairball of labels reads as nothing).
// Only the edges whose class changes are touched, in one batch: on a canvas of 500 nodes a class
// set on every element restyles them all, and a click waited for it (issue 19: expand <= 300 ms).
export function labelEdges(cy, around = null) {
  const edges = cy.edges();
  const want = edges.length <= 40 ? edges : around ? around.connectedEdges() : cy.collection();
  cy.batch(() => {
    cy.edges(".labelled").difference(want).removeClass("labelled");
    want.filter((e) => !e.hasClass("labelled")).addClass("labelled");
  });
}

export function legend(kinds = ["court", "black", "liable", "penalty", "red", "clean"]) {
  const sw = (colour, cls = "") => h("span", { class: `sw ${cls}`, style: `background:${colour}` });
  return h("div", { class: "legend", "aria-label": t("graph.legend") },
    h("strong", {}, t("graph.legend")), h("br"),
    h("span", {}, h("span", { class: "sw", style: "background:#fff;border-color:#e69f00;border-width:3px" }), t("legend.focal")), h("br"),
    h("span", {}, sw("#fff"), t("legend.enterprise")), h("br"),
    h("span", {}, sw("#fff", "person"), t("legend.person")), h("br"),
    kinds.map((k) => [h("span", {}, sw(COLOURS[k], k === "clean" ? "" : ""), t(`legend.${k}`)), h("br")]),
    h("span", {}, sw(COLOURS.more), t("legend.more")), h("br"),
    h("span", {}, h("span", { class: "sw dashed" }), t("legend.ended")));
}

function stamp() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

// PNG of the whole graph with a watermark naming the key and the time (printouts leave the office).
export async function exportPng(cy, name) {
  const blob = await cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff", maxWidth: 6000, maxHeight: 6000 });
  const img = await createImageBitmap(blob);
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height + 44;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0);
  const mark = `${t("app.title")} · ${t("export.watermark")} ${stamp()} · key ${me.key_id || "-"} (${me.role})`;
  ctx.font = "24px 'Noto Sans CJK SC', sans-serif";
  ctx.fillStyle = "#66717f";
  ctx.fillText(mark, 16, img.height + 30);
  ctx.save();
  ctx.globalAlpha = 0.08;
  ctx.font = "48px 'Noto Sans CJK SC', sans-serif";
  ctx.rotate(-Math.PI / 8);
  for (let y = 0; y < canvas.height * 1.5; y += 260) {
    for (let x = -canvas.width; x < canvas.width * 1.5; x += 900) ctx.fillText(`${me.key_id || ""} ${stamp()}`, x, y);
  }
  ctx.restore();
  const out = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  download(`${name}.png`, out);
}

const xml = (s) => String(s ?? "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

// GraphML of what the canvas shows (masked ids stay masked: they are what the API answered).
export function exportGraphml(cy, name) {
  const nodeKeys = ["kind", "id", "name", "binding", "masked"];
  const edgeKeys = ["relation", "role", "title", "ratio", "start_on", "end_on", "current", "record_id"];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...nodeKeys.map((k) => `  <key id="n_${k}" for="node" attr.name="${k}" attr.type="string"/>`),
    ...edgeKeys.map((k) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    `  <graph id="${xml(name)}" edgedefault="directed">`];
  cy.nodes().filter((n) => n.data("kind") !== "more").forEach((n) => {
    const d = n.data();
    const vals = { kind: d.kind, id: d.sid, name: d.name, binding: d.binding, masked: d.masked };
    lines.push(`    <node id="${xml(d.id)}">${nodeKeys.map((k) => `<data key="n_${k}">${xml(vals[k])}</data>`).join("")}</node>`);
  });
  cy.edges().filter((e) => e.data("relation") !== "more").forEach((e) => {
    const d = e.data();
    lines.push(`    <edge id="${xml(d.id)}" source="${xml(d.source)}" target="${xml(d.target)}">` +
      edgeKeys.filter((k) => d[k] !== null && d[k] !== undefined).map((k) => `<data key="e_${k}">${xml(d[k])}</data>`).join("") + "</edge>");
  });
  lines.push("  </graph>", "</graphml>");
  download(`${name}.graphml`, new Blob([lines.join("\n")], { type: "application/graphml+xml" }));
}

// Fit the drawing, without blowing a three-node graph up to poster size.
export function fit(cy) {
  cy.fit(undefined, 40);
  if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
}

// Fades all but `ele` and its neighbours (none: nothing faded); as labelEdges, only what changes.
export function focus(cy, ele) {
  const faded = cy.elements(".faded");
  const want = ele ? cy.elements().not(ele.closedNeighborhood()) : cy.collection();
  if (!faded.length && !want.length) return;
  cy.batch(() => {
    faded.difference(want).removeClass("faded");
    want.difference(faded).addClass("faded");
  });
}
