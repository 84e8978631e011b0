"""The liability rules evaluated in plain Python over a networkx graph: an independent check of
the Cypher propagation (issue 3, item 5). It reads rules.yaml through the same catalogue but shares
no code with graph_service.propagation; the semantics are those of docs/propagation.md, written
out the plain way."""

from __future__ import annotations

from datetime import date, timedelta
from typing import overload

import networkx as nx

from graph_service.domain.catalogue import Catalogue, Rule

REASONS = ("subject", "bound_enterprise", "liable_person_role", "subsidiary", "rollup")
FIELDS = ("liability_id", "rule_id", "record_id", "record_kind", "subject_id", "subject_kind", "role",
          "role_key", "role_start", "role_end", "anchor", "anchor_on", "path", "legal_basis", "measures",
          "valid_from", "valid_to", "released_on", "lost_on", "lost_record_id", "lost_path", "bound_id")

Window = tuple[date, date | None]


def earliest(*ds: date | None) -> date | None:
    """The earliest of end dates, None meaning open (later than any date)."""
    known = [d for d in ds if d is not None]
    return min(known) if known else None


@overload
def latest(first: date, /, *ds: date | None) -> date: ...


@overload
def latest(*ds: date | None) -> date | None: ...


def latest(*ds: date | None) -> date | None:
    """The latest of start dates, None meaning since ever."""
    known = [d for d in ds if d is not None]
    return max(known) if known else None


def before(a: date | None, end: date | None) -> bool:
    """a < end, an open end being later than anything; a None start is earlier than anything."""
    return end is None or a is None or a < end


def record_window(rec: dict) -> Window | None:
    start = rec.get("decided_on")
    if start is None:
        return None
    end = rec["valid_until"] + timedelta(days=1) if rec.get("valid_until") is not None else None
    if rec.get("status") in ("revoked", "repaired") and rec.get("ended_on") is not None:
        end = earliest(end, rec["ended_on"])
    return (start, end) if before(start, end) else None


def held_on(edge: dict, d: date) -> bool:
    return (edge.get("start_on") is None or edge["start_on"] <= d) and before(d, edge.get("end_on"))


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return before(a_start, b_end) and before(b_start, a_end)


def fmt_span(edge: dict) -> str:
    s, e = edge.get("start_on"), edge.get("end_on")
    return f"{s.isoformat() if s else ''}..{e.isoformat() if e else ''}"


def liable_by_bound(black: list[dict], measure: str) -> dict[tuple[str, str], list[dict]]:
    """The black liabilities carrying ``measure``, by what they bind ((kind, id)): a red record
    looks up its subject and its role holders there rather than scanning them all."""
    index: dict[tuple[str, str], list[dict]] = {}
    for lb in black:
        if measure in lb["measures"]:
            index.setdefault((lb["subject_kind"], lb["bound_id"]), []).append(lb)
    return index


class Facts:
    """Nodes keyed (kind, id) with their properties (`_label` = kind) and typed edges, indexed by
    (node, type) both ways: what the rules read. Made from a networkx graph (`of_graph`, as
    tests/graph_export.py reads Neo4j) or filled directly (loaders.import_derived, where a
    networkx graph of a 1M bundle's subgraph took several GB)."""

    def __init__(self):
        self.nodes: dict[tuple, dict] = {}
        self.out: dict[tuple, list] = {}
        self.into: dict[tuple, list] = {}

    @classmethod
    def of_graph(cls, graph: nx.MultiDiGraph) -> Facts:
        facts = cls()
        for node, attrs in graph.nodes(data=True):
            facts.nodes[node] = attrs
        for u, v, d in graph.edges(data=True):
            facts.add_edge(u, v, d)
        return facts

    def add_node(self, node: tuple, **attrs) -> None:
        self.nodes.setdefault(node, {"_label": node[0]}).update(attrs)

    def add_edge(self, u: tuple, v: tuple, data: dict) -> None:
        """``data`` holds the edge's `type` and properties."""
        for n in (u, v):
            if n not in self.nodes:
                self.nodes[n] = {"_label": n[0]}
        self.out.setdefault((u, data["type"]), []).append((v, data))
        self.into.setdefault((v, data["type"]), []).append((u, data))


class Oracle:
    def __init__(self, graph: nx.MultiDiGraph | Facts, cat: Catalogue):
        self.facts = graph if isinstance(graph, Facts) else Facts.of_graph(graph)
        self.cat = cat
        self._liabilities: list[dict] | None = None
        self._ancestor_cache: dict = {}

    def label(self, node) -> str:
        return self.facts.nodes[node]["_label"]

    def out(self, node, rel: str):
        return self.facts.out.get((node, rel), [])

    def into(self, node, rel: str):
        return self.facts.into.get((node, rel), [])

    def graph_grew(self) -> None:
        """Facts were added after liabilities() was answered (loaders.import_derived adds what only
        the reach needs): the next reads see them; the liabilities stay as computed."""
        self._ancestor_cache.clear()

    def records(self):
        return [(n, d) for n, d in self.facts.nodes.items() if d["_label"] == "record"]

    @staticmethod
    def triggers(rule: Rule, rec: dict) -> bool:
        t = rule.trigger
        return (rec.get("kind") in t.kinds and rec.get("subject_kind") in t.subject_kinds
                and (t.categories is None or rec.get("category") in t.categories)
                and (t.severities is None or rec.get("severity") in t.severities))

    # --- liabilities ---------------------------------------------------------------------------
    def liabilities(self) -> list[dict]:
        if self._liabilities is None:
            rows: list[dict] = []
            for node, rec in self.records():
                for rule in self.cat.rules:
                    if rule.lost_when is None and self.triggers(rule, rec):
                        rows.extend(self._derive(rule, node, rec))
            # Red incentives depend on every black liability, so they come last.
            black = [r for r in rows if r["record_kind"] == "black"]
            liable = {rule.lost_when.liable_measure: liable_by_bound(black, rule.lost_when.liable_measure)
                      for rule in self.cat.rules if rule.lost_when is not None}
            for node, rec in self.records():
                for rule in self.cat.rules:
                    if rule.lost_when is not None and self.triggers(rule, rec):
                        rows.extend(self._red(rule, node, rec, liable[rule.lost_when.liable_measure]))
            self._liabilities = [{f: row.get(f) for f in FIELDS} for row in rows]
        return self._liabilities

    def _row(self, rule: Rule, rec: dict, **kw) -> dict:
        return {"rule_id": rule.id, "record_id": rec["record_id"], "record_kind": rec["kind"],
                "anchor": rule.anchor, "legal_basis": rule.legal_basis, "measures": list(rule.measures), **kw}

    def _release_on(self, rule: Rule, person, rec_node) -> date | None:
        if not rule.releasable:
            return None
        return earliest(*[d.get("on") for t, d in self.out(person, "RELEASED_FROM") if t == rec_node] or [None])

    def _derive(self, rule: Rule, rec_node, rec: dict) -> list[dict]:
        window = record_window(rec)
        if window is None:
            return []
        rf, rt = window
        rid = rec["record_id"]
        subject_ref = f"{rec['subject_kind']}:{rec['subject_id']}"
        anchor_on = {"misconduct_date": rec.get("misconduct_on") or rec.get("decided_on"),
                     "decision_date": rec.get("decided_on"), "as_of": None}[rule.anchor]
        out: list[dict] = []

        def retained(edge: dict) -> bool:
            # A holder on the decision date stays bound for the whole window (domain.md 1.7).
            return rule.retain_decision_holders and held_on(edge, rf)

        def role_window(edge: dict) -> Window | None:
            if retained(edge):
                return rf, rt
            if rule.anchor == "as_of":
                start, end = latest(rf, edge.get("start_on")), earliest(rt, edge.get("end_on"))
                return (start, end) if before(start, end) else None
            assert anchor_on is not None, "a decided record has its decision (and misconduct) date"
            return (rf, rt) if held_on(edge, anchor_on) else None

        def released(person, start: date, end: date | None):
            on = self._release_on(rule, person, rec_node)
            if on is not None and before(on, end):
                return on, on
            return None, end

        for subject, _ in self.out(rec_node, "CONCERNS"):
            if rule.reach.kind == "subject":
                out.append(self._row(
                    rule, rec, liability_id=f"{rule.id}|{rid}|{rec['subject_id']}|subject",
                    subject_id=rec["subject_id"], subject_kind=rec["subject_kind"], role="subject",
                    role_key="subject", anchor_on=rec["decided_on"], path=[f"record:{rid}", subject_ref],
                    valid_from=rf, valid_to=rt, bound_id=subject[1]))
            elif rule.reach.kind == "roles" and self.label(subject) == "enterprise":
                named = {p for p, _ in self.out(rec_node, "NAMES_RESPONSIBLE")}
                for person, edge in self.into(subject, "HOLDS_ROLE") + self.into(subject, "HOLDS_SHARES"):
                    if self.label(person) != "person":
                        continue
                    role = "shareholder" if edge["type"] == "HOLDS_SHARES" else edge.get("role")
                    if role not in rule.reach.roles or (rule.reach.require_named and person not in named):
                        continue
                    w = role_window(edge)
                    if w is None:
                        continue
                    released_on, end = released(person, *w)
                    if not before(w[0], end):
                        continue
                    pid = person[1]
                    out.append(self._row(
                        rule, rec, liability_id=f"{rule.id}|{rid}|{pid}|{edge['key']}", subject_id=pid,
                        subject_kind="person", role=role, role_key=edge["key"], role_start=edge.get("start_on"),
                        role_end=edge.get("end_on"), anchor_on=rf if retained(edge) else anchor_on,
                        path=[f"record:{rid}", f"enterprise:{subject[1]}", f"{role} {fmt_span(edge)}", f"person:{pid}"],
                        valid_from=w[0], valid_to=end, released_on=released_on, bound_id=pid))
            elif rule.reach.kind == "serving" and self.label(subject) == "person":
                for ent, edge in self.out(subject, "HOLDS_ROLE"):
                    if self.label(ent) != "enterprise" or edge.get("role") not in rule.reach.roles:
                        continue
                    w = role_window(edge)
                    if w is None:
                        continue
                    uscc = ent[1]
                    out.append(self._row(
                        rule, rec, liability_id=f"{rule.id}|{rid}|{uscc}|{edge['key']}", subject_id=uscc,
                        subject_kind="enterprise", role=edge["role"], role_key=edge["key"],
                        role_start=edge.get("start_on"), role_end=edge.get("end_on"), anchor_on=anchor_on,
                        path=[f"record:{rid}", f"person:{subject[1]}", f"{edge['role']} {fmt_span(edge)}",
                              f"enterprise:{uscc}"],
                        valid_from=w[0], valid_to=w[1], bound_id=uscc))
        if rule.reach.kind == "named_responsible":
            for person, _ in self.out(rec_node, "NAMES_RESPONSIBLE"):
                if self.label(person) != "person":
                    continue
                released_on, end = released(person, rf, rt)
                if not before(rf, end):
                    continue
                pid = person[1]
                out.append(self._row(
                    rule, rec, liability_id=f"{rule.id}|{rid}|{pid}|named", subject_id=pid, subject_kind="person",
                    role="named_responsible", role_key="named", anchor_on=rec["decided_on"],
                    path=[f"record:{rid}", subject_ref, "named_responsible", f"person:{pid}"],
                    valid_from=rf, valid_to=end, released_on=released_on, bound_id=pid))
        return out

    def _red(self, rule: Rule, rec_node, rec: dict, liable: dict[tuple[str, str], list[dict]]) -> list[dict]:
        """``liable``: the black liabilities carrying the rule's liable measure, by what they bind."""
        window = record_window(rec)
        if window is None:
            return []
        rf, rt = window
        lost = rule.lost_when
        assert lost is not None  # red rules are validated to say when incentives are lost
        out = []
        subject_ref = f"{rec['subject_kind']}:{rec['subject_id']}"
        for subject, _ in self.out(rec_node, "CONCERNS"):
            exits: list[tuple[date, str, list[str]]] = []  # (first day, black record, path)
            if lost.black_record_of_subject:
                for other, _ in self.into(subject, "CONCERNS"):
                    b = self.facts.nodes[other]
                    if self.label(other) != "record" or b.get("kind") != "black" or b.get("decided_on") is None:
                        continue
                    b_end = earliest(b["valid_until"] + timedelta(days=1) if b.get("valid_until") else None,
                                     b.get("ended_on") if b.get("status") in ("revoked", "repaired") else None)
                    first = max(b["decided_on"], rf)
                    if before(first, b_end):
                        exits.append((first, b["record_id"], [f"record:{b['record_id']}", subject_ref]))
            for lb in liable.get((self.label(subject), subject[1]), ()):
                first = max(lb["valid_from"], rf)
                if before(first, lb["valid_to"]):
                    exits.append((first, lb["record_id"], lb["path"]))
            for person, edge in self.into(subject, "HOLDS_ROLE"):
                if self.label(person) != "person" or edge.get("role") not in lost.liable_roles:
                    continue
                for lb in liable.get(("person", person[1]), ()):
                    first = latest(rf, lb["valid_from"], edge.get("start_on"))
                    if before(first, earliest(lb["valid_to"], edge.get("end_on"))):
                        exits.append((first, lb["record_id"],
                                      lb["path"] + [f"{edge['role']} {fmt_span(edge)}", subject_ref]))
            if lost.black_record_of_holder:
                for person, edge in self.into(subject, "HOLDS_ROLE"):
                    if self.label(person) != "person" or edge.get("role") not in lost.liable_roles:
                        continue
                    for other, _ in self.into(person, "CONCERNS"):
                        b = self.facts.nodes[other]
                        if self.label(other) != "record" or b.get("kind") != "black" or b.get("decided_on") is None:
                            continue
                        b_window = record_window(b)
                        if b_window is None:
                            continue
                        first = latest(rf, b_window[0], edge.get("start_on"))
                        if before(first, earliest(b_window[1], edge.get("end_on"))):
                            exits.append((first, b["record_id"],
                                          [f"record:{b['record_id']}", f"person:{person[1]}",
                                           f"{edge['role']} {fmt_span(edge)}", subject_ref]))
            first_exit = min(exits, key=lambda x: (x[0], x[1], "".join("|" + p for p in x[2]))) if exits else None
            lost_exit = first_exit if first_exit is not None and before(first_exit[0], rt) else None
            end = lost_exit[0] if lost_exit else rt
            if not before(rf, end):
                continue
            rid = rec["record_id"]
            out.append(self._row(
                rule, rec, liability_id=f"{rule.id}|{rid}|{rec['subject_id']}|subject", subject_id=rec["subject_id"],
                subject_kind=rec["subject_kind"], role="subject", role_key="subject", anchor_on=rec["decided_on"],
                path=[f"record:{rid}", f"{rec['subject_kind']}:{rec['subject_id']}"],
                valid_from=rf, valid_to=end, bound_id=subject[1],
                **({"lost_on": lost_exit[0], "lost_record_id": lost_exit[1], "lost_path": lost_exit[2]}
                   if lost_exit else {})))
        return out

    # --- region reach --------------------------------------------------------------------------
    def reach(self) -> dict[str, dict[str, list[str]]]:
        """record_id -> region code -> reasons (in REASONS order)."""
        by_record: dict[str, list[dict]] = {}
        for lb in self.liabilities():
            by_record.setdefault(lb["record_id"], []).append(lb)
        result: dict[str, dict[str, list[str]]] = {}
        for node, rec in self.records():
            liabs = by_record.get(rec["record_id"])
            if not liabs:
                continue
            direct: dict[tuple, set[str]] = {}  # region node -> reasons it is reached directly
            for subject, _ in self.out(node, "CONCERNS"):
                self._add_registered_regions(direct, subject, "subject")
            for lb in liabs:
                if lb["subject_kind"] == "enterprise":
                    self._add_registered_regions(direct, ("enterprise", lb["bound_id"]), "bound_enterprise")
                if lb["subject_kind"] == "person":
                    person = ("person", lb["bound_id"])
                    for ent, edge in self.out(person, "HOLDS_ROLE"):
                        if self.label(ent) == "enterprise" and overlaps(
                                lb["valid_from"], lb["valid_to"], edge.get("start_on"), edge.get("end_on")):
                            self._add_registered_regions(direct, ent, "liable_person_role")
            window = record_window(rec) or (rec.get("decided_on"), None)
            for subject, _ in self.out(node, "CONCERNS"):
                for ent, edge in self.out(subject, "HOLDS_SHARES"):
                    if (self.label(ent) == "enterprise" and edge.get("ratio", 0) > 0.5
                            and overlaps(window[0], window[1], edge.get("start_on"), edge.get("end_on"))):
                        self._add_registered_regions(direct, ent, "subsidiary")
            reached: dict[str, set[str]] = {}
            for region, reasons in direct.items():
                reached.setdefault(region[1], set()).update(reasons)
                for ancestor in self._ancestors(region, 3):
                    reached.setdefault(ancestor[1], set()).add("rollup")
            result[rec["record_id"]] = {code: [r for r in REASONS if r in rs] for code, rs in reached.items()}
        return result

    def _add_registered_regions(self, direct: dict[tuple, set[str]], ent_or_subject, reason: str) -> None:
        """Adds `reason` to each region `ent_or_subject` is registered in."""
        for region, _ in self.out(ent_or_subject, "REGISTERED_IN"):
            if self.label(region) == "region":
                direct.setdefault(region, set()).add(reason)

    def _ancestors(self, region, depth: int) -> set:
        if (region, depth) not in self._ancestor_cache:
            self._ancestor_cache[(region, depth)] = self._walk_up(region, depth)
        return self._ancestor_cache[(region, depth)]

    def _walk_up(self, region, depth: int) -> set:
        seen, frontier = set(), {region}
        for _ in range(depth):
            frontier = {p for n in frontier for p, _ in self.out(n, "PART_OF") if self.label(p) == "region"}
            seen |= frontier
        return seen

    def notification_measures(self) -> dict[str, list[str]]:
        """record_id -> the measures its notifications list, mandatory first."""
        out: dict[str, set[str]] = {}
        for lb in self.liabilities():
            out.setdefault(lb["record_id"], set()).update(lb["measures"])
        return {rid: self.cat.order_measures(ms) for rid, ms in out.items()}


def oracle(graph: nx.MultiDiGraph, cat: Catalogue) -> Oracle:
    return Oracle(graph, cat)
