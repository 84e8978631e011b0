"""Limits every request meets before a route sees it: header sizes and the body's size.

A declared Content-Length over CREDIT_GRAPH_MAX_BODY_BYTES is refused before any of the body is
read; the body is also counted as it streams in, so a client that sends no Content-Length (or a
false one) is stopped at the limit without the service holding more than that of it. FastAPI's
own `max_body_size` is not used: its 413 is plain text, outside the API's error shape.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.api.errors import body_too_large, error_response

# Header names come lower-cased from the server; errors name them as the documentation does.
_NAMES = {b"x-api-key": "X-API-Key", b"x-purpose": "X-Purpose"}


class BodyTooLarge(HTTPException):
    """Raised from `receive` while a route reads the body; an HTTPException so that FastAPI lets
    it through unchanged (errors.py renders it as the 413 of the error shape)."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class RequestLimits:
    """ASGI middleware: 431 naming a header longer than `max_header_bytes`; 413 for a declared
    Content-Length over `max_body_bytes`, answered before any of the body is read, or as soon as
    the bytes received pass it."""

    def __init__(self, app: ASGIApp, max_header_bytes: int, max_body_bytes: int):
        self.app, self.max_header_bytes, self.max_body_bytes = app, max_header_bytes, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            response = self._refusal(scope["headers"])
            if response is not None:
                await response(scope, receive, send)
                return
            received = 0

            async def counted() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > self.max_body_bytes:
                        raise BodyTooLarge()
                return message

            await self.app(scope, counted, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, headers: list[tuple[bytes, bytes]]):
        for name, value in headers:
            if len(value) > self.max_header_bytes:
                shown = _NAMES.get(name) or name.decode("latin-1").title()
                return error_response(431, "header_too_large",
                                      f"header {shown}: {len(value)} bytes, at most {self.max_header_bytes} "
                                      "(CREDIT_GRAPH_MAX_HEADER_BYTES)", shown)
            if name == b"content-length" and value.strip().isdigit() and int(value) > self.max_body_bytes:
                return body_too_large(self.max_body_bytes)
        return None
