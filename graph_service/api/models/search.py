"""GET /v1/search: a page of ranked hits (docs/search.md)."""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph_service.domain.vocabulary import SubjectKind
from graph_service.search.ranking import Match, MatchedField

# An answer on the demo bundle (loaders/demo/): `q=郴州恒基建材` by an admin key.
EXAMPLE: dict[str, Any] = {
    "q": "郴州恒基建材", "kind": None, "region": None,
    "folded": "郴州恒基建材", "core": "恒基建材", "pinyin": None,
    "total": 3, "capped": False, "limit": 20, "next_cursor": None,
    "items": [
        {"kind": "enterprise", "id": "91431002MA4L2HJ36R", "name": "郴州市恒基建材有限公司", "masked": False,
         "region_code": "431002", "status": "active", "former_names": [], "match": "core",
         "matched_field": "name", "matched_value": "郴州市恒基建材有限公司", "score": 1.0, "in_region": None,
         "why": "the name without organisation form and region is 恒基建材, as the query"},
        {"kind": "enterprise", "id": "91431022MA4PK7R15E", "name": "宜章恒基混凝土有限公司", "masked": False,
         "region_code": "431022", "status": "active", "former_names": [], "match": "fuzzy",
         "matched_field": "name", "matched_value": "宜章恒基混凝土有限公司", "score": 0.4444, "in_region": None,
         "why": "the name is similar to the query (similarity 0.44)"},
        {"kind": "enterprise", "id": "91430104MA4R5C0F16", "name": "湖南恒基环保科技有限公司", "masked": False,
         "region_code": "430104", "status": "active", "former_names": [], "match": "fuzzy",
         "matched_field": "name", "matched_value": "湖南恒基环保科技有限公司", "score": 0.4, "in_region": None,
         "why": "the name is similar to the query (similarity 0.40)"},
    ],
}


class SearchHit(BaseModel):
    kind: SubjectKind
    id: str = Field(description="USCC or person id; masked (`4328**********1350`) when `masked`")
    name: str | None = Field(None, description="the current name; masked (`王*国`) when `masked`")
    masked: bool = Field(False, description="a person for the `public` role, or a subject outside a `department` "
                                            "key's region: id and name masked, no other field")
    region_code: str | None = None
    status: str | None = Field(None, description="an enterprise's registry status")
    former_names: list[str] = Field(default_factory=list, description="an enterprise's earlier names, oldest first")
    match: Match = Field(description="how the hit matched, best first: `id` (the USCC or person id itself), `exact` "
                                     "(the whole name), `core` (the name without organisation form and region), "
                                     "`pinyin` (a person's name spelled in pinyin), `id_prefix` (the USCC starts "
                                     "with the query), `prefix`, `contains` (part of the name), `fuzzy` (similar)")
    matched_field: MatchedField = Field(description="the stored field that matched")
    matched_value: str | None = Field(None, description="its value (null when masked, and for pinyin)")
    score: float = Field(ge=0, le=1, description="similarity of the matched value to the query (rapidfuzz ratio of "
                                                 "the names without organisation form and region)")
    in_region: bool | None = Field(None, description="for a region-scoped key: whether the subject is registered in "
                                                     "its region (those come first)")
    why: str = Field(description="the match explained")


class SearchPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [cast(JsonDict, EXAMPLE)]})

    q: str = Field(description="the text searched, without surrounding spaces")
    kind: SubjectKind | None = None
    region: str | None = None
    folded: str = Field(description="the text folded as stored names are: half width, () brackets, no spaces or "
                                    "dots, simplified characters, lower case")
    core: str = Field(description="the folded text without organisation form and leading region names")
    pinyin: str | None = Field(None, description="the text read as pinyin (Latin letters only)")
    total: int = Field(description="hits ranked")
    capped: bool = Field(description="the index held more candidates than CREDIT_GRAPH_SEARCH_MAX_CANDIDATES: "
                                     "narrow the search (`kind`, `region`, a longer text) to see the others")
    limit: int
    items: list[SearchHit] = Field(description="best first")
    next_cursor: str | None = Field(None, description="`cursor` of the next page; null on the last page")
