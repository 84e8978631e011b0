"""Who the key is and the names of the service's words: what a client such as the workbench
(graph_service/workbench) needs before its first read."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from graph_service.access.caller import described
from graph_service.api.deps import Caller, require_role
from graph_service.api.errors import responses
from graph_service.api.json_body import JsonRoute
from graph_service.domain.labels import vocabulary
from graph_service.domain.vocabulary import KEY_ROLES

router = APIRouter(tags=["session"], route_class=JsonRoute)


class RegionRef(BaseModel):
    code: str
    name: str | None


class KeyRegion(RegionRef):
    path: list[RegionRef] = Field(description="province → city → county, the key's region last")


class Me(BaseModel):
    key_id: str | None = Field(description="the key's id (None: keys not required, a local try-out)")
    role: str = Field(description="public, department, investigator or admin")
    sees_persons: bool = Field(description="false for the public role: person ids and names come masked")
    purpose_required: bool = Field(description="person-level reads need an `X-Purpose` header (investigators)")
    region: KeyRegion | None = Field(description="the region the key is limited to, with its sub-regions; "
                                                 "None: every region")


class Word(BaseModel):
    code: str
    name_zh: str
    name_en: str


class Vocabulary(BaseModel):
    groups: dict[str, list[Word]] = Field(description="subject_kinds, enterprise_kinds, enterprise_statuses, "
                                                      "record_kinds, severities, black_categories, roles, "
                                                      "relations, key_roles, record_statuses, "
                                                      "notification_statuses, objection_statuses, decisions, "
                                                      "risk_reasons")


ME_EXAMPLE = {"key_id": "6a0f3c9e2b1d4e57", "role": "department", "sees_persons": True, "purpose_required": False,
              "region": {"code": "431000", "name": "郴州市", "path": [{"code": "430000", "name": "湖南省"},
                                                                     {"code": "431000", "name": "郴州市"}]}}


@router.get("/v1/me", response_model=Me, summary="The calling key",
            description="The key's role and region scope, as every other endpoint applies them: whether person "
                        "ids and names come masked (`public`), the region a `department` key is limited to "
                        "(with its sub-regions), whether person-level reads need `X-Purpose` "
                        "(`investigator`).\n\nRoles: every role.",
            responses={200: {"content": {"application/json": {"example": ME_EXAMPLE}}}, **responses(401, 503)})
async def me(caller: Caller = Depends(require_role(*KEY_ROLES))) -> Me:
    return Me.model_validate(described(caller))


@router.get("/v1/vocabulary", response_model=Vocabulary, summary="Names of the service's words",
            description="Chinese and English names of the fixed words answers carry (subject and record kinds, "
                        "roles, relations, statuses, decisions), as `GET /v1/measures`, `/v1/actions` and "
                        "`/v1/rules` name the catalogue.\n\nRoles: every role.",
            responses={200: {"content": {"application/json": {"example": {"groups": {"roles": [
                {"code": "legal_representative", "name_zh": "法定代表人", "name_en": "legal representative"}]}}}}},
                **responses(401, 503)})
async def words(caller: Caller = Depends(require_role(*KEY_ROLES))) -> Vocabulary:
    return Vocabulary.model_validate({"groups": vocabulary()})
