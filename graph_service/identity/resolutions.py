"""An admin's judgement of two subjects (POST /v1/resolutions; docs/search.md, "Identity").

"different": the pair leaves the duplicates list. "same": one canonical subject. The canonical one is
the older: for enterprises the earlier `established_on` (unknown counts as latest), for persons a
citizen ID before a passport or other document; then the smaller id. The other is merged into it
(cypher/identity/merge_*): every fact about it moves to the canonical subject unchanged, records
about it are rewritten to the canonical id keeping the reported one, and its node stays with
`merged_into`. Reads of its id are redirected (308), checks answer as the canonical subject, and a
later load of a bundle naming it writes to the canonical subject (cypher/loading/*), so a reload
keeps the merge. The liabilities of every record the merge touches are recomputed with the
propagation's own plan (`on_change`), in the same transaction.

An undo (POST /v1/resolutions/{id}/undo) splits the merged subject, and those merged through it,
off again: each fact goes back to whom it names (a role's or holding's key, a record's reported
id, a responsible person in the record's list, a release's person), liabilities are recomputed,
and the notifications the merge created that nobody acted on are removed, so the graph is as it
was before the merge. Judgements are never deleted: an undo marks them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from graph_service import changelog
from graph_service.access.caller import Caller
from graph_service.errors import not_found
from graph_service.identity import InvalidJudgement, JudgementConflict
from graph_service.identity.duplicates import pair_key
from graph_service.propagation import on_change_plan
from graph_service.runner import Graph, Log, Plan, Step, one
from graph_service.subjects import diagnose_unknown

JUDGEMENTS = ("same", "different")


def canonical_of(subjects: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Of two subjects of one kind, the one that stays: the older (docs/search.md, "Identity")."""
    def age(s: dict[str, Any]) -> tuple:
        if s["kind"] == "enterprise":
            return (s.get("established_on") or dt.date.max, s["id"])
        return (0 if (s.get("id_type") or "resident_id") == "resident_id" else 1, s["id"])

    return min(subjects, key=age)


def _field(i: int) -> str:
    return f"subject_ids[{i}]"


def _subjects(rows: list[dict[str, Any]], ids: Sequence[str]) -> list[dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for r in rows:
        if r["i"] in found:
            raise InvalidJudgement(_field(r["i"]), f"{_field(r['i'])}: {r['id']} names both an enterprise and a "
                                                   "person; a judgement needs one subject")
        found[r["i"]] = r
    for i, sid in enumerate(ids):
        if i not in found:
            # 422 for an id no subject can have (a wrong check character), else 404.
            raise diagnose_unknown(sid, None, _field(i))
    return [found[i] for i in range(len(ids))]


def judge_plan(ids: Sequence[str], judgement: str, reason: str, caller: Caller,
               now: dt.datetime) -> Plan[dict[str, Any]]:
    """Keep a judgement of two subjects, and for "same" merge them and recompute what it touches."""
    if judgement not in JUDGEMENTS:
        raise InvalidJudgement("judgement", f"judgement: one of {', '.join(JUDGEMENTS)}, got {judgement!r}")
    if len(ids) != 2:
        raise InvalidJudgement("subject_ids", f"subject_ids: two ids expected, got {len(ids)}")
    if ids[0] == ids[1]:
        raise InvalidJudgement("subject_ids", f"subject_ids: {ids[0]} is given twice; a judgement is about two "
                                              "subjects")
    given = _subjects((yield Step("identity/subjects", {"ids": list(ids)})), ids)
    if given[0]["kind"] != given[1]["kind"]:
        raise InvalidJudgement("subject_ids", f"subject_ids: {ids[0]} is {_a(given[0]['kind'])} and {ids[1]} "
                                              f"{_a(given[1]['kind'])}; both must be of one kind")
    kind = given[0]["kind"]
    for i, s in enumerate(given):
        # Who may not read a subject learns nothing of it: an admin key scoped to a region.
        if not caller.in_region(s["regions"] or ()):
            raise not_found(kind, _field(i), s["id"])
    roots = [s["merged_into"] or s["id"] for s in given]
    key = pair_key(*roots)
    if roots[0] == roots[1]:
        raise JudgementConflict(f"{ids[0]} and {ids[1]} are already one {kind} ({roots[0]}) by a \"same\" judgement"
                                + ("" if judgement == "same" else ": undo it first (POST /v1/resolutions/{id}/undo)"),
                                "subject_ids", "already_same")
    for r in (yield Step("identity/resolutions_of", {"pair_key": key})):
        earlier = r["resolution"]
        raise JudgementConflict(f"{roots[0]} and {roots[1]} were judged {earlier['judgement']!r} by "
                                f"{earlier['resolution_id']}: undo it first to judge them again", "subject_ids",
                                "already_judged")
    resolution: dict[str, Any] = {
        "resolution_id": f"res-{uuid.uuid4().hex[:16]}", "judgement": judgement, "subject_kind": kind,
        "subject_ids": list(ids), "pair_key": key, "reason": reason, "by": caller.key_id, "role": caller.role,
        "at": now.isoformat(), "record_ids": [], "notifications_created": [],
    }
    if judgement == "same":
        subjects = given if roots == [s["id"] for s in given] else _subjects(
            (yield Step("identity/subjects", {"ids": roots})), roots)
        linked = kind == "enterprise" and (one((yield Step("identity/holdings_between", {"a": roots[0], "b": roots[1]})))
                                           or {}).get("linked")
        if linked:
            raise JudgementConflict(f"{roots[0]} and {roots[1]} hold shares in one another: as one enterprise it "
                                    "would hold itself; end the holding first", "subject_ids", "holds_itself")
        canonical = canonical_of(subjects)["id"]
        merged = roots[1] if canonical == roots[0] else roots[0]
        resolution.update(canonical_id=canonical, merged_id=merged)
    created = one((yield Step("identity/resolution_create", {"resolution": resolution})))
    assert created is not None
    if judgement == "different":
        return created["resolution"]
    yield Step(f"identity/merge_{kind}", {"merged": resolution["merged_id"], "canonical": resolution["canonical_id"],
                                          "resolution_id": resolution["resolution_id"]})
    yield _logged("subjects.merged", kind, [resolution["merged_id"], resolution["canonical_id"]], caller,
                  {"resolution_id": resolution["resolution_id"], "merged_id": resolution["merged_id"],
                   "canonical_id": resolution["canonical_id"], "reason": reason})
    return (yield from _recompute(kind, [resolution["merged_id"], resolution["canonical_id"]],
                                  resolution["resolution_id"]))


def _logged(kind_of_change: str, kind: str, ids: list[str], caller: Caller, data: dict[str, Any]) -> Log:
    """The change-log entry of a merge or its undoing (docs/changes.md), about both subjects."""
    actor = {"actor": f"api:{caller.key_id}" if caller.key_id else "admin"}
    usccs, person_ids = changelog.split(kind, ids)
    return Log([changelog.entry(kind_of_change, data["resolution_id"], actor, usccs=usccs, person_ids=person_ids,
                                after=data)])


def _a(kind: str) -> str:
    return "an enterprise" if kind == "enterprise" else "a person"


def _recompute(kind: str, ids: list[str], resolution_id: str) -> Plan[dict[str, Any]]:
    """Recompute the liabilities and reach of every record the move touched (the propagation's own
    plan), and keep with the judgement which records those were and the notifications it created."""
    by_kind = {"usccs": ids, "person_ids": []} if kind == "enterprise" else {"usccs": [], "person_ids": ids}
    rows = yield Step("propagation/touched_records", {"record_ids": [], **by_kind}, convert=False)
    touched = sorted(rows[0]["record_ids"])
    summary = yield from on_change_plan(record_ids=touched)
    records = sorted(set(summary.records) | set(summary.red_records))
    created = one((yield Step("identity/notifications_since", {"record_ids": records})))
    done = one((yield Step("identity/resolution_done", {
        "resolution_id": resolution_id, "record_ids": records, "notifications": sorted(created["ids"] if created else [])})))
    assert done is not None
    return done["resolution"]


def undo_plan(resolution_id: str, reason: str | None, caller: Caller, now: dt.datetime) -> Plan[dict[str, Any]]:
    """Undo a judgement: mark it undone, and for "same" split the merged subject off again."""
    found = one((yield Step("identity/resolution_get", {"resolution_id": resolution_id})))
    if found is None:
        raise not_found("resolution", "resolution_id", resolution_id)
    res = found["resolution"]
    if res["status"] != "active":
        raise JudgementConflict(f"resolution {resolution_id} was undone on {res['undone_at']}", "resolution_id",
                                "already_undone")
    undone_notifications = 0
    if res["judgement"] == "same":
        kind, merged = res["subject_kind"], res["merged_id"]
        [subject] = _subjects((yield Step("identity/subjects", {"ids": [merged]})), [merged])
        root = subject["merged_into"]
        members = {r["id"]: r["below"] for r in (yield Step("identity/cluster", {"kind": kind, "id": root}))}
        split_ids = [merged, *members.get(merged, [])]
        remaining = [root, *(m for m in members if m not in split_ids)]
        yield Step(f"identity/split_{kind}", {"merged": merged, "root": root, "split_ids": split_ids,
                                              "remaining_ids": remaining})
        yield _logged("subjects.split", kind, [merged, root], caller,
                      {"resolution_id": resolution_id, "split_ids": split_ids, "canonical_id": root,
                       "reason": reason})
        yield from _recompute_only(kind, [merged, root])
        rows = yield Step("identity/drop_notifications", {"ids": res.get("notifications_created") or []})
        undone_notifications = rows[0]["dropped"] if rows else 0
    marked = one((yield Step("identity/resolution_undo", {
        "resolution_id": resolution_id, "at": now.isoformat(), "by": caller.key_id, "reason": reason})))
    assert marked is not None
    return {**marked["resolution"], "notifications_dropped": undone_notifications}


def _recompute_only(kind: str, ids: list[str]) -> Plan[None]:
    by_kind = {"usccs": ids, "person_ids": []} if kind == "enterprise" else {"usccs": [], "person_ids": ids}
    rows = yield Step("propagation/touched_records", {"record_ids": [], **by_kind}, convert=False)
    yield from on_change_plan(record_ids=sorted(rows[0]["record_ids"]))


async def judge(graph: Graph, caller: Caller, ids: Sequence[str], judgement: str, reason: str) -> dict[str, Any]:
    """`judge_plan` in one write transaction."""
    now = dt.datetime.now(dt.UTC)
    return await graph.write_plan(lambda: judge_plan(ids, judgement, reason, caller, now))


async def undo(graph: Graph, caller: Caller, resolution_id: str, reason: str | None) -> dict[str, Any]:
    """`undo_plan` in one write transaction."""
    now = dt.datetime.now(dt.UTC)
    return await graph.write_plan(lambda: undo_plan(resolution_id, reason, caller, now))


async def get(graph: Graph, resolution_id: str) -> dict[str, Any]:
    """One judgement as kept (404 when unknown)."""
    row = await graph.read_one("identity/resolution_get", resolution_id=resolution_id)
    if row is None:
        raise not_found("resolution", "resolution_id", resolution_id)
    return row["resolution"]


async def history(graph: Graph, subject_id: str | None, offset: int, limit: int) -> list[dict[str, Any]]:
    """Judgements naming `subject_id` (every one without), newest first, `limit` + 1 from `offset`."""
    return [r["resolution"] for r in await graph.read("identity/resolutions_list", subject_id=subject_id,
                                                       offset=offset, limit=limit + 1)]
