"""The reporting department of a load: `--department`, or `manifest.json` in the bundle.

Policy item 1: provenance says which department reported what, and when. The department is kept on
the Load node and on every fact the load writes (`src_department`), and is part of the load id, so
the same files reported by two departments are two loads.

manifest.json (optional) is a JSON object; its only field today is "department".
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from graph_service.errors import ServiceError
from graph_service.text_limits import check_text

MANIFEST = "manifest.json"
MANIFEST_FIELDS = ("department",)


class ManifestError(ServiceError, ValueError):
    status, code = 422, "invalid_manifest"

    """manifest.json or --department cannot be used; str() says why."""


def _clean(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"{where}: the department must be text, got {type(value).__name__}")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ManifestError(f"{where}: the department is empty")
    for pos, c in enumerate(text, 1):
        if unicodedata.category(c) == "Cc":
            raise ManifestError(f"{where}: control character U+{ord(c):04X} at position {pos} of the "
                                "department is not allowed")
    try:
        return check_text("department", text)
    except ValueError as exc:
        raise ManifestError(f"{where}: department: {exc}") from None


def read_manifest(bundle: Path) -> dict:
    """The manifest's fields ({} without a manifest); ManifestError when it is unusable."""
    path = bundle / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ManifestError(f"{MANIFEST}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{MANIFEST}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{MANIFEST}: a JSON object is expected, e.g. {{\"department\": \"郴州市市场监督管理局\"}}")
    unknown = sorted(set(data) - set(MANIFEST_FIELDS))
    if unknown:
        raise ManifestError(f"{MANIFEST}: unknown field {unknown[0]!r} (known: {', '.join(MANIFEST_FIELDS)})")
    if "department" in data:
        data["department"] = _clean(data["department"], MANIFEST)
    return data


def bundle_department(bundle: Path, given: str | None = None) -> str | None:
    """The department of a load: ``given`` (--department) or the manifest's; the two must agree
    when both are there. None when neither names one."""
    from_manifest = read_manifest(bundle).get("department")
    if given is None:
        return from_manifest
    department = _clean(given, "--department")
    if from_manifest is not None and from_manifest != department:
        raise ManifestError(f"--department {department!r} differs from {MANIFEST}'s department "
                            f"{from_manifest!r}: give one, or the same")
    return department
