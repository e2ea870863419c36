"""The 周报 names each task once, in the place that says what to do about it.

Found by a review: a 持续推进 task nobody updated for the stale window was listed under 四、预警事项 (以下 N 项
持续推进任务较长时间未更新进展，请牵头单位及时登记) and again under 六、（二）持续推进事项, as if on track there; a
blocked one likewise in the warnings table and again there. The builder (report.build_report) leaves the
tasks named in 预警事项 out of 持续推进事项, so every format (text, Markdown, HTML, Word) agrees.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Status
from gwgk_cli.report import JournalEntries, WeeklyReport, build_report, resolve_period
from gwgk_cli.signals import Thresholds
from gwgk_cli.table import load_table

TABLE = Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml"
ONGOING = [5, 24, 25, 26, 27]  # the bundled table's 持续推进 tasks
TODAY = dt.date(2021, 11, 22)


def entry(n: int, task: int, day: dt.date, op: str, **fields: Any) -> Entry:
    return Entry(id=f"e{n:03d}", at=f"{day.isoformat()}T09:00:00+08:00", date=day, by="测试员", task=task, op=op,
                 lineno=n, **fields)


def weekly(entries: list[Entry], today: dt.date = TODAY) -> WeeklyReport:
    plan = load_table(TABLE)
    return build_report(plan, JournalEntries(entries), period=resolve_period(today, None, None, None), today=today,
                        by="测试员", thresholds=Thresholds(), include_collective=True)


def ids(recs: list[Any]) -> list[int]:
    return [r["id"] for r in recs]


UPDATED = entry(1, 24, dt.date(2021, 11, 20), "note", note="本月受理 12 件")
BLOCKED = entry(2, 25, dt.date(2021, 11, 20), "status", from_status=Status.TODO, to_status=Status.BLOCKED,
                note="等复议材料")
DONE = entry(3, 26, dt.date(2021, 11, 19), "status", from_status=Status.TODO, to_status=Status.DONE)


@pytest.mark.parametrize(
    ("why", "entries", "stale", "warned", "ongoing"),
    [
        ("nothing recorded: every 持续推进 task is stale, named in 预警事项 only", [], ONGOING, [], []),
        ("one updated (on track), one blocked (a warning), one done", [UPDATED, BLOCKED, DONE], [5, 27], [25], [24]),
        ("one updated only", [UPDATED], [5, 25, 26, 27], [], [24]),
    ],
)
def test_each_ongoing_task_is_named_once(why: str, entries: list[Entry], stale: list[int], warned: list[int],
                                         ongoing: list[int]) -> None:
    report = weekly(entries)
    assert ids(report.stale) == stale, why
    assert [i for i in ids(report.warnings) if i in ONGOING] == warned, why
    assert ids(report.ongoing) == ongoing, why
    # Named once: no task in two of the lists, and no open 持续推进 task left out of all of them.
    named = ids(report.warnings) + ids(report.stale) + ids(report.ongoing)
    assert len(named) == len(set(named)), why
    open_ongoing = {r["id"] for r in report.annex if r["ongoing"] and r["status"] != "done"}
    assert open_ongoing == set(stale) | set(warned) | set(ongoing), why


def test_the_printed_report_names_a_stale_task_once(gwgk: Any, table: Path, journal: Path) -> None:
    """The printout (text and Markdown): the stale ones under 预警事项, the one on track under 持续推进事项."""
    assert gwgk("--today", "2021-11-20", "note", "24", "本月受理 12 件").exit_code == 0
    for fmt in ("text", "md"):
        result = gwgk("--today", "2021-11-22", "report", "--format", fmt)
        assert result.exit_code == 0, result.output
        body = result.stdout[:result.stdout.index("重点任务推进情况台账")]  # the 附件 names every task
        warnings = body[body.index("四、预警事项"):body.index("五、")]
        ongoing = body[body.index("（二）持续推进事项"):]
        assert "以下 4 项持续推进任务较长时间未更新进展" in warnings, fmt
        for task, title in [(5, "重大政策权威发布和深入解读"), (25, "规范信息公开行政复议审理"),
                            (26, "提高年报编制发布水平"), (27, "开展信息公开业务培训")]:
            assert warnings.count(title) == 1 and title not in ongoing, (fmt, task)
        assert "提高依申请公开办理质量" in ongoing and "提高依申请公开办理质量" not in warnings, fmt
        assert re.findall(r"\b2[4-7]\b", ongoing) == ["24"], fmt


def test_no_ongoing_task_on_track_says_where_they_are(gwgk: Any, table: Path) -> None:
    """Every ongoing task named under 预警事项 (nothing recorded yet): 持续推进事项 says so, not 无持续推进事项。"""
    result = gwgk("--today", "2021-11-22", "report")
    assert result.exit_code == 0, result.output
    ongoing = result.stdout[result.stdout.index("（二）持续推进事项"):]
    assert ongoing.splitlines()[1].strip() == "持续推进事项 5 项，均已列入上文预警事项。"
    assert "无持续推进事项" not in result.stdout
