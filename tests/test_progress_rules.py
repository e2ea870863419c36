"""Rules that keep a task's record consistent: a finished task is at 100%."""

from __future__ import annotations

import json
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


def test_undoing_a_reopen_under_a_later_percent_is_refused(gwgk: Any, journal: Path) -> None:
    """Found by the hostile round: undoing a 重新打开 made the task done again, and 王芳's later 60% stopped
    counting while `note --percent` refused any new one; doctor said nothing."""
    assert gwgk("--today", "2021-11-10", "done", "12").exit_code == 0
    assert gwgk("--today", "2021-11-12", "reopen", "12", "--note", "需补充").exit_code == 0
    reopen_id = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])["id"]
    assert gwgk("--today", "2021-11-13", "note", "12", "补充一半", "--percent", "60").exit_code == 0
    note_id = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])["id"]
    result = gwgk("--today", "2021-11-14", "undo", reopen_id)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：任务 12 在此之后还有2021-11-13 登记进度 60%（记录 {note_id}，测试员），撤销后任务将回到"
                             f"“已完成”，这一进度便不再成立；请先撤销它：gwgk undo {note_id}\n")
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 3
    assert gwgk("--today", "2021-11-14", "undo", note_id).exit_code == 0
    assert gwgk("--today", "2021-11-14", "undo", reopen_id).exit_code == 0  # then it may go

