"""Recurring deadlines (每季度, 按月, 每半年, 每年3月底前) in imported notices and in the tables they make.

A recurring deadline (the task is done again each quarter, month, half year) has no one due date: it is
ongoing, as 持续推进 is (no red/yellow light by date, not counted in the completion rate), its phrase kept as
written. ``每年X月底前`` names a date each year: in a one-year plan that is X月底 of the plan year.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.deadlines import describe, is_understood, parse_deadline
from notice_builders import make
from test_import_faults import TITLE, run, warnings

# phrase -> (due in plan year 2022, ongoing)
_PHRASES: list[tuple[str, dt.date | None, bool]] = [
    ("每季度", None, True),
    ("按季度", None, True),
    ("每季", None, True),
    ("每个季度", None, True),
    ("每季度末", None, True),
    ("每季度首月10日前", None, True),
    ("每季度第一个月", None, True),
    ("每月", None, True),
    ("按月", None, True),
    ("按月更新", None, True),
    ("每月10日前", None, True),
    ("每月底前", None, True),
    ("每半年", None, True),
    ("每半年一次", None, True),
    ("每周", None, True),
    ("每年", None, True),
    ("每年3月底前", dt.date(2022, 3, 31), False),
    ("每年度6月底前", dt.date(2022, 6, 30), False),
    ("每年12月31日前", dt.date(2022, 12, 31), False),
    ("每年一季度", dt.date(2022, 3, 31), False),
    ("每年 3 月底前完成", dt.date(2022, 3, 31), False),
    # not understood: kept, no due date, a warning in the import
    ("每年13月", None, False),
    ("每年2021年3月底前", None, False),
    ("每季度大概", None, False),
    ("每", None, False),
]


@pytest.mark.parametrize(("phrase", "due", "ongoing"), _PHRASES, ids=[p for p, _, _ in _PHRASES])
def test_recurring_phrases(phrase: str, due: dt.date | None, ongoing: bool) -> None:
    deadline = parse_deadline(phrase, 2022)
    assert (deadline.phrase, deadline.due, deadline.ongoing) == (phrase, due, ongoing)
    assert is_understood(phrase) is (due is not None or ongoing)
    assert describe(deadline) == (due.isoformat() if due else "持续推进" if ongoing else "未识别")


@pytest.mark.parametrize("phrase", ["持续推进", "年底前", "6月底前", "2022年9月30日", "第三季度", "长期坚持", "上半年"])
def test_the_old_phrases_read_as_before(phrase: str) -> None:
    """Only phrases starting 每/按 are new: the others keep their meaning (old tables load identically)."""
    before = {"持续推进": (None, True), "年底前": (dt.date(2022, 12, 31), False), "6月底前": (dt.date(2022, 6, 30), False),
              "2022年9月30日": (dt.date(2022, 9, 30), False), "第三季度": (dt.date(2022, 9, 30), False),
              "长期坚持": (None, True), "上半年": (dt.date(2022, 6, 30), False)}
    deadline = parse_deadline(phrase, 2022)
    assert (deadline.due, deadline.ongoing) == before[phrase]


def _notice(deadlines: list[str]) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = [("title", TITLE), ("header", ["序号", "具体要求", "责任单位", "完成时限"]),
                                    ("section", "一、主动公开")]
    for n, when in enumerate(deadlines, start=1):
        items.append(("task", [str(n), f"公开第{n}类政府信息。", "县政府办", when]))
    return items


_FORMATS = {
    "n.txt": lambda items: make.to_text(items).encode(),
    "n.html": make.to_html,
    "n.docx": make.to_docx,
    "n.xlsx": make.to_xlsx,
}


@pytest.mark.parametrize("name", sorted(_FORMATS))
def test_recurring_deadlines_import_without_warnings(name: str) -> None:
    """每季度 … were “无法识别，按原文保留（无到期日）” warnings; now understood, kept as written."""
    phrases = ["每季度", "按月", "每半年", "每年3月底前"]
    result = run(_FORMATS[name](_notice(phrases)), name)
    assert [t["deadline"] for t in result.table["tasks"]] == phrases
    assert warnings(result) == []


def test_a_recurring_task_is_ongoing_in_the_loaded_table(tmp_path: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the CLI: the imported table loads; 每季度 is ongoing (no due date), 每年3月底前 due 2022-03-31."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.html").write_bytes(make.to_html(_notice(["每季度", "每年3月底前"])))
    assert gwgk("--today", "2022-03-01", "import", "n.html", "-o", "t.yaml").exit_code == 0
    assert gwgk("--file", "t.yaml", "doctor").exit_code == 0
    listed = gwgk("--today", "2022-03-01", "--file", "t.yaml", "list", "-F", "json")
    assert listed.exit_code == 0
    got = [(r["id"], r["deadline"], r["due"], r["ongoing"], r["days_left"]) for r in json.loads(listed.stdout)]
    assert got == [(1, "每季度", None, True, None), (2, "每年3月底前", "2022-03-31", False, 30)]
