"""The path and query parameters the related-party routers share (network, risk)."""

from __future__ import annotations

from fastapi import Path, Query

from graph_service.api.demo_ids import DEMO
from graph_service.api.inputs import HELD_ON

SUBJECT_ID = Path(description="a USCC or a person's identity document number (a first-generation 15-digit "
                                  "citizen ID finds the person stored under its 18-digit form)",
                  openapi_examples={"enterprise": {"summary": "E01 郴州市恒基建材有限公司 (demo)",
                                                   "value": DEMO["E01"]},
                                    "person": {"summary": "P01 刘建国 (demo)", "value": DEMO["P01"]},
                                    "bad check character": {"summary": "422 naming the expected character",
                                                            "value": DEMO["E01"][:-1] + "A"}})
KIND = Query(None, description="`enterprise` or `person`, when the id could name both")
AS_OF = Query(None, description="the day the links are held and the flags judged (default today). " + HELD_ON,
              examples=["2026-11-26"])
HISTORY = Query(False, description="also links that ended or had not started on `as_of` (each edge says `current`)")
