"""What a load reports: counts per file, rejected rows and warnings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Issue:
    """A rejected row (level "error") or a warning. ``line`` is the physical line (header = 1)."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    level: str = "error"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        col = f" [{self.column}]" if self.column else ""
        val = f" {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{col}{val}: {self.reason}"


@dataclass
class FileCounts:
    read: int = 0  # data rows in the file
    loaded: int = 0  # rows written (dry run: rows that would be written)
    changed: int = 0  # of the loaded rows, those that created or changed a fact
    rejected: int = 0
    warnings: int = 0
    seconds: float = 0.0  # reading, checking and writing the file
    # Why the whole file was rejected before its rows could be counted (not UTF-8, no header).
    file_error: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


@dataclass
class LoadResult:
    load_id: str | None
    bundle: str
    files: dict[str, FileCounts] = field(default_factory=dict)
    rejections: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    elapsed: float = 0.0
    dry_run: bool = False
    strict: bool = False
    written: bool = False  # False for a dry run, and for a strict load that found bad rows
    status: str = "done"  # done, failed
    stages: dict[str, float] = field(default_factory=dict)  # load --initial: seconds per stage
    department: str | None = None  # the reporting department (--department or manifest.json)

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.files.values())

    @property
    def rows_read(self) -> int:
        return sum(c.read for c in self.files.values())

    @property
    def failed_files(self) -> list[str]:
        """Files rejected whole before their rows could be read (encoding, header)."""
        return [name for name, c in self.files.items() if c.file_error is not None]

    @property
    def ok(self) -> bool:
        """Done, with no row rejected and no file rejected whole."""
        return self.status == "done" and self.rejected == 0 and not self.failed_files

    def counts_json(self) -> str:
        return json.dumps({name: asdict(c) for name, c in self.files.items()}, sort_keys=True)

    def write_report(self, path: Path) -> None:
        """JSONL: one line per rejection, then one per warning, in file and line order."""
        with Path(path).open("w", encoding="utf-8") as fh:
            for issue in [*self.rejections, *self.warnings]:
                fh.write(issue.to_json() + "\n")
