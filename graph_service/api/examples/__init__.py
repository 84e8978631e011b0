"""Identifiers of the demo bundle (loaders/demo/) used as OpenAPI examples."""

import json
from pathlib import Path

DEMO_USCC = "91431002MA4L2HJ36R"  # E01 郴州市恒基建材有限公司: blacklisted, legal representative changed
DEMO_PERSON_ID = "432801197703093711"  # P07 曾志刚: director of E01 named responsible in its black record
BAD_USCC = "91431002MA4L2HJ36A"  # E01 with a wrong check character
BAD_PERSON_ID = "432801197703093712"  # P07 with a wrong check character

_HERE = Path(__file__).parent

# Answers of the API on the demo bundle (trimmed lists), shown as the 200 examples of OpenAPI.
ENTERPRISE_EXAMPLE = json.loads((_HERE / "enterprise.json").read_text(encoding="utf-8"))
PERSON_EXAMPLE = json.loads((_HERE / "person.json").read_text(encoding="utf-8"))
# POST /v1/match: {"request", "response"} on the demo bundle (tests/test_api_match.py asks it again).
MATCH_EXAMPLE = json.loads((_HERE / "match.json").read_text(encoding="utf-8"))


def ok(example: dict) -> dict:
    return {200: {"content": {"application/json": {"example": example}}}}
