// The department desk: notifications for the key's region with acknowledge and feedback,
// objections due and overdue, the black and red lists with CSV download, and the statistics as
// charts by month and category (echarts, loaded when the tab opens).

import { get, post, request } from "./api.js";
import { categoryName, measureName, t, word } from "./i18n.js";
import { me } from "./main.js";
import { clear, download, errorBox, h, loading, parseHash, setHashParams, subjectHref, table, tag, today } from "./util.js";

const TABS = ["notifications", "objections", "lists", "stats"];
const DEFAULT_REGION = "431000";  // 郴州市: the city of the policy, for keys limited to no region
const PAGE = 50;

export function render(view, tab) {
  const { params } = parseHash();
  const region = params.get("region") || (me.region && me.region.code) || DEFAULT_REGION;
  const regionIn = h("input", { id: "desk-region", value: region, size: 8, onchange: () => {
    setHashParams({ region: regionIn.value.trim() });
    render(clear(view), tab);
  } });
  const body = h("div", { id: "desk-body" });
  view.append(
    h("div", { class: "card toolbar" }, h("strong", {}, t("desk.title")),
      h("label", {}, t("desk.region"), regionIn),
      h("span", { class: "muted" }, me.region ? (me.region.path || []).map((r) => r.name).join(" / ") : "")),
    h("nav", { class: "tabs" }, TABS.map((x) => h("a", {
      href: `#/desk/${x}${params.get("region") ? "?region=" + params.get("region") : ""}`, class: x === tab ? "active" : "", id: `tab-${x}`,
    }, t(`desk.${x}`)))),
    body);
  const r = regionIn.value.trim();
  if (tab === "objections") objections(body, r);
  else if (tab === "lists") lists(body, r);
  else if (tab === "stats") stats(body, r);
  else notifications(body, r);
}

// --- notifications ------------------------------------------------------------------------------

function notifications(el, region) {
  const { params } = parseHash();
  const statusSel = h("select", { id: "notification-status", onchange: () => { offset = 0; load(); } },
    h("option", { value: "" }, t("desk.allStatuses")),
    ["pending", "acknowledged", "answered", "restoration_pending", "restoration_acknowledged"].map((s) =>
      h("option", { value: s, selected: params.get("status") === s }, word("notification_statuses", s))));
  const out = h("div", { id: "notifications" });
  let offset = 0;
  el.append(h("div", { class: "card" }, h("div", { class: "toolbar" }, h("label", {}, t("common.status"), statusSel)), out));

  function load() {
    loading(out, get("/v1/notifications", { region, status: statusSel.value || undefined, limit: PAGE, offset }, t("desk.notifications")), (ans) => {
      out.append(h("p", { class: "muted" }, `${t("common.total")} ${ans.total}`),
        table([t("desk.record"), t("record.kind"), t("desk.sent"), t("desk.due"), t("common.status"), t("desk.measures"), t("common.actions")],
          ans.items.map(row), { empty: t("desk.noItems") }),
        pager(ans.total, offset, (o) => { offset = o; load(); }) || "");
    });
  }

  function row(n) {
    const cell = h("td", {});
    const tr = h("tr", { dataset: { notification: n.notification_id } },
      h("td", {}, h("code", {}, n.record_id), h("div", { class: "small muted" }, n.notification_id)),
      h("td", {}, tag(word("record_kinds", n.record_kind), n.record_kind)),
      h("td", {}, n.sent_on || ""),
      h("td", {}, n.due_on || "", n.overdue ? [" ", tag(t("desk.overdue"), "black")] : ""),
      h("td", { class: "status" }, tag(word("notification_statuses", n.status), n.status === "pending" ? "warn" : "ok"),
        n.suspended_on ? [" ", tag(`${t("desk.suspended")} ${n.suspended_on}`, "muted")] : "",
        n.acknowledged_on ? h("div", { class: "small muted" }, `${t("desk.ack")} ${n.acknowledged_on}`) : ""),
      h("td", { class: "small" }, h("details", {}, h("summary", {}, `${(n.measures || []).length} ${t("desk.measures")}`),
        h("ul", { class: "measures" }, (n.measures || []).map((m) => h("li", {}, measureName(m)))))),
      cell);
    const act = async (fn) => {
      try { await fn(); load(); } catch (e) { cell.append(errorBox(e)); }
    };
    if (n.status === "pending") {
      cell.append(h("button", { type: "button", class: "primary ack", onclick: () => act(() =>
        post(`/v1/notifications/${encodeURIComponent(n.notification_id)}/acknowledge`, {}, t("desk.ack"))) }, t("desk.ack")));
    }
    if (n.status === "pending" || n.status === "acknowledged" || n.status === "answered") {
      cell.append(" ", h("button", { type: "button", class: "feedback", onclick: () => feedbackForm(cell, n, act) }, t("desk.feedback")));
    }
    if (n.status === "restoration_pending") {
      cell.append(h("button", { type: "button", onclick: () => act(() =>
        post(`/v1/notifications/${encodeURIComponent(n.notification_id)}/restoration/acknowledge`, {}, t("desk.ack"))) }, t("desk.ack")));
    }
    return tr;
  }

  load();
}

function feedbackForm(cell, n, act) {
  if (cell.querySelector("form")) return;
  const applied = h("input", { type: "checkbox", checked: true });
  const on = h("input", { type: "date", value: today() });
  const boxes = (n.measures || []).map((m) => h("label", { class: "small" }, h("input", { type: "checkbox", value: m, checked: true }), measureName(m)));
  const reason = h("input", { placeholder: t("desk.reason"), maxlength: 2000 });
  const form = h("form", { class: "feedback-form", onsubmit: (ev) => {
    ev.preventDefault();
    const measures = boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => x.value);
    act(() => post(`/v1/notifications/${encodeURIComponent(n.notification_id)}/feedback`, {
      applied: applied.checked, on: on.value || undefined, measures: applied.checked ? measures : undefined,
      reason: reason.value || undefined,
    }, t("desk.feedback")));
  } },
  h("label", {}, applied, t("desk.applied")), h("label", {}, t("desk.on"), on),
  h("div", { style: "max-height:160px;overflow:auto;display:grid" }, boxes), reason,
  h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, t("desk.submit")),
    h("button", { type: "button", onclick: () => form.remove() }, t("common.cancel"))));
  cell.append(form);
}

function pager(total, offset, go) {
  if (total <= PAGE) return null;
  return h("div", { class: "pager" },
    h("button", { type: "button", disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, t("common.prev")),
    `${offset + 1}–${Math.min(total, offset + PAGE)} / ${total}`,
    h("button", { type: "button", disabled: offset + PAGE >= total, onclick: () => go(offset + PAGE) }, t("common.next")));
}

// --- objections ----------------------------------------------------------------------------------

// Open objections with their due day: GET /v1/objections/overdue lists those open and past due on a
// day; asked for a day 40 working days ahead, it holds every objection open now (each is due 20
// working days after its notice), and those past due today are marked overdue.
function objections(el, region) {
  const ahead = new Date(Date.now() + 70 * 86400000).toISOString().slice(0, 10);
  const out = h("div", { id: "objections" });
  el.append(h("div", { class: "card" }, h("h3", {}, `${t("desk.objectionsOpen")} / ${t("desk.objectionsOverdue")}`), out));
  loading(out, get("/v1/objections/overdue", { region, as_of: ahead }, t("desk.objections")), (ans) => {
    const now = today();
    const items = [...ans.items].sort((a, b) => String(a.due_on).localeCompare(String(b.due_on)));
    out.append(table([t("desk.record"), t("desk.notice"), t("desk.dueOn"), t("common.status"), t("desk.filedBy"), t("desk.reason")],
      items.map((o) => [h("code", {}, o.record_id), o.notice_on || "", o.due_on || "",
        o.due_on && o.due_on < now ? tag(t("desk.overdue"), "black") : tag(word("objection_statuses", o.status || "open"), "warn"),
        o.filed_by || "", h("span", { class: "small" }, o.grounds || "")]), { empty: t("desk.noItems") }));
  });
}

// --- lists --------------------------------------------------------------------------------------

function lists(el, region) {
  const { params } = parseHash();
  const kind = params.get("kind") === "red" ? "red" : "black";
  const by = params.get("by") === "subject" ? "subject" : "authority";
  let offset = 0;
  const out = h("div", { id: "list" });
  const relist = () => {
    setHashParams({ region: params.get("region"), kind: kindSel.value, by: bySel.value });
    lists(clear(el), region);
  };
  const kindSel = h("select", { id: "list-kind", onchange: () => relist() },
    ["black", "red"].map((k) => h("option", { value: k, selected: k === kind }, t(`desk.${k}`))));
  const bySel = h("select", { id: "list-by", onchange: () => relist() },
    ["authority", "subject"].map((k) => h("option", { value: k, selected: k === by }, t(k === "authority" ? "desk.byAuthority" : "desk.bySubject"))));
  const csv = h("button", { type: "button", id: "list-csv", onclick: async () => {
    try {
      const resp = await request("GET", `/v1/lists/${kind}`, { params: { region, by, format: "csv" }, raw: true, label: t("desk.csv") });
      download(`${kind}-list-${region}-${today()}.csv`, await resp.blob());
    } catch (e) { out.prepend(errorBox(e)); }
  } }, t("desk.csv"));
  el.append(h("div", { class: "card" }, h("div", { class: "toolbar" }, kindSel, h("label", {}, t("desk.by"), bySel), csv), out));

  function load() {
    loading(out, get(`/v1/lists/${kind}`, { region, by, limit: PAGE, offset }, t("desk.lists")), (ans) => {
      out.append(h("p", { class: "muted" }, `${t("common.total")} ${ans.total} · ${t("common.asOf")} ${ans.as_of}`),
        table([t("desk.subject"), t("record.id"), t("record.category"), t("record.authority"), t("record.documentNo"), t("record.decided"), t("record.validUntil")],
          ans.items.map((r) => [
            r.masked || (r.subject_kind === "person" && !me.sees_persons) ? r.subject_name : h("a", { href: subjectHref(r.subject_kind, r.subject_id) }, r.subject_name),
            h("code", {}, r.record_id), categoryName(r.category), r.authority_name || "", r.document_no || "", r.decided_on || "", r.valid_until || ""]),
          { empty: t("desk.noItems") }),
        pager(ans.total, offset, (o) => { offset = o; load(); }) || "");
    });
  }
  load();
}

// --- statistics ---------------------------------------------------------------------------------

function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return new Promise((resolve, reject) => {
    const s = h("script", { src: "/workbench/vendor/echarts.min.js" });
    s.onload = () => resolve(window.echarts);
    s.onerror = () => reject(new Error(t("common.libsMissing")));
    document.head.appendChild(s);
  });
}

function stats(el, region) {
  const { params } = parseHash();
  const year = Number(params.get("year") || new Date().getFullYear());
  const yearSel = h("select", { id: "stats-year", onchange: () => { setHashParams({ region: params.get("region"), year: yearSel.value }); stats(clear(el), region); } },
    [0, 1, 2, 3].map((d) => new Date().getFullYear() - d).map((y) => h("option", { value: y, selected: y === year }, String(y))));
  const monthChart = h("div", { class: "chart", id: "chart-months" });
  const catChart = h("div", { class: "chart", id: "chart-categories" });
  const loopChart = h("div", { class: "chart", id: "chart-loop" });
  const summary = h("div", { id: "stats-summary" });
  const err = h("div");
  el.append(h("div", { class: "card" }, h("div", { class: "toolbar" }, h("label", {}, t("desk.year"), yearSel)), err,
    h("div", { class: "charts" },
      h("div", {}, h("h3", {}, t("desk.byMonth")), monthChart),
      h("div", {}, h("h3", {}, t("desk.byCategory")), catChart),
      h("div", {}, h("h3", {}, t("desk.loop")), loopChart),
      h("div", {}, h("h3", {}, t("desk.stats")), summary))));

  const pad = (n) => String(n).padStart(2, "0");
  const months = [...Array(12).keys()].map((m) => {
    const last = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    return { label: `${m + 1}${t("desk.month")}`, from: `${year}-${pad(m + 1)}-01`, to: `${year}-${pad(m + 1)}-${pad(last)}` };
  });
  // One GET /v1/stats per month and one for the year: the statistics answer counts for a period.
  Promise.all([Promise.all([loadEcharts(), get("/v1/stats", { region, from: `${year}-01-01`, to: `${year}-12-31` }, t("desk.stats"))]),
    Promise.all(months.map((m) => get("/v1/stats", { region, from: m.from, to: m.to }, `${t("desk.stats")} ${m.label}`)))])
    .then(([[echarts, whole], perMonth]) => {
      const kinds = ["black", "red", "penalty"];
      const colours = { black: "#1a1a1a", red: "#cc2936", penalty: "#e6b800" };
      echarts.init(monthChart).setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0, data: kinds.map((k) => word("record_kinds", k)) },
        grid: { left: 40, right: 10, top: 40, bottom: 30 }, animation: false,
        xAxis: { type: "category", data: months.map((m) => m.label) }, yAxis: { type: "value", minInterval: 1 },
        series: kinds.map((k) => ({ name: word("record_kinds", k), type: "bar", stack: "records", itemStyle: { color: colours[k] },
          data: perMonth.map((s) => (s.records[k] || {}).total || 0) })),
      });
      const cats = [];
      for (const k of kinds) {
        for (const [c, n] of Object.entries((whole.records[k] || {}).by_category || {})) cats.push({ name: `${word("record_kinds", k).replace(/（.*）/, "")}·${categoryName(c)}`, value: n, k });
      }
      echarts.init(catChart).setOption({
        tooltip: { trigger: "item" }, animation: false,
        grid: { left: 240, right: 20, top: 10, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: cats.map((c) => c.name), axisLabel: { width: 230, overflow: "truncate" } },
        series: [{ type: "bar", data: cats.map((c) => ({ value: c.value, itemStyle: { color: colours[c.k] } })) }],
      });
      const loopKeys = ["sent", "acknowledged", "answered", "applied"];
      echarts.init(loopChart).setOption({
        tooltip: { trigger: "axis" }, animation: false, legend: { top: 0, data: loopKeys.map((k) => t(`desk.stat.${k}`)) },
        grid: { left: 40, right: 10, top: 40, bottom: 30 },
        xAxis: { type: "category", data: months.map((m) => m.label) }, yAxis: { type: "value", minInterval: 1 },
        series: loopKeys.map((k) => ({ name: t(`desk.stat.${k}`), type: "line", data: perMonth.map((s) => s.notifications[k] || 0) })),
      });
      const o = whole.objections || {};
      clear(summary, h("dl", { class: "facts" },
        h("dt", {}, word("record_kinds", "black")), h("dd", {}, String((whole.records.black || {}).total || 0)),
        h("dt", {}, word("record_kinds", "red")), h("dd", {}, String((whole.records.red || {}).total || 0)),
        h("dt", {}, word("record_kinds", "penalty")), h("dd", {}, String((whole.records.penalty || {}).total || 0)),
        h("dt", {}, t("desk.stat.sent")), h("dd", {}, String(whole.notifications.sent)),
        h("dt", {}, t("desk.stat.feedbackRate")), h("dd", {}, whole.notifications.feedback_rate === null ? "—" : `${Math.round(whole.notifications.feedback_rate * 100)}%`),
        h("dt", {}, t("desk.objections")), h("dd", {}, `${o.total || 0}（${t("desk.overdue")} ${o.overdue || 0}）`),
        h("dt", {}, t("desk.checks")), h("dd", {}, `${whole.checks.total}（${word("decisions", "restricted")} ${whole.checks.restricted}）`)));
      el.dataset.ready = "1";
    }, (e) => { clear(err, errorBox(e)); });
}
