"""The bundle's files (input-format.md): their names, models and required columns, in load order;
opening a bundle folder, its load id and the empty result a load starts from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph_service.errors import ServiceError
from graph_service.facts import models
from loaders.bundle.manifest import MANIFEST, ManifestError, bundle_department
from loaders.bundle.result import Issue, LoadResult

REGIONS = "regions.csv"
ENTERPRISES = "enterprises.csv"
PERSONS = "persons.csv"
ROLES = "roles.csv"
SHAREHOLDINGS = "shareholdings.csv"
RECORDS = "records.csv"
REGION_COLUMNS = ("code", "name", "parent_code", "level")


@dataclass(frozen=True)
class FileSpec:
    name: str
    model: type[models.Row] | None
    required: tuple[str, ...]

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields) if self.model else REGION_COLUMNS


FILES: dict[str, FileSpec] = {s.name: s for s in (
    FileSpec(REGIONS, None, ("code", "name")),
    FileSpec(ENTERPRISES, models.EnterpriseRow, ("uscc", "name")),
    FileSpec(PERSONS, models.PersonRow, ("person_id", "name")),
    FileSpec(ROLES, models.RoleRow, ("person_id", "uscc", "role")),
    FileSpec(SHAREHOLDINGS, models.HoldingRow, ("holder_id", "holder_kind", "uscc", "ratio")),
    FileSpec(RECORDS, models.RecordRow, ("record_id", "subject_kind", "subject_id", "kind",
                                         "authority", "authority_region", "decided_on")),
)}
FILE_ORDER = tuple(FILES)


class BundleError(ServiceError, ValueError):
    """The bundle cannot be loaded at all (no such folder, no bundle file in it)."""

    status, code = 422, "invalid_bundle"


def bundle_files(bundle: Path) -> list[str]:
    return [name for name in FILE_ORDER if (bundle / name).is_file()]


def bundle_load_id(bundle: Path, files: Iterable[str], department: str | None = None) -> str:
    """A load id from the bundle's content and its reporting department: the same files from the
    same department give the same id wherever they lie."""
    h = hashlib.sha256()
    if department is not None:
        h.update(b"department\0" + department.encode() + b"\0")
    for name in files:
        h.update(name.encode() + b"\0")
        with (bundle / name).open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        h.update(b"\0")
    return f"load-{h.hexdigest()[:20]}"


def open_bundle(bundle_dir: str | Path, department: str | None = None) -> tuple[Path, list[str], str]:
    """The bundle folder, its bundle files in load order and its load id (``department``: the
    --department given, see loaders.bundle.manifest); BundleError when there is nothing to load or
    the department cannot be used."""
    bundle = Path(bundle_dir)
    if not bundle.is_dir():
        raise BundleError(f"{bundle}: not a folder")
    files = bundle_files(bundle)
    if not files:
        raise BundleError(f"{bundle}: no bundle file in it (expected any of {', '.join(FILE_ORDER)})")
    return bundle, files, bundle_load_id(bundle, files, _department(bundle, department))


def _department(bundle: Path, given: str | None) -> str | None:
    try:
        return bundle_department(bundle, given)
    except ManifestError as exc:
        raise BundleError(f"{bundle}: {exc}") from None


def new_load_result(bundle: Path, load_id: str, *, dry_run: bool = False, strict: bool = False,
                    department: str | None = None) -> LoadResult:
    """An empty result naming the load's department (``department``: the --department given),
    warning about CSV files in the folder that are not bundle files and about a load that names
    no department."""
    res = LoadResult(load_id, str(bundle), dry_run=dry_run, strict=strict,
                     department=_department(bundle, department))
    if res.department is None:
        res.warnings.append(Issue(MANIFEST, None, "department", None, "the load names no reporting "
                                  "department (--department or manifest.json): its facts carry none",
                                  level="warning"))
    for extra in sorted(p.name for p in bundle.glob("*.csv") if p.name not in FILES):
        res.warnings.append(Issue(extra, None, None, None, "not a bundle file: ignored", level="warning"))
    return res
