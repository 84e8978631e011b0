"""A corpus of bad requests over the whole API (issue 15, "Tests that keep it so"), one row each:
the request and what the service must answer: its status, and for errors the code and the field
the error body names (None: the body names no field; ANY: not asserted).

Dates that are not ISO days, ints as dates and dates past the horizon, offsets and limits past
their caps, oversized fields, bodies and headers, keys given twice, wrong types, unknown enum
values and bad ids, across endpoints. Every row is rejected before anything is written, so the
demo graph is left as it was; the few 200 rows are reads that mark a limit's edge (the cap itself).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import pytest
from api_demo import E01, E03, E05, P08, TODAY, admin, api
from api_helpers import assert_error, make_key

from graph_service.settings import ServiceSettings

S = ServiceSettings()
ANY = object()
REC = "HN431003-2026-B0002"           # a demo record
NOTE = "HN431000-2026-B0001|431002"   # a demo notification
OBJ = "0" * 32                        # an objection id (none exists: bodies are refused first)
BIG = 2 ** 63                         # one past Neo4j's largest integer
HUGE = 2 ** 64
LONG_TEXT = "字" * (S.max_text_length + 1)
LONG_NAME = "名" * (S.max_name_length + 1)
LONG_ID = "A" * (S.max_id_length + 1)


@dataclass
class Case:
    name: str
    method: str
    url: str
    status: int
    code: str | object | None = ANY
    field: str | object | None = ANY
    params: dict[str, Any] | None = None
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = dc_field(default_factory=dict)
    role: str = "admin"
    says: str | None = None  # a part of the message


def cursor(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


# --- bodies that are valid as they stand; each case spoils one field -------------------------

RECORD = {"record_id": "HN431000-2099-B9999", "subject_kind": "enterprise", "subject_id": E01, "kind": "black",
          "category": "health_safety", "severity": "serious", "authority": "郴州市市场监督管理局",
          "authority_region": "431000", "document_no": "郴市监罚〔2026〕999号", "misconduct_on": "2026-05-10",
          "decided_on": "2026-06-01", "published_on": "2026-06-03", "legal_basis": "《食品安全法》第一百三十四条"}
CHECK = {"subject_id": E01, "action": "flight", "as_of": TODAY}
OBJECTION = {"notice_on": "2026-09-30", "filed_by": "subject", "grounds": "主体认定错误"}
RESOLUTION = {"outcome": "corrected", "on": "2026-10-20", "changes": {"severity": "general"}, "reason": "核实"}
REPAIR = {"requested_on": "2026-09-01", "evidence": "信用承诺书",
          "conditions": {"corrected_and_performed": True, "credit_commitment": True, "other_legal_conditions": True}}
FEEDBACK = {"applied": True, "on": "2026-01-26", "measures": ["adm_public_resource_trading"], "reason": "已限制"}
RELEASE = {"person_id": "432821196510021173", "on": "2026-04-15", "reason": "法院解除限制"}


def but(body: dict, **changes) -> dict:
    return {**body, **changes}


POSTS = {  # url, valid body
    "record": ("/v1/records", RECORD),
    "objection": (f"/v1/records/{REC}/objections", OBJECTION),
    "resolution": (f"/v1/objections/{OBJ}/resolution", RESOLUTION),
    "repair": (f"/v1/records/{REC}/repair", REPAIR),
    "acknowledge": (f"/v1/notifications/{NOTE}/acknowledge", {"on": "2026-01-26"}),
    "restoration": (f"/v1/notifications/{NOTE}/restoration/acknowledge", {"on": "2026-01-26"}),
    "feedback": (f"/v1/notifications/{NOTE}/feedback", FEEDBACK),
    "release": (f"/v1/records/{REC}/releases", RELEASE),
    "check": ("/v1/checks", CHECK),
    "batch": ("/v1/checks/batch", {"queries": {"q1": CHECK}}),
}

# --- dates in query parameters -----------------------------------------------------------------

DATE_PARAMS = [  # url, other params, the date parameter
    (f"/v1/enterprises/{E01}", {}, "as_of"),
    (f"/v1/persons/{P08}", {}, "as_of"),
    (f"/v1/enterprises/{E01}/credit", {}, "as_of"),
    (f"/v1/persons/{P08}/credit", {}, "as_of"),
    (f"/v1/records/{REC}", {}, "as_of"),
    ("/v1/lists/black", {}, "as_of"),
    ("/v1/lists/red", {"format": "csv"}, "as_of"),
    (f"/v1/lists/green-channel/{E05}", {}, "as_of"),
    (f"/v1/subjects/{E01}/network", {}, "as_of"),
    (f"/v1/subjects/{E01}/risk", {}, "as_of"),
    ("/v1/paths", {"from": E01, "to": E03}, "as_of"),
    (f"/v1/enterprises/{E01}/shareholders", {}, "as_of"),
    (f"/v1/enterprises/{E01}/beneficial-owners", {}, "as_of"),
    ("/v1/analytics/groups", {"region": "431000"}, "as_of"),
    ("/v1/analytics/cycles", {"region": "431000"}, "as_of"),
    ("/v1/notifications", {"region": "431000"}, "as_of"),
    ("/v1/objections/overdue", {}, "as_of"),
    ("/v1/regions/431000/links", {}, "as_of"),
    ("/v1/stats", {}, "from"),
    ("/v1/stats", {}, "to"),
    ("/v1/stats/publication", {}, "as_of"),
    ("/v1/stats/publication", {}, "from"),
]
BAD_DAYS = ["0", "1700000000", "20261126", "2026-02-30", "2026-11-26T00:00:00", "26/11/2026", "2026-1-1", "-1"]

CASES: list[Case] = []
for i, (url, params, name) in enumerate(DATE_PARAMS):
    # Three bad days per parameter, rotating through the list; `0` (1970-01-01 before) for all.
    for bad in dict.fromkeys(["0", BAD_DAYS[(i % 7) + 1], BAD_DAYS[(i + 3) % 7 + 1]]):
        CASES.append(Case(f"GET {url} {name}={bad}", "GET", url, 422, "invalid_request", name,
                          params={**params, name: bad}))
    if i % 4 == 0:  # the same request with an ISO day is answered
        CASES.append(Case(f"GET {url} {name}={TODAY}", "GET", url, 200, params={**params, name: TODAY}))

# --- dates in bodies ---------------------------------------------------------------------------

BODY_DATES = [("record", "decided_on"), ("record", "misconduct_on"), ("record", "published_on"),
              ("record", "valid_until"), ("objection", "notice_on"), ("resolution", "on"),
              ("repair", "requested_on"), ("acknowledge", "on"), ("restoration", "on"), ("feedback", "on"),
              ("release", "on"), ("check", "as_of")]
for endpoint, name in BODY_DATES:
    url, body = POSTS[endpoint]
    for bad in (0, 20260601, "2026-06-01T00:00:00", "2026-13-01", 1.5, True):
        CASES.append(Case(f"POST {endpoint} {name}={bad!r}", "POST", url, 422, "invalid_request", name,
                          json=but(body, **{name: bad})))
# Past the horizon (CREDIT_GRAPH_DATE_HORIZON_YEARS): every date written into a record or its history.
for endpoint, name in BODY_DATES:
    if endpoint in ("check", "release"):
        continue  # a check may ask about any day; releases have rules of their own
    url, body = POSTS[endpoint]
    CASES.append(Case(f"POST {endpoint} {name}=2999-01-01", "POST", url, 422, "invalid_request", name,
                      json=but(body, **{name: "2999-01-01"})))
CASES += [
    Case("record decided_on past the horizon says why", "POST", "/v1/records", 422, "invalid_request", "decided_on",
         json=but(RECORD, decided_on="2999-06-01"), says="2999-06-01 is later than"),
    Case("as_of=0 says what a date is", "GET", "/v1/notifications", 422, "invalid_request", "as_of",
         params={"region": "431000", "as_of": "0"}, says="expected an ISO date YYYY-MM-DD"),
    Case("offset=2**63 says the cap", "GET", "/v1/notifications", 422, "invalid_request", "offset",
         params={"region": "431000", "offset": BIG}, says=f"between 0 and {S.max_offset}"),
    Case("notifications as_of 9999-12-31: a year without a calendar", "GET", "/v1/notifications", 422,
         "calendar_unknown", "as_of", params={"region": "431000", "as_of": "9999-12-31"}),
    Case("notifications as_of 0001-01-01: a year without a calendar", "GET", "/v1/notifications", 422,
         "calendar_unknown", "as_of", params={"region": "431000", "as_of": "0001-01-01"}),
    Case("stats from after to", "GET", "/v1/stats", 422, "invalid_request", "from",
         params={"from": "9999-12-31", "to": "2026-01-01"}),
    Case("batch queries.q2.as_of=0", "POST", "/v1/checks/batch", 422, "invalid_request", "queries.q2.as_of",
         json={"queries": {"q1": CHECK, "q2": but(CHECK, as_of=0)}}),
    Case("resolution changes.decided_on=0", "POST", POSTS["resolution"][0], 422, "invalid_request",
         "changes.decided_on", json=but(RESOLUTION, changes={"decided_on": 0})),
    Case("resolution changes.valid_until=2999", "POST", POSTS["resolution"][0], 422, "invalid_request",
         "changes.valid_until", json=but(RESOLUTION, changes={"valid_until": "2999-01-01"})),
    Case("resolution changes.subject_id (not correctable)", "POST", POSTS["resolution"][0], 422, "invalid_request",
         "changes.subject_id", json=but(RESOLUTION, changes={"subject_id": E03})),
]

# --- offsets, limits and the counts cursors carry --------------------------------------------

PAGED = [  # url, params, parameter, cap
    ("/v1/notifications", {"region": "431000"}, "offset", S.max_offset),
    ("/v1/notifications", {"region": "431000"}, "limit", S.list_max_page_size),
    ("/v1/lists/black", {}, "offset", S.max_offset),
    ("/v1/lists/black", {}, "limit", S.list_max_page_size),
    ("/v1/lists/red", {}, "offset", S.max_offset),
    ("/v1/lists/red", {"format": "csv"}, "limit", S.list_max_page_size),
    (f"/v1/subjects/{E01}/network", {}, "limit", S.list_max_page_size),
    (f"/v1/subjects/{E01}/network", {}, "depth", S.network_max_depth),
    (f"/v1/subjects/{E01}/risk", {}, "limit", S.list_max_page_size),
    (f"/v1/subjects/{E01}/risk", {}, "depth", S.risk_max_depth),
    ("/v1/analytics/groups", {"region": "431000"}, "limit", S.groups_max_groups),
    ("/v1/analytics/groups", {"region": "431000"}, "min_size", S.groups_max_enterprises),
    ("/v1/analytics/cycles", {"region": "431000"}, "max_cycles", S.cycles_max_cycles),
    ("/v1/analytics/cycles", {"region": "431000"}, "max_cycle_length", S.cycles_max_cycle_length),
    ("/v1/paths", {"from": E01, "to": E03}, "k", S.paths_max_count),
    ("/v1/paths", {"from": E01, "to": E03}, "max_depth", S.paths_max_depth),
    ("/v1/regions/431000/links", {}, "limit", S.list_max_page_size),
    (f"/v1/enterprises/{E01}/shareholders", {}, "max_depth", S.ownership_max_depth),
]
for url, params, name, cap in PAGED:
    for bad in (cap + 1, 2 ** 31, BIG, HUGE):
        CASES.append(Case(f"GET {url} {name}={bad}", "GET", url, 422, ANY, name, params={**params, name: bad}))
    CASES.append(Case(f"GET {url} {name}=-1", "GET", url, 422, ANY, name, params={**params, name: -1}))
    CASES.append(Case(f"GET {url} {name}=abc", "GET", url, 422, "invalid_request", name,
                      params={**params, name: "abc"}))
    if name in ("offset", "limit"):  # the cap itself is allowed
        CASES.append(Case(f"GET {url} {name}={cap}", "GET", url, 200, params={**params, name: cap}))
CASES += [
    Case("groups cursor offset 2**63", "GET", "/v1/analytics/groups", 422, "invalid_cursor", "cursor",
         params={"region": "431000", "cursor": cursor({"offset": BIG})}),
    Case("groups cursor offset past the cap", "GET", "/v1/analytics/groups", 422, "invalid_cursor", "cursor",
         params={"region": "431000", "cursor": cursor({"offset": S.max_offset + 1})}),
    Case("risk cursor offset 2**63", "GET", f"/v1/subjects/{E01}/risk", 422, "invalid_cursor", "cursor",
         params={"cursor": cursor({"offset": BIG})}),
    Case("risk cursor offset -5", "GET", f"/v1/subjects/{E01}/risk", 422, "invalid_cursor", "cursor",
         params={"cursor": cursor({"offset": -5})}),
    Case("network cursor offset 2**63 (public)", "GET", f"/v1/subjects/{E01}/network", 422, "invalid_cursor",
         "cursor", params={"cursor": cursor({"after": {"role": BIG}})}, role="public"),
    Case("network cursor not base64 json", "GET", f"/v1/subjects/{E01}/network", 422, "invalid_cursor", "cursor",
         params={"cursor": "%%%"}),
    Case("risk cursor of 2,001 characters", "GET", f"/v1/subjects/{E01}/risk", 422, "invalid_request", "cursor",
         params={"cursor": "A" * (S.max_text_length + 1)}),
]

# --- sizes: fields, bodies, headers ----------------------------------------------------------

TEXT_FIELDS = [("record", "legal_basis", LONG_TEXT), ("record", "reason", LONG_TEXT),
               ("record", "authority", LONG_NAME), ("record", "document_no", LONG_NAME),
               ("record", "category", LONG_NAME), ("record", "record_id", LONG_ID),
               ("record", "subject_id", LONG_ID), ("objection", "grounds", LONG_TEXT),
               ("resolution", "reason", LONG_TEXT), ("repair", "evidence", LONG_TEXT),
               ("repair", "reason", LONG_TEXT), ("feedback", "reason", LONG_TEXT),
               ("release", "reason", LONG_TEXT), ("release", "person_id", LONG_ID),
               ("check", "subject_id", LONG_ID), ("check", "action", LONG_ID)]
for endpoint, name, value in TEXT_FIELDS:
    url, body = POSTS[endpoint]
    CASES.append(Case(f"POST {endpoint} {name} of {len(value)} characters", "POST", url, 422, "invalid_request",
                      name, json=but(body, **{name: value})))
CASES += [
    Case("record with 101 responsible persons", "POST", "/v1/records", 422, "invalid_request",
         "responsible_person_ids", json=but(RECORD, responsible_person_ids=[P08] * (S.max_body_list_items + 1))),
    Case("record with a responsible person id of 65", "POST", "/v1/records", 422, "invalid_request",
         "responsible_person_ids[0]", json=but(RECORD, responsible_person_ids=[LONG_ID])),
    Case("feedback with 101 measures", "POST", POSTS["feedback"][0], 422, "invalid_request", "measures",
         json=but(FEEDBACK, measures=["x"] * (S.max_body_list_items + 1))),
    Case("resolution changes.legal_basis of 2,001", "POST", POSTS["resolution"][0], 422, "invalid_request",
         "changes.legal_basis", json=but(RESOLUTION, changes={"legal_basis": LONG_TEXT})),
    Case("batch key of 65 characters", "POST", "/v1/checks/batch", 422, "invalid_request", ANY,
         json={"queries": {LONG_ID: CHECK}}),
    Case("batch of 1,001 checks", "POST", "/v1/checks/batch", 422, "invalid_request", "queries",
         json={"queries": {f"q{i}": CHECK for i in range(S.batch_max_items + 1)}}),
    Case("batch of no checks", "POST", "/v1/checks/batch", 422, "invalid_request", "queries", json={"queries": {}}),
    Case("a 5 MB legal_basis (body over the limit)", "POST", "/v1/records", 413, "body_too_large", None,
         json=but(RECORD, legal_basis="x" * 5_000_000)),
    Case("a body of limit + 1 bytes", "POST", "/v1/checks", 413, "body_too_large", None,
         content=b" " * (S.max_body_bytes + 1), headers={"Content-Type": "application/json"}),
    Case("a GET declaring a body over the limit", "GET", "/v1/rules", 413, "body_too_large", None,
         headers={"Content-Length": str(S.max_body_bytes + 1)}),
    Case("X-Purpose over its maximum", "GET", f"/v1/persons/{P08}", 422, "invalid_request", "X-Purpose",
         headers={"X-Purpose": "a" * (S.max_purpose_length + 1)}),
    Case("X-Purpose over its maximum (investigator)", "GET", f"/v1/persons/{P08}/credit", 422, "invalid_request",
         "X-Purpose", headers={"X-Purpose": "%E6%A1%88" * 200}, role="investigator"),
    Case("X-Purpose at its maximum", "GET", f"/v1/persons/{P08}", 200,
         headers={"X-Purpose": "a" * S.max_purpose_length}),
    Case("a header over CREDIT_GRAPH_MAX_HEADER_BYTES", "GET", "/v1/rules", 431, "header_too_large", "X-Trace",
         headers={"X-Trace": "t" * (S.max_header_bytes + 1)}),
    Case("X-Purpose over the header maximum", "GET", f"/v1/persons/{P08}", 431, "header_too_large", "X-Purpose",
         headers={"X-Purpose": "p" * (S.max_header_bytes + 1)}),
    Case("category of 201 characters", "GET", "/v1/lists/black", 422, "invalid_request", "category",
         params={"category": LONG_NAME}),
    Case("stats authority of 201 characters", "GET", "/v1/stats", 422, "invalid_request", "authority",
         params={"authority": LONG_NAME}),
    Case("paths from of 65 characters", "GET", "/v1/paths", 422, "invalid_request", "from",
         params={"from": LONG_ID, "to": E03}),
    Case("objection id of 65 characters", "GET", f"/v1/objections/{LONG_ID}", 422, "invalid_request",
         "objection_id"),
    Case("history of a record id of 65", "GET", f"/v1/records/{LONG_ID}/history", 422, "invalid_request",
         "record_id"),
    Case("notification id of 201", "POST", f"/v1/notifications/{LONG_NAME}/acknowledge", 422, "invalid_request",
         "notification_id", json={}),
]

# --- keys given twice ---------------------------------------------------------------------------

CHECK_JSON = json.dumps(CHECK)
CASES += [
    Case("batch: q1 twice", "POST", "/v1/checks/batch", 422, "duplicate_key", "queries.q1",
         content=f'{{"queries": {{"q1": {CHECK_JSON}, "q2": {CHECK_JSON}, "q1": {CHECK_JSON}}}}}'.encode()),
    Case("batch: queries twice", "POST", "/v1/checks/batch", 422, "duplicate_key", "queries",
         content=f'{{"queries": {{"q1": {CHECK_JSON}}}, "queries": {{"q2": {CHECK_JSON}}}}}'.encode()),
    Case("batch: action twice inside q7", "POST", "/v1/checks/batch", 422, "duplicate_key", "queries.q7.action",
         content=f'{{"queries": {{"q7": {{"subject_id": "{E01}", "action": "flight", "action": "green_channel"}}}}}}'.encode()),
    Case("check: subject_id twice", "POST", "/v1/checks", 422, "duplicate_key", "subject_id",
         content=f'{{"subject_id": "{E01}", "subject_id": "{E03}", "action": "flight"}}'.encode()),
    Case("record: decided_on twice", "POST", "/v1/records", 422, "duplicate_key", "decided_on",
         content=json.dumps(RECORD)[:-1].encode() + b', "decided_on": "2026-06-02"}'),
    Case("repair: a condition twice", "POST", POSTS["repair"][0], 422, "duplicate_key", "conditions.credit_commitment",
         content=(b'{"conditions": {"credit_commitment": true, "corrected_and_performed": true, '
                  b'"other_legal_conditions": true, "credit_commitment": false}}')),
    Case("resolution: changes.severity twice", "POST", POSTS["resolution"][0], 422, "duplicate_key",
         "changes.severity",
         content=b'{"outcome": "corrected", "changes": {"severity": "general", "severity": "minor"}}'),
    Case("feedback: applied twice", "POST", POSTS["feedback"][0], 422, "duplicate_key", "applied",
         content=b'{"applied": true, "applied": false}'),
    Case("release: on twice", "POST", POSTS["release"][0], 422, "duplicate_key", "on",
         content=f'{{"person_id": "{RELEASE["person_id"]}", "on": "2026-04-15", "reason": "r", "on": "1999-01-01"}}'.encode()),
    Case("batch: same key in two different objects is fine", "POST", "/v1/checks/batch", 200,
         content=f'{{"queries": {{"q1": {CHECK_JSON}, "q2": {CHECK_JSON}}}}}'.encode()),
]

# --- bodies that are not UTF-8 JSON --------------------------------------------------------------

for endpoint, (url, _body) in POSTS.items():
    CASES.append(Case(f"POST {endpoint}: Latin-1 body", "POST", url, 400, "invalid_body", None,
                      content='{"reason": "café"}'.encode("latin-1"), headers={"Content-Type": "application/json"}))
CASES += [
    Case("check: UTF-16 body", "POST", "/v1/checks", 400, "invalid_body", None,
         content=json.dumps(CHECK).encode("utf-16"), headers={"Content-Type": "application/json"}),
    Case("check: not JSON", "POST", "/v1/checks", 422, "invalid_request", ANY, content=b"{subject_id: 1",
         headers={"Content-Type": "application/json"}),
    Case("check: as_of NaN (a JSON extension Python reads)", "POST", "/v1/checks", 422, "invalid_request", "as_of",
         content=f'{{"subject_id": "{E01}", "action": "flight", "as_of": NaN}}'.encode()),
    Case("objection: expected_seq Infinity", "POST", POSTS["objection"][0], 422, "invalid_request", "expected_seq",
         content=b'{"notice_on": "2026-09-30", "expected_seq": Infinity}'),
    Case("record: GB18030 body", "POST", "/v1/records", 400, "invalid_body", None,
         content=json.dumps(RECORD, ensure_ascii=False).encode("gb18030"), headers={"Content-Type": "application/json"}),
]

# --- wrong types and unknown enum values --------------------------------------------------------

WRONG = [
    ("check", "subject_id", 123), ("check", "action", None), ("check", "action", ["flight"]),
    ("batch", "queries", []), ("batch", "queries", "q1"),
    ("record", "kind", "grey"), ("record", "subject_kind", "company"), ("record", "severity", "huge"),
    ("record", "responsible_person_ids", P08), ("record", "specific_serious", "sometimes"),
    ("record", "authority_region", "4310000"),
    ("objection", "filed_by", "alien"), ("objection", "expected_seq", BIG), ("objection", "expected_seq", -1),
    ("objection", "expected_seq", "x"),
    ("resolution", "outcome", "maybe"), ("resolution", "changes", ["severity"]), ("resolution", "expected_seq", HUGE),
    ("repair", "conditions", {"credit_commitment": "perhaps"}), ("repair", "expected_seq", BIG),
    ("feedback", "applied", "maybe"), ("feedback", "measures", "all"),
    ("release", "id_type", "driver_licence"), ("release", "reason", ""),
]
for endpoint, name, value in WRONG:
    url, body = POSTS[endpoint]
    CASES.append(Case(f"POST {endpoint} {name}={value!r}"[:120], "POST", url, 422, "invalid_request", ANY,
                      json=but(body, **{name: value})))
ENUMS = [
    ("/v1/lists/black", {"by": "owner"}, "by"), ("/v1/lists/red", {"format": "xml"}, "format"),
    ("/v1/notifications", {"region": "431000", "status": "lost"}, "status"),
    (f"/v1/subjects/{E01}/network", {"kind": "company"}, "kind"),
    (f"/v1/subjects/{E01}/network", {"relations": "friendship"}, "relations"),
    (f"/v1/subjects/{E01}/network", {"history": "maybe"}, "history"),
    (f"/v1/enterprises/{E01}/shareholders", {"direction": "sideways"}, "direction"),
    (f"/v1/enterprises/{E01}/shareholders", {"min_ratio": "abc"}, "min_ratio"),
    ("/v1/analytics/groups", {"region": "431000", "rank_by": "age"}, "rank_by"),
    ("/v1/stats/publication", {"kind": "grey"}, "kind"),
    (f"/v1/persons/{P08}", {"id_type": "licence"}, "id_type"),
    ("/v1/paths", {"from": E01, "to": E03, "from_kind": "company"}, "from_kind"),
    ("/v1/paths", {"from": E01, "to": E03, "relations": "friendship"}, "relations"),
    ("/v1/lists/black", {"region": "4310"}, "region"), ("/v1/stats", {"region": "abcdef"}, "region"),
]
ENUMS += [  # numbers that are not numbers, or out of range
    (f"/v1/enterprises/{E01}/shareholders", {"min_ratio": "nan"}, "min_ratio"),
    (f"/v1/enterprises/{E01}/shareholders", {"min_ratio": "1e309"}, "min_ratio"),
    (f"/v1/enterprises/{E01}/beneficial-owners", {"threshold": "inf"}, "threshold"),
    (f"/v1/enterprises/{E01}/beneficial-owners", {"threshold": "nan"}, "threshold"),
    (f"/v1/enterprises/{E01}/beneficial-owners", {"threshold": "0"}, "threshold"),
]
for url, params, name in ENUMS:
    CASES.append(Case(f"GET {url} {params}", "GET", url, 422, ANY, name, params=params))

# --- bad ids --------------------------------------------------------------------------------

CASES += [
    Case("uscc with a wrong check character", "GET", f"/v1/enterprises/{E01[:-1]}X", 422, "invalid_uscc", "uscc"),
    Case("uscc too short", "GET", "/v1/enterprises/123", 422, "invalid_uscc", "uscc"),
    Case("uscc credit, lower-case letters", "GET", "/v1/enterprises/91431002ma4l2hj36!/credit", 422, "invalid_uscc",
         "uscc"),
    Case("person id with a wrong check digit", "GET", f"/v1/persons/{P08[:-1]}0", 422, "invalid_person_id",
         "person_id"),
    Case("person credit, id of letters", "GET", "/v1/persons/ABCDEFGHIJKLMNOPQR/credit", 422, "invalid_person_id",
         "person_id"),
    Case("record id with a control character", "GET", "/v1/records/HN%01X", 422, "invalid_record_id", "record_id"),
    Case("unknown enterprise", "GET", "/v1/enterprises/91431002MA4L0C5B8T", 404, "not_found", ANY),
    Case("check of an empty subject id", "POST", "/v1/checks", 422, "invalid_request", "subject_id",
         json=but(CHECK, subject_id="")),
    Case("check of an unknown action", "POST", "/v1/checks", 422, "unknown_action", "action",
         json=but(CHECK, action="teleport")),
    Case("check with an unknown field", "POST", "/v1/checks", 422, "invalid_request", "colour",
         json=but(CHECK, colour="red")),
    Case("batch item of a bad uscc answers 422 for that key", "POST", "/v1/checks/batch", 200,
         json={"queries": {"bad": but(CHECK, subject_id=E01[:-1] + "X")}}),
    Case("network of an id with a control character", "GET", "/v1/subjects/AB%00CD/network", 422, ANY, ANY),
    Case("region links of a 4-digit code", "GET", "/v1/regions/4310/links", 422, ANY, "code"),
    Case("groups without a region", "GET", "/v1/analytics/groups", 422, "invalid_request", "region"),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 150, len(CASES)
    assert len({c.name for c in CASES}) == len(CASES), "case names are ids: they must differ"


@pytest.fixture(scope="module")
def keys(api, admin):
    _, driver = api
    return {"admin": admin, "public": make_key(driver, "public"), "investigator": make_key(driver, "investigator")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, api, keys):
    c, _ = api
    kwargs: dict[str, Any] = {"params": case.params, "headers": {**keys[case.role], **case.headers}}
    if case.json is not None:
        kwargs["json"] = case.json
    if case.content is not None:
        kwargs["content"] = case.content
        kwargs["headers"].setdefault("Content-Type", "application/json")
    r = c.request(case.method, case.url, **kwargs)
    if case.status < 400:
        assert r.status_code == case.status, r.text[:500]
        return
    assert r.status_code == case.status, r.text[:500]
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}, body
    assert body["error"]["message"], body
    if case.code is not ANY:
        assert body["error"]["code"] == case.code, body
    if case.field is not ANY:
        assert body["error"]["field"] == case.field, body
    if case.says is not None:
        assert case.says in body["error"]["message"], body


def test_a_streamed_body_is_stopped_at_the_limit(api, keys):
    """No Content-Length (chunked): the bytes are counted as they arrive and the request is refused
    once they pass CREDIT_GRAPH_MAX_BODY_BYTES, without the rest being read. The app is driven
    through ASGI here: the test client would read the whole body before the app sees any of it."""
    c, _ = api
    chunk, total_chunks = 65536, 64  # 4 MiB offered, 64 KiB at a time
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b" " * chunk, "more_body": pulled < total_chunks}

    async def send(message):
        sent.append(message)

    key = keys["admin"]["X-API-Key"].encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/v1/checks", "raw_path": b"/v1/checks", "root_path": "",
             "query_string": b"", "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
             "headers": [(b"content-type", b"application/json"), (b"x-api-key", key)]}
    c.portal.call(c.app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    body = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    assert body["error"]["code"] == "body_too_large", body
    assert pulled == S.max_body_bytes // chunk + 1  # stopped at the first chunk past the limit
