"""Chinese identifiers: USCC (GB 32100-2015), citizen ID (GB 11643-1999), region codes (GB/T 2260).

Core check-character functions first; the validators (validate_uscc, validate_resident_id,
validate_person_id, validate_region_code) below them return a Checked or raise IdentifierError.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from stdnum.cn import ric as _stdnum_ric
from stdnum.exceptions import ValidationError as _StdnumError

from graph_service.errors import ServiceError

if TYPE_CHECKING:
    from graph_service.regions import RegionTable

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_RIC_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def ric_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS)) % 11]


# ---------------------------------------------------------------------------------------------
# Validators. Each returns a Checked (the normalised value, warnings, details) or raises
# IdentifierError with a reason a user can act on.

ID_TYPES = ("resident_id", "passport", "other")
PERSON_ID_MAX_LEN = 40
# The characters each id type may hold (after normalize_id), so an id is a plain path segment of
# GET /v1/persons/{id}: no '/', '?', '#', '%', '<', quote or space. Passport numbers (ICAO 9303)
# are letters and digits; other documents (Hong Kong, Macao and Taiwan permits, residence
# permits, officers' cards such as 军字第123号) add '-', parentheses and CJK ideographs.
PERSON_ID_CHARSETS = {
    "passport": (re.compile(r"[A-Z0-9]+"), "letters A-Z and digits"),
    "other": (re.compile(r"[A-Z0-9()\-\u4e00-\u9fff]+"), "letters A-Z, digits, '-', '(', ')' and CJK ideographs"),
}

# GB 32100-2015 position 1 (registration authority) and position 2 (organisation type) as far as
# domain.md 7.1 lists them; authorities without a listed table get no type check.
USCC_AUTHORITIES = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "工商", "A": "中央军委改革和编制办公室", "N": "农业", "Y": "其他",
}
USCC_ORG_TYPES = {
    "9": {"1": "enterprise", "2": "individual business", "3": "farmers' cooperative"},
    "1": {"1": "organ", "2": "public institution", "3": "mass organisation", "9": "other"},
    "5": {"1": "social group", "2": "private non-enterprise unit", "3": "foundation", "9": "other"},
    "3": {"1": "law firm", "2": "notary", "3": "grassroots legal service",
          "4": "forensic appraisal", "5": "arbitration commission"},
    "N": {"1": "group-level collective", "2": "village-level collective",
          "3": "township-level collective", "9": "other"},
    "Y": {"1": "other"},
}
# Region part of USCCs issued by national-level registration authorities; not a GB/T 2260 code.
NATIONAL_REGION = "100000"

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SIX_DIGITS = re.compile(r"^\d{6}$")


class IdentifierError(ServiceError, ValueError):
    """A malformed identifier; str() is the reason. ``expected`` is the right check character
    when only the check character is wrong."""

    status, code = 422, "invalid_request"

    def __init__(self, reason: str, expected: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.expected = expected


@dataclass(frozen=True)
class Checked:
    value: str
    warnings: tuple[str, ...] = ()
    details: dict = field(default_factory=dict)


def normalize_id(raw: str) -> str:
    """Full-width → half-width (NFKC), surrounding spaces stripped, upper-case."""
    if raw is None:
        return ""
    text = str(raw)
    if text.isascii():  # NFKC leaves ASCII as it is; most ids are
        return text.strip().upper()
    return unicodedata.normalize("NFKC", text).strip().upper()


def _table(table: RegionTable | None) -> RegionTable:
    if table is not None:
        return table
    from graph_service.regions import region_table

    return region_table()


def _require_length(value: str, n: int) -> None:
    if not value:
        raise IdentifierError("identifier is empty")
    if len(value) != n:
        raise IdentifierError(f"{n} characters expected, got {len(value)}")


def organization_code_check_char(body8: str) -> str:
    """GB 11714-1997 check character of an 8-character organisation-code body."""
    c9 = 11 - sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body8, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def validate_uscc(raw: str, table: RegionTable | None = None) -> Checked:
    """Unified Social Credit Code (GB 32100-2015).

    Own validator: python-stdnum's cn.uscc rejects valid codes of authorities A, N and Y.
    Errors: length, alphabet, authority code, region part not digits, check character.
    Warnings: organisation type unknown for the authority, embedded GB 11714 organisation-code
    check (not every issuer is known to keep it), region part not in the GB/T 2260 table.
    """
    value = normalize_id(raw)
    _require_length(value, 18)
    # Position 18 is left to the check below, which then names the expected character.
    for pos, c in enumerate(value[:17], 1):
        if c not in USCC_ALPHABET:
            raise IdentifierError(f"character {c!r} at position {pos} is not allowed in a USCC")
    authority, org_type, region, org_code = value[0], value[1], value[2:8], value[8:17]
    if authority not in USCC_AUTHORITIES:
        raise IdentifierError(
            f"registration authority code {authority!r} (position 1) is not defined by GB 32100")
    if not region.isdigit():
        raise IdentifierError(f"region part {region!r} (positions 3-8) must be 6 digits")
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        raise IdentifierError(f"check character should be {expected!r}, got {value[17]!r}",
                              expected=expected)

    warnings: list[str] = []
    details: dict = {"authority": authority, "authority_name": USCC_AUTHORITIES[authority],
                     "org_type": org_type, "region_code": region,
                     "organization_code": f"{org_code[:8]}-{org_code[8]}"}
    types = USCC_ORG_TYPES.get(authority)
    if types is not None:
        if org_type in types:
            details["org_type_name"] = types[org_type]
        else:
            warnings.append(f"organisation type {org_type!r} (position 2) is not defined for "
                            f"registration authority {authority!r}")
    org_expected = organization_code_check_char(org_code[:8])
    if org_code[8] != org_expected:
        warnings.append(f"embedded organisation code {org_code[:8]}-{org_code[8]} (positions 9-17) "
                        f"has check character {org_code[8]!r}, GB 11714 gives {org_expected!r}")
    if region == NATIONAL_REGION:
        details["region_name"] = "national"
    else:
        known = _table(table).get(region)
        if known is None:
            warnings.append(f"region part {region} (positions 3-8) is not in the GB/T 2260 table")
        else:
            details["region_name"] = known.name
    return Checked(value, tuple(warnings), details)


def validate_resident_id(raw: str, table: RegionTable | None = None,
                         today: _dt.date | None = None) -> Checked:
    """Citizen ID number (GB 11643-1999): 18 characters, MOD 11-2 check, real birth date. A
    first-generation 15-digit ID is upgraded to its 18-digit form (`upgrade_resident_id_15`); the
    15 digits as given are then kept in `details["id_15"]`.

    python-stdnum computes the check and the date; its birth-year check of the address code is
    not used, because an ID keeps the code of its first registration (domain.md 7.2): an address
    code unknown, or not in use in the birth year, is a warning.
    """
    value = normalize_id(raw)
    id_15 = None
    if len(value) == 15:
        id_15, value = value, upgrade_resident_id_15(value)
    _require_length(value, 18)
    for pos, c in enumerate(value[:17], 1):
        if not (c.isascii() and c.isdigit()):
            raise IdentifierError(f"character {c!r} at position {pos} is not allowed in a citizen "
                                  "ID (digits only; X only as the check character)")
    expected = _stdnum_ric.calc_check_digit(value)
    if value[17] != expected:
        raise IdentifierError(f"check character should be {expected!r}, got {value[17]!r}",
                              expected=expected)
    try:
        birth = _stdnum_ric.get_birth_date(value)
    except _StdnumError:
        raise IdentifierError(f"birth date {value[6:14]!r} (positions 7-14) is not a real date") from None
    if birth > (today or _dt.date.today()):
        raise IdentifierError(f"birth date {birth.isoformat()} (positions 7-14) is in the future")

    address = value[:6]
    details: dict = {"region_code": address, "birth_date": birth,
                     "sex": "male" if int(value[16]) % 2 else "female"}
    if id_15 is not None:
        details["id_15"] = id_15
    warnings: list[str] = []
    region = _table(table).get(address)
    if region is None:
        warnings.append(f"address code {address} (positions 1-6) is not in the GB/T 2260 table")
    else:
        details["region_name"] = region.name
        if not region.in_use(birth.year):
            span = f"{region.valid_from or ''}-{region.valid_to or ''}"
            warnings.append(f"address code {address} ({region.name}) was not in use in the birth "
                            f"year {birth.year} (in use {span}); IDs keep the code of first "
                            "registration")
    return Checked(value, tuple(warnings), details)


def upgrade_resident_id_15(value: str) -> str:
    """The 18-digit form (GB 11643-1999) of a first-generation 15-digit citizen ID (GB 11643-1989):
    address code, "19" and the 2-digit birth year, birth month and day, sequence, and the MOD 11-2
    check character (python-stdnum's, computed on the 17 digits). First-generation cards were
    issued from 1984 to people born in the 20th century, hence the century 19 (domain.md 7.2).
    Raises IdentifierError naming the position of a non-digit or an unreal birth date."""
    if len(value) != 15:
        raise IdentifierError(f"15 characters expected for a first-generation citizen ID, got {len(value)}")
    for pos, c in enumerate(value, 1):
        if not (c.isascii() and c.isdigit()):
            raise IdentifierError(f"character {c!r} at position {pos} is not allowed in a first-generation "
                                  "15-digit citizen ID (digits only, no check character)")
    try:
        _dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        raise IdentifierError(f"birth date '19{value[6:12]}' (positions 7-12 of the first-generation 15-digit "
                              "ID, century 19) is not a real date") from None
    first17 = value[:6] + "19" + value[6:]
    return first17 + _stdnum_ric.calc_check_digit(first17 + "0")


def person_id_reference(raw: str) -> str:
    """A person id that refers to a person (roles, holdings, records, reads): normalised, and a
    15-digit all-digit id read as a first-generation citizen ID and upgraded to its 18-digit form,
    the key persons are stored under. Raises IdentifierError for a malformed 15-digit one."""
    value = normalize_id(raw)
    if len(value) == 15 and value.isdigit():
        return upgrade_resident_id_15(value)
    return value


def validate_person_id(raw: str, id_type: str = "resident_id",
                       table: RegionTable | None = None) -> Checked:
    """A person's identifier: a citizen ID, or a passport / other number (normalised, 1 to 40
    characters of its type's charset, PERSON_ID_CHARSETS)."""
    if id_type == "resident_id":
        return validate_resident_id(raw, table)
    if id_type not in ID_TYPES:
        raise IdentifierError(f"id_type must be one of {', '.join(ID_TYPES)}, got {id_type!r}")
    value = normalize_id(raw)
    if not value:
        raise IdentifierError("identifier is empty")
    if len(value) > PERSON_ID_MAX_LEN:
        raise IdentifierError(f"at most {PERSON_ID_MAX_LEN} characters expected, got {len(value)}")
    for pos, c in enumerate(value, 1):
        if unicodedata.category(c).startswith("C"):
            raise IdentifierError(f"control character U+{ord(c):04X} at position {pos} is not allowed")
    charset, allowed = PERSON_ID_CHARSETS[id_type]
    if not charset.fullmatch(value):
        pos, c = next((i, c) for i, c in enumerate(value, 1) if not charset.fullmatch(c))
        raise IdentifierError(f"character {c!r} at position {pos} is not allowed in an id of type "
                              f"{id_type!r} (allowed: {allowed})")
    return Checked(value, (), {"id_type": id_type})


RECORD_ID_MAX_LEN = 64
# A record id is the reporting department's own, addressed as GET /v1/records/{id}: no '/', '?',
# '#', '%', '<', quote or space. Document numbers such as 郴建罚〔2023〕1号 fit.
RECORD_ID_CHARSET = re.compile(r"[A-Z0-9_.()\-\u3014\u3015\u4e00-\u9fff]+")


def validate_record_id(raw: str) -> Checked:
    """A credit record's id: normalised, 1 to RECORD_ID_MAX_LEN characters of RECORD_ID_CHARSET."""
    value = normalize_id(raw)
    if not value:
        raise IdentifierError("identifier is empty")
    if len(value) > RECORD_ID_MAX_LEN:
        raise IdentifierError(f"at most {RECORD_ID_MAX_LEN} characters expected, got {len(value)}")
    if not RECORD_ID_CHARSET.fullmatch(value):
        pos, c = next((i, c) for i, c in enumerate(value, 1) if not RECORD_ID_CHARSET.fullmatch(c))
        raise IdentifierError(f"character {c!r} at position {pos} is not allowed in a record id "
                              "(allowed: letters A-Z, digits, '-', '_', '.', '(', ')', '〔', '〕' and CJK ideographs)")
    return Checked(value)


@lru_cache(maxsize=1 << 16)
def birth_date_of(person_id: str) -> _dt.date | None:
    """The birth date an 18-digit id carries (positions 7-14: citizen IDs, and the residence permits
    of GB 11643's form), or None for any other id (a passport). The check character is not checked
    again: the id was validated where it was given (cached: a person holds many roles)."""
    if len(person_id) != 18 or not person_id[:17].isdigit() or not person_id.isascii():
        return None
    try:
        return _dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    except ValueError:
        return None


def validate_region_code(raw: str, table: RegionTable | None = None) -> Checked:
    """A GB/T 2260 code present in the region table, current or retired."""
    value = normalize_id(raw)
    if not _SIX_DIGITS.match(value):
        raise IdentifierError(f"region code must be 6 digits, got {value!r}")
    region = _table(table).get(value)
    if region is None:
        raise IdentifierError(f"region code {value} is not in the GB/T 2260 table")
    return Checked(value, (), {"name": region.name, "level": region.level,
                               "parent_code": region.parent_code, "retired": region.retired})
