"""Replay order: a change recorded later with an earlier --date takes its place in time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def out(gwgk, *args: str) -> str:
    """The command's stdout; it must have succeeded."""
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def state_of(gwgk, task: int) -> dict:
    result = gwgk("show", str(task), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("cache", ["on", "off"])
def test_backdated_note_does_not_replace_the_latest(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch,
                                                    cache: str) -> None:
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    assert gwgk("note", "6", "最新进展", "--percent", "60", "--date", "2021-11-20").exit_code == 0
    assert gwgk("list").exit_code == 0  # brings the index up to date
    assert gwgk("note", "6", "补记", "--date", "2021-10-01").exit_code == 0  # history, not the latest
    rec = state_of(gwgk, 6)
    assert (rec["last_note"], rec["percent"], rec["updated"]) == ("最新进展", 60, "2021-11-20")
    listed = json.loads(out(gwgk, "list", "--format", "json"))
    assert {r["id"]: r["percent"] for r in listed}[6] == 60
    # As of a date between the two, the backdated note is the latest.
    then = json.loads(out(gwgk, "--today", "2021-10-15", "show", "6", "--format", "json"))
    assert (then["last_note"], then["percent"]) == ("补记", None)


def test_backdated_percent_that_would_be_overridden_is_refused(table: Path, journal: Path, gwgk) -> None:
    assert gwgk("note", "6", "最新进展", "--percent", "60", "--date", "2021-11-20").exit_code == 0
    before = journal.read_bytes()
    entry = json.loads(before.decode().splitlines()[0])["id"]
    result = gwgk("note", "6", "补记", "--percent", "10", "--date", "2021-10-01")
    assert result.exit_code == 2
    assert result.stderr == (f"错误：任务 6 已于 2021-11-20 登记进度 60%（记录 {entry}，测试员）；2021-10-01 的进度 10%"
                             f"会被它覆盖而不生效。请用 --date 2021-11-20 或更晚，或先 gwgk undo {entry}\n")
    assert journal.read_bytes() == before


@pytest.mark.parametrize("cache", ["on", "off"])
def test_backdated_change_that_a_later_change_overrides_is_refused(table: Path, journal: Path, gwgk,
                                                                   monkeypatch: pytest.MonkeyPatch, cache: str) -> None:
    """The issue's case: done 28 --date 12-01 on a task started 12-17 was accepted and never in force."""
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    assert gwgk("--today", "2021-12-31", "start", "28", "--date", "2021-12-17").exit_code == 0
    entry = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["id"]
    before = journal.read_bytes()
    result = gwgk("--today", "2021-12-31", "done", "28", "--date", "2021-12-01")
    assert result.exit_code == 2
    assert result.stderr == (f"错误：任务 28 已于 2021-12-17 登记为“推进中”（记录 {entry}，测试员）；2021-12-01 的“已完成”"
                             f"会被它覆盖而不生效。请用 --date 2021-12-17 或更晚，或先 gwgk undo {entry}\n")
    assert journal.read_bytes() == before
    # The suggested date works, and every view agrees.
    assert gwgk("--today", "2021-12-31", "done", "28", "--date", "2021-12-17").exit_code == 0
    assert state_of_on(gwgk, 28, "2021-12-31")["status"] == "done"
    listed = json.loads(out(gwgk, "--today", "2021-12-31", "list", "--status", "done", "--format", "json"))
    assert [r["id"] for r in listed] == [28]


def state_of_on(gwgk, task: int, today: str) -> dict:
    result = gwgk("--today", today, "show", str(task), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_backdated_change_before_done_is_refused(table: Path, gwgk) -> None:
    assert gwgk("done", "5", "--date", "2021-11-20").exit_code == 0
    assert gwgk("list").exit_code == 0  # brings the index up to date
    # Recorded afterwards, dated before the task was finished: the finish would override it.
    result = gwgk("block", "5", "--note", "等数据", "--date", "2021-11-01")
    assert result.exit_code == 2 and "会被它覆盖而不生效" in result.stderr
    assert state_of(gwgk, 5)["status"] == "done"


@pytest.mark.parametrize("cache", ["on", "off"])
def test_today_means_the_state_as_of_that_date_everywhere(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch,
                                                           cache: str) -> None:
    """`--today 2021-11-22 list` showed a task done on 11-24 as done."""
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    assert gwgk("--today", "2021-11-30", "done", "20", "--date", "2021-11-24").exit_code == 0
    assert gwgk("--today", "2021-11-30", "list").exit_code == 0  # indexes the latest state
    for today, status in (("2021-11-22", "todo"), ("2021-11-23", "todo"), ("2021-11-24", "done"), ("2021-11-30", "done")):
        listed = {r["id"]: r["status"] for r in json.loads(out(gwgk, "--today", today, "list", "--format", "json"))}
        exported = {r["id"]: r["status"] for r in json.loads(out(gwgk, "--today", today, "export"))}
        assert listed[20] == exported[20] == state_of_on(gwgk, 20, today)["status"] == status, today
        warned = {r["id"] for r in json.loads(out(gwgk, "--today", today, "warn", "--warn-days", "60", "--format", "json"))}
        assert (20 in warned) == (status == "todo"), today  # due 12-31: yellow until done


def test_history_keeps_file_order_for_undo(table: Path, gwgk) -> None:
    """undo reverts the caller's change recorded last, even when it was backdated."""
    assert gwgk("start", "7", "--date", "2021-11-20").exit_code == 0
    assert gwgk("note", "7", "补记的进展", "--date", "2021-10-01").exit_code == 0
    result = gwgk("undo")
    assert result.stdout.startswith("已撤销：任务 7 的进展“补记的进展”")
    assert state_of(gwgk, 7)["status"] == "doing"
