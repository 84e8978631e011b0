"""One pydantic model per bundle file (input-format.md), validating a row after normalisation.

Rows come in as {column: cell text}; blank cells are dropped first, so "empty" means "not given"
and a field's default applies. Validators that need the region table or collect warnings read
the validation context (`RowContext`). Fields are declared in dependency order: a validator may
look at fields declared before it (`info.data`).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from graph_service.dates import beyond_horizon, horizon
from graph_service.domain import vocabulary
from graph_service.domain.periods import default_valid_until
from graph_service.domain.vocabulary import BLACK_CATEGORIES, HolderRole, RecordKind, Severity, SubjectKind
from graph_service.facts.cells import is_blank, parse_date, parse_decimal, text, word
from graph_service.identifiers import (
    birth_date_of,
    normalize_id,
    person_id_reference,
    validate_person_id,
    validate_record_id,
    validate_region_code,
    validate_uscc,
)
from graph_service.regions import RegionTable
from graph_service.settings import service_settings
from graph_service.text_limits import check_text

EnterpriseKind = Literal["enterprise", "social_organization", "public_institution", "individual_business"]
ENTERPRISE_KINDS: tuple[EnterpriseKind, ...] = get_args(EnterpriseKind)
EnterpriseStatus = Literal["active", "revoked", "deregistered", "abnormal"]
ENTERPRISE_STATUSES: tuple[EnterpriseStatus, ...] = get_args(EnterpriseStatus)
IdType = Literal["resident_id", "passport", "other"]
ID_TYPES: tuple[IdType, ...] = get_args(IdType)
# Alphabetical, the order the loader's messages have always listed them in.
RECORD_KINDS = tuple(sorted(vocabulary.RECORD_KINDS))
if TYPE_CHECKING:
    SortedRecordKind = RecordKind
else:  # the same words as RecordKind, in the order above
    SortedRecordKind = Literal[RECORD_KINDS]
DEFAULT_SEVERITY = {"black": "serious", "penalty": "general"}
RATIO_TOLERANCE = 1e-6


@dataclass
class RowContext:
    """What validators need besides the row: the region table (national + the bundle's
    regions.csv), a list collecting (column, value, warning), and the USCCs already validated (a
    reference to one of them needs no second check). ``clean``: blank cells are already dropped."""

    table: RegionTable
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    known_usccs: Collection[str] = frozenset()
    clean: bool = False


def _ctx(info: ValidationInfo) -> RowContext | None:
    return info.context.get("row") if info.context else None


def _table(info: ValidationInfo) -> RegionTable | None:
    ctx = _ctx(info)
    return ctx.table if ctx else None


def _field(info: ValidationInfo) -> str:
    # Set for every field validator (None only in a model validator, which these are not).
    assert info.field_name is not None
    return info.field_name


def _warn(info: ValidationInfo, value: str, warnings) -> None:
    ctx = _ctx(info)
    if ctx is not None:
        ctx.warnings.extend((_field(info), value, w) for w in warnings)


def _uscc_with_warnings(v, info: ValidationInfo) -> str:
    checked = validate_uscc(v, _table(info))
    _warn(info, checked.value, checked.warnings)
    return checked.value


def _uscc(v, info: ValidationInfo) -> str:
    # A reference to an enterprise: its warnings belong to its own row of enterprises.csv.
    ctx = _ctx(info)
    if ctx is not None:
        value = normalize_id(v)
        if value in ctx.known_usccs:
            return value
    return validate_uscc(v, _table(info)).value


def _person_ref(v) -> str:
    # A reference to a person: a first-generation 15-digit citizen ID names the person stored
    # under its 18-digit form (identifiers.person_id_reference; a malformed one is rejected).
    value = person_id_reference(v)
    if not value:
        raise ValueError("identifier is empty")
    return value


def _region(v, info: ValidationInfo) -> str | None:
    if is_blank(v):
        return None
    return validate_region_code(v, _table(info)).value


def _positive(name: str):
    def check(v):
        v = parse_decimal(v)
        if v is not None and v < 0:
            raise ValueError(f"{name} cannot be negative")
        return v
    return check


def _id_of_kind(kind_field: str):
    """A validator of a subject id: a USCC or a citizen id, as the row's `kind_field` says."""
    def check(v, info: ValidationInfo):
        return _uscc(v, info) if info.data.get(kind_field) == "enterprise" else _person_ref(v)
    return check


def _end_after_start(end: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("start_on")
    if end is not None and start is not None and end < start:
        raise ValueError(f"end_on {end} is before start_on {start}")
    return end


def _bounded_text(v, info: ValidationInfo) -> str | None:
    """Trimmed text within its field's maximum length (graph_service/text_limits.py)."""
    s = text(v)
    return s if s is None else check_text(_field(info), s)


# The last day a date may name, read again at most once a minute or when the settings change
# (date.today() alone costs 2 µs, and a bundle has several dates per row).
_horizon_cache: list = [None, 0.0, None]  # settings object, refresh after (monotonic), last day


def _last_day() -> date:
    settings, now = service_settings(), time.monotonic()
    if _horizon_cache[0] is not settings or now >= _horizon_cache[1]:
        _horizon_cache[:] = [settings, now + 60.0, horizon()]
    return _horizon_cache[2]


def _within_horizon(v: date | None) -> date | None:
    # A typo such as 2999 would keep a sanction or a role alive for ever (issue 15).
    if v is not None and v > _last_day():
        raise ValueError(beyond_horizon(v) or f"{v.isoformat()} is too far in the future")
    return v


Text = Annotated[str | None, BeforeValidator(_bounded_text)]
RequiredText = Annotated[str, BeforeValidator(_bounded_text)]
Day = Annotated[date | None, BeforeValidator(parse_date), AfterValidator(_within_horizon)]
RequiredDay = Annotated[date, BeforeValidator(parse_date), AfterValidator(_within_horizon)]
Word = BeforeValidator(word)


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _drop_blank(cls, data: Any, info: ValidationInfo) -> Any:
        ctx = _ctx(info)
        if isinstance(data, dict) and not (ctx is not None and ctx.clean):
            return {k: v for k, v in data.items() if not is_blank(v)}
        return data


class EnterpriseRow(Row):
    uscc: Annotated[str, BeforeValidator(_uscc_with_warnings)]
    name: RequiredText
    kind: Annotated[EnterpriseKind, Word] = "enterprise"
    region_code: Annotated[str | None, BeforeValidator(_region)] = Field(None, validate_default=True)
    status: Annotated[EnterpriseStatus, Word] = "active"
    established_on: Day = None
    registered_capital: Annotated[float | None, BeforeValidator(_positive("registered_capital"))] = None
    industry: Text = None
    address: Text = None

    @field_validator("region_code")
    @classmethod
    def _default_region(cls, v, info: ValidationInfo):
        # Default: characters 3-8 of the USCC (the registering authority's region).
        if v is None and "uscc" in info.data:
            return info.data["uscc"][2:8]
        return v

    @model_validator(mode="after")
    def _region_in_use(self, info: ValidationInfo):
        # An enterprise is registered under a code in use then: one established after its code
        # was retired names a wrong region (IDs and older registrations may keep retired codes).
        table = _table(info)
        region = table.get(self.region_code) if table is not None and self.region_code else None
        if (region is None or region.valid_to is None or self.established_on is None
                or self.established_on.year <= region.valid_to):
            return self
        successor = f"; its successor is {region.successor}" if region.successor else ""
        error = PydanticCustomError(
            "region_retired",
            "region {code} ({name}) was retired after {year}{successor}: an enterprise established "
            "on {established} cannot be registered under it",
            {"code": region.code, "name": region.name, "year": region.valid_to, "successor": successor,
             "established": self.established_on.isoformat()})
        raise ValidationError.from_exception_data(
            type(self).__name__, [InitErrorDetails(type=error, loc=("region_code",), input=self.region_code)])


class PersonRow(Row):
    id_type: Annotated[IdType, Word] = "resident_id"
    person_id: str
    name: RequiredText
    region_code: Annotated[str | None, BeforeValidator(_region)] = Field(None, validate_default=True)
    # The first-generation 15-digit citizen ID as given, when person_id is its 18-digit upgrade
    # (never a column of the file: set from person_id).
    id_15: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_15(cls, data: Any) -> Any:
        # id_15 is never a column of the file: it is the person_id as given when that is a
        # first-generation 15-digit citizen ID, which the person_id validator upgrades.
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "id_15"}
            if word(data.get("id_type")) in (None, "resident_id"):
                given = normalize_id(data.get("person_id") or "")
                if len(given) == 15:
                    data["id_15"] = given
        return data

    @field_validator("person_id", mode="before")
    @classmethod
    def _person_id(cls, v, info: ValidationInfo):
        id_type = info.data.get("id_type")
        if id_type is None:  # id_type itself is bad; its own error says why
            return normalize_id(v)
        checked = validate_person_id(v, id_type, _table(info))
        _warn(info, checked.value, checked.warnings)
        return checked.value

    @field_validator("region_code")
    @classmethod
    def _default_region(cls, v, info: ValidationInfo):
        if v is None and info.data.get("id_type") == "resident_id" and "person_id" in info.data:
            return info.data["person_id"][:6]
        return v


class RoleRow(Row):
    person_id: Annotated[str, BeforeValidator(_person_ref)]
    uscc: Annotated[str, BeforeValidator(_uscc)]
    role: Annotated[HolderRole, Word]
    title: Text = None
    start_on: Day = None
    end_on: Day = None

    _end = field_validator("end_on")(_end_after_start)

    @field_validator("start_on", "end_on")
    @classmethod
    def _old_enough(cls, v: date | None, info: ValidationInfo):
        """No role before the person was born, nor before the minimum age: a citizen ID carries the
        birth date (other ids carry none, so they are not checked)."""
        if v is None:
            return v
        birth = birth_date_of(info.data.get("person_id") or "")
        if birth is None:
            return v
        if info.field_name == "end_on" and info.data.get("start_on") is not None:
            return v  # the start was checked, and the end is not before it
        if v < birth:
            raise ValueError(f"{info.field_name} {v} is before the person was born "
                             f"({birth}, positions 7-14 of the citizen ID)")
        years = service_settings().role_min_age_years
        if v.year - birth.year > years:  # the common case: long of age
            return v
        try:
            of_age = birth.replace(year=birth.year + years)
        except ValueError:  # born on 29 February
            of_age = date(birth.year + years, 3, 1)
        if v < of_age if info.field_name == "start_on" else v <= of_age:
            what = "starts" if info.field_name == "start_on" else "ends"
            raise ValueError(f"the role {what} on {v}, before the person was {years} (born {birth}, "
                             f"positions 7-14 of the citizen ID; CREDIT_GRAPH_ROLE_MIN_AGE_YEARS)")
        return v

    @property
    def key(self) -> str:
        return role_key(self.person_id, self.uscc, self.role, self.start_on)


class HoldingRow(Row):
    holder_kind: Annotated[SubjectKind, Word]
    holder_id: str
    uscc: Annotated[str, BeforeValidator(_uscc)]
    ratio: Annotated[float, BeforeValidator(parse_decimal)]
    subscribed_capital: Annotated[float | None, BeforeValidator(_positive("subscribed_capital"))] = None
    start_on: Day = None
    end_on: Day = None

    _end = field_validator("end_on")(_end_after_start)

    _holder = field_validator("holder_id", mode="before")(_id_of_kind("holder_kind"))

    @field_validator("ratio")
    @classmethod
    def _ratio(cls, v: float):
        if not 0 < v <= 1:
            raise ValueError(f"ratio {v:g} is outside (0, 1]")
        return v


def _record_id(v) -> str:
    return validate_record_id(v).value


class RecordRow(Row):
    record_id: Annotated[str, BeforeValidator(_record_id)]
    subject_kind: Annotated[SubjectKind, Word]
    subject_id: str
    kind: Annotated[SortedRecordKind, Word]
    category: str | None = Field(None, validate_default=True)
    severity: Annotated[Severity | None, Word] = Field(None, validate_default=True)
    authority: RequiredText
    authority_region: Annotated[str, BeforeValidator(_region)]
    document_no: Text = None
    decided_on: RequiredDay
    misconduct_on: Day = Field(None, validate_default=True)
    published_on: Day = None
    valid_until: Day = Field(None, validate_default=True)
    legal_basis: Text = None
    responsible_person_ids: list[str] = []

    _subject = field_validator("subject_id", mode="before")(_id_of_kind("subject_kind"))

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, v, info: ValidationInfo):
        if info.data.get("kind") != "black":
            s = text(v)
            return s if s is None else check_text("category", s)
        value = word(v)
        if value not in BLACK_CATEGORIES:
            shown = "missing" if value is None else f"{value!r} is not one of them"
            raise ValueError(f"a black record needs one of the four categories "
                             f"{', '.join(BLACK_CATEGORIES)}: {shown}")
        return value

    @field_validator("severity")
    @classmethod
    def _severity(cls, v, info: ValidationInfo):
        return v if v is not None else DEFAULT_SEVERITY.get(info.data.get("kind", ""))

    @field_validator("misconduct_on")
    @classmethod
    def _misconduct(cls, v, info: ValidationInfo):
        decided = info.data.get("decided_on")
        if v is None:
            return decided
        if decided is not None and v > decided:
            raise ValueError(f"misconduct_on {v} is after decided_on {decided}")
        return v

    @field_validator("published_on")
    @classmethod
    def _published(cls, v, info: ValidationInfo):
        decided = info.data.get("decided_on")
        if v is not None and decided is not None and v < decided:
            raise ValueError(f"published_on {v} is before decided_on {decided}")
        return v

    @field_validator("valid_until")
    @classmethod
    def _valid_until(cls, v, info: ValidationInfo):
        decided, kind = info.data.get("decided_on"), info.data.get("kind")
        if decided is None or kind is None:
            return v
        if v is None:
            return default_valid_until(kind, info.data.get("severity") or "general", decided)
        if v < decided:
            raise ValueError(f"valid_until {v} is before decided_on {decided}")
        return v

    @field_validator("responsible_person_ids", mode="before")
    @classmethod
    def _responsible(cls, v):
        if isinstance(v, list):
            parts = v
        else:
            parts = normalize_id(v).split(";")  # NFKC turns a full-width ；into ;
        out: list[str] = []
        for p in parts:
            p = person_id_reference(p)
            if p and p not in out:
                out.append(p)
        return out

    @property
    def authority_id(self) -> str:
        return f"{self.authority_region}:{self.authority}"


def role_key(person_id: str, uscc: str, role: str, start_on: date | None) -> str:
    return f"{person_id}|{uscc}|{role}|{start_on.isoformat() if start_on else ''}"


def holding_key(holder_id: str, uscc: str, start_on: date | None) -> str:
    return f"{holder_id}|{uscc}|{start_on.isoformat() if start_on else ''}"
