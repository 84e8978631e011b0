"""One error body everywhere: ``{"error": {"code", "message", "field"}}``.

Every failure the API can answer with is a `graph_service.errors.ServiceError` (`ApiError` for
what the routers refuse while parsing) or one of the framework's handled below, so a
client parses one shape whatever went wrong (FastAPI's own 422 list and Starlette's
``{"detail": ...}`` are replaced). Neo4j being unreachable is a 503 with ``Retry-After``; the
driver reconnects by itself, so the next request after Neo4j returns succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast
from urllib.parse import quote, unquote, urlencode

import neo4j.exceptions as nx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import HTTPExceptionHandler

from graph_service.api.examples import BAD_USCC
from graph_service.errors import Refused, ServiceError, SubjectMerged
from graph_service.errors import not_found as not_found
from graph_service.identifiers import IdentifierError, normalize_id, person_id_reference
from graph_service.settings import service_settings

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. `invalid_uscc`, `not_found`")
    message: str = Field(description="what went wrong, for a human")
    field: str | None = Field(None, description="the request field at fault (path or query parameter, header, body "
                                                "field)")


class ErrorBody(BaseModel):
    error: ErrorDetail


# What a router refuses while parsing, authorising or scoping: a Refused like any service's.
ApiError = Refused


class BodyError(StarletteHTTPException):
    """A request body FastAPI cannot take (not UTF-8, a key given twice): raised while the body is
    parsed, where FastAPI lets only HTTP exceptions through unchanged."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(status, message)
        self.code, self.field = code, field


def error_response(status: int, code: str, message: str, field: str | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def unavailable(request: Request, message: str) -> JSONResponse:
    settings = getattr(request.app.state, "settings", None) or service_settings()
    return error_response(503, "neo4j_unavailable", message, headers={"Retry-After": str(settings.retry_after_s)})


def _field_of(loc: tuple) -> str | None:
    # ("path", "uscc") -> "uscc"; ("body", "items", 3, "action") -> "items[3].action"
    parts = [p for p in loc if p not in ("path", "query", "header", "body", "cookie")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or None


def _names(value: str, subject_id: str) -> bool:
    """Whether a path segment or query value of the request names `subject_id` (as given: in any
    case or width, or as the 15-digit form of a citizen ID)."""
    text = normalize_id(unquote(value))
    if text == subject_id:
        return True
    try:
        return len(text) == 15 and person_id_reference(text) == subject_id
    except IdentifierError:
        return False


def merged_location(request: Request, exc: SubjectMerged) -> str:
    """The request's path and query with the merged subject's id replaced by the canonical one's."""
    path = "/".join(quote(exc.canonical_id) if _names(seg, exc.merged_id) else seg
                    for seg in request.url.path.split("/"))
    query = [(k, exc.canonical_id if _names(v, exc.merged_id) else v)
             for k, v in request.query_params.multi_items()]
    return path + (f"?{urlencode(query)}" if query else "")


async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
    if exc.status >= 500 and exc.code == "internal_error":
        return await _unexpected(request, exc)  # a bug, not a refusal: logged, no detail leaves
    if isinstance(exc, SubjectMerged):
        return error_response(exc.status, exc.code, str(exc), exc.field,
                              {**(exc.headers or {}), "Location": merged_location(request, exc)})
    return error_response(exc.status, exc.code, str(exc), exc.field, exc.headers)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    field = _field_of(tuple(first.get("loc", ())))
    message = first.get("msg", "invalid value")
    if field:
        message = f"{field}: {message}"
    return error_response(422, "invalid_request", message, field)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, BodyError):
        return error_response(exc.status_code, exc.code, str(exc.detail), exc.field)
    if exc.status_code == 413:  # request_limits.BodyTooLarge: the bytes received passed the limit
        return body_too_large(request.app.state.settings.max_body_bytes)
    codes = {400: "invalid_body", 404: "not_found", 405: "method_not_allowed", 401: "unauthorized",
             403: "forbidden"}
    return error_response(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail),
                          headers=getattr(exc, "headers", None))


def body_too_large(limit: int) -> JSONResponse:
    return error_response(413, "body_too_large",
                          f"the request body is larger than {limit} bytes (CREDIT_GRAPH_MAX_BODY_BYTES)")


async def _neo4j_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("Neo4j unavailable: %s", exc)
    return unavailable(request, f"the graph database is unreachable; retry later ({type(exc).__name__})")


async def _neo4j_error(request: Request, exc: nx.Neo4jError) -> JSONResponse:
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Transaction.Terminated" in code:
        return error_response(504, "query_timeout",
                              "the query ran longer than the read timeout (NEO4J_READ_TIMEOUT_S)")
    if isinstance(exc, nx.TransientError):
        return unavailable(request, f"the graph database is busy; retry later ({code})")
    log.exception("Neo4j error")
    return error_response(500, "internal_error", f"graph database error {code}")


def _neo4j_cause(exc: BaseException) -> nx.Neo4jError | None:
    """The server's error behind a driver error, if any: a result read after its transaction failed
    (a timeout, often) raises ResultFailedError with the server's error as its cause."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, nx.Neo4jError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


async def _driver_error(request: Request, exc: Exception) -> JSONResponse:
    cause = _neo4j_cause(exc)
    if cause is not None:
        return await _neo4j_error(request, cause)
    return await _unexpected(request, exc)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "internal error")


E = TypeVar("E", bound=Exception)


def _handle(app: FastAPI, cls: type[E], handler: Callable[[Request, E], Awaitable[Response]]) -> None:
    # Starlette types every handler as taking any Exception; it calls this one only with a `cls`.
    app.add_exception_handler(cls, cast(HTTPExceptionHandler, handler))


def install(app: FastAPI) -> None:
    _handle(app, ServiceError, _service_error)
    _handle(app, RequestValidationError, _validation_error)
    _handle(app, StarletteHTTPException, _http_error)
    # Order matters little: Starlette picks the handler of the nearest class in the MRO.
    for cls in (nx.ServiceUnavailable, nx.SessionExpired, nx.AuthError):
        _handle(app, cls, _neo4j_unavailable)
    _handle(app, nx.Neo4jError, _neo4j_error)
    _handle(app, nx.ResultFailedError, _driver_error)
    _handle(app, Exception, _unexpected)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error statuses an endpoint can answer with."""
    examples = {
        400: ("invalid_body", "the request body is not UTF-8: byte 0xff at position 0 (JSON bodies are UTF-8, "
                              "RFC 8259)", None),
        401: ("unauthorized", "no valid API key: send it in the X-API-Key header", None),
        403: ("forbidden", "role public may not read persons", None),
        404: ("not_found", "no enterprise with uscc 91431002MA4L0C5B8T", "uscc"),
        422: ("invalid_uscc", f"invalid USCC '{BAD_USCC}': check character should be 'R', got 'A'", "uscc"),
        503: ("neo4j_unavailable", "the graph database is unreachable; retry later (ServiceUnavailable)", None),
        504: ("query_timeout", "the query ran longer than the read timeout (NEO4J_READ_TIMEOUT_S)", None),
        409: ("no_webhook", "watch 12 has no webhook", "watch_id"),
        413: ("body_too_large", "the request body is larger than 1048576 bytes (CREDIT_GRAPH_MAX_BODY_BYTES)", None),
        431: ("header_too_large", "header X-Purpose: 9000 bytes, at most 8192 (CREDIT_GRAPH_MAX_HEADER_BYTES)",
              "X-Purpose"),
        308: ("subject_merged", "person 432801196804121377 was merged into 432801196804121350 (one identity, "
                                "POST /v1/resolutions): read 432801196804121350 at the Location given", "person_id"),
    }
    descriptions = {308: "The subject asked was merged into another by a \"same\" judgement (POST /v1/resolutions): "
                         "`Location` is this request for the canonical subject (docs/search.md, Identity)",
                    400: "A request body that is not UTF-8",
                    409: "The request conflicts with the resource's state (a watch without a webhook)",
                    413: "A request body over CREDIT_GRAPH_MAX_BODY_BYTES",
                    431: "A header over CREDIT_GRAPH_MAX_HEADER_BYTES, named in `error.field`",
                    401: "Missing, unknown or revoked API key",
                    403: "Outside the key's role, or a region asked outside the key's region",
                    404: "Unknown subject, or one the key may not read (the same answer: docs/api.md, scope rules)",
                    422: "Malformed request field, named in `error.field`",
                    503: "Neo4j unreachable; retry after `Retry-After` seconds",
                    504: "The query hit the Neo4j transaction timeout"}
    out: dict[int | str, dict[str, Any]] = {}
    for s in statuses:
        code, msg, field = examples[s]
        out[s] = {"model": ErrorBody, "description": descriptions[s],
                  "content": {"application/json": {"example": {
                      "error": {"code": code, "message": msg, "field": field}}}}}
        if s == 503:
            out[s]["headers"] = {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}}
        if s == 308:
            out[s]["headers"] = {"Location": {"description": "the same request for the canonical subject",
                                              "schema": {"type": "string"}}}
    return out
