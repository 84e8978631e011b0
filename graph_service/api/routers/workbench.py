"""The workbench page at `/` (graph_service/workbench, docs/workbench.md): a page for people,
outside the API's schema; it reads the API with the key its user signs in with."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from graph_service import workbench
from graph_service.api.json_body import JsonRoute

router = APIRouter(route_class=JsonRoute)  # like every router, though this page reads no body


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    # no-cache: the browser revalidates (ETag), so a new version is seen at the next visit.
    return FileResponse(workbench.INDEX, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
