"""The SQLite index (gwgk_cli.index) against the reference: the files read directly (GWGK_NO_CACHE=1).

Whatever happened to the journal — lines appended in chunks, undone, back-dated, garbage, lines of tasks
the table does not have, a truncated or rewritten file, writers running while a reader reads — every view
built from the index equals the one built from the files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gwgk_cli import index
from gwgk_cli.flagged import flagged_facts
from gwgk_cli.model import Task
from gwgk_cli.paths import Location
from gwgk_cli.queries import Facts
from gwgk_cli.signals import Thresholds
from gwgk_cli.state import TaskState
from gwgk_cli.store import Tracker

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "tasks_2021.yaml"


@contextmanager
def no_index() -> Iterator[None]:
    old = os.environ.get("GWGK_NO_CACHE")
    os.environ["GWGK_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if old is None:
            del os.environ["GWGK_NO_CACHE"]
        else:
            os.environ["GWGK_NO_CACHE"] = old


def views(table: Path, as_of: dt.date | None) -> dict[str, object]:
    """Everything the commands read: the states of every task, the warnings, the undone ids, every entry,
    and one task's view as show and log build it."""
    warned: list[str] = []
    tracker = Tracker(Location(table, "test", False), on_warnings=lambda ws: warned.extend(map(str, ws)),
                      as_of=as_of)
    states = tracker.states()
    some = tracker.states([4, 5])
    progress = tracker.progress()
    return {
        "states": states, "some": some, "progress": dict(progress.states), "warnings": [str(w) for w in progress.warnings],
        "reported": warned, "undone": tracker.undone(), "undone_progress": progress.replay.undone,
        "entries": tracker.entries(), "entries_4": tracker.entries([4]),
        "entries_until": tracker.entries([4, 5], with_undos=True, until=DAYS[6]),
        "tasks": tracker.tasks(units=["行财科"]), "ids": tracker.task_ids(),
        "tracked": tracked(table, as_of), "tracked_unit": tracked(table, as_of, units=["行财科", "各相关科室"]),
        "tracked_section": tracked(table, as_of, section=2),
        "known": Tracker(Location(table, "test", False)).known_ids([4, 5, 99]),
        # What a report reads: states as of another date than the reference date, a period's lines in force.
        "states_on": [tracker.states_on([4, 5, 24], day) for day in (DAYS[3], DAYS[9], DAYS[-1])],
        "in_force": [tracker.in_force(ids, since, until) for ids in ([4], [4, 5, 24], tracker.task_ids())
                     for since, until in ((DAYS[0], DAYS[4]), (DAYS[5], DAYS[9]), (DAYS[2], DAYS[-1]))],
        "range": Tracker(Location(table, "test", False)).id_range(),
        # warn's red and yellow tasks with the signals the index keeps: worked out and kept by the first read,
        # read back by the second; after every change of the files, what signal_for gives from the files.
        "flagged": [flagged(table, as_of, units, today) for units, today in (
            (None, DAYS[5]), (None, DAYS[5]), (frozenset({"行财科", "各相关科室"}), DAYS[12]))],
    }


def flagged(table: Path, as_of: dt.date | None, units: frozenset[str] | None, today: dt.date
            ) -> tuple[list[Facts], int]:
    tracker = Tracker(Location(table, "test", False), as_of=as_of)
    facts, total = flagged_facts(tracker, tracker.header, units, today, Thresholds(warn_days=20))
    return sorted(facts), total


def tracked(table: Path, as_of: dt.date | None, **how: Any) -> tuple[list[Task], dict[int, TaskState]]:
    """Tracker.tracked in a tracker of its own (its first read), every task's state filled in (a task the
    journal does not name may be left out: its state is the initial one)."""
    tasks, states = Tracker(Location(table, "test", False), as_of=as_of).tracked(**how)
    return tasks, {t.id: states.get(t.id) or TaskState() for t in tasks}


def assert_same_as_files(table: Path, dates: list[dt.date | None]) -> None:
    for as_of in dates:
        indexed = views(table, as_of)
        with no_index():
            direct = views(table, as_of)
        assert indexed == direct, as_of


def index_rows(table: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(index.index_path(table))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------- random journals

DAYS = [dt.date(2021, 9, 1) + dt.timedelta(days=n) for n in range(0, 120, 7)]
STATUSES = ["todo", "doing", "done", "blocked"]


@st.composite
def journal_lines(draw: st.DrawFn) -> list[str]:
    """Journal lines: every op, dates out of order, undo of earlier (or unknown) ids, tasks outside the
    table (29, 30), now and then a line that is not an entry, an id taken again (other content) or a line
    repeated as it is (the same entry)."""
    lines: list[str] = []
    ids: list[str] = []
    written: list[str] = []
    for n in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["status", "status", "note", "note", "undo", "accept", "extend", "review",
                                     "garbage", "copy"]))
        if kind == "garbage":
            lines.append(draw(st.sampled_from(["not json", "{}", '{"op":"note"}', "[1,2]"])))
            continue
        if kind == "copy":  # a line repeated as it is (a union merge): one entry
            if written:
                lines.append(draw(st.sampled_from(written)))
            continue
        entry_id = f"e{n:03d}" if draw(st.integers(0, 9)) else (ids[0] if ids else "dup0")
        data: dict[str, object] = {"id": entry_id, "at": "2021-11-22T09:00:00+08:00",
                                   "date": draw(st.sampled_from(DAYS)).isoformat(), "by": draw(st.sampled_from(["甲", "乙"])),
                                   "task": draw(st.sampled_from([4, 5, 6, 14, 29])), "op": kind}
        if kind == "status":
            data["from"] = draw(st.sampled_from(STATUSES))
            data["to"] = draw(st.sampled_from(STATUSES))
        elif kind == "note":
            # a separator of the index's row texts (index_db.SEP …) in a note: that state is stored as JSON
            data["note"] = draw(st.sampled_from(["进展", "已完成一半", "", "分\x1f隔", "\x1e开头"]))
            if draw(st.booleans()):
                data["percent"] = draw(st.integers(0, 100))
        elif kind == "undo":
            data["undoes"] = draw(st.sampled_from(ids)) if ids and draw(st.integers(0, 5)) else "nosuch"
        elif kind == "accept":
            data["unit"] = draw(st.sampled_from(["行财科", "政务公开指导办"]))
        elif kind == "extend":
            data["due"] = draw(st.sampled_from(DAYS)).isoformat()
            data["approved_by"] = draw(st.sampled_from(["", "主任"]))
        elif kind == "review":
            data["result"] = draw(st.sampled_from(["pass", "return"]))
            data["note"] = draw(st.sampled_from(["", "佐证不全"]))  # a 退回's reason: the latest note until superseded
        ids.append(entry_id)
        lines.append(json.dumps(data, ensure_ascii=False))
        written.append(lines[-1])
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=journal_lines(), cuts=st.lists(st.integers(0, 40), max_size=4))
def test_incremental_equals_rebuilt_equals_files(lines: list[str], cuts: list[int]) -> None:
    """Lines appended in chunks (the index updated after each), then the index built from scratch: every
    view, as of the latest date and as of earlier ones, equals the files read directly."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = folder / "tasks.yaml"
        shutil.copyfile(TABLE, table)
        journal = folder / "tasks.progress.jsonl"
        journal.write_bytes(b"")
        dates: list[dt.date | None] = [None, DAYS[0], DAYS[5], DAYS[9], DAYS[-1]]
        bounds = sorted({0, *(min(c, len(lines)) for c in cuts), len(lines)})
        for start, end in zip(bounds, bounds[1:], strict=False):
            with journal.open("a", encoding="utf-8") as fh:
                fh.write("".join(line + "\n" for line in lines[start:end]))
            assert_same_as_files(table, dates)
        index.discard(table)
        assert_same_as_files(table, dates)


# --------------------------------------------------------------------------- the journal changed otherwise


def _write_some(gwgk) -> None:
    for args in (["start", "4"], ["note", "5", "进展", "--percent", "20"], ["done", "4"], ["block", "6", "--note", "等数据"]):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("how", ["truncated to a line", "truncated mid-line", "rewritten same size", "emptied",
                                 "deleted"])
def test_a_truncated_or_rewritten_journal_is_indexed_again(table: Path, journal: Path, gwgk, how: str) -> None:
    _write_some(gwgk)
    assert_same_as_files(table, [None])
    raw = journal.read_bytes()
    if how == "truncated to a line":
        journal.write_bytes(raw[: raw.index(b"\n") + 1])
    elif how == "truncated mid-line":
        journal.write_bytes(raw[: raw.index(b"\n") + 30])
    elif how == "rewritten same size":
        journal.write_bytes(raw.replace(b'"task":4,', b'"task":7,'))
        assert len(journal.read_bytes()) == len(raw)
    elif how == "emptied":
        journal.write_bytes(b"")
    else:
        journal.unlink()
    assert_same_as_files(table, [None, dt.date(2021, 11, 1)])
    result = gwgk("note", "14", "之后的进展")
    assert result.exit_code == 0, result.output
    assert_same_as_files(table, [None])


def test_a_backdated_line_and_an_undo_replay_their_task(table: Path, journal: Path, gwgk) -> None:
    _write_some(gwgk)
    assert_same_as_files(table, [None])
    for args in (["note", "4", "补记", "--date", "2021-10-01"], ["undo"], ["--today", "2021-12-01", "start", "14"],
                 ["undo"]):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
        assert_same_as_files(table, [None, dt.date(2021, 10, 15), dt.date(2021, 11, 22)])


def test_the_table_edited_within_the_timestamp_granularity(table: Path, journal: Path, gwgk) -> None:
    """Same size, modification time put back with os.utime: the index still sees the edit."""
    _write_some(gwgk)
    assert_same_as_files(table, [None])
    old = table.stat()
    text = table.read_text(encoding="utf-8")
    new = text.replace("title: 公开办公室预算决算", "title: 公开本室预算和决算", 1)
    assert len(new.encode()) == len(text.encode()) and new != text
    table.write_text(new, encoding="utf-8")
    os.utime(table, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (table.stat().st_size, table.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    result = gwgk("show", "4", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "公开本室预算和决算"
    assert_same_as_files(table, [None])


def test_the_index_follows_appends_line_by_line(table: Path, journal: Path, gwgk) -> None:
    """Each run indexes only what was appended: the entries table grows by the new lines."""
    _write_some(gwgk)
    assert gwgk("list").exit_code == 0
    assert index_rows(table, "SELECT count(*) FROM entries") == [(4,)]
    assert gwgk("note", "6", "又一条").exit_code == 0
    assert gwgk("log", "6").exit_code == 0
    assert index_rows(table, "SELECT count(*) FROM entries") == [(5,)]
    (offset, lines), = index_rows(table, "SELECT offset, lines FROM journal_files")
    assert (offset, lines) == (len(journal.read_bytes()), 5)


# --------------------------------------------------------------------------- concurrency


def test_two_writers_and_a_reader(table: Path, journal: Path, tmp_path: Path) -> None:
    """Two processes append notes (each through the index) while a third reads: the reader never fails
    and sees a whole state each time; afterwards the index holds every line, equal to the files."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("GWGK_NO_CACHE", None)
    gwgk = [sys.executable, "-m", "gwgk_cli"]
    script = ("import subprocess, sys\n"
              "for i in range(8):\n"
              "    subprocess.run(sys.argv[2:] + ['note', sys.argv[1], f'进展{i}'], check=True, capture_output=True)\n"
              "    subprocess.run(sys.argv[2:] + ['list', '--format', 'json'], check=True, capture_output=True)\n")
    writers = [subprocess.Popen([sys.executable, "-c", script, task, *gwgk], env=env) for task in ("4", "5")]
    reads = 0
    while any(w.poll() is None for w in writers) or reads < 3:
        out = subprocess.run([*gwgk, "list", "--format", "json"], env=env, capture_output=True, text=True,
                             encoding="utf-8")
        assert out.returncode == 0, out.stderr
        assert len(json.loads(out.stdout)) == 28
        reads += 1
    assert [w.wait() for w in writers] == [0, 0]
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 16
    out = subprocess.run([*gwgk, "log", "--format", "json"], env=env, capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 16
    assert index_rows(table, "SELECT count(*) FROM entries") == [(16,)]
    assert_same_as_files(table, [None])


# --------------------------------------------------------------------------- the cache directory


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_the_cache_is_private(table: Path, gwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("GWGK_CACHE_DIR", str(cache))
    old = os.umask(0o002)  # a loose umask must not loosen the index
    try:
        assert gwgk("start", "4").exit_code == 0
        assert gwgk("list").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    files = list(cache.rglob("*"))  # the index, and the lines kept for doctor (journal_lost) in folders
    assert files and all(stat.S_IMODE(f.stat().st_mode) == (0o700 if f.is_dir() else 0o600) for f in files), files


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_loose_cache_directory_and_file_are_tightened(table: Path, gwgk) -> None:
    assert gwgk("list").exit_code == 0
    (path,) = Path(os.environ["GWGK_CACHE_DIR"]).glob("index-*.sqlite3")
    os.chmod(path.parent, 0o777)
    os.chmod(path, 0o666)
    assert gwgk("list").exit_code == 0
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_an_index_of_another_user_is_not_used(table: Path, gwgk) -> None:
    assert gwgk("start", "4").exit_code == 0
    before = gwgk("list", "--format", "json").stdout
    (path,) = Path(os.environ["GWGK_CACHE_DIR"]).glob("index-*.sqlite3")
    os.chown(path, 12345, 12345)  # a file of another user at the index path: replaced by our own
    assert gwgk("done", "4").exit_code == 0
    after = gwgk("list", "--format", "json")
    assert after.exit_code == 0 and after.stdout != before
    assert path.stat().st_uid == os.getuid()
    os.chown(path.parent, 12345, 12345)  # a directory of another user: not used at all, still correct
    result = gwgk("list", "--format", "json")
    assert result.exit_code == 0 and result.stdout == after.stdout


def test_no_pickle_in_the_cache(table: Path, gwgk) -> None:
    for args in (["start", "4"], ["list"], ["show", "4"], ["log"], ["warn"], ["units"], ["sections"], ["export"],
                 ["report"], ["check"]):
        assert gwgk(*args).exit_code in (0, 1), args
    cache = Path(os.environ["GWGK_CACHE_DIR"])
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files and not [p for p in files if p.name.endswith(".pickle")], files
    for path in files:
        assert not path.read_bytes().startswith(b"\x80"), path  # no pickle under another name either


@pytest.mark.parametrize("unit", ["行财科", "政务公开指导办", "各相关科室"])
@pytest.mark.parametrize("collective", [False, True])
def test_a_units_report_from_its_own_tasks_equals_the_whole_tables(table: Path, journal: Path, gwgk, unit: str,
                                                                   collective: bool) -> None:
    """report --unit builds and replays only the unit's tasks (and those of collective units)."""
    from dataclasses import replace

    from gwgk_cli.queries import TaskFilter, candidate_units, thresholds_for
    from gwgk_cli.report import JournalEntries, build_report, resolve_period, week_of
    from gwgk_cli.units import resolve_unit

    _write_some(gwgk)
    for args in (["note", "3", "补记", "--date", "2021-11-16"], ["start", "24"], ["undo"], ["start", "1"]):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
    today = dt.date(2021, 11, 22)
    tracker = Tracker(Location(table, "test", False), as_of=today)
    plan = tracker.plan
    units = [resolve_unit(plan, unit)]
    names = candidate_units(plan, TaskFilter(units=units))
    assert names is not None
    tasks = tracker.tasks(units=names)
    assert 0 < len(tasks) <= len(plan.tasks)
    narrowed_plan = replace(tracker.header, tasks=tuple(tasks))
    # This week, and last week (as of its end, before the reference date: the index's states as of a date).
    for period in (resolve_period(today), week_of(dt.date(2021, 11, 16))):

        def build(p, source):  # type: ignore[no-untyped-def]
            return build_report(p, source, period=period, today=today, by="测试员",  # noqa: B023
                                thresholds=thresholds_for(p), units=units, include_collective=collective)

        whole = build(plan, JournalEntries(tracker.entries()))
        assert build(narrowed_plan, JournalEntries(tracker.entries([t.id for t in tasks], with_undos=True))) == whole
        # The tracker as the source (the index's states as of the period's start, only the period's lines):
        # the same report, for the unit's tasks and for the whole table, and without the index.
        assert build(narrowed_plan, tracker) == whole
        assert build(plan, Tracker(Location(table, "test", False), as_of=today)) == whole
        with no_index():
            assert build(narrowed_plan, Tracker(Location(table, "test", False), as_of=today)) == whole


# --------------------------------------------------------------------------- a journal directory (team journal)

WRITERS = ["李明@PC-A.jsonl", "王芳@PC-B.jsonl", "张伟@PC-C.jsonl", "李明@PC-A (1).jsonl"]  # the last: a conflict copy
ATS = ["2021-11-22T09:00:00+08:00", "2021-11-22T01:00:00+00:00", "2021-11-22T09:00:01+08:00",
       "2021-11-21T23:00:00-02:00", "2021-11-22T10:00:00", "不是时间"]


@st.composite
def directory_chunks(draw: st.DrawFn) -> list[tuple[int, list[str]]]:
    """Chunks of lines appended to the writers' files (writer, lines): entries recorded at times that tie,
    go back, lack an offset or are not times at all; an id now and then taken again from an earlier entry
    (other content), a line now and then copied as it is (a conflict copy repeats a writer's entries)."""
    lines = draw(journal_lines())
    chunks: list[tuple[int, list[str]]] = []
    taken: list[str] = []
    copied: list[str] = []
    pos = 0
    while pos < len(lines):
        size = draw(st.integers(1, 8))
        writer = draw(st.integers(0, len(WRITERS) - 1))
        out = []
        for text in lines[pos:pos + size]:
            try:
                data = json.loads(text)
            except ValueError:
                out.append(text)
                continue
            if isinstance(data, dict) and "id" in data:
                data["at"] = draw(st.sampled_from(ATS))
                if taken and draw(st.integers(0, 4)) == 0:
                    data["id"] = draw(st.sampled_from(taken))
                taken.append(str(data["id"]))
            out.append(json.dumps(data, ensure_ascii=False))
            copied.append(out[-1])
            if draw(st.integers(0, 5)) == 0:  # a line copied as it is (a file copied twice): one entry
                out.append(draw(st.sampled_from(copied)))
        chunks.append((writer, out))
        pos += size
    return chunks


# Found by CI: an id repeated across files, appended after it was indexed (which copy counts: the full merge's call).
DUPLICATE_IDS_EXAMPLE = [(0, ['{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', 'not json', '{"id": "dup0", "at": "2021-11-22T09:00:01+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "e004", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "accept", "unit": "行财科"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['not json']), (0, ['not json']), (1, ['{"id": "e008", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "note", "note": "进展"}', 'not json', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "undo", "undoes": "nosuch"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-09-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "todo"}']), (0, ['not json', 'not json', 'not json', '{"id": "dup0", "at": "2021-11-22T09:00:00+08:00", "date": "2021-12-01", "by": "甲", "task": 4, "op": "status", "from": "todo", "to": "blocked"}'])]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=directory_chunks(), check_every=st.integers(1, 3))
@example(chunks=DUPLICATE_IDS_EXAMPLE, check_every=1)
def test_a_directory_incremental_equals_rebuilt_equals_files(chunks: list[tuple[int, list[str]]],
                                                             check_every: int) -> None:
    """Several writers append in chunks to their own files (a conflict copy among them, the index updated
    between chunks): every view equals journal_dir's merged read of the files, and so does an index built
    from scratch."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = folder / "tasks.yaml"
        shutil.copyfile(TABLE, table)
        directory = folder / "tasks.progress"
        directory.mkdir()
        dates: list[dt.date | None] = [None, DAYS[0], DAYS[5], DAYS[-1]]
        for n, (writer, lines) in enumerate(chunks):
            with (directory / WRITERS[writer]).open("a", encoding="utf-8") as fh:
                fh.write("".join(text + "\n" for text in lines))
            if n % check_every == 0:
                assert_same_as_files(table, dates)
        assert_same_as_files(table, dates)
        index.discard(table)
        assert_same_as_files(table, dates)


def _entry(id_: str, at: str, task: int = 4, note: str = "进展") -> str:
    return json.dumps({"id": id_, "at": at, "date": "2021-11-20", "by": "李明", "task": task, "op": "note",
                       "note": note, "percent": 10}, ensure_ascii=False) + "\n"


def test_a_directory_changed_every_way(table: Path, journal: Path) -> None:
    """A conflict copy appearing later (earlier times, repeated ids, one entry of its own), a file growing,
    rewritten, a last line still being written, a file removed: each time the index equals the files."""
    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    a, b = directory / "李明@PC-A.jsonl", directory / "王芳@PC-B.jsonl"
    a.write_text(_entry("a1", "2021-11-22T09:00:00+08:00") + _entry("a2", "2021-11-22T10:00:00+08:00", 5),
                 encoding="utf-8")
    b.write_text(_entry("b1", "2021-11-22T09:30:00+08:00", 4, "乙"), encoding="utf-8")
    assert_same_as_files(table, [None])
    assert [(e.id, e.lineno, e.origin_line) for e in views(table, None)["entries"]] == [  # type: ignore[attr-defined]
        ("a1", 1, 1), ("b1", 2, 1), ("a2", 3, 2)]
    copy = directory / "李明@PC-A (冲突副本 2021-11-22).jsonl"
    copy.write_text(_entry("a1", "2021-11-22T09:00:00+08:00") + _entry("c1", "2021-11-22T08:00:00+08:00", 6),
                    encoding="utf-8")
    assert_same_as_files(table, [None])
    assert [e.id for e in views(table, None)["entries"]] == ["a1", "c1", "b1", "a2"]  # type: ignore[attr-defined]  # each file keeps its order
    with b.open("a", encoding="utf-8") as fh:
        fh.write(_entry("b2", "2021-11-22T07:00:00+08:00", 5, "早于其他文件"))
    assert_same_as_files(table, [None])
    with b.open("a", encoding="utf-8") as fh:
        fh.write(_entry("b3", "2021-11-22T11:00:00+08:00", 5)[:40])  # still being written on PC-B
    assert_same_as_files(table, [None])
    b.write_text(_entry("b1", "2021-11-22T09:30:00+08:00", 14, "改写"), encoding="utf-8")
    assert_same_as_files(table, [None])
    copy.unlink()
    assert_same_as_files(table, [None])
    assert [e.id for e in views(table, None)["entries"]] == ["a1", "b1", "a2"]  # type: ignore[attr-defined]
    a.unlink()
    b.unlink()
    assert_same_as_files(table, [None])
    assert index_rows(table, "SELECT count(*) FROM entries") == [(0,)]


def test_two_pcs_writing_to_their_files_and_a_reader(table: Path, journal: Path) -> None:
    """Two processes (two simulated PCs) append notes to their own files of the directory while a third
    reads through the index: the reader never fails; afterwards the index holds every entry once, equal to
    the files."""
    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("GWGK_NO_CACHE", None)
    gwgk = [sys.executable, "-m", "gwgk_cli"]
    script = ("import subprocess, sys\n"
              "for i in range(6):\n"
              "    subprocess.run(sys.argv[2:] + ['note', sys.argv[1], f'进展{i}'], check=True, capture_output=True)\n"
              "    subprocess.run(sys.argv[2:] + ['list', '--format', 'json'], check=True, capture_output=True)\n")
    writers = [subprocess.Popen([sys.executable, "-c", script, task, *gwgk],
                                env={**env, "GWGK_USER": user, "GWGK_HOST": host})
               for task, user, host in (("4", "李明", "PC-A"), ("5", "王芳", "PC-B"))]
    reads = 0
    while any(w.poll() is None for w in writers) or reads < 3:
        out = subprocess.run([*gwgk, "list", "--format", "json"], env=env, capture_output=True, text=True,
                             encoding="utf-8")
        assert out.returncode == 0, out.stderr
        assert len(json.loads(out.stdout)) == 28
        reads += 1
    assert [w.wait() for w in writers] == [0, 0]
    assert sorted(p.name for p in directory.iterdir()) == ["李明@PC-A.jsonl", "王芳@PC-B.jsonl"]
    out = subprocess.run([*gwgk, "log", "--format", "json"], env=env, capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 12
    assert index_rows(table, "SELECT count(*) FROM entries") == [(12,)]
    assert index_rows(table, "SELECT count(*) FROM journal_files") == [(2,)]
    assert_same_as_files(table, [None])


def test_a_directory_append_recorded_later_is_merged_at_the_end(table: Path, journal: Path) -> None:
    """The common case, another PC's new line (recorded after everything indexed): only it is indexed (the
    files' rows stay), and the views still equal the files; a new writer's first file likewise."""
    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    a, b = directory / "李明@PC-A.jsonl", directory / "王芳@PC-B.jsonl"
    a.write_text(_entry("a1", "2021-11-22T09:00:00+08:00") + _entry("a2", "2021-11-22T10:00:00+08:00", 5),
                 encoding="utf-8")
    b.write_text(_entry("b1", "2021-11-22T09:30:00+08:00", 4, "乙"), encoding="utf-8")
    assert_same_as_files(table, [None])
    files = index_rows(table, "SELECT file, path FROM journal_files ORDER BY file")
    with b.open("a", encoding="utf-8") as fh:  # a copy of a1 (counted once), and a1's id with other content (not)
        fh.write(_entry("b2", "2021-11-22T11:00:00+08:00", 5, "后记") + _entry("a1", "2021-11-22T09:00:00+08:00")
                 + _entry("a1", "2021-11-23T09:00:00+08:00"))
    assert_same_as_files(table, [None])
    assert index_rows(table, "SELECT file, path FROM journal_files ORDER BY file") == files
    assert index_rows(table, "SELECT id, seq FROM entries ORDER BY seq") == [
        ("a1", 1), ("b1", 2), ("a2", 3), ("b2", 4), ("a1", 5)]
    (directory / "张伟@PC-C.jsonl").write_text(_entry("c1", "2021-11-24T09:00:00+08:00", 29), encoding="utf-8")
    assert_same_as_files(table, [None])
    assert index_rows(table, "SELECT file, path FROM journal_files ORDER BY file")[:2] == files
    assert index_rows(table, "SELECT id, seq FROM entries WHERE seq > 5") == [("c1", 6)]


# --------------------------------------------------------------------------- the row texts


TEXTS = st.text(st.sampled_from(["a", "科", " ", "\x1f", "\x1d", "\x1e", "\n", "\""]), max_size=6)
MAYBE_DAY = st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(section=st.integers(1, 20), subsection=st.none() | st.integers(1, 9), title=TEXTS, requirement=TEXTS,
       units=st.lists(TEXTS, max_size=3), written=st.lists(TEXTS, max_size=3), leads=st.lists(TEXTS, max_size=2),
       phrase=TEXTS, due=MAYBE_DAY, ongoing=st.booleans(), progress=st.none() | TEXTS)
def test_a_task_row_decodes_to_the_task(section: int, subsection: int | None, title: str, requirement: str,
                                        units: list[str], written: list[str], leads: list[str], phrase: str,
                                        due: dt.date | None, ongoing: bool, progress: str | None) -> None:
    """Any text (a separator in it, an empty unit name, an empty progress) comes back as it was."""
    from gwgk_cli.deadlines import Deadline
    from gwgk_cli.index_db import TaskBuilder, task_row

    task = Task(7, section, subsection, title, requirement, tuple(units), tuple(written), tuple(leads),
                Deadline(phrase, due, ongoing), progress)
    row = task_row(0, task)
    assert TaskBuilder().build((row[0], row[4])) == task


@st.composite
def task_states(draw: st.DrawFn) -> TaskState:
    from gwgk_cli.model import Status
    from gwgk_cli.state import Extension

    day = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    return TaskState(
        status=draw(st.sampled_from(list(Status))), percent=draw(st.none() | st.integers(0, 100)),
        updated=draw(MAYBE_DAY), updated_by=draw(TEXTS), last_note=draw(TEXTS), last_note_date=draw(MAYBE_DAY),
        evidence=draw(TEXTS), done_on=draw(MAYBE_DAY), blocked_reason=draw(TEXTS),
        accepted=tuple(draw(st.lists(st.tuples(TEXTS, day), max_size=2))), due=draw(MAYBE_DAY),
        extensions=tuple(Extension(*x) for x in draw(st.lists(st.tuples(day, day, TEXTS, TEXTS), max_size=2))),
        closed_on=draw(MAYBE_DAY), returned_note=draw(TEXTS), own_note=draw(TEXTS), own_note_date=draw(MAYBE_DAY),
        reported_percent=draw(st.none() | st.integers(0, 100)))


@settings(max_examples=200, deadline=None)
@given(state=task_states())
def test_a_state_text_decodes_to_the_state(state: TaskState) -> None:
    from gwgk_cli.index_db import StateDecoder, encode_state

    decoder = StateDecoder()
    assert decoder.decode(encode_state(state)) == state
    assert decoder.decode(encode_state(state)) == state  # its caches filled


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=journal_lines())
def test_an_indexed_line_decodes_as_parse_line_reads_it(lines: list[str]) -> None:
    """The index's trusted decoder (no checks: the line was checked when indexed) gives the same Entry."""
    from gwgk_cli.index_db import EntryDecoder
    from gwgk_cli.journal import parse_line

    decoder = EntryDecoder()
    for n, line in enumerate(lines, 1):
        try:
            expected = parse_line(line, n)
        except ValueError:
            continue
        got = decoder.decode(expected.to_json(), n)  # the index stores a line as to_json writes it
        assert got == expected and vars(got) == vars(expected)


def test_on_windows_the_cache_is_made_as_its_parent_gives_and_a_read_only_index_made_writable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows (os.name faked): no mkdir mode 0700 (there an access list of the creator alone: a first run
    from an administrator's prompt would lock the user out), and the index file's read-only attribute
    (which makes SQLite refuse every update) is cleared."""
    from gwgk_cli import index_db

    real_mkdir = os.mkdir
    modes: list[int] = []

    def mkdir(path: str, mode: int = 0o777, *args: object, **kwargs: object) -> None:
        modes.append(mode)
        real_mkdir(path, mode)

    file = tmp_path / "index.sqlite3"
    file.write_bytes(b"")
    file.chmod(0o444)
    monkeypatch.setattr(os, "mkdir", mkdir)
    with monkeypatch.context() as m:
        m.setattr(os, "name", "nt")
        index_db._private_dir(tmp_path / "cache" / "gwgk")
        index_db._check_file(file)
    assert modes and set(modes) == {0o777}
    assert file.stat().st_mode & stat.S_IWRITE
    index_db._private_dir(tmp_path / "other")  # elsewhere: private
    assert modes[-1] == 0o700


def test_an_index_that_cannot_use_wal_is_not_used() -> None:
    """SQLite keeps the old journal mode where WAL cannot work (a network drive; here, a database in
    memory): that index is unusable, and the store reads the files instead (it catches Unusable)."""
    from gwgk_cli import index_db

    conn = sqlite3.connect(":memory:")
    with pytest.raises(index_db.Unusable, match="not WAL"):
        index_db.use_wal(conn)
    conn.close()


def _both(gwgk: Any, *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """(exit code, stdout, stderr) of one command with the index, then with the files read directly."""
    with_index = gwgk(*args)
    with no_index():
        direct = gwgk(*args)
    return ((with_index.exit_code, with_index.stdout, with_index.stderr),
            (direct.exit_code, direct.stdout, direct.stderr))


READS = (("list", "-F", "tsv"), ("show", "4"), ("log", "-F", "json"), ("warn", "-F", "tsv"), ("export", "-F", "csv"))


@pytest.mark.parametrize("task", [9223372036854775808, -9223372036854775809, 10**30, 1_000_000_000])
def test_a_journal_line_naming_a_task_beyond_any_table_is_a_bad_line_on_both_paths(
        gwgk: Any, table: Path, journal: Path, task: int) -> None:
    """Found by a hostile test: a task number past SQLite's integers crashed every indexed command. Such a
    line is invalid (task 超出范围) the same way whether the index or the file answers; the others count."""
    assert gwgk("note", "4", "正常的一行").exit_code == 0
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "aaaaaaaaaaaa", "at": "2021-11-22T10:00:00+08:00", "date": "2021-11-22",
                             "by": "x", "task": task, "op": "note", "note": "big"}) + "\n")
    for args in READS:
        indexed, direct = _both(gwgk, *args)
        assert indexed == direct, args
        assert indexed[0] == 0 and f"{journal}:2: 此行无效：task 超出范围（最大 999999999）" in indexed[2]
    assert "正常的一行" in gwgk("show", "4").stdout


def test_a_table_number_beyond_the_limit_is_refused_on_both_paths(gwgk: Any, table: Path) -> None:
    table.write_text(table.read_text(encoding="utf-8").replace("\n  - id: 28\n", "\n  - id: 99999999999999999999\n"),
                     encoding="utf-8")
    for args in READS[:2]:
        indexed, direct = _both(gwgk, *args)
        assert indexed == direct
        assert indexed[0] == 2 and "字段 id: 过大（最大 999999999），实际是 99999999999999999999" in indexed[2]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_journal_that_became_a_symlink_to_nothing_is_refused_on_both_paths(
        gwgk: Any, table: Path, journal: Path) -> None:
    """Found by a hostile test: the index took a dangling symlink for a missing (empty) journal and showed
    every task as never started; reading the file refuses it, and so must the index."""
    assert gwgk("start", "3").exit_code == 0
    assert gwgk("list", "-F", "tsv").exit_code == 0  # indexed
    journal.unlink()
    journal.symlink_to(journal.with_name("gone.jsonl"))
    for args in READS:
        indexed, direct = _both(gwgk, *args)
        assert indexed == direct, args
        assert indexed[0] == 2 and indexed[2] == f"错误：{journal}: 是指向不存在文件的符号链接\n"


@pytest.mark.parametrize("as_of", [False, True])
def test_the_undone_query_reads_through_its_index(as_of: bool) -> None:
    """Found by the benchmark: once undone() read (task, undoes), SQLite sorted every entry by task to answer
    it (100 ms at 50,000 lines, log 4 at 2× its target); entries_undoes covers both columns."""
    from gwgk_cli.index_db import _SCHEMA
    from gwgk_cli.index_read import UNDONE_SQL

    conn = sqlite3.connect(":memory:")
    conn.executescript(_SCHEMA)
    conn.executemany("INSERT INTO entries VALUES (1, ?, ?, ?, 738000, 'note', NULL, NULL, '', 0, '')",
                     [(n, f"e{n}", n % 50) for n in range(1, 2000)])  # no undo yet, no statistics: as gwgk builds it
    sql = UNDONE_SQL + (" AND date <= 738000" if as_of else "")
    plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX entries_undoes" in plan or "USING COVERING INDEX entries_undoes" in plan, plan


# --------------------------------------------------------------------------- a directory's file changed otherwise

SYNC_OPS = ["older", "edit", "insert", "half", "append", "gone", "same-id"]


@st.composite
def sync_histories(draw: st.DrawFn) -> tuple[list[list[str]], list[tuple[int, str, int]]]:
    """Three writers' files (ids mostly their own: the common case, re-read file by file) and what a sync
    client then does to them, one file at a time: an older copy put back (lines lost), a line rewritten, a
    line recorded earlier put in the middle, a half-synced last line, an append, a file gone for a while,
    an id of another file taken again (then the whole directory is merged again)."""
    files = []
    for w in range(3):
        lines = draw(journal_lines())
        out = []
        for n, text in enumerate(lines):
            try:
                data = json.loads(text)
            except ValueError:
                out.append(text)
                continue
            if isinstance(data, dict) and "id" in data:
                data["id"] = f"w{w}-{data['id']}" if draw(st.integers(0, 9)) else data["id"]
                data["at"] = f"2021-11-22T09:{n:02d}:{draw(st.integers(0, 59)):02d}+08:00"
            out.append(json.dumps(data, ensure_ascii=False))
        files.append(out)
    ops = draw(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(SYNC_OPS), st.integers(0, 60)), max_size=6))
    return files, ops


def _replace(path: Path, text: str) -> None:
    """As a sync client saves a file: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=sync_histories())
def test_a_directory_file_replaced_or_rewritten_equals_the_files(
        history: tuple[list[list[str]], list[tuple[int, str, int]]]) -> None:
    """Whatever a sync client does to one file of the directory, the index (which re-reads only that file when
    it can) equals journal_dir's merged read of the files, and an index built from scratch."""
    files, ops = history
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = folder / "tasks.yaml"
        shutil.copyfile(TABLE, table)
        directory = folder / "tasks.progress"
        directory.mkdir()
        paths = [directory / name for name in WRITERS[:3]]
        for path, lines in zip(paths, files, strict=True):
            path.write_text("".join(text + "\n" for text in lines), encoding="utf-8")
        dates: list[dt.date | None] = [None, DAYS[5]]
        assert_same_as_files(table, dates)
        hidden: dict[int, str] = {}
        for writer, kind, n in ops:
            lines, path = files[writer], paths[writer]
            entry = _entry(f"s{writer}-{n}-{kind}", f"2021-11-22T08:{n % 60:02d}:00+08:00", 4 + n % 3).rstrip("\n")
            tail = ""
            if kind == "older":
                del lines[n % (len(lines) + 1):]
            elif kind == "edit" and lines:
                lines[n % len(lines)] = lines[n % len(lines)].replace("进展", "改过的进展").replace('"to": "done"', '"to": "blocked"')
            elif kind == "insert":
                lines.insert(n % (len(lines) + 1), entry)
            elif kind == "half":
                tail = entry[: n % len(entry)]
            elif kind == "append":
                lines.append(entry.replace("08:", "23:"))
            elif kind == "same-id":
                other = files[(writer + 1) % 3]
                ids = [json.loads(t)["id"] for t in other if t.startswith("{") and '"id"' in t]
                if ids:
                    lines.append(entry.replace(f"s{writer}-{n}-{kind}", ids[n % len(ids)]))
            if kind == "gone":
                if path.exists():
                    hidden[writer] = path.read_text(encoding="utf-8")
                    path.unlink()
            else:
                _replace(path, "".join(text + "\n" for text in lines) + tail)
            assert_same_as_files(table, dates)
        for writer, text in hidden.items():  # back after a while: the same text
            if not paths[writer].exists():
                _replace(paths[writer], text)
        assert_same_as_files(table, dates)
        index.discard(table)
        assert_same_as_files(table, dates)


def test_a_file_replaced_by_an_older_copy_is_read_alone(table: Path, journal: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync client puts back an older copy of one PC's file (its last line lost): only that file is read
    again, only the tasks whose lines changed are replayed, and the views equal the files."""
    from gwgk_cli import journal as journal_module

    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    a, b, c = (directory / name for name in WRITERS[:3])
    a.write_text(_entry("a1", "2021-11-22T09:00:00+08:00") + _entry("a2", "2021-11-22T10:00:00+08:00", 5),
                 encoding="utf-8")
    b.write_text(_entry("b1", "2021-11-22T09:30:00+08:00", 6, "乙") + _entry("b2", "2021-11-22T10:30:00+08:00", 14),
                 encoding="utf-8")
    c.write_text(_entry("c1", "2021-11-22T09:10:00+08:00", 5, "丙"), encoding="utf-8")
    monkeypatch.setattr(index, "RACY_SECONDS", 0)  # the files are old: their stamps are trusted
    assert_same_as_files(table, [None])
    _replace(b, _entry("b1", "2021-11-22T09:30:00+08:00", 6, "乙"))
    read: list[str] = []
    real = journal_module.read_journal_bytes
    monkeypatch.setattr(journal_module, "read_journal_bytes", lambda path: read.append(path.name) or real(path))
    replayed: list[list[int] | None] = []
    real_replay = index.Index._replay
    monkeypatch.setattr(index.Index, "_replay", lambda self, tasks: replayed.append(tasks) or real_replay(self, tasks))
    views(table, None)
    assert read == [b.name], "only the replaced file is read"
    assert replayed == [[14]], "only the task whose line was lost is replayed"
    monkeypatch.undo()
    assert_same_as_files(table, [None])
    assert index_rows(table, "SELECT id, seq FROM entries ORDER BY seq") == [
        ("a1", 1), ("c1", 2), ("b1", 3), ("a2", 4)]


def test_a_file_gone_between_the_listing_and_its_reading(table: Path, journal: Path) -> None:
    """The listing named a file a sync client removed before it was read: nothing of it stays indexed, its
    row too (else every later command found it stale and re-merged the directory)."""
    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    a, b = directory / "李明@PC-A.jsonl", directory / "王芳@PC-B.jsonl"
    a.write_text(_entry("a1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    b.write_text(_entry("b1", "2021-11-22T09:30:00+08:00", 5, "乙"), encoding="utf-8")
    assert_same_as_files(table, [None])
    b.unlink()
    idx = index.Index.open(table)
    try:
        idx.refresh_table()
        idx.refresh_journals([a, b], merged=True)  # listed before it went
    finally:
        idx.close()
    assert index_rows(table, "SELECT path FROM journal_files") == [(str(a.resolve()),)]
    assert index_rows(table, "SELECT id FROM entries") == [("a1",)]


def test_a_periods_lines_are_found_in_the_task_index_before_any_line_is_read(table: Path, journal: Path) -> None:
    """Found by the benchmark: a unit's report asked for the lines of its tasks dated in its quarter and recorded
    (`at`) in its week; SQLite read each line of the quarter (json_extract over 5,000 lines: 20 ms of `report
    --unit` at 50,000 lines). entries_task holds task, date and at: the lines kept are found there first."""
    journal.write_text(_entry("a1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    idx = index.Index.open(table)
    traced: list[str] = []
    try:
        idx.refresh_table()
        idx.refresh_journals([journal])
        idx.conn.set_trace_callback(traced.append)
        found = idx.entries([4, 5], since=dt.date(2021, 8, 1), until=dt.date(2021, 11, 30),
                            reported_from=dt.date(2021, 11, 22))
        sql = next(s for s in traced if s.startswith("SELECT line"))
        plan = " ".join(row[-1] for row in idx.conn.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        idx.close()
    assert [e.id for e in found] == ["a1"]
    assert "COVERING INDEX entries_task" in plan, plan
    assert "json_extract" not in sql
