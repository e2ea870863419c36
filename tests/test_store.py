"""The store (gwgk_cli.store) over the index (gwgk_cli.index: SQLite in GWGK_CACHE_DIR).

The index must never be trusted over the files: a changed table or journal is re-read, a damaged index
file is rebuilt, GWGK_NO_CACHE=1 turns it off, and the incremental journal indexing (only the lines
appended since) gives exactly what a full replay of the file gives. More in tests/test_index.py.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from pathlib import Path

import pytest

from gwgk_cli import index, store
from gwgk_cli import journal as journal_module
from gwgk_cli.journal import read_entries
from gwgk_cli.model import Plan
from gwgk_cli.state import replay
from gwgk_cli.table import load_table

REAL_LOAD_TABLE = load_table


def cache_dir() -> Path:
    return Path(os.environ["GWGK_CACHE_DIR"])


def cache_files() -> list[Path]:
    folder = cache_dir()
    return sorted(folder.glob("index-*.sqlite3")) if folder.is_dir() else []


def table_racy(table: Path) -> bool:
    with sqlite3.connect(index.index_path(table)) as conn:
        return bool(conn.execute("SELECT racy FROM table_file").fetchone()[0])


def run_ok(gwgk, *args: str) -> str:
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def list_json(gwgk, *args: str) -> list[dict]:
    return json.loads(run_ok(gwgk, "list", *args, "--format", "json"))


def full_states(journal: Path, plan: Plan) -> dict:
    """The journal replayed from scratch, no cache involved."""
    entries, _, _ = read_entries(journal)
    replayed, _ = replay(entries, [t.id for t in plan.tasks], str(journal))
    return replayed.states


class Counter:
    """Stands in for gwgk_cli.store.load_table: counts the real parses."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path) -> Plan:
        self.calls += 1
        return REAL_LOAD_TABLE(path)


def refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the table was parsed again instead of coming from the index")


# --------------------------------------------------------------------------- the plan in the index


def test_second_load_comes_from_cache(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store.load_plan(table)
    assert cache_files(), "the first load writes the cache"
    monkeypatch.setattr("gwgk_cli.table.load_table", refuse)
    second = store.load_plan(table)
    assert second.tasks == first.tasks
    assert second.units == first.units and second.sections == first.sections


def test_second_cli_run_comes_from_cache(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    before = run_ok(gwgk, "list", "--unit", "指导办", "--format", "json")
    run_ok(gwgk, "start", "4")  # the write path (task ids) is cached too
    monkeypatch.setattr("gwgk_cli.table.load_table", refuse)
    assert json.loads(run_ok(gwgk, "list", "--unit", "指导办", "--format", "json")) == json.loads(before)
    run_ok(gwgk, "done", "4")
    assert list_json(gwgk, "--unit", "行财科")[0]["status"] == "done"


def _same_size_edit(text: str) -> str:
    new = text.replace("title: 公开办公室预算决算", "title: 公开本室预算和决算", 1)
    assert len(new.encode("utf-8")) == len(text.encode("utf-8")) and new != text
    return new


def _longer_edit(text: str) -> str:
    return text.replace("title: 公开办公室预算决算", "title: 公开办公室预算决算(已改)", 1)


@pytest.mark.parametrize(
    ("edit", "title"),
    [
        (_same_size_edit, "公开本室预算和决算"),  # content changes, size does not
        (_longer_edit, "公开办公室预算决算(已改)"),  # size changes
    ],
)
def test_editing_the_table_invalidates_the_cache(table: Path, gwgk, edit, title: str) -> None:
    assert list_json(gwgk, "--unit", "行财科")[0]["title"] == "公开办公室预算决算"
    old = table.stat()
    table.write_text(edit(table.read_text(encoding="utf-8")), encoding="utf-8")
    # Make sure the clock moved on, whatever the file system's timestamp granularity.
    os.utime(table, ns=(old.st_atime_ns, old.st_mtime_ns + 2_000_000_000))
    assert list_json(gwgk, "--unit", "行财科")[0]["title"] == title
    assert store.load_plan(table).task(4).title == title


def test_touching_the_table_reparses_it(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter()
    monkeypatch.setattr("gwgk_cli.table.load_table", counter)
    store.load_plan(table)
    store.load_plan(table)
    assert counter.calls == 1
    st = table.stat()
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))  # mtime only
    store.load_plan(table)
    assert counter.calls == 2


def _restore_mtime(path: Path, old: os.stat_result) -> None:
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)


def _no_ctime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps as on Windows, where st_ctime is the creation time and cannot reveal an edit."""
    real = index.stamp_of

    def stamp(path: Path) -> index.Stamp | None:
        got = real(path)
        return None if got is None else (got[0], got[1], 0)

    monkeypatch.setattr(index, "stamp_of", stamp)


@pytest.mark.parametrize("ctime", ["with ctime", "without ctime"])
def test_an_edit_that_keeps_size_and_mtime_is_seen(table: Path, monkeypatch: pytest.MonkeyPatch,
                                                   ctime: str) -> None:
    """A same-size edit right after the cache was made, with the modification time put back (an
    editor or sync tool that preserves it, or a clock too coarse to tell): the stamp looks the same.
    Off Windows the inode change time gives it away; everywhere, a cache made while the file was
    that recent is checked against the content before it is used."""
    if ctime == "without ctime":
        _no_ctime(monkeypatch)
    assert store.load_plan(table).task(4).title == "公开办公室预算决算"
    old = table.stat()
    table.write_text(_same_size_edit(table.read_text(encoding="utf-8")), encoding="utf-8")
    _restore_mtime(table, old)
    assert store.load_plan(table).task(4).title == "公开本室预算和决算"
    assert store.load_task_ids(table)[0] == frozenset(range(1, 29))


@pytest.mark.skipif(os.name == "nt", reason="st_ctime is the creation time on Windows")
def test_an_old_file_edited_with_its_mtime_put_back_is_seen(table: Path) -> None:
    """Not racy (the file is a minute old when cached), so only the inode change time tells."""
    st = table.stat()
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns - 60_000_000_000))
    old = table.stat()
    store.load_plan(table)
    assert table_racy(table) is False
    table.write_text(_same_size_edit(table.read_text(encoding="utf-8")), encoding="utf-8")
    _restore_mtime(table, old)
    assert store.load_plan(table).task(4).title == "公开本室预算和决算"


def test_a_racy_cache_is_checked_then_trusted(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ctime(monkeypatch)
    counter = Counter()
    monkeypatch.setattr("gwgk_cli.table.load_table", counter)
    store.load_plan(table)  # the table was written just now: the index records its digest
    assert table_racy(table) is True
    store.load_plan(table)
    assert counter.calls == 1, "an unchanged racy file is served from the index after the check"
    table.write_text(_same_size_edit(table.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(index, "RACY_SECONDS", 0)  # time passes
    assert store.load_plan(table).task(4).title == "公开本室预算和决算"
    assert counter.calls == 2
    assert table_racy(table) is False, "indexed when old enough: no need to check the content again"


def test_a_racy_journal_rewrite_is_seen(table: Path, journal: Path, gwgk,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ctime(monkeypatch)
    run_ok(gwgk, "start", "4")
    plan = store.load_plan(table)
    assert store.load_progress(journal, plan).states[4].status.value == "doing"
    old = journal.stat()
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text.replace('"task":4,', '"task":7,', 1).replace('"task": 4,', '"task": 7,', 1),
                       encoding="utf-8")
    assert journal.read_text(encoding="utf-8") != text
    _restore_mtime(journal, old)
    states = store.load_progress(journal, plan).states
    assert states == full_states(journal, plan)
    assert (states[4].status.value, states[7].status.value) == ("todo", "doing")


class ReadCounter:
    """Stands in for gwgk_cli.journal.read_journal_bytes (index.py imports it when it reads a journal)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, path: Path) -> bytes:
        self.paths.append(path)
        return REAL_READ_JOURNAL(path)


REAL_READ_JOURNAL = journal_module.read_journal_bytes


def journal_marks(table: Path) -> list[int]:
    with sqlite3.connect(index.index_path(table)) as conn:
        return [r[0] for r in conn.execute("SELECT racy FROM journal_files ORDER BY path")]


@pytest.mark.parametrize("shape", ["file", "directory"])
def test_a_racy_journal_is_trusted_once_checked_old_enough(table: Path, journal: Path, gwgk, shape: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal indexed right after it was written is checked against its digest on the next read; once it
    is old enough and still has that content, the mark is cleared and no later read opens it."""
    run_ok(gwgk, "start", "4")
    if shape == "directory":
        run_ok(gwgk, "journal", "split")
        run_ok(gwgk, "note", "5", "目录中的进展")
    plan = store.load_plan(table)
    expected = store.load_progress(journal, plan).states
    assert journal_marks(table) and all(journal_marks(table)), "written just now: racy"
    counter = ReadCounter()
    monkeypatch.setattr(journal_module, "read_journal_bytes", counter)
    assert store.load_progress(journal, plan).states == expected
    assert counter.paths, "still racy: the content is checked"
    monkeypatch.setattr(index, "RACY_SECONDS", 0)  # time passes; the files stay as they are
    counter.paths.clear()
    assert store.load_progress(journal, plan).states == expected
    assert counter.paths, "checked once more, now that the files are old enough"
    assert journal_marks(table) and not any(journal_marks(table))
    counter.paths.clear()
    for _ in range(3):
        assert store.load_progress(journal, plan).states == expected
    assert counter.paths == [], "a settled stamp is trusted: the journal is not read again"
    run_ok(gwgk, "note", "6", "又一条")  # an append is still seen by its stamp
    assert store.load_progress(journal, plan).states[6].last_note == "又一条"


def test_a_racy_table_is_trusted_once_checked_old_enough(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.load_plan(table)
    assert table_racy(table) is True
    reads: list[Path] = []
    import gwgk_cli.reading as reading

    real = reading.read_regular

    def counting(path: Path, limit: int) -> bytes:
        reads.append(path)
        return real(path, limit)

    monkeypatch.setattr(reading, "read_regular", counting)
    monkeypatch.setattr(index, "RACY_SECONDS", 0)
    store.load_plan(table)
    assert reads == [table] and table_racy(table) is False
    store.load_plan(table)
    assert reads == [table], "a settled stamp is trusted: the table is not read again"


def test_touching_the_table_keeps_the_replayed_journal(table: Path, journal: Path, gwgk,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The replay depends on the table's task ids only: a saved-again table does not force it."""
    run_ok(gwgk, "start", "4")
    store.load_progress(journal, store.load_plan(table))
    st = table.stat()
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))

    def no_replay(*args: object, **kwargs: object) -> None:
        raise AssertionError("the journal was replayed again")

    monkeypatch.setattr(index, "apply", no_replay)
    monkeypatch.setattr(journal_module, "parse_entries", no_replay)  # index.py imports it when it parses
    assert store.load_progress(journal, store.load_plan(table)).states[4].status.value == "doing"


def test_a_task_added_to_the_table_is_seen_by_writes(table: Path, gwgk) -> None:
    """The task-id cache used by start/done/note follows the table too."""
    run_ok(gwgk, "start", "4")
    result = gwgk("start", "29")
    assert result.exit_code == 2
    extra = (
        "\n  - id: 29\n    section: 5\n    subsection: 2\n    title: 新增任务\n"
        "    requirement: 新增的具体要求。\n    units: [行财科]\n    deadline: 年底前\n"
    )
    text = table.read_text(encoding="utf-8")
    cut = text.index("\nrepairs:") if "\nrepairs:" in text else len(text)
    old = table.stat()
    table.write_text(text[:cut].rstrip("\n") + "\n" + extra + text[cut:], encoding="utf-8")
    os.utime(table, ns=(old.st_atime_ns, old.st_mtime_ns + 2_000_000_000))
    run_ok(gwgk, "start", "29")
    assert [r["id"] for r in list_json(gwgk, "--unit", "行财科")] == [4, 29]


def _foreign_database(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes(x)")
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def _older_schema(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {index.SCHEMA_VERSION + 7}")
    conn.close()


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x", encoding="utf-8")


def _bytes(make):
    def corrupt(path: Path) -> None:
        path.write_bytes(make(path.read_bytes()))
    return corrupt


CORRUPTIONS = {
    "empty": _bytes(lambda raw: b""),
    "text": _bytes(lambda raw: "这不是索引\n".encode()),
    "truncated": _bytes(lambda raw: raw[: len(raw) // 2]),
    "zeroed tail": _bytes(lambda raw: raw[:100] + b"\x00" * (len(raw) - 100)),
    "zeroed header": _bytes(lambda raw: b"\x00" * 100 + raw[100:]),
    "random bytes": _bytes(lambda raw: os.urandom(len(raw))),
    "a pickle": _bytes(lambda raw: pickle.dumps(["not", "an", "index"])),
    "another database": _foreign_database,
    "another schema version": _older_schema,
    "a directory": _directory,
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_corrupted_index_file_is_rebuilt(table: Path, gwgk, kind: str) -> None:
    run_ok(gwgk, "note", "4", "预算已公开", "--percent", "40")
    baseline = run_ok(gwgk, "list", "--format", "json")
    (path,) = cache_files()
    CORRUPTIONS[kind](path)
    result = gwgk("list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == baseline
    assert "Traceback" not in result.output
    (path,) = cache_files()
    with sqlite3.connect(path) as conn:  # rebuilt: our database again
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index.SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    conn.close()
    # Writes read the index too (the task ids).
    CORRUPTIONS[kind](path)
    run_ok(gwgk, "done", "4")
    assert list_json(gwgk, "--unit", "行财科")[0]["status"] == "done"


def test_an_unusable_cache_directory_is_not_an_error(table: Path, gwgk, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_dir = tmp_path / "cache-is-a-file"
    not_a_dir.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(not_a_dir))
    run_ok(gwgk, "start", "4")
    assert list_json(gwgk, "--unit", "行财科")[0]["status"] == "doing"
    assert not_a_dir.read_text(encoding="utf-8") == "x"


def test_no_cache_env_turns_it_off(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_NO_CACHE", "1")
    counter = Counter()
    monkeypatch.setattr("gwgk_cli.table.load_table", counter)
    run_ok(gwgk, "start", "4")
    first = list_json(gwgk)
    second = list_json(gwgk)
    assert first == second
    assert next(r for r in first if r["id"] == 4)["status"] == "doing"
    assert counter.calls >= 3  # parsed on every run
    assert cache_files() == []


# --------------------------------------------------------------------------- the journal in the index


def _states(journal: Path, table: Path) -> dict:
    return store.load_progress(journal, store.load_plan(table)).states


STEPS = [
    ["start", "4", "--note", "已启动"],
    ["note", "6", "完成三成", "--percent", "30"],
    ["block", "5", "--note", "等待数据"],
    ["done", "4", "--evidence", "https://example.org/4"],
    ["note", "14", "已更新 126 件", "--date", "2021-11-01"],
    ["reopen", "5", "--note", "数据已到"],
    ["undo"],
    ["start", "24", "--by", "张三"],
    ["undo"],
    ["undo"],
    ["done", "14", "15"],
    ["note", "16", "开始梳理", "--percent", "10"],
]


def test_incremental_replay_equals_full_replay_step_by_step(table: Path, journal: Path, gwgk) -> None:
    plan = store.load_plan(table)
    for step in STEPS:
        run_ok(gwgk, *step)
        assert _states(journal, table) == full_states(journal, plan), step
        assert _states(journal, table) == full_states(journal, plan), step  # the cached answer


def test_appended_lines_are_replayed_incrementally(table: Path, journal: Path, gwgk,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    plan = store.load_plan(table)
    run_ok(gwgk, "start", "4")
    run_ok(gwgk, "note", "6", "完成三成", "--percent", "30")
    store.load_progress(journal, plan)  # cache the replay
    run_ok(gwgk, "done", "4", "--note", "已公开")
    run_ok(gwgk, "block", "5", "--note", "等待数据")
    run_ok(gwgk, "note", "6", "完成一半", "--percent", "50")
    expected = full_states(journal, plan)

    def no_full_replay(*args: object, **kwargs: object) -> None:
        raise AssertionError("appended lines should not need a full replay")

    monkeypatch.setattr(store, "replay", no_full_replay)
    monkeypatch.setattr(index.Index, "_replay_all", no_full_replay)
    states = store.load_progress(journal, plan).states
    assert states == expected
    assert (states[4].status.value, states[5].status.value, states[6].percent) == ("done", "blocked", 50)


def test_an_undo_after_the_cached_replay(table: Path, journal: Path, gwgk) -> None:
    plan = store.load_plan(table)
    run_ok(gwgk, "start", "4")
    run_ok(gwgk, "done", "4")
    assert _states(journal, table)[4].status.value == "done"
    run_ok(gwgk, "undo")
    states = _states(journal, table)
    assert states == full_states(journal, plan)
    assert states[4].status.value == "doing"
    run_ok(gwgk, "undo")
    assert _states(journal, table)[4].status.value == "todo"
    assert _states(journal, table) == full_states(journal, plan)


def _append_raw(journal: Path, data: bytes) -> None:
    with journal.open("ab") as fh:
        fh.write(data)


def test_hand_edits_after_the_cached_replay(table: Path, journal: Path, gwgk) -> None:
    plan = store.load_plan(table)
    run_ok(gwgk, "start", "4")
    run_ok(gwgk, "start", "6")
    _states(journal, table)
    # A line rewritten in the middle (git checkout, a hand edit): the old part no longer matches.
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    first = json.loads(lines[0])
    first["task"] = 7
    journal.write_text(json.dumps(first, ensure_ascii=False) + "\n" + "".join(lines[1:]), encoding="utf-8")
    states = _states(journal, table)
    assert states == full_states(journal, plan)
    assert (states[4].status.value, states[7].status.value) == ("todo", "doing")
    # A garbage line, a line for a task not in the table, then a good line, all appended.
    _append_raw(journal, b"not json\n")
    _append_raw(journal, json.dumps({**first, "id": "x99", "task": 99}).encode() + b"\n")
    run_ok(gwgk, "done", "6")
    progress = store.load_progress(journal, plan)
    assert progress.states == full_states(journal, plan)
    assert progress.states[6].status.value == "done"
    assert sorted(w.lineno for w in progress.warnings) == [3, 4]
    # The journal shrinks (lines removed by hand).
    journal.write_text("".join(lines[:1]), encoding="utf-8")
    assert _states(journal, table) == full_states(journal, plan)


def test_a_truncated_last_line_then_an_append(table: Path, journal: Path, gwgk) -> None:
    plan = store.load_plan(table)
    run_ok(gwgk, "start", "4")
    _append_raw(journal, b'{"id":"abc","at":"2021-11-22T09:00:00+08:00","date":"2021-11-22","by":"x","ta')
    progress = store.load_progress(journal, plan)
    assert progress.states == full_states(journal, plan)
    assert [w.lineno for w in progress.warnings] == [2]
    run_ok(gwgk, "done", "4")
    progress = store.load_progress(journal, plan)
    assert progress.states == full_states(journal, plan)
    assert progress.states[4].status.value == "done"
    assert [w.lineno for w in progress.warnings] == [2]


def test_cli_output_is_the_same_with_and_without_the_cache(table: Path, gwgk,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for step in STEPS:
        run_ok(gwgk, *step)
        cached = run_ok(gwgk, "list", "--format", "json")
        log_cached = run_ok(gwgk, "log", "--format", "json")
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
        assert run_ok(gwgk, "list", "--format", "json") == cached, step
        assert run_ok(gwgk, "log", "--format", "json") == log_cached, step
        monkeypatch.delenv("GWGK_NO_CACHE")


@pytest.mark.parametrize("args", [
    ["warn"], ["warn", "--unit", "行财科"], ["report"], ["report", "--unit", "行财科"], ["show", "5"], ["log", "5"],
    ["--today", "2021-11-10", "list"], ["--today", "2021-11-10", "report", "--unit", "行财科"],
    ["--today", "2021-11-10", "warn"], ["check", "--unit", "行财科"], ["show", "99"],
])
def test_the_list_commands_are_the_same_with_and_without_the_cache(table: Path, gwgk, args: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What the index answers in one joined query (Index.tracked), the ids looked up one by one
    (check_ids) and a report's entries up to its date: byte for byte what the files give."""
    for step in STEPS:
        run_ok(gwgk, *step)
    cached = gwgk(*args)
    monkeypatch.setenv("GWGK_NO_CACHE", "1")
    direct = gwgk(*args)
    assert (cached.exit_code, cached.stdout, cached.stderr) == (direct.exit_code, direct.stdout, direct.stderr)


@pytest.mark.parametrize("damage", [
    "UPDATE tasks SET task = 'not a task'",
    "UPDATE tasks SET task = '\x1e{}'",
    "UPDATE tasks SET task = 'x' || substr(task, instr(task, '\x1f'))",
    "UPDATE current SET state = '[1]'",
    "UPDATE current SET state = '\x1e[1]'",
    "UPDATE current SET state = 'bogus' || substr(state, instr(state, '\x1f'))",
    "UPDATE states SET state = 'bogus'",
    "UPDATE meta SET value = '{}' WHERE key = 'header'",
    "ALTER TABLE tasks DROP COLUMN task",
    "DROP TABLE states",
])
def test_rows_that_do_not_decode_are_damage_and_rebuilt(table: Path, gwgk, damage: str) -> None:
    """An index of our schema version whose rows are not what this version writes (edited by hand, or
    written by a development build): deleted and built again, never a traceback."""
    run_ok(gwgk, "note", "4", "预算已公开", "--percent", "40")
    baseline = run_ok(gwgk, "--today", "2021-11-22", "list", "--format", "json")
    shown = run_ok(gwgk, "show", "4", "--format", "json")
    (path,) = cache_files()
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    assert run_ok(gwgk, "--today", "2021-11-22", "list", "--format", "json") == baseline
    if damage.startswith("UPDATE"):  # once more, in the rebuilt index: show reads other rows than list
        conn = sqlite3.connect(path)
        conn.execute(damage)
        conn.commit()
        conn.close()
    assert run_ok(gwgk, "show", "4", "--format", "json") == shown
