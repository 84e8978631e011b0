"""Statistics of the joint reward and punishment loop (policy safeguards; issue 5 item 8).

What each count is about and which date places it in the period: cypher/workflow/stats.cypher.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph_service.runner import Plan, Step, only
from graph_service.workflow.store import CHINA


def _instant(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(), tzinfo=CHINA)


def stats(*, date_from: dt.date, date_to: dt.date, as_of: dt.date, region_code: str | None = None,
          authority_id: str | None = None) -> Plan[dict[str, Any]]:
    row = only((yield Step("workflow/stats", {
        "from": date_from, "to": date_to, "from_instant": _instant(date_from),
        "to_instant": _instant(date_to + dt.timedelta(days=1)) if date_to < dt.date.max else None,
        "as_of": as_of,
        "region_code": region_code, "authority_id": authority_id})))
    by_kind: dict[str, dict[str, Any]] = {}
    for r in row["records"]:
        k = by_kind.setdefault(r["kind"], {"total": 0, "by_category": {}})
        k["total"] += r["count"]
        k["by_category"][r["category"] or ""] = r["count"]
    sent = row["sent"]
    return {
        "from": date_from, "to": date_to, "as_of": as_of, "region_code": region_code, "authority_id": authority_id,
        "records": by_kind,
        "persons_reached": row["persons_reached"],
        "notifications": {
            "sent": sent, "acknowledged": row["acknowledged"], "answered": row["answered"],
            "applied": row["applied"], "restorations": row["restorations"],
            "feedback_rate": round(row["answered"] / sent, 4) if sent else None,
        },
        "objections": {k: row[k] for k in ("open", "upheld", "corrected", "revoked", "overdue", "resolved_late")}
        | {"total": row["objections"]},
        "repairs": {"accepted": row["repairs_accepted"], "refused": row["repairs_refused"]},
        "checks": {"total": row["checks"], "restricted": row["checks_restricted"],
                   "favoured": row["checks_favoured"], "clear": row["checks_clear"]},
    }
