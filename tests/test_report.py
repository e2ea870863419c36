"""gwgk report (周报 in text, Markdown and printable HTML) and gwgk export.

The snapshots in tests/snapshots/ are the whole report for a fixture journal over the 2021 table;
regenerate them after a deliberate change with GWGK_UPDATE_SNAPSHOTS=1 and review the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.errors import BadValue
from gwgk_cli.report import Period, note_items, parse_week, resolve_period
from gwgk_cli.report_wording import bar_text, full_width

FIXTURES = Path(__file__).parent / "fixtures" / "report"
SNAPSHOTS = Path(__file__).parent / "snapshots"
W47 = ("--today", "2021-11-24", "report", "--week", "2021-W47")
D = dt.date


@pytest.fixture
def w47(journal: Path) -> Path:
    """The fixture journal: changes before, during (22–24 Nov) and after (26 Nov) week 47, one undone."""
    shutil.copyfile(FIXTURES / "w47.progress.jsonl", journal)
    return journal


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("GWGK_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.is_file(), f"no snapshot {path}: run with GWGK_UPDATE_SNAPSHOTS=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs (GWGK_UPDATE_SNAPSHOTS=1 regenerates it)"


# --------------------------------------------------------------------------- periods

WEEKS = [
    ("2021-W47", D(2021, 11, 22), D(2021, 11, 28)),
    ("2021W47", D(2021, 11, 22), D(2021, 11, 28)),
    ("2021-w47", D(2021, 11, 22), D(2021, 11, 28)),
    (" 2021-W01 ", D(2021, 1, 4), D(2021, 1, 10)),
    ("2021-W1", D(2021, 1, 4), D(2021, 1, 10)),
    ("2020-W53", D(2020, 12, 28), D(2021, 1, 3)),
    ("2021-W52", D(2021, 12, 27), D(2022, 1, 2)),
]


@pytest.mark.parametrize(("text", "start", "end"), WEEKS)
def test_parse_week(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_week(text) == Period(start, end)


@pytest.mark.parametrize("text", ["2021-W53", "2021-W00", "2021-W54", "2021-47", "W47", "21-W47", "2021-W47-1",
                                  "2021/W47", "", "二〇二一年第47周"])
def test_parse_week_rejects(text: str) -> None:
    with pytest.raises(BadValue):
        parse_week(text)


PERIODS = [
    # (week, from, to, today) -> (start, end)
    ((None, None, None, D(2021, 11, 24)), (D(2021, 11, 22), D(2021, 11, 28))),
    ((None, None, None, D(2021, 11, 22)), (D(2021, 11, 22), D(2021, 11, 28))),
    ((None, None, None, D(2021, 11, 28)), (D(2021, 11, 22), D(2021, 11, 28))),
    (("2021-W40", None, None, D(2021, 11, 24)), (D(2021, 10, 4), D(2021, 10, 10))),
    ((None, D(2021, 11, 1), D(2021, 11, 30), D(2021, 11, 24)), (D(2021, 11, 1), D(2021, 11, 30))),
    ((None, D(2021, 11, 24), D(2021, 11, 24), D(2021, 11, 24)), (D(2021, 11, 24), D(2021, 11, 24))),
]


@pytest.mark.parametrize(("args", "expected"), PERIODS)
def test_resolve_period(args: tuple, expected: tuple) -> None:
    week, start, end, today = args
    assert resolve_period(today, week, start, end) == Period(*expected)


@pytest.mark.parametrize("args", [
    ("2021-W47", D(2021, 11, 1), None),
    ("2021-W47", None, D(2021, 11, 30)),
    (None, D(2021, 11, 1), None),
    (None, None, D(2021, 11, 30)),
    (None, D(2021, 11, 30), D(2021, 11, 1)),
])
def test_resolve_period_rejects(args: tuple) -> None:
    with pytest.raises(BadValue):
        resolve_period(D(2021, 11, 24), *args)


LABELS = [
    (Period(D(2021, 11, 22), D(2021, 11, 28)), "2021年第47周，11月22日—11月28日", "本周"),
    (Period(D(2021, 12, 27), D(2022, 1, 2)), "2021年第52周，2021年12月27日—2022年1月2日", "本周"),
    (Period(D(2025, 12, 29), D(2026, 1, 4)), "2026年第1周，2025年12月29日—2026年1月4日", "本周"),
    (Period(D(2021, 11, 1), D(2021, 11, 30)), "2021年11月1日—11月30日", "本期"),
    (Period(D(2021, 11, 23), D(2021, 11, 29)), "2021年11月23日—11月29日", "本期"),
    (Period(D(2021, 12, 20), D(2022, 1, 9)), "2021年12月20日—2022年1月9日", "本期"),
]


@pytest.mark.parametrize(("period", "label", "word"), LABELS)
def test_period_label(period: Period, label: str, word: str) -> None:
    assert period.label() == label
    assert period.word == word


def test_following_period_has_the_same_length() -> None:
    assert Period(D(2021, 11, 22), D(2021, 11, 28)).following() == Period(D(2021, 11, 29), D(2021, 12, 5))
    assert Period(D(2021, 11, 1), D(2021, 11, 30)).following() == Period(D(2021, 12, 1), D(2021, 12, 30))


@pytest.mark.parametrize(("args", "message"), [
    (("--week", "2021-W53"), "只有第 1–52 周"),
    (("--week", "47"), "无效的周次"),
    (("--from", "2021-11-01"), "需同时给出"),
    (("--from", "2021-11-30", "--to", "2021-11-01"), "晚于"),
    (("--from", "2021-11-31", "--to", "2021-12-01"), "无效的日期 --from"),
    (("--week", "2021-W47", "--from", "2021-11-01", "--to", "2021-11-02"), "不能与"),
])
def test_bad_period_exits_2(gwgk, table: Path, args: tuple[str, ...], message: str) -> None:
    result = gwgk("report", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert result.stderr.count("\n") == 1


# --------------------------------------------------------------------------- the report, as snapshots


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("md", "md"), ("html", "html")])
def test_snapshot(gwgk, w47: Path, fmt: str, suffix: str) -> None:
    result = gwgk(*W47, "--format", fmt, "--notes", str(FIXTURES / "notes.md"))
    assert result.exit_code == 0, result.output
    check_snapshot(f"report-2021-W47.{suffix}", result.stdout)
    again = gwgk(*W47, "--format", fmt, "--notes", str(FIXTURES / "notes.md"))
    assert again.stdout == result.stdout  # byte-identical for the same inputs


def test_piped_text_is_the_default_and_plain(gwgk, w47: Path) -> None:
    result = gwgk("--today", "2021-11-24", "report")  # the ISO week containing --today
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert result.stdout == gwgk(*W47).stdout
    first, title = result.stdout.splitlines()[:2]
    assert first.strip() == "第 12 期"  # ISO week 47; the notice was published in week 36, 第 1 期
    assert title.strip() == "淮南市人民政府办公室2021年政务公开重点工作任务推进情况周报"
    assert "（2021年第47周，11月22日—11月28日）" in result.stdout


def test_report_contents(gwgk, w47: Path) -> None:
    out = gwgk(*W47).stdout
    order = ["数据截至 2021年11月24日", "编制：测试员", "一、总体情况", "二、各单位推进情况", "三、本周工作进展",
             "四、预警事项", "五、催报事项", "六、下周到期及持续推进事项", "附件"]
    assert [out.index(s) for s in order] == sorted(out.index(s) for s in order)
    assert ("共 28 项：已完成 3 项，推进中 7 项，未开始 17 项，受阻 1 项。"
            "有明确时限的 23 项中已完成 3 项，完成率 13.0%。") in out
    assert "持续推进任务 5 项（不计入完成率）：推进中 2 项，未开始 3 项。" in out
    assert "预警：红灯 0 项，黄灯 5 项" in out
    assert ("本周新完成 2 项（任务 4“公开办公室预算决算”、任务 14“更新网站行政法规文本”）；"
            "新增受阻 1 项（任务 23“完善列席政府有关会议制度”）；解除受阻 1 项（任务 19“政府公报集中刊载规范性文件”）") in out
    assert "本周共登记进展 8 条" in out
    assert re.search(r"行财科 +1 +1 +1 +0 +0 +0  ■■■■■■■■■■ 100%", out)
    assert re.search(r"各相关科室（集体） +8 +10 ", out)  # the collective unit has its row
    assert "任务 4“公开办公室预算决算”：完成；2021年部门预算" in out
    assert "任务 23“完善列席政府有关会议制度”：受阻；列席会议制度草案待分管领导审定（11月23日，孙丽）" in out
    assert "误记" not in out  # an undone note is not progress
    body = out[:out.index("附件")]
    assert "任务 15" not in body  # done on 26 Nov, after the as-of date
    warnings = out[out.index("四、预警事项"):out.index("五、")]
    assert [int(m) for m in re.findall(r"黄灯 +(\d+)", warnings)] == [20, 23]
    assert re.findall(r"^ +(\d+) +\S+ +政务公开指导办 +未开始 +75 天未更新", warnings, re.M) == ["25", "26", "27"]
    assert "下周无到期任务" in out
    # The latest note of an ongoing task, its comma made full-width for the leader who reads it.
    assert "10月受理依申请公开 36 件，均按期答复（11月10日）" in out
    assert "存在问题" not in out  # only with --notes


def test_past_week_is_reported_as_of_its_end(gwgk, w47: Path) -> None:
    """Run later, a past week is reported as of its last day, the same whenever it is run."""
    out = gwgk("--today", "2021-12-08", "report", "--week", "2021-W47").stdout
    assert "数据截至 2021年11月28日" in out
    assert "任务 15“集中规范公开规章和规范性文件”：完成" in out  # done on 26 Nov, inside the week
    assert out == gwgk("--today", "2022-03-01", "report", "--week", "2021-W47").stdout


def test_empty_week(gwgk, w47: Path) -> None:
    result = gwgk("--today", "2021-12-08", "report", "--week", "2021-W49", "--format", "md")
    assert result.exit_code == 0
    out = result.stdout
    for heading in ("一、总体情况", "二、各单位推进情况", "三、本周工作进展", "四、预警事项", "五、催报事项",
                    "六、下周到期及持续推进事项"):
        assert f"## {heading}" in out
    assert "本周任务状态无变化" in out
    assert "本周无进展登记" in out
    assert "已完成 4 项" in out  # the state carried over from earlier weeks


def test_empty_journal(gwgk, table: Path) -> None:
    out = gwgk(*W47).stdout
    assert "已完成 0 项，推进中 0 项，未开始 28 项，受阻 0 项。有明确时限的 23 项中已完成 0 项，完成率 0.0%" in out
    assert "本周无进展登记" in out
    assert "  （二）持续推进事项" in out


def test_red_and_due_next(gwgk, w47: Path) -> None:
    due = gwgk("--today", "2021-12-22", "report", "--week", "2021-W51").stdout
    part = due[due.index("（一）下周到期任务（2021年12月27日—2022年1月2日）"):due.index("（二）持续推进事项")]
    assert "12月31日" in part and "公开办公室预算决算" not in part  # task 4 is done
    late = gwgk("--today", "2022-01-05", "report", "--week", "2022-W01").stdout
    assert "（2022年第1周，1月3日—1月9日）" in late
    assert re.search(r"红灯 +1 +公开各类规划及历史规划 +政务公开指导办 +2021年12月31日 +推进中 +— +逾期 5 天", late)
    assert "预警：红灯 19 项（已逾期、尚未完成），黄灯 5 项" in late


def test_due_next_is_by_the_date_in_force(gwgk, w47: Path) -> None:
    """Found by a reader: 下周到期 went by the table's deadline, not an extension's (the rest of the 周报 did)."""
    assert gwgk("--today", "2021-12-20", "extend", "6", "--to", "2022-01-20", "--note", "等待企业名录",
                "--approved-by", "王主任").exit_code == 0
    # Not approved, the table's date still counts (the 通报 will call it overdue): listed by either date (review).
    assert gwgk("--today", "2021-12-20", "extend", "3", "--to", "2022-01-20", "--note", "等待").exit_code == 0
    week51 = gwgk("--today", "2021-12-22", "report", "--week", "2021-W51").stdout
    part = week51[week51.index("（一）下周到期任务"):week51.index("（二）持续推进事项")]
    assert "公开各类规划及历史规划" in part and "围绕双招双引推进对企信息公开" not in part
    assert "专题公开高标准市场体系政策" in part
    week02 = gwgk("--today", "2022-01-12", "report", "--week", "2022-W02").stdout
    part = week02[week02.index("（一）下周到期任务"):week02.index("（二）持续推进事项")]
    assert "围绕双招双引推进对企信息公开" in part and "1月20日" in part


def test_custom_period_words(gwgk, w47: Path) -> None:
    out = gwgk("--today", "2021-11-24", "report", "--from", "2021-11-01", "--to", "2021-11-30").stdout
    assert "任务推进情况报告\n" in out
    assert "（2021年11月1日—11月30日）" in out
    assert "三、本期工作进展" in out and "（一）下期到期任务（12月1日—12月30日）" in out


def test_unit_filter(gwgk, w47: Path) -> None:
    out = gwgk(*W47, "--unit", "秘书一室").stdout
    assert "范围：秘书一室的任务" in out
    assert "共 2 项" in out
    units = out[out.index("二、各单位推进情况"):out.index("三、")]
    assert "秘书一室" in units and "政务公开指导办" not in units
    assert "任务 19" in out and "任务 4 " not in out
    assert gwgk(*W47, "--unit", "没有这个科").exit_code == 2


def test_unit_filter_collective(gwgk, w47: Path) -> None:
    without = gwgk(*W47, "--unit", "指导办").stdout
    assert "另有 8 项只写明“各相关科室”等集体单位的任务未计入" in without
    with_them = gwgk(*W47, "--unit", "指导办", "--collective").stdout
    assert "共 23 项" in with_them and "未计入" not in with_them


def test_terminal_uses_rich(gwgk, w47: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gwgk_cli.cli.report.stdout_is_terminal", lambda: True)
    result = gwgk(*W47)
    assert result.exit_code == 0
    assert "一、总体情况" in result.stdout and "任务 14“更新网站行政法规文本”：完成" in result.stdout


def test_progress_bar() -> None:
    assert bar_text(0) == "□" * 10
    assert bar_text(30) == "■■■" + "□" * 7
    assert bar_text(45) == "■" * 5 + "□" * 5
    assert bar_text(100) == "■" * 10


# --------------------------------------------------------------------------- formats


def test_html_is_self_contained_and_printable(gwgk, w47: Path) -> None:
    html = gwgk(*W47, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    lowered = html.lower()
    for banned in ("<script", "http", "@import", "url(", "<link", "src=", "href=", "@font-face"):
        assert banned not in lowered, banned
    assert "@page" in html and "size: A4 portrait" in html and "counter(page)" in html
    assert "table-layout: fixed" in html and "word-break" in html
    assert "break-inside: avoid" in html and "page-break-inside: avoid" in html
    assert "display: table-header-group" in html
    assert "仿宋" in html and "FangSong" in html and "SimHei" in html
    assert '<meta charset="utf-8">' in html and 'lang="zh-CN"' in html
    assert "<h1>淮南市人民政府办公室<br>2021年政务公开重点工作任务推进情况周报</h1>" in html


def test_html_escapes(gwgk, w47: Path) -> None:
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"b1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"<b>某</b>","task":1,'
                 '"op":"note","note":"<script>alert(1)</script> & “引号”"}\n')
    html = gwgk(*W47, "--format", "html").stdout
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”" in html and "&lt;b&gt;某&lt;/b&gt;" in html


def md_tables(text: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def md_cells(line: str) -> int:
    return len(re.split(r"(?<!\\)\|", line)) - 2


def test_markdown_tables_are_valid(gwgk, w47: Path) -> None:
    md = gwgk(*W47, "--format", "md").stdout
    tables = md_tables(md)
    assert len(tables) >= 6  # status, units, warnings, stale, ongoing, the 附件
    for rows in tables:
        widths = {md_cells(r) for r in rows}
        assert len(widths) == 1, rows
        assert re.fullmatch(r"\|( -{3,}:? \|)+", rows[1]), rows[1]
        assert all(r.endswith(" |") for r in rows)
    assert "12 条\\|专栏访问量" in md  # a | inside a cell is escaped
    assert md.startswith("第 12 期\n\n# 淮南市人民政府办公室2021年政务公开重点工作任务推进情况周报（2021年第47周，11月22日—11月28日）\n")


# --------------------------------------------------------------------------- notes


@pytest.mark.parametrize("name", ["notes.md", "notes.yaml"])
def test_notes(gwgk, w47: Path, name: str) -> None:
    out = gwgk(*W47, "--notes", str(FIXTURES / name)).stdout
    assert out.index("六、下周到期") < out.index("七、存在问题") < out.index("八、下一步工作")
    assert "  1. 部分科室进展登记不及时" in out
    assert "  2. 督促各科室每周五前" not in out and "  1. 督促各科室每周五前" in out
    html = gwgk(*W47, "--notes", str(FIXTURES / name), "--format", "html").stdout
    assert "<h2>七、存在问题</h2>" in html and "<li>部分科室进展登记不及时" in html


def test_notes_markdown_items_and_wrapped_lines(gwgk, w47: Path) -> None:
    out = gwgk(*W47, "--notes", str(FIXTURES / "notes.md")).stdout
    assert "  2. 政府公报数据库建设进度落后于计划,需协调技术力量。" in out
    assert "  2. 11月底前完成列席会议制度草案审定。" in out


def test_notes_only_one_section(gwgk, w47: Path, tmp_path: Path) -> None:
    notes = tmp_path / "n.yml"
    notes.write_text("下一步工作: |\n  第一段\n\n  第二段\n", encoding="utf-8")
    out = gwgk(*W47, "--notes", str(notes)).stdout
    assert "七、下一步工作" in out and "存在问题" not in out
    assert "  1. 第一段\n  2. 第二段\n" in out


@pytest.mark.parametrize(("name", "content", "message"), [
    ("n.md", "## 存在的问题\n- x\n", "未知标题"),
    ("n.md", "标题\n前言\n## 存在问题\n- x\n", "应写在"),
    ("n.md", "只有文字\n", "没有“存在问题”“下一步工作”等标题"),
    ("n.md", "## 问题\n- x\n", "未知标题"),
    ("n.yaml", "存在问题: [a, b\n", "不是有效的 YAML"),
    ("n.yaml", "- a\n- b\n", "应为 Markdown"),
    ("n.yaml", "问题: a\n", "未知的键"),
    ("n.yaml", "存在问题:\n  - {a: 1}\n", "应为一段文字或文字列表"),
    ("n.yaml", "", "应为 Markdown"),
    ("n.md", "", "没有“存在问题”“下一步工作”等标题"),
    ("n.txt", b"\xff\xfe\x00", "不是 UTF-8"),
])
def test_bad_notes_exit_2(gwgk, w47: Path, tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = gwgk(*W47, "--notes", str(path))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_notes_file(gwgk, w47: Path, tmp_path: Path) -> None:
    result = gwgk(*W47, "--notes", str(tmp_path / "nope.md"))
    assert result.exit_code == 2 and "找不到备注文件" in result.stderr


def test_note_items() -> None:
    lines = ["- 甲", "  续行", "* 乙", "1. 丙", "2、丁", "(一)戊", "", "段落一", "段落一续", "", "word", "wrap"]
    assert note_items(lines) == ["甲续行", "乙", "丙", "丁", "戊", "段落一段落一续", "word wrap"]


# --------------------------------------------------------------------------- -o


@pytest.mark.parametrize(("args", "name", "fmt"), [
    (("--format", "html"), "w47.html", "html"),
    ((), "w47.html", "html"),  # the format follows the suffix
    ((), "w47.md", "md"),
    ((), "w47.txt", "text"),
    ((), "w47", "text"),
    (("--format", "md"), "w47.txt", "md"),
])
def test_output_file(gwgk, w47: Path, tmp_path: Path, args: tuple[str, ...], name: str, fmt: str) -> None:
    target = tmp_path / "out" / name
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")  # -o overwrites with --force
    result = gwgk(*W47, *args, "-o", str(target), "--force")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1 and str(target) in result.stdout
    assert target.read_bytes().decode("utf-8") == gwgk(*W47, "--format", fmt).stdout
    assert os.listdir(target.parent) == [name]  # no temp file left behind


def test_output_into_missing_folder(gwgk, w47: Path, tmp_path: Path) -> None:
    """-o never creates a folder: a mistyped path is an error, not a new directory tree."""
    target = tmp_path / "missing" / "w47.html"
    result = gwgk(*W47, "-o", str(target))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"错误：{target}: 目录 {target.parent} 不存在（请先创建）\n"
    assert not target.parent.exists()


# --------------------------------------------------------------------------- export


def test_export_json(gwgk, w47: Path) -> None:
    result = gwgk("--today", "2021-11-24", "export")
    data = json.loads(result.stdout)
    assert len(data) == 28
    listed = json.loads(gwgk("--today", "2021-11-24", "list", "--collective", "--format", "json").stdout)
    assert data == listed  # the same records as list JSON
    by_id = {r["id"]: r for r in data}
    assert by_id[15]["status"] == "todo"  # as of the reference date: done on 11-26, not yet on 11-24
    assert by_id[4]["last_note"].startswith("2021年部门预算")


def test_export_csv_has_bom(gwgk, w47: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    result = gwgk("--today", "2021-11-24", "export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0 and "28 项任务" in result.stdout
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\r\r\n" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["序号", "部分", "任务", "具体要求"]
    assert rows[0][-5:] == ["最近进展", "佐证材料", "登记人", "完成时间", "签收"]
    by_id = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id[4]["佐证材料"] == "预决算公开截图.png" and by_id[4]["登记人"] == "赵敏"
    assert by_id[4]["完成时间"] == "2021-11-22" and by_id[1]["完成时间"] == ""
    assert len(rows) == 29


def test_export_yaml_loads(gwgk, w47: Path) -> None:
    out = gwgk("--today", "2021-11-24", "export", "--format", "yaml").stdout
    data = yaml.safe_load(out)
    assert data == json.loads(gwgk("--today", "2021-11-24", "export").stdout)
    assert list(data[0])[:3] == ["id", "section", "section_label"]  # record order kept
    assert "公开各类规划及历史规划" in out  # Chinese kept readable


def test_export_bad_format(gwgk, table: Path) -> None:
    assert gwgk("export", "--format", "xml").exit_code == 2


def test_output_that_cannot_be_written(gwgk, w47: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = gwgk(*W47, "-o", str(blocker / "w47.html"))
    assert result.exit_code == 2 and result.stderr.startswith(f"错误：{blocker / 'w47.html'}: 目录"), result.output


# --------------------------------------------------------------------------- wording and content (issue 14)


@pytest.mark.parametrize(("text", "expected"), [
    ("28 项:已完成 1 项,推进中", "28 项：已完成 1 项，推进中"),
    ("(一)政务公开指导办", "（一）政务公开指导办"),
    ("进度落后(时间已过 67%,完成 30%)", "进度落后（时间已过 67%，完成 30%）"),
    ("受阻; 75 天未更新", "受阻；75 天未更新"),
    ("2021-11-24 (ok), 12:30", "2021-11-24 (ok), 12:30"),  # no Chinese next to it: unchanged
    ("任务 4、14", "任务 4、14"),
])
def test_full_width(text: str, expected: str) -> None:
    assert full_width(text) == expected


GENERATED_ASCII = re.compile(r"[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]")


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_generated_text_is_full_width(gwgk, w47: Path, fmt: str) -> None:
    out = gwgk(*W47, "--format", fmt).stdout
    user = ("排版系统升级完成,恢复刊载", "均按期答复")  # notes as recorded keep their own punctuation
    bad = [line for line in out.splitlines() if GENERATED_ASCII.search(line) and not any(u in line for u in user)]
    assert bad == []


def test_completion_rate_counts_dated_tasks_only(gwgk, w47: Path, journal: Path) -> None:
    """Year end: 21 of 23 tasks with a deadline done is 91.3%, the 持续推进 ones on their own line."""
    lines = []
    for n, task in enumerate([t for t in range(1, 29) if t not in (5, 24, 25, 26, 27)][:21]):
        lines.append(f'{{"id":"y{n:03d}","at":"2021-12-30T10:00:00+08:00","date":"2021-12-30","by":"甲",'
                     f'"task":{task},"op":"status","to":"done"}}\n')
    with journal.open("a", encoding="utf-8") as fh:
        fh.writelines(lines)
    out = gwgk("--today", "2021-12-31", "report", "--week", "2021-W52").stdout
    assert "有明确时限的 23 项中已完成 21 项，完成率 91.3%。" in out
    assert "持续推进任务 5 项（不计入完成率）：推进中 2 项，未开始 3 项。" in out


def test_unit_progress_reflects_percents(gwgk, table: Path, journal: Path) -> None:
    journal.write_text(
        '{"id":"p1","at":"2021-11-22T10:00:00+08:00","date":"2021-11-22","by":"甲","task":19,"op":"status",'
        '"from":"todo","to":"doing","percent":70}\n'
        '{"id":"p2","at":"2021-11-22T10:00:00+08:00","date":"2021-11-22","by":"甲","task":20,"op":"status",'
        '"from":"todo","to":"doing","percent":80}\n', encoding="utf-8")
    out = gwgk(*W47).stdout
    assert re.search(r"秘书一室 +2 +2 +0 +2 +0 +0  ■■■■■■■■□□ 75%", out)
    assert out.count("各单位完成进度为其全部任务进度的平均值") == 1  # the rule, stated once


def test_warnings_rank_by_urgency(gwgk, w47: Path) -> None:
    """December: yellow rows needing action (未开始, 受阻, 进度落后) above those merely 还剩 N 天; staleness apart."""
    out = gwgk("--today", "2021-12-03", "report", "--week", "2021-W48").stdout
    warnings = out[out.index("四、预警事项"):out.index("五、")]
    table_part = warnings.split("以下")[0]
    rows = re.findall(r"^ +黄灯 +(\d+) +\S+ +\S+ +12月31日 +(\S+) +\S+ +(.+)$", table_part, re.M)
    assert len(rows) == 19
    urgent = [status in ("未开始", "受阻") or "进度落后" in reason for _, status, reason in rows]
    assert urgent == sorted(urgent, reverse=True) and urgent.count(False) == 4
    assert [int(row[0]) for row, u in zip(rows, urgent, strict=True) if not u] == [1, 2, 6, 19]
    assert re.search(r" 未开始 +— +还剩 28 天$", table_part, re.M)  # the 状态 column says 未开始, not the reason
    assert "未开始；" not in table_part
    assert "天未更新" not in table_part and "84 天未更新" in warnings  # staleness in its own table


def test_warning_records_order() -> None:
    from gwgk_cli.report import warning_records

    def rec(id: int, signal: str, status: str, days: int | None, reason: str = "") -> dict:
        return {"id": id, "signal": signal, "status": status, "days_left": days, "signal_reason": reason}

    recs = [rec(1, "yellow", "doing", 5, "还剩 5 天"), rec(2, "yellow", "todo", 20, "还剩 20 天"),
            rec(3, "red", "doing", -3, "逾期 3 天"), rec(4, "yellow", "doing", 25, "还剩 25 天;进度落后(…)"),
            rec(5, "green", "doing", 40), rec(6, "yellow", "blocked", None, "受阻"),
            rec(7, "yellow", "doing", 8, "还剩 8 天")]
    # Due within a week (1) counts as needing action, before a task behind schedule due later (4); 8 days
    # left and merely near (7) stays below the blocked one without a date (6).
    assert [r["id"] for r in warning_records(recs)] == [3, 1, 2, 4, 6, 7]


def test_narrative_merges_a_bare_start(gwgk, table: Path, journal: Path) -> None:
    journal.write_text(
        '{"id":"s1","at":"2021-11-22T10:00:00+08:00","date":"2021-11-22","by":"甲","task":3,"op":"status",'
        '"from":"todo","to":"doing"}\n'
        '{"id":"s2","at":"2021-11-23T10:00:00+08:00","date":"2021-11-23","by":"乙","task":3,"op":"note",'
        '"percent":40,"note":"专题页面初稿完成"}\n', encoding="utf-8")
    out = gwgk(*W47).stdout
    progress = out[out.index("三、本周工作进展"):out.index("四、")]
    assert progress.count("任务 3“") == 1
    assert "任务 3“专题公开高标准市场体系政策”：启动；进度 40%；专题页面初稿完成（11月23日，乙）" in progress


def test_urge_lists_silent_units_with_open_tasks(gwgk, w47: Path) -> None:
    out = gwgk(*W47).stdout
    urge = out[out.index("五、催报事项"):out.index("六、")]
    assert "本周以下单位未登记任何进展，请于下周一并报送：" in urge
    assert "市政府办公室：任务 21“优化政务服务便民热线”" in urge
    assert "政务公开指导办" not in urge  # it recorded progress this week


def test_another_units_reply_on_a_shared_task_is_not_this_units_report(gwgk, table: Path, journal: Path) -> None:
    """Found by a new-year walkthrough: 政府网站's sheet row on task 20 (秘书一室 leads, 政府网站 shares) kept
    秘书一室 out of 催报, though 秘书一室 reported nothing and `sheet status` listed it as not reported."""
    journal.write_text(
        '{"id":"a1","at":"2021-11-23T10:00:00+08:00","date":"2021-11-23","by":"赵六","task":20,"op":"note",'
        '"note":"网站已配合","source":"sheet=abc; period=2021-W47; sha256=0123456789abcdef; unit=政府网站; '
        'file=x.xlsx"}\n', encoding="utf-8")
    urge = (out := gwgk(*W47).stdout)[out.index("五、催报事项"):out.index("六、")]
    assert "秘书一室：任务 19" in urge
    assert "政府网站：" not in urge  # its own reply counts for it
    journal.write_text(journal.read_text(encoding="utf-8") +
        '{"id":"a2","at":"2021-11-23T11:00:00+08:00","date":"2021-11-23","by":"李明","task":20,"op":"note",'
        '"note":"指导办代为登记"}\n', encoding="utf-8")  # typed at the command line: names no unit
    urge = (out := gwgk(*W47).stdout)[out.index("五、催报事项"):out.index("六、")]
    assert "秘书一室：" not in urge


def test_annex_in_every_format(gwgk, w47: Path) -> None:
    for fmt in ("text", "md", "html"):
        out = gwgk(*W47, "--format", fmt).stdout
        annex = out[out.index("附件"):]
        for task_title in ("公开各类规划及历史规划", "年报公开重点任务落实情况", "优化政务服务便民热线"):
            assert task_title in annex, (fmt, task_title)
        assert "行财科（牵头）" in annex and "推进中·黄灯" in annex


@pytest.mark.parametrize(("args", "expected"), [
    (("--week", "2021-W47"), "第 12 期"),
    (("--week", "2021-W36"), "第 1 期"),  # the week the notice was published
    (("--week", "2021-W47", "--issue-no", "5"), "第 5 期"),
])
def test_issue_number(gwgk, w47: Path, args: tuple[str, ...], expected: str) -> None:
    out = gwgk("--today", "2021-12-31", "report", *args).stdout
    assert out.splitlines()[0].strip() == expected


def test_no_issue_number_for_custom_periods(gwgk, w47: Path) -> None:
    out = gwgk("--today", "2021-11-24", "report", "--from", "2021-11-01", "--to", "2021-11-24").stdout
    assert "期" not in out.splitlines()[0]


def test_office_form_from_options_or_settings() -> None:
    from gwgk_cli.report import OfficeForm, office_form

    settings = {"report_send_to": "市政府分管领导", "report_copy_to": "各科室", "report_signer": "政务公开科"}
    assert office_form(settings) == OfficeForm(None, "市政府分管领导", "各科室", "政务公开科")
    assert office_form(settings, send_to="秘书长", issue_no=7) == OfficeForm(7, "秘书长", "各科室", "政务公开科")
    assert office_form({}) == OfficeForm()


def test_office_lines_and_signature(gwgk, w47: Path) -> None:
    out = gwgk(*W47, "--send-to", "市政府分管领导", "--copy-to", "各科室", "--signer", "政务公开科").stdout
    lines = [line.strip() for line in out.splitlines()]
    assert lines[-2:] == ["报送：市政府分管领导", "抄送：各科室"]
    sign = lines.index("政务公开科")
    assert lines[sign + 1] == "2021年11月24日" and sign < lines.index("附件")
    assert "本报告由" not in out and "自动生成" not in out


def test_future_week_is_refused(gwgk, w47: Path) -> None:
    result = gwgk("--today", "2021-11-24", "report", "--week", "2021-W48")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "错误：2021年第48周，11月29日—12月5日 尚未开始（今天是 2021-11-24），不能生成这一期的报告\n"


@pytest.mark.parametrize(("content", "encoding"), [
    ("存在问题\n（一）登记不及时。\n（二）数据库进度落后。\n\n下一步工作打算：\n1. 督促登记\n", "gb18030"),
    ("一、存在问题\n（一）登记不及时。（二）数据库进度落后。\n二、下一步工作打算\n1. 督促登记\n", "utf-8"),
    ("## 存在问题\n(一)登记不及时。\n(二)数据库进度落后。\n## 下一步工作打算\n- 督促登记\n", "utf-8-sig"),
])
def test_notes_as_clerks_write_them(gwgk, w47: Path, tmp_path: Path, content: str, encoding: str) -> None:
    path = tmp_path / "备注.txt"
    path.write_bytes(content.encode(encoding))
    result = gwgk(*W47, "--notes", str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  1. 登记不及时。\n  2. 数据库进度落后。\n" in out
    assert "、下一步工作打算\n  1. 督促登记\n" in out


def test_notes_suggestions_heading(gwgk, w47: Path, tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("意见建议：\n- 增加技术力量\n", encoding="utf-8")
    out = gwgk(*W47, "--notes", str(path)).stdout
    assert "七、意见建议\n  1. 增加技术力量\n" in out


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_user_text_is_sanitised_in_every_format(gwgk, w47: Path, fmt: str) -> None:
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"c1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"某\\u202e人","task":1,'
                 '"op":"note","note":"换行\\n\\u001b[31m红字\\u0007"}\n')
    out = gwgk(*W47, "--format", fmt).stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    if fmt == "md":  # Markdown's own escapes on top: it renders as \x1b[31m红字\x07
        assert "\\\\x1b\\[31m红字\\\\x07" in out and "某\\\\u202e人" in out
    else:
        assert "\\x1b[31m红字\\x07" in out and "某\\u202e人" in out


@given(st.text(alphabet=st.sampled_from(list("项任务完成率进度,:;() 0123456789%-年月日（）abc")), max_size=40))
def test_full_width_properties(text: str) -> None:
    """Only , : ; ( ) change; digits, letters and everything else stay; applying it twice changes nothing more."""
    out = full_width(text)
    assert full_width(out) == out
    strip = re.compile(r"[,:;()，：；（） ]")
    assert strip.sub("", out) == strip.sub("", text)
    assert not re.search(r"[\u4e00-\u9fff][,:;]|[,:;][\u4e00-\u9fff]", out)


@given(st.lists(st.text(alphabet=st.sampled_from(list("甲乙丙 -*1.、（一）(二)\n")), max_size=12), max_size=8))
def test_note_items_never_lose_text(lines: list[str]) -> None:
    """Every Chinese character of the notes ends up in exactly one item, in order."""
    items = note_items(lines)
    assert all(item == item.strip() and item for item in items)
    keep = re.compile(r"[甲乙丙]")
    assert "".join(keep.findall("".join(items))) == "".join(keep.findall("".join(lines)))


def test_overdue_blocked_task_keeps_its_reason(gwgk, journal: Path) -> None:
    """A blocked task past its due date is red, and what it is blocked by (often a request for the leader's
    coordination) stays beside 逾期 N 天: in the 周报's 预警 table, in `warn` and in `list`."""
    assert gwgk("--today", "2021-12-20", "block", "2", "--note", "需分管领导出面协调省数据资源局").exit_code == 0
    out = gwgk("--today", "2022-01-06", "report", "--week", "2022-W01").stdout
    warnings = out[out.index("四、预警事项"):out.index("五、")]
    assert re.search(r"红灯 +2 .* 受阻 +— +逾期 6 天；受阻：需分管领导出面协调省数据资源局$", warnings, re.M)
    warn = gwgk("--today", "2022-01-06", "warn").stdout
    assert "\t红\t逾期 6 天；受阻：需分管领导出面协调省数据资源局" in warn
    listed = gwgk("--today", "2022-01-06", "list", "--format", "json").stdout
    assert '"signal_reason": "逾期 6 天；受阻：需分管领导出面协调省数据资源局"' in listed


def test_extension_and_late_completion_in_the_weekly(gwgk, journal: Path) -> None:
    """The 周报 names an extension beside the date it moved (original date, approved or not), a completion
    after the due date as 逾期 N 天完成, and a change without a note with its date and who."""
    assert gwgk("--today", "2021-12-20", "extend", "6", "--to", "2022-01-31", "--note", "等待数据",
                "--approved-by", "王副市长").exit_code == 0
    assert gwgk("--today", "2021-12-20", "extend", "18", "--to", "2022-03-31", "--note", "等待平台").exit_code == 0
    assert gwgk("--today", "2022-01-04", "start", "28").exit_code == 0
    assert gwgk("--today", "2022-01-05", "done", "10", "--note", "专栏已验收").exit_code == 0
    out = gwgk("--today", "2022-01-06", "report", "--week", "2022-W01").stdout
    assert re.search(r"^ +黄灯 +6 .* 1月31日（原定2021年12月31日，延期经王副市长批准） ", out, re.M)
    assert re.search(r"^ +18 .* 2021年12月31日（申请延期至3月31日，未经批准） ", out, re.M)  # the 附件: a request
    assert re.search(r"任务 10“\S+”：逾期 5 天完成；专栏已验收（1月5日，\S+）$", out, re.M)
    assert re.search(r"任务 28“\S+”：启动（1月4日，\S+）$", out, re.M)


def test_no_warnings_but_stale_ones_does_not_say_no_yellow(gwgk, journal: Path) -> None:
    """With only 久未更新 ongoing tasks yellow, 预警事项 must not say 无…黄灯 while 总体情况 counts them."""
    out = gwgk("--today", "2021-11-22", "report").stdout
    assert "预警：红灯 0 项，黄灯 5 项。" in out
    warnings = out[out.index("四、预警事项"):out.index("五、")]
    assert "无红灯、黄灯预警事项" not in warnings
    assert "无逾期、临期、受阻或进度落后的预警事项。" in warnings and "5 项持续推进任务较长时间未更新" in warnings


@pytest.mark.parametrize("cache", ["index", "files"])
def test_an_undo_in_the_week_is_a_change_of_the_week(gwgk, journal: Path, cache: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A completion recorded last week and undone this week: 总体情况 counts the task 改回未开始 (not 重新打开:
    it is 未开始 again), and 本周工作进展 says what was taken back, when and by whom; an in-week mistake
    undone in the same week is neither."""
    if cache == "files":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    assert gwgk("--today", "2021-11-19", "done", "4").exit_code == 0
    assert gwgk("--today", "2021-11-23", "undo").exit_code == 0
    assert gwgk("--today", "2021-11-23", "start", "14").exit_code == 0
    assert gwgk("--today", "2021-11-23", "undo").exit_code == 0
    out = gwgk("--today", "2021-11-24", "report", "--week", "2021-W47").stdout
    assert "本周改回未开始 1 项（任务 4“公开办公室预算决算”）" in out and "重新打开" not in out
    progress = out[out.index("三、本周工作进展"):out.index("四、")]
    assert re.search(r"任务 4“公开办公室预算决算”：撤销此前登记的“已完成”，改回“未开始”（11月23日，\S+）$", progress, re.M)
    assert "任务 14" not in progress
    assert "本周共登记进展 1 条。" in out


@pytest.mark.parametrize(("text", "printed"), [
    ("公开,共 37 件;历史规划附扫描件.", "公开，共 37 件；历史规划附扫描件。"),
    ("(详见附表)", "（详见附表）"),
    ("完成了吗?已报送!", "完成了吗？已报送！"),
    ("时间:10:30", "时间：10:30"),
    ("见附件.docx", "见附件.docx"),  # a file name
    ("进度1.5倍", "进度1.5倍"),  # a number
    ("见 www.gov.cn 专栏", "见 www.gov.cn 专栏"),  # an address
    ("1,000 元", "1,000 元"),
    ("Done.", "Done."),  # not Chinese
])
def test_notes_get_chinese_punctuation_where_a_leader_reads_them(text: str, printed: str) -> None:
    from gwgk_cli.report_wording import full_width

    assert full_width(text) == printed


@pytest.mark.parametrize("cache", ["", "1"])  # from the index and from the files
def test_a_change_recorded_this_week_but_dated_earlier_is_in_this_weeks_report(gwgk, table: Path,  # type: ignore[no-untyped-def]
                                                                               journal: Path, cache: str,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: a completion reported on a 填报表 on 11-24 with 完成日期 11-19 (or `done --date`) was dated
    the 19th, so week 47's 周报 said 本周无进展 though the unit had reported it that week."""
    journal.write_text(
        '{"id":"d1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-19","by":"王芳","task":4,"op":"status",'
        '"from":"todo","to":"done","note":"预决算已于11月19日公开"}\n'
        '{"id":"d2","at":"2021-11-15T10:00:00+08:00","date":"2021-11-15","by":"王芳","task":14,"op":"status",'
        '"from":"todo","to":"doing"}\n', encoding="utf-8")
    monkeypatch.setenv("GWGK_NO_CACHE", cache)
    out = gwgk(*W47).stdout
    progress = out[out.index("三、本周工作进展"):out.index("四、")]
    assert "任务 4“公开办公室预算决算”：完成；预决算已于11月19日公开（11月19日，王芳）" in progress
    assert "任务 14" not in progress  # recorded and dated the week before: last week's


@pytest.mark.parametrize("fmt", ["text", "md", "html", "docx"])
def test_a_date_of_another_year_carries_its_year_in_every_format(gwgk, table: Path, tmp_path: Path, fmt: str) -> None:
    """Found by a hostile tester: in a 2022 周报 the text and Markdown formats wrote a 2021 (or 2023) due date as
    12月31日, the .docx as 2021年12月31日: every format says the year of a date outside the document's."""
    import docx

    out = tmp_path / f"周报.{'txt' if fmt == 'text' else fmt}"
    result = gwgk("--today", "2022-01-05", "report", "--week", "2022-W01", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = ("\n".join(c.text.replace("\n", "") for t in docx.Document(str(out)).tables for row in t.rows
                      for c in row.cells)  # a narrow column breaks a date after 年 (2021年 / 12月31日)
            if fmt == "docx" else out.read_text(encoding="utf-8"))
    assert "2021年12月31日" in text
    assert not re.search(r"(?<![年\d])12月31日", text)


def test_a_task_whose_deadline_is_not_understood_is_counted_in_the_overview(gwgk, table: Path) -> None:
    """Found in review: with 22 tasks dated and 5 持续推进 of 28, the 周报 never said what the 28th was."""
    text = table.read_text(encoding="utf-8")
    assert text.count("deadline: 年底前") > 1
    table.write_text(text.replace("deadline: 年底前", "deadline: 视情况而定", 1), encoding="utf-8")
    out = gwgk("report", "--week", "2021-W47").stdout
    assert "有明确时限的 22 项中已完成 0 项" in out
    assert "时限未识别的任务 1 项（不计入完成率；请在任务表中写明时限）。" in out


def test_the_overview_names_five_tasks_and_counts_the_rest(gwgk, table: Path) -> None:
    """Found by a reader of a 200-task 周报: 受阻 41 项 named all 41 in the overview, a page before any table."""
    assert gwgk("--today", "2021-11-23", "block", "1-7", "--note", "缺经费").exit_code == 0
    out = gwgk("--today", "2021-11-24", "report", "--week", "2021-W47").stdout
    five = "、".join(f"任务 {i}“{t}”" for i, t in [(1, "公开各类规划及历史规划"), (2, "网站建立规划专题集中发布"),
                                                   (3, "专题公开高标准市场体系政策"), (4, "公开办公室预算决算"),
                                                   (5, "重大政策权威发布和深入解读")])
    flat = re.sub(r"\n\s*", "", out)
    assert f"受阻 7 项，需协调解决：{five}等 7 项（原因见预警事项）。" in flat
    assert f"新增受阻 7 项（{five}等 7 项）" in flat
    quiet = gwgk("--today", "2021-12-01", "report", "--week", "2021-W48").stdout  # nobody reported: every unit chased
    urge = re.sub(r"\n\s*", "", quiet[quiet.index("五、催报事项"):quiet.index("六、")])
    # its own tasks (those it leads: a unit is asked for them, found by a reader), five named
    assert ("政务公开指导办：任务 1“公开各类规划及历史规划”、任务 2“网站建立规划专题集中发布”、任务 3“专题公开高标准市场体系政策”、"
            "任务 10“建设政策综合信息服务专栏”、任务 14“更新网站行政法规文本”等 12 项") in urge


@pytest.mark.parametrize(("rec", "text"), [
    ({"last_note": "", "status": "doing", "updated": "2021-11-12"}, "11月12日有变更，暂无进展说明"),
    ({"last_note": "", "status": "todo", "updated": None}, "暂无进展登记"),
    ({"last_note": "", "status": "doing", "updated": "2022-01-05"}, "2022年1月5日有变更，暂无进展说明"),
    ({"last_note": "已上线", "status": "doing", "updated": "2021-11-12", "last_note_date": "2021-11-12"}, "已上线（11月12日）"),
])
def test_the_annex_note_of_a_task_without_one(rec: dict, text: str) -> None:
    """Found by a reader: a task 推进中 (started, extended with a reason) read 暂无进展登记 in the 附件."""
    from gwgk_cli.report_wording import note_text

    assert note_text(rec, 2021) == text


def test_a_unit_is_not_excused_by_another_units_report_on_a_shared_task(gwgk, table: Path) -> None:
    """Found by a reader: 政府网站 recorded nothing on its own tasks, and was left out of 催报事项 because a note on
    task 6 (led by another unit, shared with it) counted for every unit named on it. A note typed at the command
    line is its lead's report."""
    assert gwgk("--today", "2021-11-23", "note", "6", "已梳理涉企政策").exit_code == 0
    out = gwgk("--today", "2021-11-28", "report", "--week", "2021-W47").stdout
    urge = re.sub(r"\n\s*", "", out[out.index("五、催报事项"):out.index("六、")])
    assert "政府网站：任务 17“推行政府网站集约化建设”、任务 18“健全政务新媒体监管机制”" in urge
    assert "“放管服”改革和营商环境监督科" not in urge  # its task 6: reported


def _unit_names() -> list[str]:
    from gwgk_cli.table import load_table

    return [u.name for u in load_table(Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml").units]


@pytest.mark.parametrize("unit", _unit_names())
def test_a_units_report_counts_the_tasks_only_a_collective_unit_names(gwgk, table: Path, w47: Path, unit: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit's report leaves out the tasks only a collective unit names (counted, not built: cli/report.py) and says
    how many: as many as the table has, with the index and without it; none with --collective."""
    from gwgk_cli.table import load_table

    plan = load_table(table)
    collective = plan.collective_units
    expected = 0 if unit in collective else sum(
        1 for t in plan.tasks if unit not in t.units and any(u in collective for u in t.units))
    outs = []
    for no_index in ("", "1"):
        monkeypatch.setenv("GWGK_NO_CACHE", no_index)
        result = gwgk("report", "--week", "2021-W47", "--unit", unit)
        assert result.exit_code == 0, result.output
        outs.append(result.output)
    assert outs[0] == outs[1]
    said = re.findall(r"另有 (\d+) 项只写明", outs[0])
    assert [int(n) for n in said] == ([expected] if expected else [])
    assert "另有" not in gwgk("report", "--week", "2021-W47", "--unit", unit, "--collective").output
