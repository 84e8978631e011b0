"""Masking of person data for the public role (no Neo4j needed)."""

from __future__ import annotations

from graph_service.api.models.common import PersonRef, SubjectRef
from graph_service.api.models.enterprise import EnterpriseFacts
from graph_service.api.privacy import mask_name, mask_person_id, mask_persons


def test_person_id_keeps_first_and_last_four():
    assert mask_person_id("431002198503150135") == "4310**********0135"
    assert mask_person_id("11010519491231002X") == "1101**********002X"
    assert mask_person_id("E1234567") == "E******7"
    assert mask_person_id("AB") == "**"


def test_name_keeps_first_and_last_character():
    assert mask_name("王建国") == "王*国"
    assert mask_name("李芳") == "李*"
    assert mask_name("欧阳明月") == "欧**月"
    assert mask_name("王") == "*"
    assert mask_name(None) is None


def test_mask_persons_reaches_nested_references_and_spares_enterprises():
    facts = EnterpriseFacts.of({
        "enterprise": {"uscc": "91431002MA4L0C5B8T", "name": "郴州建材有限公司"},
        "region": None,
        "roles": [{"role": "legal_representative", "person": {"person_id": "431002200003151235", "name": "王建国"}}],
        "shareholders": [
            {"ratio": 0.6, "holder": {"kind": "person", "id": "431002200003151235", "name": "王建国"}},
            {"ratio": 0.4, "holder": {"kind": "enterprise", "id": "91431081MA4PXX8T5J", "name": "资兴矿业"}},
        ],
        "holdings": [],
        "records": [{"record_id": "R1", "kind": "black", "in_force": True,
                     "subject": {"kind": "enterprise", "id": "91431002MA4L0C5B8T", "name": "郴州建材有限公司"},
                     "responsible": [{"person_id": "431002200003151235", "name": "王建国"}]}],
    }, None)
    masked = mask_persons(facts)
    assert masked.roles[0].person == PersonRef(person_id="4310**********1235", name="王*国", masked=True)
    assert masked.shareholders[0].holder == SubjectRef(kind="person", id="4310**********1235", name="王*国", masked=True)
    assert masked.shareholders[1].holder == facts.shareholders[1].holder
    assert masked.records[0].responsible[0].person_id == "4310**********1235"
    assert masked.records[0].subject == facts.records[0].subject
    assert masked.name == "郴州建材有限公司" and masked.uscc == facts.uscc
    assert facts.roles[0].person.name == "王建国"  # the original is left as it was


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_numbers_are_not():
    from graph_service.api.csv_export import safe_cell, to_csv

    for text in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-5"):
        assert safe_cell(text) == "'" + text
    assert safe_cell(-5) == -5 and safe_cell(-0.25) == -0.25  # numeric columns keep their sign
    assert safe_cell("郴州建材") == "郴州建材" and safe_cell(None) == "" and safe_cell("a=b") == "a=b"
    assert to_csv(["a", "n"], [{"a": "=cmd", "n": -3, "x": "ignored"}]) == "a,n\n'=cmd,-3\n"
