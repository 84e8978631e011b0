"""The files after roles.csv checked in a forked process during `load --initial`
(loaders.bundle.forked_files): the pass ends with what one process gives, and a failure in the child is
raised in the main process. No server is needed: the pass only writes import files."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest

import loaders.bundle.forked_files as forked_files
from loaders.bundle import BundlePass, new_load_result, open_bundle
from loaders.bundle.forked_files import ForkFailed, available
from loaders.initial.import_files import ImportSink

DEMO = Path(__file__).resolve().parents[1] / "loaders" / "demo"
AT = datetime(2026, 11, 27, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not available(), reason="the platform cannot fork: the pass runs in one process")


def _bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("README.md"))
    with (folder / "persons.csv").open("a", encoding="utf-8") as fh:  # checked beside enterprises.csv
        fh.write("432801196804121350,resident_id,刘建国,431003\n")  # repeated: held, warned
        fh.write("432801196804121351,resident_id,坏校验,431002\n")  # rejected: check digit
    with (folder / "roles.csv").open("a", encoding="utf-8") as fh:
        fh.write("432801196804121351,91431002MA4L2HJ36R,supervisor,监事,2020-01-01,\n")  # names the rejected person
    with (folder / "shareholdings.csv").open("a", encoding="utf-8") as fh:
        fh.write("432801196804121350,person,91431002MA4L2HJ36R,1.5,,2013-01-01,\n")  # rejected: ratio
        fh.write("432801196804121350,person,91431002MA4L2HJ36R,0.51,2550.00,2012-03-01,\n")  # repeat: held
    with (folder / "records.csv").open("a", encoding="utf-8") as fh:
        fh.write("HN431000-2026-P0901,enterprise,91431081MA4PX3Y60F,penalty,超标排放污染物,general,郴州市生态环境局,"
                 '431000,郴环罚〔2026〕91号,2026-06-02,2026-07-15,2026-07-20,,"第九十九条\n第一款",\n')
        fh.write("HN431000-2026-P0902,enterprise,91431081MA4PX3Y60G,penalty,x,general,郴州市生态环境局,"
                 "431000,1,2026-06-02,2026-07-15,2026-07-20,,x,\n")  # rejected: unknown subject
    return folder


def _split_bundle(tmp_path: Path) -> Path:
    """Roles rows for the second half of roles.csv: the first row's key again (imported by the first
    half: the second half's row becomes an update), a title with a line break (rejected: a title
    is one line), a bad date."""
    folder = _bundle(tmp_path)
    with (folder / "roles.csv").open("a", encoding="utf-8") as fh:
        fh.write("432801196804121350,91431002MA4L2HJ36R,legal_representative,董事长兼总经理,2012-03-01,2025-09-15\n")
        fh.write('43100220000315273X,91431002MA4LC9Y34B,director,"董事\n（兼）",2023-04-18,\n')
        fh.write("43100220000315273X,91431002MA4LC9Y34B,supervisor,监事,2023-13-18,\n")
        fh.write("432801196804121350,91431002MA4L2HJ36R,legal_representative,董事长,2012-03-01,2025-09-15\n")
    return folder


def _pass(bundle: Path, out: Path, fork: bool, progress=None):
    folder, files, load_id = open_bundle(bundle)
    result = new_load_result(folder, load_id, strict=False)
    sink = ImportSink(out, load_id, str(bundle), AT)
    BundlePass(None, "neo4j", folder, files, result, batch_size=7, progress=progress, sink=sink,
               graph_empty=True, fork_files=fork).run()
    return result, sink, sink.close()


def test_forked_pass_gives_what_one_process_gives(tmp_path):
    bundle = _bundle(tmp_path)
    one, one_sink, one_plan = _pass(bundle, tmp_path / "one", fork=False)
    two, two_sink, two_plan = _pass(bundle, tmp_path / "two", fork=True)

    assert [str(i) for i in two.rejections] == [str(i) for i in one.rejections]
    assert [(i.file, i.column) for i in two.rejections] == [("persons.csv", "person_id"), ("roles.csv", "person_id"),
                                                            ("shareholdings.csv", "ratio"),
                                                            ("records.csv", "subject_id")]
    assert "(line 39) was rejected" in two.rejections[1].reason  # the forked persons' rejections came back
    assert [str(i) for i in two.warnings] == [str(i) for i in one.warnings]
    assert list(two.files) == list(one.files)
    assert {f: (c.read, c.loaded, c.rejected, c.warnings) for f, c in two.files.items()} == \
        {f: (c.read, c.loaded, c.rejected, c.warnings) for f, c in one.files.items()}
    assert {f: [r["line"] for r in rows] for f, rows in two_sink.held.items()} == \
        {f: [r["line"] for r in rows] for f, rows in one_sink.held.items()} == \
        {"persons.csv": [38], "shareholdings.csv": [45]}
    assert two_plan.counts == one_plan.counts
    assert [p.name for p in two_plan.multiline] == [p.name for p in one_plan.multiline] == \
        ["nodes-Record-multiline.csv"]
    listed = lambda plan: sorted((n, p.name) for n, p in plan.nodes + plan.relationships)  # noqa: E731
    assert listed(two_plan) == listed(one_plan)
    for _, path in two_plan.nodes + two_plan.relationships:
        assert path.read_bytes() == (tmp_path / "one" / path.name).read_bytes(), path.name


def test_a_file_cut_in_two_gives_what_one_process_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(forked_files, "share", lambda *a: 0.5)
    bundle = _split_bundle(tmp_path)
    one, one_sink, one_plan = _pass(bundle, tmp_path / "one", fork=False)
    two, two_sink, two_plan = _pass(bundle, tmp_path / "two", fork=True)

    part2 = tmp_path / "two" / "rels-HOLDS_ROLE-part2-Person-Enterprise.csv"
    assert part2.exists()  # the cut was made: the second half went to its own import file
    assert [str(i) for i in two.rejections] == [str(i) for i in one.rejections]
    assert any(i.file == "roles.csv" and i.column == "start_on" for i in two.rejections)
    assert [str(i) for i in two.warnings] == [str(i) for i in one.warnings]
    assert {f: (c.read, c.loaded, c.changed, c.rejected, c.warnings) for f, c in two.files.items()} == \
        {f: (c.read, c.loaded, c.changed, c.rejected, c.warnings) for f, c in one.files.items()}
    held = lambda sink: {f: [r["line"] for r in rows] for f, rows in sink.held.items()}  # noqa: E731
    assert held(two_sink) == held(one_sink)
    assert held(two_sink)["roles.csv"] == [53, 57]  # the key of line 2, repeated across the cut, twice
    assert two_sink.held["roles.csv"] == one_sink.held["roles.csv"]
    assert two_plan.counts == one_plan.counts

    def rows(plan):
        out = []
        for name, path in plan.nodes + plan.relationships:
            with path.open(encoding="utf-8", newline="") as fh:
                out += [(name, tuple(r)) for r in list(csv.reader(fh))[1:]]
        return sorted(out)

    assert rows(two_plan) == rows(one_plan)
    # roles.csv has no field that may span lines any more (a title with a line break is rejected,
    # by the forked part as by one process); records.csv's legal basis may.
    assert any(i.file == "roles.csv" and i.column == "title" for i in two.rejections)
    assert sorted(p.name for p in two_plan.multiline) == ["nodes-Record-multiline.csv"]


def test_a_file_cut_in_two_has_one_progress_bar_that_never_ends_early(tmp_path, monkeypatch):
    # The main process used to end the bar of roles.csv at its own part's rows (n of n), and the
    # bar then jumped to the whole file's when the forked part came back.
    monkeypatch.setattr(forked_files, "share", lambda *a: 0.5)
    calls: list[tuple[str, int, int]] = []
    result, _, _ = _pass(_split_bundle(tmp_path), tmp_path / "two", fork=True,
                         progress=lambda *call: calls.append(call))
    roles = [(done, total) for name, done, total in calls if name == "roles.csv"]
    read = result.files["roles.csv"].read
    assert roles[-1] == (read, read)
    *before, _ = roles
    assert before and {total for _, total in before} == {before[0][1]} and before[0][1] >= read
    assert [d for d, _ in roles] == sorted(d for d, _ in roles)  # never backwards
    for name in ("shareholdings.csv", "records.csv"):  # checked beside: their bars end at their rows
        assert [c for c in calls if c[0] == name][-1] == (name, result.files[name].read, result.files[name].read)


def test_a_failure_in_the_forked_process_is_raised(tmp_path, monkeypatch):
    def broken(self, name, rows, columns):
        raise ValueError("ledger exploded")

    monkeypatch.setattr(BundlePass, "_accept_shareholdings", broken)
    with pytest.raises(ForkFailed, match="ledger exploded"):
        _pass(_bundle(tmp_path), tmp_path / "out", fork=True)
