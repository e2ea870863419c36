"""Deadlines as other offices write them, through the import: a deadline written in the requirement when the
table has none (taken, said in a warning, --explain and the YAML), phrases without a date (及时, 按上级要求 …)
and compound ones read without a warning, and the summary counting the deadlines not understood."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gwgk_cli.importer import ImportResult, import_notice
from notice_builders import WRITERS

IMPORTED = dt.date(2022, 3, 1)
TITLE = "示例县2022年政务公开重点工作任务分工"


def _items(header: list[str], rows: list[list[str]]) -> list[tuple[str, Any]]:
    return [("title", TITLE), ("line", "发布时间：2022-02-20"), ("header", header), ("section", "一、推进决策公开"),
            *(("task", row) for row in rows)]


def _run(data: bytes, name: str) -> ImportResult:
    return import_notice(data, source_name=name, imported=IMPORTED)


def _warnings(result: ImportResult) -> list[str]:
    return [w.message for w in result.warnings]


# A notice without a 时限 column: the requirement says the deadline, or does not (a date that is no deadline).
_NO_COLUMN = [
    ["1", "2022年10月底前编制完成县级政府信息公开目录。", "县政府办"],
    ["2", "做好政策解读，力争年底前实现全覆盖。", "县司法局"],
    ["3", "截至2021年底的统计数据及时公开。", "县统计局"],
    ["4", "2021年以来出台的规范性文件全部公开。", "县司法局"],
    ["5", "9月底前启动目录编制，年底前完成。", "县政府办"],
]
_TAKEN = {1: "2022年10月底前", 2: "年底前", 5: "年底前"}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_deadline_written_in_the_requirement_is_taken_when_the_table_has_none(name: str) -> None:
    """Without a 时限 column every task lacked its deadline (and the table did not load): a date at the start of
    a sentence of the requirement, ending in 前/内, is its deadline; 截至2021年底的数据, 2021年以来 are none."""
    result = _run(WRITERS[name](_items(["序号", "具体要求", "责任单位"], _NO_COLUMN)), name)
    tasks = result.table["tasks"]
    assert [(t["id"], t["deadline"]) for t in tasks] == [(1, "2022年10月底前"), (2, "年底前"), (3, ""), (4, ""), (5, "年底前")]
    assert [t["requirement"] for t in tasks] == [row[1] for row in _NO_COLUMN]  # the requirement keeps its text
    assert tasks[0]["title"] == "编制完成县级政府信息公开目录"  # drafted from what follows the deadline
    assert _warnings(result) == [
        "任务 1 没有时限要求，取具体要求中的“2022年10月底前”作为时限要求，请核对",
        "任务 2 没有时限要求，取具体要求中的“年底前”作为时限要求，请核对",
        "任务 3 缺少时限要求（请人工补全）",
        "任务 4 缺少时限要求（请人工补全）",
        "任务 5 没有时限要求，取具体要求中的“年底前”作为时限要求，请核对",
    ]
    notes = [part for e in result.explain for part in e.became.split("；") if "取自具体要求" in part]
    assert notes == [f"任务 {k} 时限要求（取自具体要求中的“{v}”）" for k, v in _TAKEN.items()]
    assert {k: v for k, v in result.placeholders.items() if k.startswith("tasks.")} == {f"tasks.{k}.deadline": "通知中此项没有时限要求，取自具体要求中的文字，请核对"
                                   for k in _TAKEN}


def test_an_empty_deadline_cell_takes_the_requirements_and_a_written_one_is_kept() -> None:
    rows = [["1", "6月30日前公开年度报告。", "县政府办", ""], ["2", "年底前完成目录编制。", "县司法局", "9月底前"]]
    result = _run(WRITERS["n.html"](_items(["序号", "具体要求", "责任单位", "完成时限"], rows)), "n.html")
    assert [t["deadline"] for t in result.table["tasks"]] == ["6月30日前", "9月底前"]
    assert _warnings(result) == ["任务 1 没有时限要求，取具体要求中的“6月30日前”作为时限要求，请核对"]


def test_a_deadline_of_another_year_in_the_requirement_is_not_taken() -> None:
    """2020年底前已完成… tells what was done; 2030年底前建成… a long-term goal: neither is the plan's deadline."""
    rows = [["1", "2020年底前已完成的清单继续公开。", "县政府办"], ["2", "2030年底前建成一体化平台。", "县数据局"]]
    result = _run(WRITERS["n.txt"](_items(["序号", "具体要求", "责任单位"], rows)), "n.txt")
    assert [t["deadline"] for t in result.table["tasks"]] == ["", ""]
    assert _warnings(result) == ["任务 1 缺少时限要求（请人工补全）", "任务 2 缺少时限要求（请人工补全）"]


# Deadlines as other offices write them, in the 时限 column: no warning, and what they mean.
_WRITTEN = [
    ("及时", None, True),
    ("动态更新", None, True),
    ("常年坚持", None, True),
    ("根据上级部署", None, True),
    ("按规定时限", None, True),
    ("依法依规", None, True),
    ("长期坚持（每季度更新）", None, True),
    ("持续推进，12月底前完成阶段任务", "2022-12-31", False),
    ("2022年12月底前完成，并持续推进", "2022-12-31", False),
    ("9月底前启动，年底前完成", "2022-12-31", False),
    ("次年1月底前", "2023-01-31", False),
]


def test_deadlines_other_offices_write_import_without_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 gwgk) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    rows = [[str(k), f"做好第{k}项公开工作。", "县政府办", phrase] for k, (phrase, _, _) in enumerate(_WRITTEN, 1)]
    rows.append([str(len(rows) + 1), "做好解读。", "县司法局", "尽快"])
    (tmp_path / "n.html").write_bytes(WRITERS["n.html"](_items(["序号", "具体要求", "责任单位", "时限要求"], rows)))
    result = gwgk("--today", "2022-03-01", "import", "n.html", "-o", "t.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr == "警告：n.html: 第 19 行：任务 12 的时限要求“尽快”无法识别，按原文保留（无到期日）\n"
    assert result.stdout.splitlines() == [
        "已写入 t.yaml",
        "导入完成：1 个部分，0 个小节，12 项任务，1 条警告（其中 1 项任务的时限要求无法识别，按原文保留，无到期日）",
    ]
    listed = gwgk("--today", "2022-03-01", "--file", "t.yaml", "list", "-F", "json")
    assert listed.exit_code == 0, listed.output
    records = json.loads(listed.stdout)
    assert [(r["deadline"], r["due"], r["ongoing"]) for r in records] == [*_WRITTEN, ("尽快", None, False)]
    doctor = gwgk("--file", "t.yaml", "doctor")
    assert "无法识别的时限" in doctor.output
    assert [line for line in doctor.output.splitlines() if "无法识别的时限" in line] == [
        line for line in doctor.output.splitlines() if "尽快" in line and "无法识别的时限" in line]


def test_the_table_says_where_a_taken_deadline_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         gwgk) -> None:  # type: ignore[no-untyped-def]
    """The real CLI: the warning, the YAML comment at the value, and a table that loads (it did not before:
    every deadline was empty)."""
    monkeypatch.chdir(tmp_path)
    rows = [["1", "2022年10月底前编制完成县级政府信息公开目录。", "县政府办"], ["2", "做好政策解读，力争年底前实现全覆盖。", "县司法局"]]
    (tmp_path / "n.txt").write_bytes(WRITERS["n.txt"](_items(["序号", "具体要求", "责任单位"], rows)))
    result = gwgk("--today", "2022-03-01", "import", "n.txt", "-o", "t.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "警告：n.txt: 第 8 行：任务 1 没有时限要求，取具体要求中的“2022年10月底前”作为时限要求，请核对",
        "警告：n.txt: 第 11 行：任务 2 没有时限要求，取具体要求中的“年底前”作为时限要求，请核对",
    ]
    text = (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("  deadline:")] == [
        "  deadline: 2022年10月底前  # 通知中此项没有时限要求，取自具体要求中的文字，请核对",
        "  deadline: 年底前  # 通知中此项没有时限要求，取自具体要求中的文字，请核对",
    ]
    assert [t["deadline"] for t in yaml.safe_load(text)["tasks"]] == ["2022年10月底前", "年底前"]
    assert gwgk("--file", "t.yaml", "doctor").exit_code == 0
    listed = gwgk("--today", "2022-03-01", "--file", "t.yaml", "list", "-F", "json")
    assert [r["due"] for r in json.loads(listed.stdout)] == ["2022-10-31", "2022-12-31"]


def test_the_summary_counts_the_deadlines_not_understood() -> None:
    rows = [["1", "公开预算。", "县财政局", "尽快"], ["2", "公开决算。", "县财政局", "视情况而定"], ["3", "公开目录。", "县政府办", "及时"]]
    result = _run(WRITERS["n.txt"](_items(["序号", "具体要求", "责任单位", "时限要求"], rows)), "n.txt")
    assert result.unread_deadlines() == 2
    assert result.summary() == "1 个部分，0 个小节，3 项任务，2 条警告（其中 2 项任务的时限要求无法识别，按原文保留，无到期日）"


# --------------------------------------------------------------------------- a hand-edited table (gwgk doctor)

_HAND_WRITTEN = [
    ("及时更新", ""),
    ("按上级要求", ""),
    ("持续推进，12月底前完成阶段任务", ""),
    ("尽快", "任务 4 字段 deadline: 无法识别的时限 '尽快'（保留原文，无到期日）"),
    ("2020年6月底前", "任务 4 字段 deadline: 时限 '2020年6月底前' 在计划年度 2021 年之前（2020-06-30），请核对"),
    ("次年1月底前", ""),
]


@pytest.mark.parametrize(("phrase", "problem"), _HAND_WRITTEN)
def test_doctor_on_a_deadline_written_by_hand(table: Path, gwgk, phrase: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    """The phrases other offices write need no fix; one not understood, or due before the plan year (last year's
    text left in: overdue from the first day, unnoticed before), is named."""
    text = table.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(k for k, line in enumerate(lines) if line == "  - id: 4\n")
    at = next(k for k in range(at, len(lines)) if lines[k].startswith("    deadline:"))
    lines[at] = f"    deadline: {phrase}\n"
    table.write_text("".join(lines), encoding="utf-8")
    result = gwgk("doctor")
    found = [line for line in result.output.splitlines() if "任务 4" in line]
    if problem:
        assert result.exit_code == 1
        assert [line.split(": ", 1)[1] for line in found] == [problem]
    else:
        assert result.exit_code == 0, result.output
        assert found == []


def test_a_date_past_at_publication_is_not_taken_and_a_title_is_drafted_after_yu() -> None:
    """Found in review: published 2022-02-20, 于1月31日前公布… made the task red from its first day; and a title
    drafted from 于6月30日前报送… kept 于6月30日前 (removeprefix missed the 于)."""
    rows = [["1", "于1月31日前公布上一年度工作报告。", "县政府办"], ["2", "于6月30日前报送年度统计数据。", "县统计局"]]
    result = _run(WRITERS["n.txt"](_items(["序号", "具体要求", "责任单位"], rows)), "n.txt")
    tasks = result.table["tasks"]
    assert [t["deadline"] for t in tasks] == ["", "6月30日前"]
    assert tasks[1]["title"] == "报送年度统计数据"


def test_a_deadline_after_the_plan_year_written_with_its_year_is_questioned() -> None:
    """Found by a hostile tester: 2023年6月底前 in a 2022 notice passed without a word and stayed green all
    year; 次年1月底前 (the year after, meant) is not questioned."""
    rows = [["1", "建成一体化平台。", "县数据局", "2023年6月底前"], ["2", "公开年度报告。", "县政府办", "次年1月底前"]]
    result = _run(WRITERS["n.html"](_items(["序号", "具体要求", "责任单位", "完成时限"], rows)), "n.html")
    assert _warnings(result) == ["任务 1 的时限要求“2023年6月底前”在计划年度 2022 年之后（2023-06-30），本年度内不会亮黄灯"
                                 "或红灯；如是跨年度任务可不改，请核对"]
