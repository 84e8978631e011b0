"""The measures and rules catalogue (issue 3, items 1-2): the shipped YAML is complete and valid, and
a bad entry stops the start with an error naming the file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from graph_service.domain.catalogue import DOMAIN_DIR, CatalogueError, load_catalogue

REQUIRED_ACTIONS = {
    "public_procurement_bid", "fiscal_funding", "project_approval", "licence_application", "bond_issuance",
    "financial_institution_setup", "honour_award", "serve_as_legal_representative",
    "serve_as_director_supervisor_executive", "flight", "high_speed_rail", "star_hotel", "real_estate_purchase",
    "leave_country", "travel_leisure", "private_school_fees", "green_channel", "deferred_documents",
    "reduced_inspection", "credit_loan",
}


@pytest.fixture
def cat():
    return load_catalogue()


def test_the_issue_actions_are_in_the_vocabulary(cat):
    assert set(cat.actions) >= REQUIRED_ACTIONS


def test_every_action_is_restricted_or_favoured_by_some_measure(cat):
    used = {a for m in cat.measures.values() for a in m.actions}
    assert set(cat.actions) == used


def test_measures_cover_every_type_class_and_the_policy_items(cat):
    ms = cat.measures.values()
    assert {m.type for m in ms} == {"administrative", "market", "industry", "social"}
    assert {m.class_ for m in ms} == {"mandatory", "recommended"}
    for item in ("第6项", "第7项", "第8项", "第9项", "第11项", "第12项", "第13项", "第14项", "第15项"):
        assert any(item in m.legal_basis for m in ms), item
    assert all(m.name_zh and m.name_en for m in ms)


def test_each_role_reaches_what_domain_1_6_says(cat):
    def measures(rule_id):
        return set(cat.rule(rule_id).measures)

    lr = cat.rule("black_enterprise_lr_principal")
    assert set(lr.reach.roles) == {"legal_representative", "principal"} and lr.anchor == "misconduct_date"
    assert {"adm_personal_record", "adm_market_ban_person", "adm_honour_revocation"} <= measures(lr.id)
    execs = cat.rule("black_enterprise_honours_executives")
    assert execs.reach.roles == ("senior_executive",) and measures(execs.id) == {"adm_honour_revocation"}
    board = cat.rule("black_enterprise_honours_named_board")
    assert set(board.reach.roles) == {"director", "shareholder"} and board.reach.require_named
    court = cat.rule("court_enterprise_current_holders")
    assert set(court.reach.roles) == {"legal_representative", "principal", "actual_controller"}
    assert court.anchor == "as_of" and court.releasable and court.trigger.categories == ("defy_judicial_admin",)
    flagged = cat.rule("court_person_serving")
    assert flagged.reach.kind == "serving" and set(flagged.binds) == {"enterprise"}
    for rule in cat.rules:
        if rule.trigger.kinds == ("red",):
            assert all(cat.measures[m].effect in ("favour", "info") for m in rule.measures)
            assert rule.lost_when is not None


def test_mandatory_first_ordering(cat):
    ordered = cat.order_measures(["soc_public_supervision", "mkt_publicity", "inc_green_channel", "adm_personal_record"])
    assert ordered == ["adm_personal_record", "mkt_publicity", "inc_green_channel", "soc_public_supervision"]


@pytest.fixture
def domain_copy(tmp_path: Path) -> Path:
    for name in ("actions.yaml", "measures.yaml", "rules.yaml"):
        shutil.copy(DOMAIN_DIR / name, tmp_path / name)
    return tmp_path


def edit(folder: Path, name: str, change) -> None:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    change(data)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def rule_entry(data, rule_id):
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize("name, change, message", [
    ("measures.yaml", lambda d: d["measures"][1]["actions"].append("fly_to_the_moon"),
     "measures.yaml, measure 'adm_licence_review' (entry 2), field actions: unknown action 'fly_to_the_moon'"),
    ("measures.yaml", lambda d: d["measures"][0].update(type="moral"),
     "measures.yaml, measure 'adm_key_supervision' (entry 1): field type:"),
    ("measures.yaml", lambda d: d["measures"][0].pop("legal_basis"),
     "measures.yaml, measure 'adm_key_supervision' (entry 1): field legal_basis: Field required"),
    ("rules.yaml", lambda d: rule_entry(d, "court_enterprise_self")["measures"].append("no_such_measure"),
     "rules.yaml, rule 'court_enterprise_self' (entry 8), field measures: unknown measure 'no_such_measure'"),
    ("rules.yaml", lambda d: rule_entry(d, "black_enterprise_lr_principal")["reach"]["roles"].append("chairman"),
     "rules.yaml, rule 'black_enterprise_lr_principal' (entry 3), field reach.roles: unknown role 'chairman'"),
    ("rules.yaml", lambda d: rule_entry(d, "court_enterprise_self")["trigger"].update(categories=["fraud"]),
     "rules.yaml, rule 'court_enterprise_self' (entry 8), field trigger.categories: unknown category 'fraud'"),
    ("rules.yaml", lambda d: rule_entry(d, "black_enterprise_lr_principal")["measures"].append("adm_project_approval"),
     "field measures: measure 'adm_project_approval' does not apply to person subjects"),
    ("rules.yaml", lambda d: rule_entry(d, "red_enterprise_incentives")["measures"].append("adm_licence_review"),
     "a red-record rule cannot attach the restricting measure 'adm_licence_review'"),
    ("rules.yaml", lambda d: rule_entry(d, "black_enterprise_self").update(anchor="as_of"),
     "rule 'black_enterprise_self' (entry 1), field anchor: anchor 'as_of' applies to roles only"),
    ("rules.yaml", lambda d: d["rules"].append(dict(rule_entry(d, "court_enterprise_self"))),
     "rules.yaml: rule 'court_enterprise_self' (entry 15) is defined twice"),
    ("actions.yaml", lambda d: d["actions"].append({"code": "flight", "name_zh": "x", "name_en": "x"}),
     "actions.yaml: action 'flight' (entry 23) is defined twice"),
])
def test_a_bad_entry_is_named_with_its_field(domain_copy, name, change, message):
    edit(domain_copy, name, change)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(domain_copy)
    assert message in str(err.value)


def test_invalid_yaml_names_the_file(domain_copy):
    (domain_copy / "rules.yaml").write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"^rules.yaml: not valid YAML"):
        load_catalogue(domain_copy)
