"""Rules that keep a task's record consistent: a finished task is at 100%."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_percent_below_100_on_a_done_task_is_refused_and_nothing_written(gwgk: Any, journal: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    before = journal.read_bytes()
    result = gwgk("note", "4", "补充材料", "--percent", "50")
    assert result.exit_code == 2
    assert "任务 4 已完成，不能把进度记为 50%" in result.output
    assert "gwgk reopen 4" in result.output
    assert journal.read_bytes() == before


def test_a_note_without_percent_on_a_done_task_is_fine(gwgk: Any, journal: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    assert gwgk("note", "4", "已归档佐证材料").exit_code == 0
    shown = gwgk("show", "4", "--format", "json")
    assert shown.exit_code == 0
    assert '"percent": 100' in shown.output and '"status": "done"' in shown.output


def test_reopened_task_takes_a_percent_again(gwgk: Any, table: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    assert gwgk("reopen", "4").exit_code == 0
    assert gwgk("note", "4", "补充", "--percent", "80").exit_code == 0
