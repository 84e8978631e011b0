// The subject page: facts with dates, as_of, roles and holdings current and past, credit records,
// every liability with its explanation, associated risk, and the check form.

import { get, post } from "./api.js";
import { actionName, actions, categoryName, measureName, ruleName, t, word } from "./i18n.js";
import { me } from "./main.js";
import {
  clear, errorBox, h, idType, loading, parseHash, pct, period, section, setHashParams, subjectHref, table, tag,
} from "./util.js";

function subjectLink(ref) {
  // ref: {kind, id, name, masked} or a PersonRef {person_id, name, masked}
  const kind = ref.kind || "person";
  const id = ref.id || ref.person_id || ref.uscc;
  const name = ref.name || id;
  if (ref.masked || !id) return h("span", { class: "masked" }, name, ref.masked ? ` ${id || ""}` : "");
  if (kind === "person" && !me.sees_persons) return h("span", {}, name);
  return h("a", { href: subjectHref(kind, id) }, name);
}

function personLink(p) { return subjectLink({ kind: "person", ...p }); }
function enterpriseLink(e) { return subjectLink({ kind: "enterprise", id: e.uscc || e.id, name: e.name, masked: e.masked }); }

const held = (row, asOf) => {
  const d = asOf || new Date().toISOString().slice(0, 10);
  return (!row.start_on || row.start_on <= d) && (!row.end_on || d < row.end_on);
};

function currentTag(row, asOf) {
  return held(row, asOf) ? tag(t("common.current"), "ok") : tag(t("common.ended"), "muted");
}

function kindTag(kind) {
  const cls = { black: "black", red: "red", penalty: "penalty" }[kind] || "";
  return tag(word("record_kinds", kind), cls);
}

function recordRow(r) {
  return h("tr", { class: r.in_force ? "" : "ended" },
    h("td", {}, h("code", {}, r.record_id)),
    h("td", {}, kindTag(r.kind)),
    h("td", {}, categoryName(r.category), r.severity ? ` · ${word("severities", r.severity)}` : ""),
    h("td", {}, r.authority ? r.authority.name : (r.authority_id || "").split(":").slice(1).join(":")),
    h("td", {}, r.document_no || ""),
    h("td", {}, r.misconduct_on || ""),
    h("td", {}, r.decided_on || ""),
    h("td", {}, r.published_on || ""),
    h("td", {}, r.valid_until || ""),
    h("td", {}, r.in_force ? tag(t("record.inForce"), "warn") : tag(word("record_statuses", r.status) || t("record.notInForce"), "muted"),
      r.ended_on ? ` ${t("record.ended")} ${r.ended_on}` : ""),
    h("td", {}, (r.responsible || []).map((p) => [personLink(p), " "])),
    h("td", { class: "small" }, r.legal_basis || ""));
}

function recordsTable(records) {
  if (!records.length) return h("p", { class: "muted" }, t("subject.noRecords"));
  return table([t("record.id"), t("record.kind"), t("record.category"), t("record.authority"), t("record.documentNo"),
    t("record.misconduct"), t("record.decided"), t("record.published"), t("record.validUntil"), t("common.status"),
    t("record.responsible"), t("record.legalBasis")], records.map(recordRow));
}

function pathText(path) {
  // path: ["record:ID", "enterprise:USCC", "person:ID", ...] as the API gives it
  return (path || []).map((p) => {
    const [kind, ...rest] = p.split(":");
    const id = rest.join(":");
    const label = kind === "record" ? t("record.id") : word("subject_kinds", kind);
    return `${label} ${id}`;
  }).join(" → ");
}

function liabilityCard(l) {
  const rec = l.record || {};
  const role = l.role === "subject" ? word("roles", "subject") : word("roles", l.role);
  const status = [];
  if (l.released_on) status.push(tag(`${t("liability.released")} ${l.released_on}`, "muted"));
  if (l.lost_on) status.push(tag(`${t("liability.lost")} ${l.lost_on} ${l.lost_record_id || ""}`, "muted"));
  if (l.suspended) status.push(tag(t("liability.suspended"), "warn"));
  return h("div", { class: `liability ${l.in_force ? "" : "ended"}` },
    h("div", { class: "liability-head" },
      h("strong", {}, ruleName(l.rule.id)), " ", kindTag(rec.kind), " ", status,
      l.in_force ? tag(t("record.inForce"), "warn") : null),
    h("dl", { class: "facts" },
      h("dt", {}, t("liability.record")), h("dd", {}, h("code", {}, rec.record_id), " ",
        categoryName(rec.category), rec.subject ? [" · ", subjectLink(rec.subject)] : ""),
      h("dt", {}, t("liability.source")), h("dd", {}, rec.document_no || "—", " · ",
        (rec.authority_id || "").split(":").slice(1).join(":"), rec.decided_on ? ` · ${t("record.decided")} ${rec.decided_on}` : ""),
      h("dt", {}, t("liability.role")), h("dd", {}, role,
        l.role_start || l.role_end ? ` （${t("liability.roleDates")} ${period(l.role_start, l.role_end)}）` : ""),
      h("dt", {}, t("liability.anchor")), h("dd", {}, `${l.anchor === "misconduct_date" ? t("record.misconduct") : t("record.decided")} ${l.anchor_on || ""}`),
      h("dt", {}, t("liability.path")), h("dd", {}, pathText(l.path)),
      h("dt", {}, t("liability.window")), h("dd", {}, `${l.valid_from || "…"} — ${l.valid_to || "…"}`),
      h("dt", {}, t("liability.legalBasis")), h("dd", {}, l.legal_basis || ""),
      h("dt", {}, t("liability.measures")), h("dd", {}, h("ul", { class: "measures" },
        (l.measures || []).map((m) => h("li", {}, measureName(m)))))),
    h("p", { class: "muted small", lang: "en" }, l.explanation || ""));
}

function factsCard(kind, f) {
  const rows = kind === "enterprise" ? [
    [t("subject.uscc"), h("code", {}, f.uscc)],
    [t("subject.kind"), word("enterprise_kinds", f.kind)],
    [t("subject.status"), tag(word("enterprise_statuses", f.status), f.status === "active" ? "ok" : "warn")],
    [t("subject.established"), f.established_on],
    [t("subject.capital"), f.registered_capital],
    [t("subject.industry"), f.industry],
    [t("subject.region"), regionText(f.region)],
    [t("subject.address"), f.address],
  ] : [
    [t("subject.personId"), h("code", {}, f.person_id)],
    [t("subject.region"), regionText(f.region)],
  ];
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}

function regionText(r) {
  if (!r) return "—";
  return [...(r.ancestors || [])].reverse().map((a) => a.name).concat(r.name).join(" ");
}

export function render(view, kind, id) {
  const { params } = parseHash();
  const asOf = params.get("as_of") || "";
  const showPast = params.get("past") !== "0";
  const base = kind === "enterprise" ? `/v1/enterprises/${encodeURIComponent(id)}` : `/v1/persons/${encodeURIComponent(id)}`;
  const q = kind === "enterprise" ? { as_of: asOf || undefined } : { as_of: asOf || undefined, id_type: idType(id) };

  const title = h("h2", {}, id);
  const flags = h("span", { class: "flags" });
  const header = h("div", { class: "subject-head card" },
    h("div", {}, title, flags, h("div", { class: "muted" }, h("code", {}, id), " · ", word("subject_kinds", kind))),
    h("div", { class: "toolbar" },
      h("label", {}, `${t("common.asOf")} `, h("input", {
        type: "date", value: asOf, id: "as-of",
        onchange: (ev) => { setHashParams({ as_of: ev.target.value, past: showPast ? null : "0" }); render(clear(view), kind, id); },
      })),
      h("a", { class: "button", href: `#/graph/${kind}/${encodeURIComponent(id)}${asOf ? "?as_of=" + asOf : ""}` }, t("subject.graph")),
      kind === "enterprise" ? h("a", { class: "button", href: `#/ownership/${encodeURIComponent(id)}` }, t("subject.ownership")) : null,
      h("a", { class: "button", href: `#/paths?from=${encodeURIComponent(id)}` }, t("subject.paths"))));

  const factsEl = h("div");
  const rolesEl = h("div");
  const sharesEl = h("div");
  const holdingsEl = h("div");
  const recordsEl = h("div");
  const namedEl = h("div");
  const creditEl = h("div");
  const riskEl = h("div", { id: "risk" });
  const checkEl = h("div");

  view.append(header,
    h("div", { class: "columns" },
      h("div", { class: "col-main" },
        section(t("subject.facts"), factsEl),
        section(kind === "enterprise" ? t("subject.roles") : t("subject.rolesOf"),
          h("label", { class: "small" }, h("input", {
            type: "checkbox", checked: showPast, id: "show-past",
            onchange: (ev) => { setHashParams({ as_of: asOf, past: ev.target.checked ? null : "0" }); render(clear(view), kind, id); },
          }), ` ${t("subject.showPast")}`),
          rolesEl),
        kind === "enterprise" ? section(t("subject.shareholders"), sharesEl) : null,
        section(t("subject.holdings"), holdingsEl),
        section(t("subject.records"), recordsEl),
        kind === "person" ? section(t("subject.named"), namedEl) : null,
        section(t("subject.liabilities"), creditEl),
        section(t("subject.risk"), riskEl)),
      h("div", { class: "col-side" }, section(t("subject.check"), checkEl))));

  const keep = (rows) => rows.filter((r) => showPast || held(r, asOf));

  loading(factsEl, get(base, q, t("subject.facts")), (f) => {
    title.textContent = f.name || id;
    document.title = `${f.name || id} · ${t("app.title")}`;
    factsEl.append(factsCard(kind, f));
    const prov = f.provenance;
    if (prov) factsEl.append(h("p", { class: "muted small" }, `${t("subject.provenance")}：${prov.file || ""} ${prov.line ? "#" + prov.line : ""} · ${prov.load || ""} · ${(prov.at || "").slice(0, 10)}`));
    const roles = keep(f.roles || []);
    clear(rolesEl, table(
      [kind === "enterprise" ? t("subject.person") : t("subject.enterprise"), t("subject.role"), t("subject.title"), t("common.since"), t("common.until"), t("common.status")],
      roles.map((r) => h("tr", { class: held(r, asOf) ? "" : "ended" },
        h("td", {}, kind === "enterprise" ? personLink(r.person) : enterpriseLink(r.enterprise)),
        h("td", {}, word("roles", r.role)), h("td", {}, r.title || ""),
        h("td", {}, r.start_on || ""), h("td", {}, r.end_on || ""), h("td", {}, currentTag(r, asOf))))));
    if (kind === "enterprise") {
      clear(sharesEl, table([t("subject.holder"), t("subject.ratio"), t("common.since"), t("common.until"), t("common.status")],
        keep(f.shareholders || []).map((s) => h("tr", { class: held(s, asOf) ? "" : "ended" },
          h("td", {}, subjectLink(s.holder)), h("td", {}, pct(s.ratio)), h("td", {}, s.start_on || ""),
          h("td", {}, s.end_on || ""), h("td", {}, currentTag(s, asOf))))));
    }
    clear(holdingsEl, table([t("subject.enterprise"), t("subject.ratio"), t("common.since"), t("common.until"), t("common.status")],
      keep(f.holdings || []).map((s) => h("tr", { class: held(s, asOf) ? "" : "ended" },
        h("td", {}, enterpriseLink(s.enterprise)), h("td", {}, pct(s.ratio)), h("td", {}, s.start_on || ""),
        h("td", {}, s.end_on || ""), h("td", {}, currentTag(s, asOf))))));
    clear(recordsEl, recordsTable(f.records || []));
    if (kind === "person") clear(namedEl, recordsTable(f.named_responsible_in || []));
  });

  loading(creditEl, get(`${base}/credit`, q, t("subject.liabilities")), (c) => {
    clear(flags);
    if ((c.records || []).some((r) => r.in_force && r.kind === "black")) flags.append(tag(t("legend.black"), "black"));
    if ((c.records || []).some((r) => r.in_force && r.kind === "red")) flags.append(tag(t("legend.red"), "red"));
    if ((c.liabilities || []).some((l) => l.in_force)) flags.append(tag(t("legend.liable"), "liable"));
    const restricted = c.restricted_actions || [];
    const favoured = c.favoured_actions || [];
    creditEl.append(
      h("div", { class: "summary" },
        h("div", {}, h("strong", {}, `${t("subject.restricted")}：`), restricted.length
          ? restricted.map((a) => tag(actionName(a), "liable")) : t("common.none")),
        h("div", {}, h("strong", {}, `${t("subject.favoured")}：`), favoured.length
          ? favoured.map((a) => tag(actionName(a), "ok")) : t("common.none")),
      ),
      h("div", { id: "liabilities" }, (c.liabilities || []).length ? (c.liabilities || []).map(liabilityCard)
        : h("p", { class: "muted" }, t("subject.noLiabilities"))),
      (c.lost_incentives || []).length ? h("div", {}, h("h4", {}, t("subject.lost")), c.lost_incentives.map(liabilityCard)) : "");
    const ar = c.associated_risk;
    if (ar && ((ar.person_links || []).length || (ar.shareholding_links || []).length)) {
      creditEl.append(h("h4", {}, t("risk.associated")), table(
        [t("risk.party"), t("liability.role"), t("subject.ratio"), t("liability.record")],
        [...(ar.person_links || []), ...(ar.shareholding_links || [])].map((x) => [
          x.person ? personLink(x.person) : x.enterprise ? subjectLink({ kind: "enterprise", ...x.enterprise }) : "—",
          word("roles", x.role), pct(x.ratio), h("code", {}, x.record_id || "")])));
    }
  });

  loading(riskEl, get(`/v1/subjects/${encodeURIComponent(id)}/risk`, { kind, as_of: asOf || undefined }, t("subject.risk")), (r) => {
    const parties = r.parties || [];
    if (!parties.length) { riskEl.append(h("p", { class: "muted" }, t("subject.noRisk"))); return; }
    const names = new Map([[r.subject.key, r.subject.name]]);
    parties.forEach((p) => names.set(p.node.key, p.node.name));
    riskEl.append(table([t("risk.party"), t("risk.reasons"), t("risk.depth"), t("risk.path")],
      parties.map((p) => [
        subjectLink(p.node),
        (p.reasons || []).map((x) => tag(word("risk_reasons", x), x === "black_record" ? "black" : "liable")),
        String(p.node.depth ?? ""),
        h("span", { class: "small" }, hopText(p.path, names)),
      ])));
  });

  renderCheck(checkEl, id, kind, asOf);
}

export function edgeLabel(e) {
  if (e.relation === "role") return e.title ? `${word("roles", e.role)}（${e.title}）` : word("roles", e.role);
  if (e.relation === "shareholding") return `${word("roles", "shareholder")} ${pct(e.ratio)}`;
  return `${word("relations", e.relation)} ${e.record_id || ""}`;
}

function hopText(path, names) {
  if (!path) return "";
  const out = [];
  (path.nodes || []).forEach((k, i) => {
    if (i > 0) {
      const e = (path.edges || [])[i - 1];
      out.push(` —${e ? edgeLabel(e) : ""}→ `);
    }
    out.push(names.get(k) || k.split(":").slice(1).join(":"));
  });
  return out.join("");
}

function renderCheck(el, id, kind, asOf) {
  const select = h("select", { id: "check-action" }, actions().map((a) => h("option", { value: a.code }, actionName(a.code))));
  const dateIn = h("input", { type: "date", value: asOf, id: "check-as-of" });
  const out = h("div", { id: "check-result" });
  const form = h("form", { class: "check-form", onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out, h("p", { class: "muted spinner" }, `${t("common.loading")}…`));
    try {
      const body = { subject_id: id, action: select.value };
      if (dateIn.value) body.as_of = dateIn.value;
      const ans = await post("/v1/checks", body, t("subject.check"));
      clear(out, decisionView(ans));
    } catch (err) {
      clear(out, errorBox(err));
    }
  } },
  h("p", { class: "muted small" }, t("check.hint")),
  h("label", {}, t("check.action"), select),
  h("label", {}, t("common.asOf"), dateIn),
  h("button", { type: "submit", class: "primary" }, t("check.submit")));
  el.append(form, out);
}

function decisionView(a) {
  const cls = { restricted: "black", favoured: "ok", clear: "muted" }[a.decision] || "";
  return h("div", { class: `decision ${a.decision}` },
    h("p", { class: "decision-line" }, `${t("check.decision")}：`, tag(word("decisions", a.decision), cls),
      ` ${actionName(a.action)} · ${a.as_of}`),
    (a.measures || []).length ? [h("h4", {}, t("check.measures")), h("ul", { class: "measures" },
      a.measures.map((m) => h("li", {}, measureName(m.code), h("span", { class: "muted small" }, ` ${m.legal_basis || ""}`))))] : null,
    (a.basis || []).length ? [h("h4", {}, t("check.basis")), a.basis.map((b) => h("div", { class: "basis" },
      h("div", {}, h("strong", {}, ruleName(b.rule_id)), " ", h("code", {}, b.record_id)),
      b.record ? h("div", { class: "small" }, kindTag(b.record.kind), " ", categoryName(b.record.category), " · ",
        b.record.document_no || "", " · ", (b.record.authority_id || "").split(":").slice(1).join(":"),
        ` · ${t("record.decided")} ${b.record.decided_on || ""}`) : null,
      h("div", { class: "small" }, `${t("liability.role")}：${b.role === "subject" ? word("roles", "subject") : word("roles", b.role)}；${t("liability.window")}：${b.valid_from || "…"} — ${b.valid_to || "…"}`),
      h("div", { class: "small" }, `${t("liability.path")}：${pathText(b.path)}`),
      h("div", { class: "small muted" }, `${t("liability.legalBasis")}：${b.legal_basis || ""}`)))] : null,
    a.eligibility ? h("div", { class: "small" }, `${t("check.eligibility")}：${a.eligibility.basis || ""} ${a.eligibility.eligible ? "✓" : ""}`) : null,
    a.note ? h("p", { class: "small warn" }, a.note) : null,
    h("p", { class: "muted small" }, `${t("check.id")}：${a.check_id}`));
}
