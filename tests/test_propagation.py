"""Propagation on hand-made graphs (issue 3, items 2-4): incremental in the caller's transaction,
identical to a full recompute, releases, records that end, role changes, red-list exit,
notifications that keep their status, and the CLI."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from propagation_world import (
    World,
    end_record,
    end_role,
    person_id,
    provenance,
    record_row,
    uscc,
    write_world,
)
from typer.testing import CliRunner

from graph_service import credit, propagation
from graph_service.cli import app as cli
from graph_service.cypher import query
from graph_service.db import async_driver
from graph_service.facts.models import role_key
from graph_service.propagation.writes import write_enterprises, write_persons, write_records, write_roles
from graph_service.regions import ensure_regions

E1, E2, E3 = uscc(1), uscc(2, "430102"), uscc(3, "440106")
P1, P2, P3, P4 = person_id(1), person_id(2), person_id(3), person_id(4)


def role(p, e, r, start=None, end=None):
    return {"person_id": p, "uscc": e, "role": r, "title": None, "start_on": start, "end_on": end}


def base_world(*records) -> World:
    return World(
        enterprises=[{"uscc": E1, "name": "郴州甲公司", "region_code": "431002"},
                     {"uscc": E2, "name": "长沙乙公司", "region_code": "430102"},
                     {"uscc": E3, "name": "广州丙公司", "region_code": "440106"}],
        persons=[{"person_id": p, "name": f"P{i}", "region_code": "431002"} for i, p in enumerate((P1, P2, P3, P4))],
        roles=[role(P1, E1, "legal_representative", date(2015, 1, 1), date(2023, 6, 1)),
               role(P2, E1, "legal_representative", date(2023, 6, 1)),
               role(P3, E1, "actual_controller"),
               role(P1, E2, "legal_representative", date(2016, 1, 1)),
               role(P4, E3, "director", date(2020, 1, 1))],
        holdings=[{"holder_kind": "enterprise", "holder_id": E1, "uscc": E3, "ratio": 0.8,
                   "subscribed_capital": None, "start_on": None, "end_on": None}],
        records=list(records),
    )


def court_record(**kw):
    return record_row(**{"record_id": "C1", "subject_kind": "enterprise", "subject_id": E1, "kind": "black",
                         "category": "defy_judicial_admin", "misconduct_on": date(2023, 1, 10),
                         "decided_on": date(2023, 3, 1), "valid_until": date(2025, 2, 28), **kw})


def read(graph, fn, *args):
    async def go():
        from graph_service.db import connection

        drv = async_driver(connection())
        try:
            async with drv.session() as s:
                return await s.execute_read(fn, *args)
        finally:
            await drv.close()
    return asyncio.run(go())


def derived(graph):
    rec = graph.execute_query(query("testing/dump_derived")).records[0]
    return ({(r, lb["liability_id"]): (lb, b) for r, lb, b in rec["liabilities"]},
            sorted(map(repr, rec["reach"])), sorted(map(repr, rec["notifications"])))


def decision(graph, subject, action, on):
    return read(graph, credit.check, subject, action, on)["decision"]


def test_the_record_reaches_the_holders_the_rules_name_in_the_writers_transaction(graph):
    write_world(graph, base_world(court_record()))
    lbs, _, _ = derived(graph)
    by_rule = {(lb["rule_id"], lb["subject_id"]): lb for lb, _ in lbs.values()}
    # Misconduct 2023-01-10: P1 was LR then; the court restriction follows the LR in office.
    assert ("black_enterprise_lr_principal", P1) in by_rule and ("black_enterprise_lr_principal", P2) not in by_rule
    p1 = by_rule[("court_enterprise_current_holders", P1)]
    p2 = by_rule[("court_enterprise_current_holders", P2)]
    # P1 held the role on the decision date: his leaving on 2023-06-01 does not lift the court's
    # restriction (domain.md 1.7), which lasts the record's window unless he is released.
    assert (p1["valid_from"].to_native(), p1["valid_to"].to_native()) == (date(2023, 3, 1), date(2025, 3, 1))
    assert p1["anchor_on"].to_native() == date(2023, 3, 1)
    assert (p2["valid_from"].to_native(), p2["valid_to"].to_native()) == (date(2023, 6, 1), date(2025, 3, 1))
    assert p2.get("anchor_on") is None
    assert p1["liability_id"] == f"court_enterprise_current_holders|C1|{P1}|{role_key(P1, E1, 'legal_representative', date(2015, 1, 1))}"
    assert ("court_enterprise_current_holders", P3) in by_rule  # actual controller
    assert decision(graph, P1, "flight", date(2023, 5, 31)) == "restricted"
    assert decision(graph, P1, "flight", date(2023, 6, 1)) == "restricted"
    assert decision(graph, P1, "flight", date(2025, 2, 28)) == "restricted"
    assert decision(graph, P1, "flight", date(2025, 3, 1)) == "clear"  # the record's window has ended
    assert decision(graph, P2, "flight", date(2023, 6, 1)) == "restricted"
    assert decision(graph, P2, "flight", date(2025, 2, 28)) == "restricted"  # valid_until is the last day
    assert decision(graph, P2, "flight", date(2025, 3, 1)) == "clear"
    assert decision(graph, P2, "flight", date(2023, 2, 28)) == "clear"  # before the decision


def test_full_recompute_gives_the_identical_graph(graph):
    write_world(graph, base_world(court_record(), record_row(
        record_id="R1", subject_kind="enterprise", subject_id=E2, kind="red", category="A级纳税人",
        decided_on=date(2022, 1, 1), valid_until=date(2026, 12, 31))))
    incremental = derived(graph)
    propagation.propagate_all(graph, batch_size=1)
    assert derived(graph) == incremental
    propagation.propagate_all(graph)
    assert derived(graph) == incremental


def test_a_subject_registered_elsewhere_moves_the_reach_as_a_full_recompute_does(graph):
    # E1 moves from Beihu (431002) to Zixing (431081); a person record's subject P4 moves to Furong.
    write_world(graph, base_world(court_record(), record_row(
        record_id="C2", subject_kind="person", subject_id=P4, kind="black", category="defy_judicial_admin",
        decided_on=date(2023, 3, 1), valid_until=date(2025, 2, 28))))
    with graph.session() as s:
        s.execute_write(lambda tx: write_enterprises(
            tx, [{"uscc": E1, "name": "郴州甲公司", "region_code": "431081"}], provenance()))
        s.execute_write(lambda tx: write_persons(
            tx, [{"person_id": P4, "name": "P3", "region_code": "430102"}], provenance()))
    incremental = derived(graph)
    reached = {(r, code) for r, code, _ in graph.execute_query(query("testing/dump_derived")).records[0]["reach"]}
    assert ("C1", "431081") in reached and ("C1", "431002") not in reached
    assert ("C2", "430102") in reached and ("C2", "431002") not in reached
    propagation.propagate_all(graph)
    assert derived(graph) == incremental


def test_a_subject_under_a_retired_code_is_reached_in_its_successor(graph):
    # An id of old Chenzhou city (432801, retired in 1994): its record reaches Chenzhou 431000 and
    # Hunan, not the retired 432800; the person keeps the code as written.
    ensure_regions(graph)
    old = person_id(9, "432801")
    world = base_world(record_row(
        record_id="C3", subject_kind="person", subject_id=old, kind="black", category="defy_judicial_admin",
        decided_on=date(2023, 3, 1), valid_until=date(2025, 2, 28)))
    world.persons.append({"person_id": old, "name": "老郴州", "region_code": "432801"})
    write_world(graph, world)
    registered = graph.execute_query(query("testing/registered_in"), ids=[old]).records
    assert [(r["region_code"], r["code"]) for r in registered] == [("432801", "431000")]
    reach = graph.execute_query(query("testing/dump_derived")).records[0]["reach"]
    assert {code for r, code, _ in reach if r == "C3"} == {"431000", "430000"}
    incremental = derived(graph)
    propagation.propagate_all(graph)
    assert derived(graph) == incremental


def test_a_new_legal_representative_is_reached_by_the_court_rule_only(graph):
    write_world(graph, base_world(court_record()))
    with graph.session() as s:
        s.execute_write(end_role, role_key(P2, E1, "legal_representative", date(2023, 6, 1)), date(2024, 1, 1))
        s.execute_write(lambda tx: write_roles(tx, [role(P4, E1, "legal_representative", date(2024, 1, 1))],
                                               provenance()))
    assert decision(graph, P2, "flight", date(2024, 1, 1)) == "clear"
    assert decision(graph, P4, "flight", date(2024, 1, 1)) == "restricted"
    assert decision(graph, P4, "serve_as_legal_representative", date(2024, 1, 1)) == "clear"
    assert decision(graph, P1, "serve_as_legal_representative", date(2024, 1, 1)) == "restricted"


def test_a_revoked_record_reaches_no_one_from_then_but_earlier_answers_stand(graph):
    write_world(graph, base_world(court_record()))
    with graph.session() as s:
        s.execute_write(end_record, "C1", "revoked", date(2024, 5, 1))
    assert decision(graph, P2, "flight", date(2024, 4, 30)) == "restricted"
    assert decision(graph, P2, "flight", date(2024, 5, 1)) == "clear"
    assert decision(graph, E1, "public_procurement_bid", date(2024, 5, 1)) == "clear"


def test_a_holder_is_released_individually_with_the_reason(graph):
    write_world(graph, base_world(court_record()))
    with graph.session() as s:
        with pytest.raises(propagation.ReleaseRefused, match="actual controller"):
            s.execute_write(propagation.release, P3, "C1", date(2024, 1, 1), "business change", "court")
        with pytest.raises(propagation.ReleaseRefused, match="needs a reason"):
            s.execute_write(propagation.release, P1, "C1", date(2024, 1, 1), " ", "court")
        with pytest.raises(propagation.ReleaseRefused, match="not bound"):
            s.execute_write(propagation.release, P4, "C1", date(2024, 1, 1), "business change", "court")
    # The court lifts the restriction of P1, who left on 2023-06-01, from 2024-01-01.
    assert decision(graph, P1, "flight", date(2023, 12, 31)) == "restricted"
    with graph.session() as s:
        s.execute_write(propagation.release, P1, "C1", date(2024, 1, 1), "genuine business change", "苏仙区法院")
    assert decision(graph, P1, "flight", date(2023, 12, 31)) == "restricted"
    assert decision(graph, P1, "flight", date(2024, 1, 1)) == "clear"
    assert decision(graph, P2, "flight", date(2024, 1, 1)) == "restricted"
    assert decision(graph, P3, "flight", date(2024, 1, 1)) == "restricted"
    lbs, _, _ = derived(graph)
    released = next(lb for lb, _ in lbs.values() if lb["rule_id"] == "court_enterprise_current_holders" and lb["subject_id"] == P1)
    assert released["released_on"].to_native() == date(2024, 1, 1)
    # A release lifts the court's restriction only; P1's misconduct-date liability stays.
    assert decision(graph, P1, "serve_as_legal_representative", date(2024, 1, 1)) == "restricted"


@pytest.mark.parametrize("who, on, match, field", [
    # Backdated (issue 15): before the record, or read from an integer 0 as 1970-01-01.
    ("P1", date(1999, 1, 1), "outside record 'C1'", "on"),
    ("P1", date(1970, 1, 1), "outside record 'C1'", "on"),
    ("P1", date(2023, 2, 28), "outside record 'C1'", "on"),  # the day before the decision
    ("P1", date(2025, 3, 1), "outside record 'C1'", "on"),   # the window's end
    # Before his role ended: the release would cover days he still held it.
    ("P1", date(2023, 4, 1), "may start on 2023-06-01 at the earliest", "on"),
    ("P1", date(2023, 5, 31), "may start on 2023-06-01 at the earliest", "on"),
    # A current holder is not released at all, on any date.
    ("P2", date(2024, 1, 1), "current holder cannot be released", "person_id"),
    ("P2", date(2025, 2, 28), "current holder cannot be released", "person_id"),
    # The actual controller, on every day of the window.
    ("P3", date(2023, 3, 1), "actual controller", "person_id"),
    ("P3", date(2025, 2, 28), "actual controller", "person_id"),
])
def test_a_release_is_refused_on_every_day_it_would_cover(graph, who, on, match, field):
    write_world(graph, base_world(court_record()))
    pid = {"P1": P1, "P2": P2, "P3": P3}[who]
    before = derived(graph)
    with graph.session() as s:
        with pytest.raises(propagation.ReleaseRefused, match=match) as refused:
            s.execute_write(propagation.release, pid, "C1", on, "business change", "court")
    assert refused.value.field == field
    assert derived(graph) == before  # nothing written


def test_a_person_who_becomes_actual_controller_after_the_release_date_is_not_released(graph):
    world = base_world(court_record())
    world.roles.append(role(P4, E1, "legal_representative", date(2023, 7, 1), date(2023, 9, 1)))
    world.roles.append(role(P4, E1, "actual_controller", date(2024, 6, 1)))
    write_world(graph, world)
    with graph.session() as s:
        # On 2024-01-01 he holds nothing, but the release would cover his control from 2024-06-01.
        with pytest.raises(propagation.ReleaseRefused, match="actual controller"):
            s.execute_write(propagation.release, P4, "C1", date(2024, 1, 1), "business change", "court")


def test_a_named_person_is_not_released(graph):
    write_world(graph, base_world(court_record(responsible_person_ids=[P4])))
    with graph.session() as s:
        with pytest.raises(propagation.ReleaseRefused, match="named responsible"):
            s.execute_write(propagation.release, P4, "C1", date(2024, 1, 1), "business change", "court")


def test_release_through_the_async_api_function(graph):
    write_world(graph, base_world(court_record()))

    async def go():
        from graph_service.db import connection

        drv = async_driver(connection())
        try:
            async with drv.session() as s:
                return await s.execute_write(credit.release, P1, "C1", date(2023, 6, 1), "business change", "court")
        finally:
            await drv.close()

    summary = asyncio.run(go())
    assert "C1" in summary.records
    assert decision(graph, P1, "flight", date(2023, 5, 31)) == "restricted"
    assert decision(graph, P1, "flight", date(2023, 6, 1)) == "clear"


def test_a_red_listed_enterprise_loses_its_incentives_for_good(graph):
    red = record_row(record_id="R1", subject_kind="enterprise", subject_id=E2, kind="red", category="A级纳税人",
                     decided_on=date(2022, 1, 1), valid_until=date(2026, 12, 31))
    write_world(graph, base_world(red))
    assert decision(graph, E2, "credit_loan", date(2024, 1, 1)) == "favoured"
    # E1's black record, for which P1 (E2's LR) is liable from 2023-03-01, is loaded later.
    with graph.session() as s:
        s.execute_write(lambda tx: write_records(tx, [court_record()], provenance()))
    assert decision(graph, E2, "credit_loan", date(2023, 2, 28)) == "favoured"
    answer = read(graph, credit.check, E2, "credit_loan", date(2023, 3, 1))
    assert answer["decision"] == "clear"
    assert answer["basis"][0]["lost_record_id"] == "C1"
    # Exit is final: the incentives do not come back when the black record expires.
    assert decision(graph, E2, "credit_loan", date(2026, 1, 1)) == "clear"
    with graph.session() as s:
        s.execute_write(end_record, "C1", "revoked", date(2022, 6, 1))  # wrongly listed: revoked before it started
    assert decision(graph, E2, "credit_loan", date(2024, 1, 1)) == "favoured"


def test_a_change_of_legal_representative_after_the_order_does_not_lift_the_restriction(graph):
    # Issue 20.1: the court lists E1 on 2023-03-01; the next day P2 replaces P1 as its legal
    # representative in the registry. P1 stays restricted until released or the record ends.
    world = base_world(court_record())
    world.roles[0] = role(P1, E1, "legal_representative", date(2015, 1, 1), date(2023, 3, 2))
    world.roles[1] = role(P2, E1, "legal_representative", date(2023, 3, 2))
    write_world(graph, world)
    for day in (date(2023, 3, 2), date(2024, 6, 1), date(2025, 2, 28)):
        assert decision(graph, P1, "flight", day) == "restricted", day
        assert decision(graph, P2, "flight", day) == "restricted", day
        assert decision(graph, P1, "leave_country", day) == "restricted", day
    assert decision(graph, P2, "flight", date(2023, 3, 1)) == "clear"  # not yet in office
    with graph.session() as s:
        s.execute_write(propagation.release, P1, "C1", date(2023, 9, 1), "neither controller nor responsible", "court")
    assert decision(graph, P1, "flight", date(2023, 8, 31)) == "restricted"
    assert decision(graph, P1, "flight", date(2023, 9, 1)) == "clear"
    assert decision(graph, P2, "flight", date(2023, 9, 1)) == "restricted"
    # The record ends: neither.
    assert decision(graph, P1, "flight", date(2025, 3, 1)) == "clear"
    assert decision(graph, P2, "flight", date(2025, 3, 1)) == "clear"
    # A full recompute agrees with the incremental one.
    incremental = derived(graph)
    propagation.propagate_all(graph)
    assert derived(graph) == incremental


def test_a_later_change_in_the_registry_does_not_free_the_holder_of_the_decision_date(graph):
    # The registry records P1's leaving after the load: the incremental recompute keeps him bound.
    write_world(graph, base_world(court_record(decided_on=date(2023, 7, 1))))
    with graph.session() as s:
        s.execute_write(end_role, role_key(P2, E1, "legal_representative", date(2023, 6, 1)), date(2023, 7, 2))
    assert decision(graph, P2, "flight", date(2024, 1, 1)) == "restricted"
    assert decision(graph, P1, "flight", date(2024, 1, 1)) == "clear"  # left before the decision


def test_a_red_list_ends_when_the_legal_representative_is_black_listed_in_his_own_name(graph):
    # Issue 20.2: P1 is E2's legal representative; his own black record (not a court one: no
    # personal-record liability) takes E2 off the red list from its decision, for good.
    red = record_row(record_id="R1", subject_kind="enterprise", subject_id=E2, kind="red", category="A级纳税人",
                     decided_on=date(2022, 1, 1), valid_until=date(2026, 12, 31))
    own = record_row(record_id="B9", subject_kind="person", subject_id=P1, kind="black", category="market_social_order",
                     decided_on=date(2023, 5, 10), valid_until=date(2024, 5, 9))
    write_world(graph, base_world(red))
    assert decision(graph, E2, "credit_loan", date(2023, 5, 10)) == "favoured"
    with graph.session() as s:
        s.execute_write(lambda tx: write_records(tx, [own], provenance()))
    assert decision(graph, E2, "credit_loan", date(2023, 5, 9)) == "favoured"
    answer = read(graph, credit.check, E2, "credit_loan", date(2023, 5, 10))
    assert answer["decision"] == "clear"
    [basis] = [b for b in answer["basis"] if b.get("lost_record_id")]
    assert basis["lost_record_id"] == "B9" and basis["lost_on"] == date(2023, 5, 10)
    assert basis["lost_path"] == ["record:B9", f"person:{P1}", "legal_representative 2016-01-01..",
                                  f"enterprise:{E2}"]
    # Final: the record's end does not bring the incentives back.
    assert decision(graph, E2, "credit_loan", date(2025, 1, 1)) == "clear"
    incremental = derived(graph)
    propagation.propagate_all(graph)
    assert derived(graph) == incremental


def test_a_red_list_stays_when_the_black_listed_person_left_before(graph):
    red = record_row(record_id="R1", subject_kind="enterprise", subject_id=E1, kind="red", category="A级纳税人",
                     decided_on=date(2022, 1, 1), valid_until=date(2026, 12, 31))
    # P1 left E1 on 2023-06-01; his own record starts after that: E1 keeps its incentives.
    own = record_row(record_id="B9", subject_kind="person", subject_id=P1, kind="black", category="market_social_order",
                     decided_on=date(2023, 7, 1), valid_until=date(2024, 5, 9))
    write_world(graph, base_world(red, own))
    assert decision(graph, E1, "credit_loan", date(2023, 8, 1)) == "favoured"


def test_notifications_keep_their_status_and_say_when_a_region_is_no_longer_reached(graph):
    write_world(graph, base_world(court_record()))
    _, _, before = derived(graph)
    nid = "C1|430102"  # P1, liable, is LR of E2 in Changsha
    assert any(nid in n for n in before)
    graph.execute_query(query("testing/set_notification_status"), notification_id=nid, status="acknowledged")
    propagation.propagate_all(graph)
    note = read(graph, credit.record_reach, "C1", date(2024, 1, 1))["notifications"]
    changsha = next(n for n in note if n["notification_id"] == nid)
    assert changsha["status"] == "acknowledged" and changsha["in_reach"]
    with graph.session() as s:
        s.execute_write(end_role, role_key(P1, E2, "legal_representative", date(2016, 1, 1)), date(2016, 6, 1))
    note = read(graph, credit.record_reach, "C1", date(2024, 1, 1))["notifications"]
    changsha = next(n for n in note if n["notification_id"] == nid)
    assert changsha["status"] == "acknowledged" and not changsha["in_reach"]
    assert {g["code"] for g in read(graph, credit.record_reach, "C1", date(2024, 1, 1))["regions"]} >= {
        "431002", "431000", "430000", "440106", "440100", "440000"}  # subject; subsidiary E3 in Guangzhou


def test_on_change_async_in_an_api_transaction(graph):
    write_world(graph, base_world())

    async def go():
        from graph_service.db import connection

        drv = async_driver(connection())
        try:
            async with drv.session() as s:
                async def work(tx):
                    await (await tx.run(query("testing/end_role"),
                                        key=role_key(P2, E1, "legal_representative", date(2023, 6, 1)),
                                        end_on=date(2024, 1, 1))).consume()
                    return await propagation.on_change_async(tx, usccs=[E1], person_ids=[P2])
                return await s.execute_write(work)
        finally:
            await drv.close()

    with graph.session() as s:
        s.execute_write(lambda tx: write_records(tx, [court_record()], provenance()))
    summary = asyncio.run(go())
    assert summary.records == ["C1"]
    assert decision(graph, P2, "flight", date(2024, 1, 1)) == "clear"


def test_cli_propagate_all_and_rules_check(graph):
    write_world(graph, base_world(court_record()))
    before = derived(graph)
    runner = CliRunner()
    result = runner.invoke(cli, ["propagate", "--all"])
    assert result.exit_code == 0, result.output
    assert "1 records" in result.output
    assert derived(graph) == before
    result = runner.invoke(cli, ["propagate", "--record", "C1"])
    assert result.exit_code == 0, result.output
    assert derived(graph) == before
    assert runner.invoke(cli, ["propagate"]).exit_code == 2
    result = runner.invoke(cli, ["rules", "check"])
    assert result.exit_code == 0 and "valid" in result.output
