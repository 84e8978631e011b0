"""The longest text each free-text field may hold: one table, shared by the loader and the API.

Each class of field has its own setting (CREDIT_GRAPH_TEXT_MAX_*), so a department whose names run
long raises one number. The table is documented in docs/loading.md (and loaders/ERRORS.md); a cell
above its maximum is rejected naming the field and the maximum, never cut (a cut name or legal
basis would be stored as if it were the department's).
"""

from __future__ import annotations

from graph_service.settings import service_settings

# field -> the setting holding its maximum (characters, after surrounding spaces are trimmed)
TEXT_MAX_SETTING: dict[str, str] = {
    "name": "text_max_name",          # enterprise and person names
    "authority": "text_max_name",     # the deciding department
    "department": "text_max_name",    # the reporting department of a load (--department, manifest.json)
    "title": "text_max_short",        # a role's title as registered
    "category": "text_max_short",     # a red or penalty record's free-text category
    "document_no": "text_max_short",  # 决定书文号 / 案号
    "industry": "text_max_short",     # GB/T 4754 code
    "address": "text_max_address",
    "legal_basis": "text_max_long",
}
# Fields whose text may run over several lines (a quoted cell with line breaks); the others are
# one line: a line break in a name is a broken export, not data.
MULTILINE = frozenset({"address", "legal_basis"})


_limits: list = [None, {}]  # the settings object the maxima were read from, field -> maximum


def text_max(field: str) -> int:
    settings = service_settings()
    if _limits[0] is not settings:  # read once per settings object: checked on every text cell
        _limits[:] = [settings, {f: getattr(settings, name) for f, name in TEXT_MAX_SETTING.items()}]
    return _limits[1][field]


def check_text(field: str, value: str) -> str:
    """``value`` when it fits ``field``; ValueError naming the maximum otherwise."""
    limit = text_max(field)
    if len(value) > limit:
        setting = "CREDIT_GRAPH_" + TEXT_MAX_SETTING[field].upper()
        raise ValueError(f"{len(value):,} characters, more than the maximum of {limit:,} for {field} "
                         f"({setting})")
    if field not in MULTILINE and ("\n" in value or "\r" in value):
        raise ValueError(f"a line break is not allowed in {field}")
    return value
