"""CSV answers of the service, safe to open in a spreadsheet (issue 15, item 9).

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)` in an enterprise name): such a
cell is prefixed with a single quote, as OWASP's "CSV Injection" advice says, so it shows as the
text it is. Numbers (int, float, Decimal values, never strings) are written as they are: a
negative amount in a numeric column is a number, not a formula, and stays `-5`. A text cell that
merely looks like a negative number (`-5` in a name column) is text and gets its quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as written: empty for None, numbers and dates as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal, dt.date)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header line and one line per row, every cell through `safe_cell`; other keys ignored."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([safe_cell(r.get(k)) for k in columns])
    return out.getvalue()
