"""The `list` table on a terminal: laid out for 80 columns first (a clerk's Windows Terminal or SSH
window), every line within the width, nothing lost, Chinese line-breaking rules kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gwgk_cli.cli import app
from gwgk_cli.render.cjkwrap import NO_LINE_END, NO_LINE_START, text_width


def table_output(columns: int, *args: str) -> list[str]:
    result = CliRunner().invoke(app, ["list", "--format", "table", *args], env={"COLUMNS": str(columns)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def cells(line: str) -> list[str]:
    """The cells of a table line: runs separated by two or more spaces."""
    import re

    return [c for c in re.split(r" {2,}", line.strip()) if c]


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("extra", [[], ["--collective"], ["--wide"]])
def test_every_line_fits_and_no_cell_line_breaks_a_rule(table: Path, columns: int, extra: list[str]) -> None:
    lines = table_output(columns, "--unit", "指导办", *extra)
    wide = "--wide" in extra
    for line in lines:
        if not wide:
            assert text_width(line) <= columns, line
        for cell in cells(line):
            assert cell[0] not in NO_LINE_START or cell[0].isascii(), line
            assert cell[-1] not in NO_LINE_END, line


def test_80_columns_shows_the_lead_unit_and_no_deadline_phrase(table: Path) -> None:
    lines = table_output(80, "--unit", "指导办")
    header = cells(lines[1])
    assert header == ["序号", "任务", "牵头单位", "到期日", "状态", "信号"]
    starts = [i for i, line in enumerate(lines) if line[:6].strip().isdigit()]
    assert len(starts) == 15
    heights = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert max(heights) <= 3 and sum(heights) <= 2.5 * len(heights)  # where 5–7 lines were needed before


def test_120_columns_and_wide_show_every_column(table: Path) -> None:
    assert cells(table_output(120, "--unit", "指导办")[1]) == ["序号", "任务", "责任单位", "时限", "到期日/剩余", "状态", "信号"]
    assert cells(table_output(80, "--unit", "指导办", "--wide")[1])[3] == "时限"


def test_the_footer_loses_no_character(table: Path, gwgk: Any) -> None:
    lines = table_output(80, "--unit", "指导办")
    start = next(i for i, line in enumerate(lines) if line.startswith("任务表"))
    footer = "".join(lines[start:])
    assert "data/tasks_2021.yaml" in footer or "tasks_2021.yaml" in footer
    assert "参照日期 2021-11-22" in footer.replace("参照日期2021", "参照日期 2021")
    assert "另有 8 项任务只写明“各相关科室”等集体单位" in footer


def test_titles_come_back_whole_from_their_column(table: Path) -> None:
    """Reading the title column top to bottom gives each title back, character for character."""
    from gwgk_cli.render.rich_views import list_columns

    lines = table_output(80, "--unit", "行财科")
    header = lines[1]
    start = header.index("任务")
    width = list_columns(80, [], wide=False)[1].width
    column = [line[start:start + width * 2] for line in lines[3:] if line.strip()]
    text = "".join(c.strip() for c in column if not c.startswith("任务表"))
    assert "公开办公室预算决算" in text


@pytest.mark.parametrize(("setup", "expected"), [
    ([], "信号      ● 绿  还剩 39 天"),
    ([["done", "4"]], "信号      ● 已完成"),  # said once, not "● 已完成  已完成"
    ([["block", "4", "--note", "缺经费"]], "信号      ● 黄  受阻：缺经费"),
])
def test_show_labels_each_field_and_says_the_signal_once(table: Path, gwgk: Any, setup: list[list[str]],
                                                         expected: str) -> None:
    for args in setup:
        assert gwgk("--today", "2021-11-22", *args).exit_code == 0
    result = CliRunner().invoke(app, ["--today", "2021-11-22", "show", "4", "--format", "table"],
                                env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert expected in lines
    labels = [line.split()[0] for line in lines[1:10] if line.strip()]
    assert labels == ["部分", "责任单位", "牵头单位", "时限要求", "到期日", "签收", "状态", "信号", "最近进展"]


def test_warn_wraps_a_long_reason_under_its_text(table: Path, gwgk: Any) -> None:
    """On an 80-column terminal a long 受阻 reason wraps by the Chinese rules, its lines starting under
    the 任务 of `  ● 红  任务` (eight spaces; six put them between the light and the task), every line within
    the width, nothing lost."""
    reason = "专题栏目需省级平台统一开通权限，已于10月15日行文请示，省政务公开办尚未答复，需分管领导出面协调省数据资源局。"
    assert gwgk("--today", "2021-11-22", "block", "2", "--note", reason).exit_code == 0
    result = CliRunner().invoke(app, ["--today", "2022-01-06", "warn", "--unit", "政务公开指导办", "--format", "table"],
                                env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "任务 2 " in line)
    assert lines[first].startswith("  ● 红  任务 2 ")
    wrapped = []
    for line in lines[first + 1:]:
        if not line.startswith(" " * 8):
            break
        assert line[8] != " ", line
        wrapped.append(line[8:])
    assert wrapped and all(text_width(line) <= 80 for line in lines)
    assert "".join([lines[first].split("：", 1)[1], *wrapped]) == f"逾期 6 天；受阻：{reason}"


def column_text(lines: list[str], header: str, first: int, last: int) -> str:
    """What lines[first:last] hold from the display column of `header` (in lines[1]) on, joined: a column's
    cell read top to bottom (CJK characters two columns wide, as the terminal shows them)."""
    start = text_width(lines[1][:lines[1].index(header)])
    out = []
    for line in lines[first:last]:
        col, i = 0, 0
        while i < len(line) and col < start:
            col += text_width(line[i])
            i += 1
        out.append(line[i:].strip())
    return "".join(out)


def row_span(lines: list[str], task_id: int) -> tuple[int, int]:
    """The lines of a task's row in a `list` table: from its id to the next row or the blank line under it."""
    first = next(i for i, line in enumerate(lines) if line[:6].strip() == str(task_id))
    last = next(i for i in range(first + 1, len(lines)) if lines[i][:6].strip() or not lines[i].strip())
    return first, last


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize(("today", "reason"), [
    # within the warning window the reason starts with the days left: `还剩 11 天` alone hid the 受阻.
    ("2021-12-20", "还剩 11 天；受阻：等待审计局审定决算报表"),
    ("2021-11-22", "受阻：等待审计局审定决算报表"),
    ("2022-01-06", "逾期 6 天；受阻：等待审计局审定决算报表"),
])
def test_the_list_gives_a_lights_whole_reason_at_every_width(table: Path, gwgk: Any, columns: int, today: str,
                                                             reason: str) -> None:
    assert gwgk("--today", "2021-11-22", "block", "4", "--note", "等待审计局审定决算报表").exit_code == 0
    lines = table_output(columns, "--today", today)
    first, last = row_span(lines, 4)
    light = "红" if reason.startswith("逾期") else "黄"
    assert column_text(lines, "信号", first, last).replace(" ", "") == f"●{light}{reason}".replace(" ", "")
    assert all(text_width(line) <= columns for line in lines)


@pytest.mark.parametrize("columns", [80, 120])
def test_a_green_light_says_a_pending_request(table: Path, gwgk: Any, columns: int) -> None:
    """Found by a tester: piped, the list said 还剩 39 天（延期至 2022-01-31 未经批准）; at a terminal, ● 绿 alone."""
    assert gwgk("--today", "2021-11-20", "extend", "4", "--to", "2022-01-31", "--note", "等待审计").exit_code == 0
    lines = table_output(columns, "--today", "2021-11-22")
    first, last = row_span(lines, 4)
    assert column_text(lines, "信号", first, last).replace(" ", "") == "●绿延期至2022-01-31未经批准"


LONG_NOTE = ("已对照国家正式版本更新行政法规文本 126 件，其余 37 件正在与司法局逐件核对，预计 12 月上旬完成；"
             "涉及 2019 年以前废止的文本需要单独标注“已失效”并保留历史版本链接")


def terminal(columns: int, *args: str) -> list[str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", [["units", "-F", "table"], ["sections", "-F", "table"], ["log", "-F", "table"],
                                  ["show", "14", "-F", "table"]])
def test_listings_fit_the_window_and_cut_nothing(table: Path, gwgk: Any, columns: int, args: list[str]) -> None:
    """units, sections, log and show's history: every line within the window, no cell cut to `…` (rich's
    own shrinking did that to the units table at 80 columns), no header broken (`集体单` over `位`), no
    line of a cell starting with closing punctuation (`，决算报表`), and a long note read back whole."""
    assert gwgk("note", "14", LONG_NOTE, "--percent", "30").exit_code == 0
    lines = terminal(columns, *args)
    header = next(line for line in lines if line.strip())
    for line in lines:
        assert text_width(line) <= columns, line
        assert "…" not in line, line
        for cell in cells(line):
            assert cell[0] not in NO_LINE_START or cell[0].isascii(), line
    names = {"units": ["单位", "别名", "拼音", "集体", "任务", "牵头", "未开始", "推进中", "已完成", "受阻"],
             "sections": ["编号", "标题", "任务序号"], "log": ["日期", "登记人", "任务", "变更", "进度", "说明", "记录"]}
    if args[0] in names:
        assert cells(header) == names[args[0]]
    if args[0] in ("log", "show"):
        import re

        first = next(i for i, line in enumerate(lines) if line.startswith(" 日期"))
        start = next(i for i, line in enumerate(lines) if line.startswith(" 20") and "已对照" in line)
        end = next(i for i in range(start + 1, len(lines)) if lines[i][:12].strip() or not lines[i].strip())
        row = [re.sub(r"\s+[0-9a-f]{12}\s*$", "", line) for line in lines[start:end]]  # log's 记录 column
        note = column_text(["", lines[first], *row], "说明", 2, len(row) + 2)
        assert note.replace(" ", "") == LONG_NOTE.replace(" ", "")


def test_wide_gives_the_title_only_the_room_it_needs_and_keeps_the_footer_in_the_window(table: Path) -> None:
    """--wide runs past the window by design; its title column was 60 wide whatever the titles (a table of
    140 columns for titles of 26), and the lines under it were wrapped to the table's width, not the window's."""
    lines = table_output(80, "--unit", "秘书", "--wide")
    header = lines[1]
    title_width = text_width(header[header.index("任务"):header.index("责任单位")]) - 3  # less the gap
    assert title_width == text_width("政府公报集中刊载规范性文件")
    start = next(i for i, line in enumerate(lines) if line.startswith("任务表"))
    assert all(text_width(line) <= 80 for line in lines[start:])


def test_room_the_titles_do_not_need_goes_to_a_long_reason(table: Path, gwgk: Any) -> None:
    """At 120 columns the title column had six spare columns while `受阻：公报印刷厂停工` ran to a third line."""
    assert gwgk("--today", "2021-11-22", "block", "19", "--note", "公报印刷厂停工").exit_code == 0
    lines = table_output(120, "--unit", "秘书", "--today", "2021-12-20")
    first, last = row_span(lines, 19)
    assert last - first == 2
    assert "政府公报集中刊载规范性文件" in lines[first]
    assert column_text(lines, "信号", first, last) == "● 黄 还剩 11 天；受阻：公报印刷厂停工"


@pytest.mark.parametrize(("args", "shown"), [(["list"], "2021-12-31"), (["list", "--collective"], "2021-12-31"),
                                             (["units"], "zwgkzdb"), (["log"], "2021-11-22"), (["show", "14"], "2021-11-22")])
def test_a_window_too_narrow_for_the_columns_gets_them_whole(table: Path, gwgk: Any, args: list[str],
                                                            shown: str) -> None:
    """Below some 70 columns a table cannot fit: rich shrank every cell to `…` (`政务…`, `2021-1…`). Now it is
    printed at its own width for the terminal to wrap, nothing cut, no line padded with spaces."""
    assert gwgk("note", "14", LONG_NOTE, "--percent", "30").exit_code == 0
    lines = terminal(50, *args, "-F", "table")
    assert not [line for line in lines if "…" in line]
    assert not [line for line in lines if line.endswith(" ") and text_width(line) > 50]
    assert shown in "\n".join(lines)
