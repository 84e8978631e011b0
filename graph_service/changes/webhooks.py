"""Webhook deliveries of alerts (docs/changes.md, Webhooks).

Each alert of a watch with a webhook is POSTed as JSON with `X-Credit-Graph-Signature:
sha256=<hex>`, the HMAC-SHA256 of the body under the watch's secret (given once, when the watch
is made), and `X-Credit-Graph-Alert: <alert id>`. A 2xx answer delivers it; anything else (an
error status, a refused connection, no answer within the timeout) is tried again after
`backoff_s * 2**attempt` seconds, up to `attempts` times, each attempt kept in the delivery log.
An alert that gave up counts against its webhook, which is disabled after `max_failures` in a
row; its owner enables it again (POST /v1/watches/{id}/webhook/enable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from graph_service.changes.watches import alert_of

SIGNATURE_HEADER = "X-Credit-Graph-Signature"
ALERT_HEADER = "X-Credit-Graph-Alert"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Policy:
    attempts: int = 5
    backoff_s: float = 1.0
    timeout_s: float = 5.0
    max_failures: int = 3


@dataclass(frozen=True)
class Outcome:
    outcome: str  # delivered | retry | failed
    status_code: int | None
    error: str | None
    ms: int
    next_attempt_at: dt.datetime | None


def post(url: str, secret: str, alert: dict[str, Any], timeout_s: float) -> tuple[int | None, str | None]:
    """POSTs one alert; (status code or None, error or None)."""
    body = json.dumps(alert, ensure_ascii=False, sort_keys=True).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body),
        ALERT_HEADER: alert["alert_id"], "User-Agent": "credit-graph-webhook"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return resp.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"


def deliver(claimed: dict[str, Any], policy: Policy) -> Outcome:
    """One attempt at one claimed alert (a row of cypher/watches/claim_deliveries)."""
    alert = alert_of(claimed["alert"])
    attempt = int(alert.pop("attempts") or 0) + 1
    started = time.monotonic()
    status, error = post(claimed["url"], claimed["secret"], alert, policy.timeout_s)
    ms = round((time.monotonic() - started) * 1000)
    if status is not None and 200 <= status < 300:
        return Outcome("delivered", status, None, ms, None)
    if attempt >= policy.attempts:
        return Outcome("failed", status, error, ms, None)
    wait = policy.backoff_s * 2 ** (attempt - 1)
    return Outcome("retry", status, error, ms, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait))
