"""Who calls: an API key's role and region scope, and what it may read (docs/api.md, scope rules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_service.errors import Refused, ServiceError


@dataclass(frozen=True)
class Caller:
    key_id: str | None
    role: str
    region_code: str | None = None

    @property
    def sees_persons(self) -> bool:
        """Whether person ids and names come unmasked (every role but public)."""
        return self.role != "public"

    def in_region(self, region_codes: Iterable[str]) -> bool:
        """Whether a subject with these region codes (its region and the ancestors) lies in the
        key's region; always for a key without one."""
        return self.region_code is None or self.region_code in set(region_codes)

    def may_read(self, kind: str, region_codes: Iterable[str]) -> bool:
        """Whether the key may read this subject at all: persons are not for the public role, and
        a region-scoped key reads only subjects registered in its region or below."""
        if kind == "person" and not self.sees_persons:
            return False
        return self.in_region(region_codes)

    def check_visible(self, region_codes: Iterable[str], unknown: ServiceError) -> None:
        """Raise `unknown`, the very error an unknown id gets, for a subject outside the key's
        region: a 403 there would tell which ids exist (issue 15 item 5, docs/api.md)."""
        if not self.in_region(region_codes):
            raise unknown

    def check_region(self, region_codes: Iterable[str], what: str, field: str | None = None) -> None:
        """403 unless the region lies in the key's region (its region or one of its ancestors).
        For region codes asked explicitly (public knowledge) and for acting on a subject the key
        may read; a subject the key may not read at all gets `check_visible`."""
        if self.region_code is None:
            return
        if self.region_code not in set(region_codes):
            raise Refused(403, "outside_region",
                           f"{what} is not in region {self.region_code} of this API key (or its sub-regions)", field)


def described(caller: Caller) -> dict:
    """What the key is (`GET /v1/me`): its id, role, whether it sees persons unmasked, and its region
    with the region's name and ancestors from the GB/T 2260 table (None: the whole country)."""
    from graph_service.regions import region_table

    region = None
    if caller.region_code is not None:
        table = region_table()
        found = table.get(caller.region_code)
        chain = (table.ancestors(caller.region_code) if found else None) or [caller.region_code]  # itself first
        region = {"code": caller.region_code, "name": found.name if found else None,
                  "path": [{"code": c, "name": r.name if (r := table.get(c)) else None} for c in reversed(chain)]}
    return {"key_id": caller.key_id, "role": caller.role, "sees_persons": caller.sees_persons,
            "purpose_required": caller.role == "investigator", "region": region}
