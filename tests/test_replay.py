"""Replay order: a change recorded later with an earlier --date takes its place in time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def state_of(gwgk, task: int) -> dict:  # type: ignore[no-untyped-def]
    result = gwgk("show", str(task), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("cache", ["on", "off"])
def test_backdated_note_does_not_replace_the_latest(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                    cache: str) -> None:
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    assert gwgk("note", "6", "最新进展", "--percent", "60", "--date", "2021-11-20").exit_code == 0
    gwgk("list")  # fills the replay cache
    assert gwgk("note", "6", "补记", "--percent", "10", "--date", "2021-10-01").exit_code == 0
    rec = state_of(gwgk, 6)
    assert (rec["last_note"], rec["percent"], rec["updated"]) == ("最新进展", 60, "2021-11-20")
    listed = json.loads(gwgk("list", "--format", "json").stdout)
    assert {r["id"]: r["percent"] for r in listed}[6] == 60


def test_backdated_change_before_done_keeps_it_done(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    assert gwgk("done", "5", "--date", "2021-11-20").exit_code == 0
    gwgk("list")  # fills the replay cache
    # Recorded afterwards, but dated before the task was finished: it does not undo the finish.
    assert gwgk("reopen", "5", "--date", "2021-11-01").exit_code == 0
    assert state_of(gwgk, 5)["status"] == "done"
    listed = json.loads(gwgk("list", "--format", "json").stdout)  # the cached, incremental path
    assert {r["id"]: r["status"] for r in listed}[5] == "done"


def test_history_keeps_file_order_for_undo(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """undo reverts the change recorded last, even when it was backdated."""
    assert gwgk("start", "7", "--date", "2021-11-20").exit_code == 0
    assert gwgk("note", "7", "补记的进展", "--date", "2021-10-01").exit_code == 0
    result = gwgk("undo")
    assert result.stdout.startswith("已撤销: 任务 7 的进展“补记的进展”")
    assert state_of(gwgk, 7)["status"] == "doing"
