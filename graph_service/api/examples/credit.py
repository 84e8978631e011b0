"""Examples of the credit read endpoints: demo ids (loaders/demo/README.md) and answers of the API
on the demo bundle as of 2026-11-26 (trimmed lists), kept in credit_*.json beside this module and
checked against the models by tests/test_api_credit.py."""

import json
from pathlib import Path

_HERE = Path(__file__).parent

E01 = "91431002MA4L2HJ36R"  # 郴州市恒基建材有限公司, black record B0001
E06 = "91430104MA4R5C0F16"  # 湖南恒基环保科技有限公司, lost the green channel of R0005
P01 = "432801196804121350"  # 刘建国, E01's legal representative on the misconduct date: liable
P08 = "432821198606181955"  # 王海涛, E03's current legal representative: restricted
P09 = "432821196510021173"  # 李春生, E03's former legal representative: releasable
P10 = "432801196201202397"  # 曾国华, E03's actual controller: not releasable
B0001 = "HN431000-2026-B0001"
B0002 = "HN431003-2026-B0002"
B0009 = "HN431025-2022-B0009"


def _load(name: str) -> dict:
    return json.loads((_HERE / f"credit_{name}.json").read_text(encoding="utf-8"))


ENTERPRISE_CREDIT = _load("enterprise")
PERSON_CREDIT = _load("person")
RECORD_REACH = _load("record")
RELEASE = _load("release")
RULES = _load("rules")
MEASURES = _load("measures")
ACTIONS = _load("actions")
