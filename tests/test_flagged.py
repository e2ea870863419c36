"""The signals the index keeps for `warn` and `check` (gwgk_cli.flagged): what they print from them is what
signal_for gives from the files after every kind of change, and a signal worked out from a snapshot the
index has moved past is never kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import Runner
from gwgk_cli import flagged, index
from gwgk_cli.flagged import signals_key
from gwgk_cli.paths import Location
from gwgk_cli.signals import Thresholds
from gwgk_cli.store import Tracker
from gwgk_cli.table import load_table


def kept(table: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(index.index_path(table))
    try:
        return conn.execute("SELECT task, signal FROM signals ORDER BY task").fetchall()
    finally:
        conn.close()


def warn_both_ways(gwgk: Runner, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """`warn` as TSV twice with the index (working out and keeping, then reading back) and once without it
    (every signal worked out from the files): the three the same; `check`'s lines and `warn`'s JSON too, and the
    JSON's warnings those of the TSV."""
    outs = []
    for no_index in ("", "", "1"):
        monkeypatch.setenv("GWGK_NO_CACHE", no_index)
        result = gwgk("warn", "--format", "tsv", *args)
        assert result.exit_code == 0, result.output
        checked = gwgk("check", "--verbose", *args)
        as_json = gwgk("warn", "--format", "json", *args)
        assert as_json.exit_code == 0, as_json.output
        outs.append((result.output, checked.output, checked.exit_code, as_json.output))
    monkeypatch.delenv("GWGK_NO_CACHE")
    assert outs[0] == outs[1] == outs[2]
    tsv = [line.split("\t") for line in outs[0][0].splitlines()[1:]]
    assert [(r["id"], r["signal_label"], r["signal_reason"]) for r in json.loads(outs[0][3])] == [
        (int(cells[0]), cells[-2], cells[-1]) for cells in tsv]
    # `list` works every signal out from the tasks and states: its red and yellow rows are warn's.
    listed = gwgk("list", "--format", "tsv", "--collective", *args)
    assert listed.exit_code == 0, listed.output
    rows = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
    assert sorted((int(r[0]), r[-2], r[-1]) for r in rows if r[-2] in ("红", "黄")) == sorted(
        (int(cells[0]), cells[-2], cells[-1]) for cells in tsv)
    return outs[0][0]


def ids_of(tsv: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in tsv.splitlines()[1:]]


def test_what_warn_prints_follows_every_change(table: Path, journal: Path, gwgk: Runner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = warn_both_ways(gwgk, monkeypatch)
    assert 5 in ids_of(first) and 6 not in ids_of(first)
    assert len(kept(table)) == 28  # every task's signal kept, the green ones too
    steps: list[tuple[str, ...]] = [
        ("note", "5", "进展", "--percent", "10"),
        ("done", "4", "--date", "2021-11-20"),
        ("block", "6", "--note", "等待数据"),
        ("extend", "7", "--to", "2022-01-31", "--note", "数据未齐"),
        ("extend", "7", "--to", "2022-01-31", "--note", "数据未齐", "--approved-by", "王主任"),
        ("undo",),
        ("start", "9"),
    ]
    for step in steps:
        assert gwgk(*step).exit_code == 0, step
        warn_both_ways(gwgk, monkeypatch)
        warn_both_ways(gwgk, monkeypatch, "--unit", "行财科")
    now = ids_of(warn_both_ways(gwgk, monkeypatch))
    assert 5 not in now and 6 in now
    # Another day, other thresholds: other signals; and back.
    monkeypatch.setenv("GWGK_TODAY", "2021-12-20")
    later = warn_both_ways(gwgk, monkeypatch)
    assert later != first
    assert warn_both_ways(gwgk, monkeypatch, "--warn-days", "3") != later
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    warn_both_ways(gwgk, monkeypatch)
    # The table edited: a deadline moved, a task gone.
    text = table.read_text(encoding="utf-8")
    assert "年底前" in text
    table.write_text(text.replace("年底前", "11月15日前", 1), encoding="utf-8")
    os.utime(table, (1, 1))  # a stamp of its own, whatever the file system's timestamp granularity
    edited = warn_both_ways(gwgk, monkeypatch)
    assert edited != first


def test_a_signal_worked_out_before_a_change_is_not_kept(table: Path, journal: Path) -> None:
    """Two commands: the first reads a snapshot and works out every signal; meanwhile the second records a change
    of task 4 (its signal dropped, the index's generation moved on). The first's signals are not stored: task 4's
    would be the old one."""
    plan = load_table(table)
    key = signals_key(plan, dt.date(2021, 11, 22), None, Thresholds())
    first = index.Index.open(table)
    try:
        first.refresh_table()
        first.refresh_journals([journal])
        stored = first.stored_signals(key, kinds=("red", "yellow"))
        assert stored.missing == plan.task_ids() and stored.rows == []
        journal.write_text(json.dumps({"id": "a1", "at": "2021-11-22T09:00:00+08:00", "date": "2021-11-22",
                                       "by": "李明", "task": 4, "op": "note", "note": "进展", "percent": 10},
                                      ensure_ascii=False) + "\n", encoding="utf-8")
        second = index.Index.open(table)
        try:
            second.refresh_table()
            second.refresh_journals([journal])
        finally:
            second.close()
        first.store_signals(key, stored.generation, [(4, "red", "逾期 5 天", None, "doing", "推进中", 0, None)])
        assert kept(table) == []
        first.store_signals(key, first.signal_generation(), [(4, "green", "还剩 5 天", None, "doing", "推进中", 10,
                                                              None)])
        assert kept(table) == [(4, "green")]
    finally:
        first.close()


def test_signals_kept_under_another_key_are_not_read(table: Path, journal: Path) -> None:
    """A kept signal is read back only under the key it was worked out under; storing under a new key replaces
    every row."""
    plan = load_table(table)
    keys = [signals_key(plan, dt.date(2021, 11, 22), None, Thresholds()),
            signals_key(plan, dt.date(2021, 11, 23), None, Thresholds()),
            signals_key(plan, dt.date(2021, 11, 22), dt.date(2021, 11, 1), Thresholds()),
            signals_key(plan, dt.date(2021, 11, 22), None, Thresholds(warn_days=5)),
            signals_key(plan, dt.date(2021, 11, 22), None, Thresholds(stale_days=5))]
    assert len(set(keys)) == len(keys)
    idx = index.Index.open(table)
    try:
        idx.refresh_table()
        idx.refresh_journals([journal])
        idx.store_signals(keys[0], idx.signal_generation(), [(4, "red", "逾期", None, "doing", "推进中", None, None)])
        assert [r[0] for r in idx.stored_signals(keys[0], kinds=["red"]).rows] == [4]
        other = idx.stored_signals(keys[1], kinds=["red"])
        assert other.rows == [] and len(other.missing) == 28
        idx.store_signals(keys[1], idx.signal_generation(), [(5, "red", "逾期", None, "doing", "推进中", None, None)])
        assert kept(table) == [(5, "red")]
    finally:
        idx.close()


def test_the_rules_version_follows_the_installed_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signals worked out by an older signals.py (an upgrade, an edit in a development copy) are not read back."""
    from gwgk_cli import signals

    copy = tmp_path / "signals.py"
    copy.write_text("# the rules\n", encoding="utf-8")
    monkeypatch.setattr(signals, "__file__", str(copy))
    before = flagged.rules_version()
    os.utime(copy, ns=(1, 10**18))
    assert flagged.rules_version() != before


def test_with_the_index_unusable_every_signal_is_worked_out(table: Path, gwgk: Runner,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    tracker = Tracker(Location(table, "test", False), as_of=dt.date(2021, 11, 22))
    plan = tracker.header
    monkeypatch.setenv("GWGK_NO_CACHE", "1")
    alone = Tracker(Location(table, "test", False), as_of=dt.date(2021, 11, 22))
    facts, total = flagged.flagged_facts(alone, plan, None, dt.date(2021, 11, 22), Thresholds())
    assert total == 28 and facts
    monkeypatch.delenv("GWGK_NO_CACHE")
    again, _ = flagged.flagged_facts(tracker, plan, None, dt.date(2021, 11, 22), Thresholds())
    assert sorted(again) == sorted(facts)


@pytest.mark.parametrize(("table_sql", "what"), [
    ("UPDATE tasks SET task = 'x' WHERE id = 5", "a task's text"),
])
def test_a_damaged_row_is_damage_the_index_is_rebuilt(table: Path, gwgk: Runner, monkeypatch: pytest.MonkeyPatch,
                                                     table_sql: str, what: str) -> None:
    """Found in review: a task row that does not decode, read with the kept signals, was a traceback (and `check`'s
    exit code 1, a red light's, to cron). It is damage found by a read: the index is rebuilt, the output the same."""
    before = warn_both_ways(gwgk, monkeypatch)
    conn = sqlite3.connect(index.index_path(table))
    try:
        conn.execute(table_sql)
        conn.commit()
    finally:
        conn.close()
    result = gwgk("check", "--verbose")
    assert result.exit_code == 0 and "检查 28 项任务" in result.output, (what, result.output)
    assert warn_both_ways(gwgk, monkeypatch) == before


@pytest.mark.parametrize("sql", [
    "UPDATE signals SET due = 'x' WHERE task = 5",
    "UPDATE signals SET updated = 0 WHERE task = 5",
    "UPDATE signals SET signal = 'purple' WHERE task = 5",
    "UPDATE signals SET status = 'lost' WHERE task = 5",
    "UPDATE signals SET percent = 'abc' WHERE task = 5",
    "UPDATE signals SET reason = NULL WHERE task = 5",
])
def test_the_signals_table_takes_only_what_a_signal_is(table: Path, gwgk: Runner, sql: str) -> None:
    """What fact_values and warning_order read back is checked on the way in (CHECK constraints), as the other tables'
    rows are: a date out of range, a signal or status gwgk does not know, a text where a number goes."""
    assert gwgk("check", "--verbose").exit_code == 0
    conn = sqlite3.connect(index.index_path(table))
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    finally:
        conn.close()
