"""`end_on` is the registry's change date, not a day in office (issue 20.3; docs/model.md "Dates"):
for each relation, the day before `end_on` is held and `end_on` is not, in what the API answers."""

from __future__ import annotations

import pytest
from api_demo import E01, P01, P02, admin, api, demo_app

# In the demo bundle: P01 was E01's legal representative 2012-03-01..2025-09-15, P02 from then on;
# P18 held all of E07's shares 2013-05-06..2024-07-01.
E07, P18 = "91431003MA4L7P4H43", "432821198208181773"


def edges(c, h, subject, as_of, relation):
    r = c.get(f"/v1/subjects/{subject}/network", headers=h,
               params={"as_of": as_of, "relations": relation, "history": "false"})
    assert r.status_code == 200, r.text
    return {(e["source"], e["target"], e.get("role") or e.get("ratio")) for e in r.json()["edges"]}


@pytest.mark.parametrize("as_of, held", [("2025-09-14", True), ("2025-09-15", False)])
def test_a_role_is_held_the_day_before_end_on_and_not_on_it(api, admin, as_of, held):
    c, _ = api
    got = edges(c, admin, E01, as_of, "role")
    assert ((f"person:{P01}", f"enterprise:{E01}", "legal_representative") in got) is held
    # The successor starts on the change date: exactly one legal representative each day.
    lrs = {s for s, _, role in got if role == "legal_representative"}
    assert lrs == {f"person:{P01}" if held else f"person:{P02}"}


@pytest.mark.parametrize("as_of, held", [("2024-06-30", True), ("2024-07-01", False)])
def test_a_holding_is_held_the_day_before_end_on_and_not_on_it(api, admin, as_of, held):
    c, _ = api
    got = edges(c, admin, E07, as_of, "shareholding")
    assert ((f"person:{P18}", f"enterprise:{E07}", 1.0) in got) is held


def test_the_openapi_as_of_of_every_reading_of_roles_says_what_end_on_means():
    from graph_service.api.inputs import HELD_ON
    from graph_service.app import create_app

    spec = create_app().openapi()
    described = {path for path, ops in spec["paths"].items() for op in ops.values()
                 for p in op.get("parameters", []) if p["name"] == "as_of" and HELD_ON in p.get("description", "")}
    for path in ("/v1/enterprises/{uscc}", "/v1/persons/{person_id}", "/v1/subjects/{id}/network",
                 "/v1/enterprises/{uscc}/shareholders",
                 "/v1/paths", "/v1/enterprises/{uscc}/credit", "/v1/persons/{person_id}/credit"):
        assert path in described, path
