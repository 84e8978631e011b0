"""POST /v1/checks and /v1/checks/batch on the demo bundle's stories; every check stored."""

from __future__ import annotations

import asyncio
import datetime as dt

import neo4j
import pytest
from api_demo import (
    DEMO_USCCS,
    E01,
    E03,
    E05,
    E06,
    P01,
    P02,
    P03,
    P04,
    P05,
    P06,
    P07,
    P08,
    P09,
    P10,
    P11,
    P12,
    P13,
    P14,
    P15,
    P16,
    P17,
    TODAY,
    demo_app,
)
from api_helpers import assert_error, make_key

from graph_service import credit
from graph_service.access import keys
from graph_service.cypher import query
from graph_service.db import async_driver
from graph_service.domain.catalogue import catalogue
from graph_service.identifiers import uscc_check_char

E07 = "92431002MA4L9K5Q1P"
UNKNOWN = "91431002MA4L2HJ44" + uscc_check_char("91431002MA4L2HJ44")


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn):
    # Small chunks so that a batch of a few runs in several transactions at once.
    with demo_app(neo4j_driver, neo4j_conn, batch_chunk=2, batch_parallelism=3, batch_max_items=20) as c:
        yield c, neo4j_driver


@pytest.fixture(scope="module")
def admin(api):
    return make_key(api[1], "admin")


def check(c, h, subject_id, action, as_of=TODAY, status=200):
    body = {"subject_id": subject_id, "action": action}
    if as_of:
        body["as_of"] = as_of
    r = c.post("/v1/checks", headers=h, json=body)
    assert r.status_code == status, r.text
    return r.json()


@pytest.mark.parametrize("subject, action, as_of, decision", [
    (P08, "flight", TODAY, "restricted"),                  # 2a: the court debtor's legal representative
    (P10, "flight", TODAY, "restricted"),                  # 2a: its actual controller in office
    (E03, "public_procurement_bid", TODAY, "restricted"),  # 2a: the debtor itself
    (P09, "flight", TODAY, "restricted"),                  # 2b: LR on the listing's date, not released
    (P09, "flight", "2026-04-01", "restricted"),           # 2b: in office then
    (P08, "flight", "2026-04-01", "clear"),                # 2b: not yet in office
    (P11, "serve_as_director_supervisor_executive", TODAY, "restricted"),  # 3: Company Law 178
    (E05, "green_channel", TODAY, "favoured"),             # 5
    (E06, "green_channel", "2025-12-01", "favoured"),      # 6: before B0001 made its LR liable
    (E06, "green_channel", TODAY, "favoured"),             # 6: red list lost, three clean years of its own
    (E07, "public_procurement_bid", TODAY, "clear"),       # 7: an ordinary penalty
    (P01, "serve_as_legal_representative", TODAY, "restricted"),  # 1a
])
def test_stories(api, admin, subject, action, as_of, decision):
    c, _ = api
    assert check(c, admin, subject, action, as_of)["decision"] == decision


def test_basis_names_record_rule_role_path(api, admin):
    c, _ = api
    a = check(c, admin, P08, "flight")
    assert a["subject_kind"] == "person" and a["check_id"]
    b = a["basis"][0]
    assert (b["record_id"], b["rule_id"], b["role"]) == ("HN431003-2026-B0002", "court_enterprise_current_holders",
                                                        "legal_representative")
    assert b["path"][0] == "record:HN431003-2026-B0002" and b["path"][-1] == f"person:{P08}"
    assert [m["code"] for m in a["measures"]] == ["mkt_consumption_restriction"]
    assert a["measures"][0]["class"] in ("mandatory", "recommended")  # the documented name, not class_
    lost = check(c, admin, E06, "green_channel")
    assert lost["basis"][0]["effect"] == "lost" and lost["basis"][0]["lost_record_id"] == "HN431000-2026-B0001"
    assert "HN431000-2026-B0001" in lost["note"]


GREEN_DAYS = ("2019-06-01", "2023-01-01", "2025-12-01", TODAY)


def test_green_channel_check_and_list_give_one_answer(api, admin):
    # Policy item 6: red-listed subjects and subjects with three clean years. The check of
    # `green_channel` and the list's eligibility answer from one rule, with the same explanation.
    c, graph = api
    admin = make_key(graph, "admin")  # the module's key may be revoked by a test before
    seen: set[str] = set()
    for subject in [*DEMO_USCCS, E07, P01, P03, P08, P12, P16]:
        for day in GREEN_DAYS:
            listed = c.get(f"/v1/lists/green-channel/{subject}", params={"as_of": day},
                           headers={**admin, "X-Purpose": "green channel test"})
            assert listed.status_code == 200, listed.text
            listed = listed.json()
            answer = check(c, admin, subject, "green_channel", day)
            assert answer["decision"] in ("favoured", "restricted") if listed["eligible"] else \
                answer["decision"] in ("clear", "restricted"), (subject, day)
            assert answer["eligibility"] == {k: v for k, v in listed.items()
                                             if k not in ("subject_id", "subject_kind", "as_of")}, (subject, day)
            deferred = check(c, admin, subject, "deferred_documents", day)
            assert deferred["eligibility"] == answer["eligibility"]
            seen.update(listed["basis"])
            if listed["blocking"]:
                seen.add("blocked")
            if any("less than 3 years" in n for n in listed["notes"]):
                seen.add("too_young")
    # The demo covers every kind of subject the rule tells apart.
    assert {"red_list", "three_years_clean", "blocked", "too_young"} <= seen


def test_three_clean_years_favour_the_green_channel_check(api, admin):
    # E06 lost its red-list incentives on 2026-01-20 (its LR is liable for B0001) but has no bad
    # record of its own: eligible through three clean years (item 6). The check used to be clear
    # because only red-list incentives could favour it.
    c, graph = api
    admin = make_key(graph, "admin")
    answer = check(c, admin, E06, "green_channel")
    assert answer["decision"] == "favoured"
    assert answer["eligibility"]["basis"] == ["three_years_clean"]
    assert [m["code"] for m in answer["measures"]] == ["inc_green_channel"]
    assert answer["basis"][0]["effect"] == "lost"  # the red-list route is still explained


def assert_batch_like_singles(c, h, queries) -> dict:
    """Each key of the batch answered as POST /v1/checks answers it, status and error included."""
    r = c.post("/v1/checks/batch", headers=h, json={"queries": queries})
    assert r.status_code == 200, r.text
    out = r.json()
    assert list(out["responses"]) == list(queries)
    for key, q in queries.items():
        single = c.post("/v1/checks", headers=h, json=q)
        item = out["responses"][key]
        assert item["status"] == single.status_code, key
        if single.status_code == 200:
            mine = {k: v for k, v in item["result"].items() if k != "check_id"}
            assert mine == {k: v for k, v in single.json().items() if k != "check_id"}, key
        else:
            assert item["error"]["code"] == single.json()["error"]["code"], key
            assert item["error"]["field"] == f"queries.{key}." + single.json()["error"]["field"], key
    return out


def test_batch_answers_each_key_like_the_single_check(api, admin):
    c, _ = api
    queries = {
        "a": {"subject_id": P08, "action": "flight", "as_of": TODAY},
        "b": {"subject_id": E05, "action": "green_channel", "as_of": TODAY},
        "c": {"subject_id": E06, "action": "green_channel", "as_of": TODAY},
        "d": {"subject_id": P09, "action": "flight", "as_of": "2026-04-01"},
        "e": {"subject_id": E07, "action": "public_procurement_bid", "as_of": TODAY},
        "bad": {"subject_id": E01[:-1] + "A", "action": "flight"},
        "unknown": {"subject_id": UNKNOWN, "action": "flight"},
        "action": {"subject_id": E01, "action": "dancing"},
    }
    out = assert_batch_like_singles(c, admin, queries)
    assert out["counts"] == {"restricted": 2, "favoured": 2, "clear": 1, "error": 3}  # E06: three clean years
    assert out["responses"]["bad"]["status"] == 422 and "'R'" in out["responses"]["bad"]["error"]["message"]
    assert out["responses"]["unknown"]["status"] == 404


@pytest.mark.parametrize("role, region", [("public", None), ("department", "431003"), ("investigator", None)])
def test_batch_answers_like_the_single_check_for_every_role(api, role, region):
    # Masked paths (public), region scope (Suxian), persons refused to public keys: per key as alone.
    c, graph = api
    h = make_key(graph, role, region)
    asked = [(E03, "public_procurement_bid", TODAY), (E03, "flight", TODAY), (P08, "flight", TODAY),
             (P10, "flight", TODAY), (E01, "public_procurement_bid", TODAY), (E05, "green_channel", TODAY),
             (E06, "green_channel", TODAY), (E06, "green_channel", "2025-12-01"), (P01, "serve_as_legal_representative", TODAY),
             (P09, "flight", "2026-04-01"), (E07, "public_procurement_bid", TODAY), (UNKNOWN, "flight", TODAY),
             (E03, "public_procurement_bid", TODAY)]
    out = assert_batch_like_singles(c, h, {f"q{i}": {"subject_id": s, "action": a, "as_of": d}
                                           for i, (s, a, d) in enumerate(asked)})
    statuses = {item["status"] for item in out["responses"].values()}
    assert 200 in statuses and 404 in statuses
    assert 403 not in statuses  # what a key may not read answers as unknown (404), per key as alone


def _batch_and_singles(conn, asked, singles_too=True):
    """credit.check_batch over `asked` and credit.check for each, in one read transaction."""
    async def work(tx):
        singles = []
        for subject_id, action, as_of in asked if singles_too else []:
            try:
                singles.append(await credit.check(tx, subject_id, action, as_of))
            except (credit.UnknownSubject, credit.UnknownAction) as exc:
                singles.append(exc)
        return await credit.check_batch(tx, asked), singles

    async def go():
        drv = async_driver(conn)
        try:
            async with drv.session(database=conn.database, default_access_mode=neo4j.READ_ACCESS) as s:
                return await s.execute_read(work)
        finally:
            await drv.close()

    return asyncio.run(go())


def test_check_batch_equals_the_single_check_on_the_demo_bundle(api, neo4j_conn):
    # Every demo subject, every action, days around the stories' dates, an unknown subject and
    # action, and checks asked twice: the set-based statement and the one-subject one agree.
    persons = [P01, P02, P03, P04, P05, P06, P07, P08, P09, P10, P11, P12, P13, P14, P15, P16, P17]
    subjects = DEMO_USCCS + [E07] + persons + [UNKNOWN, "nobody"]
    actions = list(catalogue().actions) + ["dancing"]
    days = [dt.date(2025, 12, 1), dt.date(2026, 4, 1), dt.date.fromisoformat(TODAY)]
    asked = [(s, a, d) for s in subjects for a in actions for d in days]
    first, _ = _batch_and_singles(neo4j_conn, asked, singles_too=False)
    # Then, for each check that found a basis, the days where its answer may change (a window
    # opens or closes, an incentive is lost, a record is decided) and the day before each.
    edges: dict[tuple[str, str], set[dt.date]] = {}
    for a in first:
        for x in (a["basis"] + a.get("suspended", [])) if isinstance(a, dict) else []:
            days_of = edges.setdefault((a["subject_id"], a["action"]), set())
            days_of |= {d for d in (x["valid_from"], x.get("valid_to"), x.get("lost_on"),
                                    (x.get("record") or {}).get("decided_on")) if d is not None}
    asked += [(s, a, d) for (s, a), found in sorted(edges.items())
              for d in sorted(found | {d - dt.timedelta(days=1) for d in found})]
    asked += asked[::37]
    batch, singles = _batch_and_singles(neo4j_conn, asked)
    assert len(batch) == len(singles) == len(asked)
    for item, b, one in zip(asked, batch, singles):
        if isinstance(one, Exception):
            assert type(b) is type(one) and str(b) == str(one), item
        else:
            assert b == one, item
    answers = [b for b in batch if isinstance(b, dict)]
    # The comparison covers every kind of answer, a basis of each effect among them.
    assert {b["decision"] for b in answers} == {"restricted", "favoured", "clear"}
    assert {x["effect"] for b in answers for x in b["basis"]} == {"restrict", "favour", "lost"}
    assert {b["subject_kind"] for b in answers} == {"enterprise", "person"}
    assert sum(isinstance(b, credit.UnknownSubject) for b in batch) > 0
    assert sum(isinstance(b, credit.UnknownAction) for b in batch) > 0
    # An answer is a dict of its own even for a check asked twice (the router stamps and masks it).
    assert len({id(b) for b in answers}) == len(answers)


def test_batch_limits(api, admin):
    c, _ = api
    too_many = {str(i): {"subject_id": E01, "action": "flight"} for i in range(21)}
    assert_error(c.post("/v1/checks/batch", headers=admin, json={"queries": too_many}), 422, "invalid_request",
                 "queries")
    assert_error(c.post("/v1/checks/batch", headers=admin, json={"queries": {}}), 422, "invalid_request", "queries")


def test_roles_per_key(api):
    c, graph = api
    public = make_key(graph, "public")
    assert check(c, public, E03, "public_procurement_bid")["decision"] == "restricted"
    assert_error(c.post("/v1/checks", headers=public, json={"subject_id": P08, "action": "flight"}), 404,
                 "not_found", "subject_id")
    suxian = make_key(graph, "department", "431003")
    r = c.post("/v1/checks/batch", headers=suxian, json={"queries": {
        "mine": {"subject_id": E03, "action": "public_procurement_bid"},
        "theirs": {"subject_id": E01, "action": "public_procurement_bid"}}}).json()
    assert r["responses"]["mine"]["result"]["decision"] == "restricted"
    assert r["responses"]["theirs"]["status"] == 404
    assert r["responses"]["theirs"]["error"]["code"] == "not_found"
    assert_error(c.post("/v1/checks", json={"subject_id": E03, "action": "flight"}), 401, "unauthorized", "X-API-Key")


def test_every_answered_check_is_stored(neo4j_driver, neo4j_conn):
    with demo_app(neo4j_driver, neo4j_conn) as c:
        h = make_key(neo4j_driver, "department", "431003")
        key_id, _ = keys.parse(h["X-API-Key"])
        single = check(c, h, P08, "flight")
        batch = c.post("/v1/checks/batch", headers=h, json={"queries": {
            "x": {"subject_id": E03, "action": "public_procurement_bid", "as_of": TODAY},
            "y": {"subject_id": E01, "action": "flight"}}}).json()
    # Closing the app flushes the write-behind log.
    rows = [r["check"] for r in neo4j_driver.execute_query(query("testing/checks_list"), key_id=key_id, limit=10).records]
    assert {(r["subject_id"], r["action"], r["decision"], r["role"]) for r in rows} == {
        (P08, "flight", "restricted", "department"), (E03, "public_procurement_bid", "restricted", "department")}
    by_id = {r["check_id"]: r for r in rows}
    assert by_id[single["check_id"]].get("batch_id") is None
    assert by_id[batch["responses"]["x"]["result"]["check_id"]]["batch_id"] == batch["batch_id"]
    assert by_id[single["check_id"]]["record_ids"] == ["HN431003-2026-B0002"]
    assert str(by_id[single["check_id"]]["as_of"]) == TODAY


def _reader_checks(conn, asked, statements, max_batch, uri=None):
    """Every check of `asked` sent at once to a CheckReader: (answers or exceptions, statements read)."""
    from graph_service.checks.reader import CheckReader
    from graph_service.db import Connection
    from graph_service.runner import Graph

    async def go():
        c = conn if uri is None else Connection(uri, conn.username, conn.password, conn.database)
        drv = async_driver(c, connection_timeout=2)
        try:
            reader = CheckReader(Graph(driver=drv, database=conn.database, read_timeout_s=10), statements, max_batch)
            out = await asyncio.gather(*(reader.check(*a) for a in asked), return_exceptions=True)
            return out, reader.reads
        finally:
            await drv.close()

    return asyncio.run(go())


def test_single_checks_arriving_together_are_read_together_each_answered_as_alone(api, neo4j_conn):
    persons = [P01, P08, P09, P10, P11]
    days = [dt.date(2025, 12, 1), dt.date(2026, 4, 1), dt.date.fromisoformat(TODAY)]
    asked = [(s, a, d) for s in [E01, E03, E05, E06, E07, UNKNOWN] + persons
             for a in ("flight", "green_channel", "public_procurement_bid", "dancing") for d in days]
    _, singles = _batch_and_singles(neo4j_conn, asked)
    together, reads = _reader_checks(neo4j_conn, asked, statements=1, max_batch=50)
    for item, one, got in zip(asked, singles, together):
        if isinstance(one, Exception):
            assert type(got) is type(one) and str(got) == str(one), item
        else:
            # The reader's answers also carry the change-log number they were read at (stored with the check).
            assert isinstance(got.pop(credit.SEQ), int), item
            assert got == one, item
    # Sent in the same turn of the event loop: read together, in statements of at most 50.
    assert reads == -(-len(asked) // 50)


def test_a_failed_read_fails_every_check_waiting_on_it(api, neo4j_conn):
    from api_helpers import free_port

    asked = [(E03, "flight", dt.date(2026, 4, 1)), (P08, "flight", dt.date(2026, 4, 1)), (UNKNOWN, "flight", dt.date(2026, 4, 1))]
    out, reads = _reader_checks(neo4j_conn, asked, statements=1, max_batch=10,
                                uri=f"bolt://127.0.0.1:{free_port()}")
    assert all(isinstance(x, neo4j.exceptions.ServiceUnavailable) for x in out), out
    assert reads == 1


def test_concurrent_single_check_requests_answer_as_sequential_ones(api, admin):
    import httpx
    from api_helpers import TEST_SETTINGS

    from graph_service.app import create_app
    from graph_service.settings import ServiceSettings

    c, _ = api
    asked = [(E03, "public_procurement_bid"), (P08, "flight"), (E06, "green_channel"), (UNKNOWN, "flight"),
             (E05, "green_channel"), ("91431002MA4L2HJ36A", "flight"), (E01, "dancing")] * 3
    sequential = [c.post("/v1/checks", headers=admin, json={"subject_id": s, "action": a, "as_of": TODAY})
                  for s, a in asked]

    async def go():
        # An app of this event loop (the TestClient's runs in a thread of its own), checks at once.
        app = create_app(ServiceSettings(**TEST_SETTINGS))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=admin) as ac:
                out = await asyncio.gather(*(ac.post("/v1/checks", json={"subject_id": s, "action": a, "as_of": TODAY})
                                             for s, a in asked))
            assert app.state.check_reader.reads < len(asked)
            return out

    for one, got in zip(sequential, asyncio.run(go())):
        assert got.status_code == one.status_code
        a, b = one.json(), got.json()
        if one.status_code == 200:
            assert a.pop("check_id") != b.pop("check_id")
        assert a == b


def _log_checks(n: int, key_id: str) -> list[dict]:
    return [{"check_id": f"{key_id}-{i}", "key_id": key_id, "role": "admin", "at": "2026-11-27T03:00:00Z",
             "subject_id": E01, "subject_kind": "enterprise", "action": "flight", "as_of": TODAY,
             "decision": "clear", "record_ids": [], "batch_id": None} for i in range(n)]


def _with_log(conn, max_pending, wait_s, go, uri=None):
    from graph_service.checks.log import CheckLog
    from graph_service.db import Connection
    from graph_service.runner import Graph

    async def run():
        c = conn if uri is None else Connection(uri, conn.username, conn.password, conn.database)
        drv = async_driver(c, connection_timeout=1, max_transaction_retry_time=1)
        try:
            graph = Graph(driver=drv, database=conn.database, read_timeout_s=10)
            return await go(CheckLog(graph, flush_s=0.01, batch=100, max_pending=max_pending, wait_s=wait_s))
        finally:
            await drv.close()

    return asyncio.run(run())


def test_the_check_log_holds_requests_back_rather_than_drop_checks(graph, neo4j_conn):
    async def go(log):
        await asyncio.gather(*(log.add(_log_checks(100, f"bp{i}")) for i in range(12)))
        await log.close()
        return log.waited

    waited = _with_log(neo4j_conn, max_pending=250, wait_s=30, go=go)
    assert waited > 0  # 1,200 checks never fit in 250: requests waited for room
    for i in range(12):
        rows = graph.execute_query(query("testing/checks_list"), key_id=f"bp{i}", limit=1000).records
        assert len(rows) == 100


def test_a_check_log_that_cannot_store_answers_503_after_its_wait(neo4j_conn):
    from graph_service.checks.log import CheckLogFull

    async def go(log):
        await log.add(_log_checks(200, "down"))  # room for them: queued, not yet stored
        with pytest.raises(CheckLogFull, match="waiting to be stored"):
            await log.add(_log_checks(200, "down2"))
        return True

    assert _with_log(neo4j_conn, max_pending=300, wait_s=1.0, go=go, uri="neo4j://127.0.0.1:9")

