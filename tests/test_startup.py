"""Start-up stays light: a piped read command loads neither pydantic nor rich, nor the libraries only
documents, spreadsheets and imports need (the lazy-import rule, checked in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HEAVY = ("pydantic", "rich", "docx", "openpyxl", "lxml", "pdfplumber", "python_calamine", "yaml_ext")


def _loaded(args: list[str], modules: tuple[str, ...]) -> tuple[list[str], str]:
    """Which of `modules` a fresh process running `gwgk ARGS` has imported, and what it printed."""
    code = (
        "import sys\n"
        "from gwgk_cli.entry import main\n"
        f"sys.argv = ['gwgk', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(','.join(sorted(m for m in {modules!r} if m in sys.modules)) or '-', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = result.stderr.strip().splitlines()[-1]
    return [] if found == "-" else found.split(","), result.stdout


def test_piped_list_imports_no_heavy_library(table: Path) -> None:
    found, out = _loaded(["list", "--unit", "政务公开指导办", "--status", "todo", "--format", "json"], HEAVY)
    assert found == [] and out.startswith("[")


def test_reads_with_a_warm_index_load_neither_the_table_parser_nor_the_journal_reader(table: Path) -> None:
    """With the index up to date, read commands answer from it: PyYAML and the journal's reader and writer
    (gwgk_cli.journal, gwgk_cli.table) stay unloaded."""
    readers = ("yaml", "gwgk_cli.table", "gwgk_cli.journal", "gwgk_cli.actions")
    subprocess.run([sys.executable, "-m", "gwgk_cli", "note", "4", "已启动"], check=True, capture_output=True)
    for path in (table, table.with_name("tasks_2021.progress.jsonl")):  # edited long ago: stamps not racy
        os.utime(path, (time.time() - 600, time.time() - 600))
    _loaded(["list"], ())  # brings the index up to date with the table and the journal
    for args in (["list", "--unit", "政务公开指导办"], ["show", "4"], ["log", "4"], ["warn"],
                 ["report", "--unit", "政务公开指导办"]):
        assert _loaded(args, readers)[0] == [], args


def test_a_read_loads_only_what_it_uses(table: Path) -> None:
    """The parsers of the 填报表's dates and weeks (gwgk_cli.sheets), the settings file's TOML reader when
    there is no settings file, stay unloaded by a plain read, --today given in the usual form or not:
    each costs milliseconds at every start."""
    unused = ("gwgk_cli.sheets", "gwgk_cli.sheets.values", "gwgk_cli.sheets.period", "tomllib")
    _loaded(["list"], ())  # builds the index
    for args in (["list", "--unit", "政务公开指导办"], ["--today", "2021-11-22", "list", "--unit", "政务公开指导办"],
                 ["show", "4"], ["log", "4"], ["warn"]):
        assert _loaded(args, unused)[0] == [], args


def test_reads_load_no_code_they_do_not_use(table: Path) -> None:
    """A read as of a date before the journal's last entry loads no journal-entry code when no undo makes a
    replay necessary, and the 周报 reads its 催报 sources without the 填报表's workbook code (hashlib among
    it): each is milliseconds at every start."""
    subprocess.run([sys.executable, "-m", "gwgk_cli", "note", "4", "已启动"], check=True, capture_output=True)
    for path in (table, table.with_name("tasks_2021.progress.jsonl")):  # edited long ago: stamps not racy
        os.utime(path, (time.time() - 600, time.time() - 600))
    _loaded(["list"], ())  # builds the index
    earlier = ["--today", "2021-10-01"]  # before the note: the states as of a date, not the current ones
    for args in ([*earlier, "list", "--unit", "政务公开指导办"], [*earlier, "warn"]):
        assert _loaded(args, ("gwgk_cli.journal_entry",))[0] == [], args
    assert _loaded(["report", "--unit", "政务公开指导办"], ("gwgk_cli.sheets", "hashlib"))[0] == []


def _collector_after(args: list[str]) -> tuple[bool, int]:
    """Whether the cyclic collector is on, and how many objects are frozen, when `gwgk ARGS` has run in a fresh
    process through the script's entry point (gwgk_cli.collector)."""
    code = (
        "import gc, sys\n"
        "from gwgk_cli import entry\n"
        "from gwgk_cli.cli import base\n"
        "seen = []\n"
        "invoke = base.GwgkCommand.invoke\n"
        "def spy(self, ctx):\n"
        "    try:\n"
        "        return invoke(self, ctx)\n"
        "    finally:\n"
        "        seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "base.GwgkCommand.invoke = spy\n"
        f"sys.argv = ['gwgk', *{args!r}]\n"
        "try:\n"
        "    entry.script()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(seen[-1][0], seen[-1][1], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    on, frozen = result.stderr.strip().splitlines()[-1].split()
    return on == "True", int(frozen)


def test_the_collector_is_off_for_one_shot_reads_and_back_for_writes(table: Path) -> None:
    """The script's start-up objects are frozen when the command starts; a one-shot read runs without the cyclic
    collector, a write (and the menu) with it (gwgk_cli.collector)."""
    on, frozen = _collector_after(["list", "--unit", "政务公开指导办"])
    assert not on and frozen > 10_000
    on, frozen = _collector_after(["note", "4", "已启动"])
    assert on and frozen > 10_000


def test_the_collector_is_left_alone_outside_the_script(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library, the tests' CliRunner and a caller of entry.main in a process that goes on keep Python's own
    collector: only the console script (entry.script) changes it. (A test calling main for a read once left it
    off for the rest of the session, and the suite ran out of file descriptors.)"""
    import gc

    from gwgk_cli import collector, entry

    assert gc.isenabled()
    collector.running("list")  # no `starting` before it: nothing happens
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    monkeypatch.setattr(sys, "argv", ["gwgk", "list", "--unit", "行财科"])
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code in (0, None)
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_script_closes_the_index(table: Path, tmp_path: Path) -> None:
    """Found in review: with the exit's collections walking nothing (gwgk_cli.collector), the index's connection was
    never closed, and every run left its write-ahead log (23 MB after a rebuild at 10,000 tasks) to be read back
    by the next. A command closes it when it is done."""
    cache = tmp_path / "cache"
    run_env = {**os.environ, "GWGK_CACHE_DIR": str(cache)}
    for args in (["list"], ["note", "4", "已启动"], ["show", "4"]):
        done = subprocess.run([sys.executable, "-m", "gwgk_cli", *args], capture_output=True, env=run_env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert sorted(p.suffix for p in cache.glob("index-*")) == [".sqlite3"], args
