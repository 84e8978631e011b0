"""Parsing single cells by the common rules of input-format.md (dates, decimals, enum words)."""

from __future__ import annotations

import re
from datetime import date

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as half-width.
_HALFWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def halfwidth(value: str) -> str:
    return value.translate(_HALFWIDTH)


def text(value) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def word(value) -> str | None:
    """An enum value: half-width, trimmed, lower-case."""
    if value is None:
        return None
    if value.__class__ is str and value.isascii():  # the common case: nothing to make half-width
        s = value.strip().lower()
    else:
        s = halfwidth(str(value)).strip().lower()
    return s or None


def parse_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if value.__class__ is str and len(value) == 10 and value.isascii() and _DATE.match(value):  # YYYY-MM-DD
        s = value
    else:
        s = halfwidth(str(value)).strip()
    if not s:
        return None
    if not _DATE.match(s):
        raise ValueError(f"not a date: {s!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise ValueError(f"not a real date: {s!r}") from None


def parse_decimal(value) -> float | None:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return None if value is None else float(value)
    s = halfwidth(str(value)).strip().replace(",", "")
    if not s:
        return None
    if not _DECIMAL.match(s):
        raise ValueError(f"not a decimal number: {s!r}")
    return float(s)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
